package io.kplane.controller;

import io.kplane.client.ApiException;
import io.kplane.client.ApiResource;
import io.kplane.client.Cache;
import io.kplane.client.EventHandler;
import io.kplane.client.Informer;
import io.kplane.client.KubeClient;
import io.kplane.model.Condition;
import io.kplane.model.Pod;
import io.kplane.model.PodStatus;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for kubelets in controller tests: every pod that appears is given phase Running, an IP
 * and Ready=True through the real API server's status subresource (hollow kubelets do the same
 * with probes; that is another component's job).
 */
final class PodReadier implements AutoCloseable {
    private final KubeClient client;
    private final Informer<Pod> pods;
    private final AtomicInteger ips = new AtomicInteger(1);

    PodReadier(KubeClient client) {
        this.client = client;
        this.pods = new Informer<>(client, ApiResource.PODS);
        pods.addHandler(EventHandler.onAny(this::ready));
        pods.start();
    }

    private void ready(Pod p) {
        if (p.metadata().deletionTimestamp() != null || PodState.isReady(p)) {
            return;
        }
        Pod current = pods.cache().get(Cache.keyOf(p));
        if (current == null) {
            return;
        }
        int n = ips.getAndIncrement();
        PodStatus st = current.statusOrEmpty().withPhase("Running")
                .withPodIP("10.1." + (n / 250) + "." + (n % 250 + 1))
                .withConditions(List.of(Condition.of("Ready", "True", null, null, Instant.now())));
        try {
            client.updateStatus(ApiResource.PODS, current.withStatus(st));
        } catch (ApiException e) {
            // stale or gone: the next event for the pod tries again
        } catch (RuntimeException e) {
            // the server went away at the end of a test
        }
    }

    @Override
    public void close() {
        pods.close();
    }
}
