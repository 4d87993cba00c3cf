package io.kplane.bench.scheduler;

import io.kplane.scheduler.Binder;
import io.kplane.scheduler.ClusterActions;
import io.kplane.scheduler.PodInfo;
import io.kplane.scheduler.Scheduler;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An in-memory "API server" for the scheduler benchmark: binds and deletions go to its own thread,
 * which persists them and posts the resulting events back to the scheduler thread's inbox — the
 * same asynchronous path informers and API binding will take in a runtime.
 */
final class InMemoryCluster implements Binder, ClusterActions, AutoCloseable {

    private sealed interface Request permits BindRequest, DeleteRequest {}

    private record BindRequest(PodInfo pod, String node) implements Request {}

    private record DeleteRequest(PodInfo pod) implements Request {}

    private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    final ConcurrentHashMap<String, PodInfo> pods = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread api;
    private Scheduler scheduler;

    InMemoryCluster() {
        api = new Thread(this::serve, "in-memory-apiserver");
        api.setDaemon(true);
    }

    void start(Scheduler scheduler) {
        this.scheduler = scheduler;
        api.start();
    }

    @Override
    public void bind(PodInfo pod, String nodeName) {
        requests.add(new BindRequest(pod, nodeName));
    }

    @Override
    public void deletePod(PodInfo victim) {
        requests.add(new DeleteRequest(victim));
    }

    @Override
    public void setNominatedNode(PodInfo pod, String nodeName) {
        // Status-only write; the scheduler's nominator already holds it. Nothing to echo back.
    }

    /** CPU time used so far by the API thread. */
    long apiCpuNanos() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getThreadCpuTime(api.getId());
    }

    /** Creates a pod (as an API create + informer add would). Runs on the scheduler thread. */
    void create(PodInfo pod) {
        pods.put(pod.uid(), pod);
        scheduler.onPodAdd(pod);
    }

    /** Deletes a pod (churn). Runs on the scheduler thread. */
    void delete(PodInfo pod) {
        PodInfo p = pods.remove(pod.uid());
        if (p != null) {
            scheduler.onPodDelete(p);
        }
    }

    /** Applies events posted by the API thread; returns how many. Scheduler thread only. */
    int drainInbox() {
        int n = 0;
        Runnable r;
        while ((r = inbox.poll()) != null) {
            r.run();
            n++;
        }
        return n;
    }

    private void serve() {
        while (running.get()) {
            Request r = requests.poll();
            if (r == null) {
                // Park briefly rather than spin: on two shared cores a spinning API thread would
                // steal the scheduler's CPU and distort the figure.
                java.util.concurrent.locks.LockSupport.parkNanos(20_000);
                continue;
            }
            if (r instanceof BindRequest b) {
                PodInfo old = pods.get(b.pod().uid());
                if (old == null) {
                    inbox.add(() -> scheduler.onBindResult(b.pod().uid(), false, "pod not found"));
                    continue;
                }
                PodInfo bound = old.toBuilder().nodeName(b.node()).nominatedNodeName(null).startNanos(System.nanoTime()).build();
                pods.put(bound.uid(), bound);
                inbox.add(() -> {
                    scheduler.onBindResult(bound.uid(), true, null);
                    scheduler.onPodUpdate(old, bound);
                });
            } else if (r instanceof DeleteRequest d) {
                PodInfo old = pods.remove(d.pod().uid());
                if (old != null) {
                    inbox.add(() -> scheduler.onPodDelete(old));
                }
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        api.join(5000);
    }
}
