package io.kplane.controller;

import io.kplane.client.ApiResource;
import io.kplane.client.Informer;
import io.kplane.client.KubeClient;
import io.kplane.client.ListOptions;
import io.kplane.model.Deployment;
import io.kplane.model.EndpointSlice;
import io.kplane.model.GenericObject;
import io.kplane.model.Lease;
import io.kplane.model.Node;
import io.kplane.model.Pod;
import io.kplane.model.ReplicaSet;
import io.kplane.model.Service;
import java.time.Duration;
import java.util.List;

/**
 * The informers the controllers share (one watch per resource for the whole
 * controller-manager): pods, ReplicaSets, Deployments, Services, EndpointSlices, Endpoints, Nodes
 * the node Leases in {@code kube-node-lease} and PodDisruptionBudgets.
 */
public final class SharedInformers implements AutoCloseable {
    public final Informer<Pod> pods;
    public final Informer<ReplicaSet> replicaSets;
    public final Informer<Deployment> deployments;
    public final Informer<Service> services;
    public final Informer<EndpointSlice> endpointSlices;
    public final Informer<GenericObject> endpoints;
    public final Informer<Node> nodes;
    public final Informer<Lease> nodeLeases;
    public final Informer<GenericObject> budgets;

    public SharedInformers(KubeClient client, Duration resync) {
        pods = new Informer<>(client, ApiResource.PODS, null, ListOptions.NONE, resync);
        replicaSets = new Informer<>(client, ApiResource.REPLICA_SETS, null, ListOptions.NONE, resync);
        deployments = new Informer<>(client, ApiResource.DEPLOYMENTS, null, ListOptions.NONE, resync);
        services = new Informer<>(client, ApiResource.SERVICES, null, ListOptions.NONE, resync);
        endpointSlices = new Informer<>(client, ApiResource.ENDPOINT_SLICES, null, ListOptions.NONE, resync);
        endpoints = new Informer<>(client, ApiResource.ENDPOINTS, null, ListOptions.NONE, resync);
        nodes = new Informer<>(client, ApiResource.NODES, null, ListOptions.NONE, resync);
        nodeLeases = new Informer<>(client, ApiResource.LEASES, NodeLifecycle.NODE_LEASE_NAMESPACE, ListOptions.NONE, resync);
        budgets = new Informer<>(client, ApiResource.POD_DISRUPTION_BUDGETS, null, ListOptions.NONE, resync);
    }

    public List<Informer<?>> all() {
        return List.of(pods, replicaSets, deployments, services, endpointSlices, endpoints, nodes, nodeLeases, budgets);
    }

    public void start() {
        all().forEach(Informer::start);
    }

    /** Waits until every informer has listed once; false on timeout. */
    public boolean waitForSync(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Informer<?> i : all()) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !i.waitForSync(Duration.ofNanos(left))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        all().forEach(Informer::close);
    }
}
