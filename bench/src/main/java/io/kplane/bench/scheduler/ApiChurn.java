package io.kplane.bench.scheduler;

import io.kplane.client.ApiResource;
import io.kplane.client.DeleteOptions;
import io.kplane.client.KubeClient;
import io.kplane.model.Json;
import io.kplane.model.Pod;
import io.kplane.model.Service;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * SchedulingWithMixedChurn's churn op through the API server, in scheduler_perf's recreate mode
 * (opcode churn, mode recreate, number 1, intervalMilliseconds 1000): every interval, delete what
 * the previous step created, then create a Node (node-default), a high-priority pod asking for 9
 * CPUs that no 4-CPU node can hold (pod-high-priority-large-cpu: every attempt fails, preemption
 * included) and a Service (service-default). The scheduler sees nodes come and go, an
 * unschedulable pod retried and Service events while it places the measured pods.
 *
 * <p>The first step runs in {@link #start()} itself, before the measured pods are created, as the
 * op precedes createPods in the workload; later steps run on this churn's own thread. A failed
 * API call is kept as an error (the run reports it as a violation) and the churn goes on.
 */
final class ApiChurn implements AutoCloseable {
    static final String HIGH_PRIORITY_CLASS = "high";
    private static final String NAMESPACE = "default";

    private final KubeClient client;
    private final ApiWorkload workload;
    private final Duration interval;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-churn");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> deletedNodes = Collections.synchronizedSet(new HashSet<>());
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private volatile int ops;
    private int seq;
    private String node;
    private String pod;
    private String service;

    ApiChurn(KubeClient client, ApiWorkload workload, Duration interval) {
        this.client = client;
        this.workload = workload;
        this.interval = interval;
    }

    static String churnPodName(int seq) {
        return "churn-h-" + seq;
    }

    static boolean isChurnPod(String name) {
        return name.startsWith("churn-h-");
    }

    ApiChurn start() {
        step();
        thread.scheduleWithFixedDelay(this::step, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
        return this;
    }

    private void step() {
        try {
            if (node != null) {
                client.delete(ApiResource.NODES, null, node, DeleteOptions.DEFAULT);
                deletedNodes.add(node);
                client.delete(ApiResource.PODS, NAMESPACE, pod, new DeleteOptions(null, null, null, 0L));
                client.delete(ApiResource.SERVICES, NAMESPACE, service, DeleteOptions.DEFAULT);
            }
            seq++;
            node = client.create(ApiResource.NODES, workload.node(1_000_000 + seq)).metadata().name();
            pod = client.create(ApiResource.PODS, ApiWorkload.pod(NAMESPACE, churnPodName(seq), "", "9", "500Mi",
                    "\"priorityClassName\":\"" + HIGH_PRIORITY_CLASS + "\",\"priority\":10")).metadata().name();
            service = client.create(ApiResource.SERVICES, Json.read("""
                    {"apiVersion":"v1","kind":"Service","metadata":{"namespace":"%s","name":"churn-svc-%d"},
                     "spec":{"selector":{"app":"churn-%d"},"ports":[{"port":80,"targetPort":8080}]}}
                    """.formatted(NAMESPACE, seq, seq), Service.class)).metadata().name();
            ops++;
        } catch (RuntimeException e) {
            errors.add("churn step " + seq + ": " + e);
            node = null;   // start afresh; what was left stays (and is not counted as churned)
        }
    }

    /** Completed steps (each: one node, one pod, one service recreated). */
    int ops() {
        return ops;
    }

    /** Nodes this churn deleted: pods bound to them are orphans (upstream's pod GC would delete them). */
    Set<String> deletedNodes() {
        synchronized (deletedNodes) {
            return new HashSet<>(deletedNodes);
        }
    }

    List<String> errors() {
        synchronized (errors) {
            return new ArrayList<>(errors);
        }
    }

    @Override
    public void close() throws InterruptedException {
        thread.shutdown();   // a step under way completes (an interrupt would fail its API call); no more start
        thread.awaitTermination(30, TimeUnit.SECONDS);
    }
}
