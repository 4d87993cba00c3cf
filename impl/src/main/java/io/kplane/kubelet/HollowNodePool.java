package io.kplane.kubelet;

import io.kplane.client.ApiResource;
import io.kplane.client.EventHandler;
import io.kplane.client.Informer;
import io.kplane.client.KubeClient;
import io.kplane.client.ListOptions;
import io.kplane.model.Pod;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Many hollow kubelets in one JVM, for scale tests (kubemark runs thousands of hollow nodes; so
 * must we, on two cores). A kubelet standing alone costs a sync thread, a probe pool, a pod
 * informer and a watch; thousands of those would be thousands of watches and threads. Here the
 * kubelets share:
 * <ul>
 *   <li>one pod informer (bound pods only, {@code spec.nodeName!=}), whose events go to the
 *       kubelet named by the pod's nodeName;</li>
 *   <li>a few single-threaded sync executors, kubelet {@code i} on executor {@code i mod n}: each
 *       kubelet's state still has exactly one owning thread;</li>
 *   <li>one small probe pool.</li>
 * </ul>
 * Each kubelet otherwise behaves as it does alone (its own Node, Lease, pod IPs and statuses),
 * and may be stopped on its own, as a crashed kubelet.
 */
public final class HollowNodePool implements AutoCloseable {
    private final KubeClient client;
    private final List<ScheduledExecutorService> syncThreads = new ArrayList<>();
    private final ExecutorService probes;
    private final Map<String, HollowKubelet> byNode = new HashMap<>();
    private final List<HollowKubelet> kubelets = new ArrayList<>();
    private Informer<Pod> pods;

    /**
     * @param configs     one per node
     * @param syncThreads how many threads the kubelets' sync loops share
     */
    public HollowNodePool(KubeClient client, List<KubeletConfig> configs, InstantSource clock, int syncThreads) {
        if (syncThreads < 1) {
            throw new IllegalArgumentException("syncThreads must be at least 1");
        }
        this.client = client;
        for (int i = 0; i < Math.min(syncThreads, Math.max(1, configs.size())); i++) {
            String name = "kubelet-sync-" + i;
            this.syncThreads.add(Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name)));
        }
        this.probes = Executors.newFixedThreadPool(4, r -> daemon(r, "kubelet-probe"));
        for (int i = 0; i < configs.size(); i++) {
            KubeletConfig c = configs.get(i);
            HollowKubelet k = new HollowKubelet(client, c, clock, this.syncThreads.get(i % this.syncThreads.size()), probes, false);
            if (byNode.put(c.nodeName(), k) != null) {
                throw new IllegalArgumentException("two hollow nodes named " + c.nodeName());
            }
            kubelets.add(k);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public List<HollowKubelet> kubelets() {
        return List.copyOf(kubelets);
    }

    /**
     * Registers every node (each on its own sync thread, so registrations run side by side), then
     * starts the shared pod informer; returns once every kubelet has registered and the informer
     * has listed.
     */
    public HollowNodePool start(Duration timeout) throws InterruptedException, TimeoutException {
        pods = new Informer<>(client, ApiResource.PODS, null, ListOptions.fieldSelector("spec.nodeName!="), Duration.ZERO);
        pods.addHandler(new EventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                HollowKubelet k = kubeletOf(pod);
                if (k != null) {
                    k.podChanged(pod);
                }
            }

            @Override
            public void onUpdate(Pod oldPod, Pod pod) {
                onAdd(pod);
            }

            @Override
            public void onDelete(Pod pod) {
                HollowKubelet k = kubeletOf(pod);
                if (k != null) {
                    k.podDeleted(pod);
                }
            }
        });
        List<CompletableFuture<Void>> registered = new ArrayList<>();
        for (int i = 0; i < kubelets.size(); i++) {
            HollowKubelet k = kubelets.get(i);
            registered.add(CompletableFuture.runAsync(() -> k.startPooled(pods.cache()), syncThreads.get(i % syncThreads.size())));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (CompletableFuture<Void> f : registered) {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("a hollow node could not register: " + e.getCause(), e.getCause());
        }
        pods.start();
        if (!pods.waitForSync(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
            throw new TimeoutException("the hollow nodes' pod informer did not list within " + timeout);
        }
        return this;
    }

    private HollowKubelet kubeletOf(Pod pod) {
        return pod.spec() == null || pod.spec().nodeName() == null ? null : byNode.get(pod.spec().nodeName());
    }

    /** Stops every kubelet (as crashes: Nodes and pods stay) and the shared threads. */
    @Override
    public void close() {
        if (pods != null) {
            pods.close();
        }
        kubelets.forEach(HollowKubelet::stop);
        syncThreads.forEach(ExecutorService::shutdownNow);
        probes.shutdownNow();
    }
}
