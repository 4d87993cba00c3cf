package io.kplane.kubelet;

import io.kplane.client.ApiException;
import io.kplane.client.ApiResource;
import io.kplane.client.Cache;
import io.kplane.client.DeleteOptions;
import io.kplane.client.EventHandler;
import io.kplane.client.Informer;
import io.kplane.client.KubeClient;
import io.kplane.client.ListOptions;
import io.kplane.model.Lease;
import io.kplane.model.LeaseSpec;
import io.kplane.model.Node;
import io.kplane.model.NodeStatus;
import io.kplane.model.ObjectMeta;
import io.kplane.model.OwnerReference;
import io.kplane.model.Pod;
import io.kplane.model.PodStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hollow kubelet (as kubemark's): it registers a Node, renews the node's Lease in
 * {@code kube-node-lease}, reports node conditions, and runs the pods bound to it as simulated
 * containers — Running with a pod IP at once, probes run for real over the network, restarts with
 * CrashLoopBackOff, graceful deletion finished by a delete with grace period 0.
 *
 * <p>Runtime shape: one sync thread owns every pod's state ({@link HollowPod}) and does all API
 * writes; the pod informer hands events to it; probes run on a small pool and hand their outcomes
 * back to it. {@link #stop()} stops the kubelet as a crash would look from outside (its Node and
 * pods stay; the Lease stops being renewed). Standing alone, a kubelet has its own sync thread,
 * probe pool and pod informer; in a {@link HollowNodePool} it borrows the pool's (one of a few
 * sync threads, still the only one touching its state, and the pool's one pod informer).
 */
public final class HollowKubelet implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HollowKubelet.class);
    private static final long TICK_MS = 100;

    private final KubeClient client;
    private final KubeletConfig config;
    private final InstantSource clock;
    private final ScheduledExecutorService sync;
    private final ExecutorService probes;
    private final Map<String, Tracked> pods = new HashMap<>();
    private final PodIpPool ips;
    private final AtomicLong leaseRenewals = new AtomicLong();
    private final AtomicLong statusWrites = new AtomicLong();
    private final boolean ownsThreads;
    private Informer<Pod> informer;
    private Cache<Pod> podCache;
    private ScheduledFuture<?> ticking;
    private String nodeUid;
    private Instant lastLeaseRenew = Instant.EPOCH;
    private Instant lastNodeCheck = Instant.EPOCH;
    private volatile boolean running;

    /** A pod this kubelet runs, with where it lives and whether its status needs writing. */
    private static final class Tracked {
        final HollowPod pod;
        final String namespace;
        final String name;
        boolean dirty = true;
        boolean deleted;

        Tracked(HollowPod pod, String namespace, String name) {
            this.pod = pod;
            this.namespace = namespace;
            this.name = name;
        }
    }

    public HollowKubelet(KubeClient client, KubeletConfig config, InstantSource clock) {
        this(client, config, clock, Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "kubelet-" + config.nodeName())),
                Executors.newFixedThreadPool(2, r -> daemon(r, "kubelet-probe-" + config.nodeName())), true);
    }

    /**
     * A kubelet on borrowed threads ({@link HollowNodePool}): {@code sync} must be single-threaded
     * (it is the one thread that touches this kubelet's state); neither is shut down by {@link #stop()}.
     */
    HollowKubelet(KubeClient client, KubeletConfig config, InstantSource clock, ScheduledExecutorService sync,
                  ExecutorService probes, boolean ownsThreads) {
        this.client = client;
        this.config = config;
        this.clock = clock;
        this.ips = new PodIpPool(config.podCidr(), config.podCidrV6());
        this.sync = sync;
        this.probes = probes;
        this.ownsThreads = ownsThreads;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public String nodeName() {
        return config.nodeName();
    }

    public long leaseRenewals() {
        return leaseRenewals.get();
    }

    public long podStatusWrites() {
        return statusWrites.get();
    }

    public boolean running() {
        return running;
    }

    /** Registers the Node (or takes over an existing one), then starts the Lease, status and pod loops. */
    public HollowKubelet start() throws InterruptedException {
        running = true;
        register();
        renewLease(now());
        informer = new Informer<>(client, ApiResource.PODS, null,
                ListOptions.fieldSelector("spec.nodeName=" + config.nodeName()), Duration.ZERO);
        informer.addHandler(new EventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                podChanged(pod);
            }

            @Override
            public void onUpdate(Pod oldPod, Pod pod) {
                podChanged(pod);
            }

            @Override
            public void onDelete(Pod pod) {
                podDeleted(pod);
            }
        });
        podCache = informer.cache();
        informer.start();
        ticking = sync.scheduleWithFixedDelay(this::tickSafely, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * Starts a pooled kubelet (on its sync thread): registration and the first Lease, then the
     * loops. Pods come from the pool's informer through {@link #podChanged}/{@link #podDeleted};
     * {@code pods} is that informer's cache, where the latest version of each pod is read.
     */
    void startPooled(Cache<Pod> pods) {
        running = true;
        podCache = pods;
        register();
        renewLease(now());
        ticking = sync.scheduleWithFixedDelay(this::tickSafely, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    /** A pod bound to this node was added or changed (any thread). */
    void podChanged(Pod pod) {
        if (running) {
            sync.execute(() -> onPod(pod));
        }
    }

    /** A pod bound to this node is gone from the API (any thread). */
    void podDeleted(Pod pod) {
        if (running) {
            sync.execute(() -> onPodGone(pod));
        }
    }

    /** Stops all loops without touching the API objects, as a crashed kubelet would. */
    public void stop() {
        running = false;
        if (informer != null) {
            informer.close();
        }
        if (ticking != null) {
            ticking.cancel(false);
        }
        if (ownsThreads) {
            sync.shutdownNow();
            probes.shutdownNow();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private long nowNs() {
        Instant i = clock.instant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    /**
     * Registers the Node, retrying as upstream's kubelet does (registerWithAPIServer: 100 ms,
     * doubling, at most 7 s apart) for as long as the API server cannot be reached or answers with
     * a transient error. At cluster start the API server, or the store under it, may still be
     * electing a leader (503); a kubelet that gave up then would leave the cluster without nodes.
     */
    private void register() {
        long backoffMs = 100;
        while (true) {
            try {
                registerOnce();
                return;
            } catch (ApiException | java.io.UncheckedIOException e) {
                if (!running || !transientFailure(e)) {
                    throw e;
                }
                LOG.warn("kubelet {}: registration failed, retrying in {} ms: {}", config.nodeName(), backoffMs, e.getMessage());
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException stopped) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoffMs = Math.min(backoffMs * 2, 7_000);
            }
        }
    }

    /** An API server that is unreachable, overloaded (429) or failing (5xx) may answer later; a 4xx will not change. */
    static boolean transientFailure(RuntimeException e) {
        if (e instanceof ApiException api) {
            return api.code() == 429 || api.code() >= 500;
        }
        return e instanceof java.io.UncheckedIOException;
    }

    private void registerOnce() {
        Node node = NodeObject.registration(config, now());
        try {
            nodeUid = client.create(ApiResource.NODES, node).metadata().uid();
        } catch (ApiException e) {
            if (!e.isAlreadyExists()) {
                throw e;
            }
            // re-registration after a restart: the Node is ours; report a fresh status
            Node existing = client.get(ApiResource.NODES, null, config.nodeName());
            nodeUid = existing.metadata().uid();
            client.updateStatus(ApiResource.NODES, existing.withStatus(NodeObject.status(config, existing.status(), now())));
        }
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.warn("kubelet {}: sync failed: {}", config.nodeName(), e.toString());
        }
    }

    private void tick() {
        Instant now = now();
        long nowNs = nowNs();
        if (Duration.between(lastLeaseRenew, now).compareTo(config.leaseRenewInterval()) >= 0) {
            renewLease(now);
        }
        if (Duration.between(lastNodeCheck, now).compareTo(config.statusUpdatePeriod()) >= 0) {
            syncNodeStatus(now);
        }
        for (Iterator<Tracked> it = pods.values().iterator(); it.hasNext(); ) {
            Tracked t = it.next();
            if (t.deleted) {
                ips.release(t.pod.podIp());
                it.remove();
                continue;
            }
            t.dirty |= t.pod.tick(nowNs, now);
            for (HollowContainer c : t.pod.containers()) {
                for (ProbeTracker probe : c.dueProbes(nowNs)) {
                    probe.dispatched();
                    String podIp = t.pod.podIp();
                    probes.execute(() -> {
                        boolean ok = ProbeRunner.run(probe.spec(), c.spec(), podIp);
                        if (running) {
                            sync.execute(() -> onProbe(t, c, probe, ok));
                        }
                    });
                }
            }
            if (t.dirty) {
                writeStatus(t, now);
            }
        }
    }

    private void onProbe(Tracked t, HollowContainer c, ProbeTracker probe, boolean ok) {
        if (!running || t.deleted || t.pod.stopping()) {
            return;
        }
        if (c.onProbe(probe, ok, nowNs(), now(), t.pod.restartPolicy())) {
            t.dirty = true;
            if (probe.kind() != ProbeTracker.Kind.READINESS && !probe.success()) {
                LOG.info("kubelet {}: container {} of {}/{} failed its {} probe and was killed (restarts {})",
                        config.nodeName(), c.name(), t.namespace, t.name, probe.kind().name().toLowerCase(), c.restartCount());
            }
        }
    }

    private void onPod(Pod pod) {
        if (!running) {
            return;
        }
        String uid = pod.metadata().uid();
        Tracked t = pods.get(uid);
        String phase = pod.statusOrEmpty().phase();
        if (t == null) {
            if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
                return;
            }
            String ip = pod.statusOrEmpty().podIP();
            if (!ips.claim(ip)) {
                ip = ips.allocate();
            }
            if (ip == null) {
                LOG.warn("kubelet {}: no pod IP left for {}/{}", config.nodeName(), pod.namespace(), pod.name());
                return;
            }
            t = new Tracked(new HollowPod(pod, ip, ips.ipv6For(ip), config.internalIp(), config.internalIpV6(), nowNs(), now()),
                    pod.namespace(), pod.name());
            pods.put(uid, t);
        }
        if (pod.metadata().deletionTimestamp() != null && !t.pod.stopping()) {
            t.pod.stop(nowNs(), now());
            finishDeletion(t, pod);
        }
    }

    private void onPodGone(Pod pod) {
        Tracked t = pods.get(pod.metadata().uid());
        if (t != null) {
            t.deleted = true;
        }
    }

    /** Graceful deletion: the containers have stopped; report it and remove the pod for good. */
    private void finishDeletion(Tracked t, Pod pod) {
        try {
            client.updateStatus(ApiResource.PODS, pod.withStatus(t.pod.status(pod.status(), now())));
        } catch (ApiException e) {
            // the final delete below is what matters; a stale status write is harmless
        }
        try {
            client.delete(ApiResource.PODS, t.namespace, t.name,
                    DeleteOptions.preconditionUid(t.pod.uid()).withGracePeriodSeconds(0L));
        } catch (ApiException e) {
            if (!e.isNotFound() && !e.isConflict()) {
                throw e;
            }
        }
        t.deleted = true;
    }

    private void writeStatus(Tracked t, Instant now) {
        if (t.pod.stopping()) {
            return;
        }
        Pod latest = podCache.get(t.namespace, t.name);
        if (latest == null || !t.pod.uid().equals(latest.metadata().uid())) {
            return;
        }
        PodStatus status = t.pod.status(latest.status(), now);
        try {
            client.updateStatus(ApiResource.PODS, latest.withStatus(status));
            statusWrites.incrementAndGet();
            t.dirty = false;
        } catch (ApiException e) {
            if (e.isNotFound()) {
                t.deleted = true;
            } else if (!e.isConflict()) {
                throw e;
            }
            // on a conflict the informer brings the newer pod; the next tick writes again
        }
    }

    private void renewLease(Instant now) {
        try {
            Lease lease = client.getOrNull(ApiResource.LEASES, "kube-node-lease", config.nodeName());
            int duration = (int) config.leaseDuration().toSeconds();
            if (lease == null) {
                ObjectMeta meta = ObjectMeta.of("kube-node-lease", config.nodeName()).withOwnerReferences(List.of(
                        new OwnerReference("v1", "Node", config.nodeName(), nodeUid, null, null, null)));
                client.create(ApiResource.LEASES, Lease.of(meta, LeaseSpec.of(config.nodeName(), duration, now, now, 0)));
            } else {
                LeaseSpec spec = lease.spec() == null ? LeaseSpec.of(config.nodeName(), duration, now, now, 0) : lease.spec();
                client.update(ApiResource.LEASES, lease.withSpec(spec.withHolderIdentity(config.nodeName())
                        .withLeaseDurationSeconds(duration).withRenewTime(clock.instant().truncatedTo(ChronoUnit.MICROS))));
            }
            leaseRenewals.incrementAndGet();
            lastLeaseRenew = now;
        } catch (ApiException e) {
            LOG.warn("kubelet {}: lease renewal failed: {}", config.nodeName(), e.getMessage());
        }
    }

    private void syncNodeStatus(Instant now) {
        lastNodeCheck = now;
        Node node = client.getOrNull(ApiResource.NODES, null, config.nodeName());
        if (node == null) {
            register();
            return;
        }
        NodeStatus desired = NodeObject.status(config, node.status(), now);
        Instant heartbeat = NodeObject.lastHeartbeat(node.status());
        boolean stale = heartbeat == null || Duration.between(heartbeat, now).compareTo(config.statusReportPeriod()) >= 0;
        if (stale || NodeObject.conditionsDiffer(node.status(), desired)) {
            client.updateStatus(ApiResource.NODES, node.withStatus(desired));
        }
    }
}
