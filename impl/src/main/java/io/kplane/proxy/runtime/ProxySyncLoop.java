package io.kplane.proxy.runtime;

import io.kplane.time.NanoClock;
import io.kplane.proxy.EndpointSliceSpec;
import io.kplane.proxy.KubeObjectTranslation;
import io.kplane.proxy.NamespacedName;
import io.kplane.proxy.ProxyConfig;
import io.kplane.proxy.RulesApplier;
import io.kplane.proxy.ServiceTracker;
import io.kplane.proxy.iptables.IptablesRenderer;
import io.kplane.proxy.iptables.IptablesRuleset;
import io.kplane.proxy.nftables.NftablesRenderer;
import io.kplane.proxy.nftables.NftablesRuleset;
import java.util.Set;

import io.kplane.model.EndpointSlice;
import io.kplane.model.Service;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;

/**
 * The proxy's sync loop: Service and EndpointSlice events come in from any thread (the informers
 * plug in here), the loop thread folds them into the tracker, and syncs as the
 * {@link SyncScheduler} allows: partial when only some Services changed, full on demand,
 * periodically and after a failure. Metrics carry kube-proxy's names.
 *
 * <p>Single writer: {@link #doWork(long)} is the duty cycle (Agrona style: never blocks, returns
 * the work done) and owns the tracker, renderer and scheduler; other threads only enqueue.
 */
public final class ProxySyncLoop {
    /** The rule backends the loop can drive. */
    public enum Backend { IPTABLES, NFTABLES }

    private sealed interface Event permits ServiceUpsert, ServiceDelete, SliceUpsert, SliceDelete {
    }

    private record ServiceUpsert(Service s) implements Event {
    }

    private record ServiceDelete(Service s) implements Event {
    }

    private record SliceUpsert(EndpointSlice s, long receivedWallNanos) implements Event {
    }

    private record SliceDelete(EndpointSlice s) implements Event {
    }

    private final Queue<Event> events = new ConcurrentLinkedQueue<>();
    private final ServiceTracker tracker;
    private final Backend backend;
    private final IptablesRenderer iptables;
    private final NftablesRenderer nftables;
    private final RulesApplier applier;
    private final SyncScheduler scheduler;
    private final LongSupplier wallClockNanos;
    private final NanoClock stopwatch;
    private final ProxyMetrics metrics = new ProxyMetrics();
    private long syncs;
    private String lastError;

    public ProxySyncLoop(ProxyConfig config, Backend backend, RulesApplier applier, SyncScheduler scheduler,
                         LongSupplier wallClockNanos) {
        this(config, backend, applier, scheduler, wallClockNanos, NanoClock.system());
    }

    /**
     * As above, timing each sync (render and apply, for {@code sync_proxy_rules_duration_seconds}) on
     * {@code stopwatch}, the same injected clock type as every runtime shell's.
     */
    public ProxySyncLoop(ProxyConfig config, Backend backend, RulesApplier applier, SyncScheduler scheduler,
                         LongSupplier wallClockNanos, NanoClock stopwatch) {
        this.stopwatch = stopwatch;
        this.tracker = new ServiceTracker(config.nodeName(), config.family());
        this.backend = backend;
        this.iptables = backend == Backend.IPTABLES ? new IptablesRenderer(config) : null;
        this.nftables = backend == Backend.NFTABLES ? new NftablesRenderer(config) : null;
        this.applier = applier;
        this.scheduler = scheduler;
        this.wallClockNanos = wallClockNanos;
    }

    // ---- event intake (any thread)

    public void onServiceUpsert(Service s) {
        events.add(new ServiceUpsert(s));
    }

    public void onServiceDelete(Service s) {
        events.add(new ServiceDelete(s));
    }

    public void onEndpointSliceUpsert(EndpointSlice s) {
        events.add(new SliceUpsert(s, wallClockNanos.getAsLong()));
    }

    public void onEndpointSliceDelete(EndpointSlice s) {
        events.add(new SliceDelete(s));
    }

    // ---- loop thread

    /** One duty cycle at monotonic time {@code now}: drain events, sync if due. Returns the work done. */
    public int doWork(long now) {
        int work = 0;
        Event e;
        while ((e = events.poll()) != null) {
            work++;
            if (fold(e)) {
                scheduler.requestSync();
                metrics.lastQueuedTimestampSeconds = wallClockNanos.getAsLong() / 1e9;
            }
        }
        if (scheduler.shouldSync(now)) {
            sync(now);
            work++;
        }
        return work;
    }

    private boolean fold(Event e) {
        try {
            if (e instanceof ServiceUpsert u) {
                metrics.serviceChanges++;
                return tracker.upsertService(KubeObjectTranslation.key(u.s().metadata()), KubeObjectTranslation.servicePorts(u.s(), tracker.family()));
            } else if (e instanceof ServiceDelete d) {
                metrics.serviceChanges++;
                return tracker.deleteService(KubeObjectTranslation.key(d.s().metadata()));
            } else if (e instanceof SliceUpsert u) {
                metrics.endpointChanges++;
                EndpointSliceSpec spec = KubeObjectTranslation.endpointSlice(u.s());
                if (spec == null) {
                    return false;
                }
                long trigger = KubeObjectTranslation.triggerTimeNanos(u.s());
                return tracker.upsertEndpointSlice(spec, trigger >= 0 ? trigger : u.receivedWallNanos());
            } else {
                SliceDelete d = (SliceDelete) e;
                metrics.endpointChanges++;
                NamespacedName key = KubeObjectTranslation.key(d.s().metadata());
                return tracker.deleteEndpointSlice(key.namespace(), key.name());
            }
        } catch (IllegalArgumentException bad) {
            // A malformed object is reported and skipped; the loop and all other rules stay up.
            lastError = bad.getMessage();
            return false;
        }
    }

    private void sync(long now) {
        boolean full = scheduler.fullSyncDue(now);
        long t0 = stopwatch.nanoTime();
        ServiceTracker.Changes changes = tracker.applyPending();
        String text;
        long filterRules = 0;
        long natLast = 0;
        long natTotal = 0;
        int noLocalInternal = 0;
        int noLocalExternal = 0;
        if (full || (iptables != null ? iptables.needsFullSync() : nftables.needsFullSync())) {
            adoptExistingChains();
        }
        if (backend == Backend.IPTABLES) {
            IptablesRuleset rs = iptables.render(tracker, changes.services(), full);
            full = rs.full();
            text = rs.text();
            filterRules = rs.filterRules();
            natLast = rs.natRules();
            natTotal = rs.natRulesTotal();
            noLocalInternal = iptables.noLocalEndpointsInternal();
            noLocalExternal = iptables.noLocalEndpointsExternal();
        } else {
            NftablesRuleset rs = nftables.render(tracker, changes.services(), full);
            full = rs.full();
            text = rs.text();
        }
        boolean ok;
        try {
            applier.apply(text, full);
            ok = true;
            lastError = null;
        } catch (Exception ex) {
            ok = false;
            lastError = ex.getMessage();
            metrics.restoreFailures++;
            if (!full) {
                metrics.partialRestoreFailures++;
            }
            if (iptables != null) {
                iptables.requestFullSync();
            } else {
                nftables.requestFullSync();
            }
        }
        double seconds = (stopwatch.nanoTime() - t0) / 1e9;
        metrics.syncProxyRules.observe(seconds);
        (full ? metrics.syncFullProxyRules : metrics.syncPartialProxyRules).observe(seconds);
        scheduler.synced(now, full, ok);
        syncs++;
        if (ok) {
            metrics.iptablesLastFilter = filterRules;
            metrics.iptablesTotalFilter = filterRules;
            metrics.iptablesLastNat = natLast;
            metrics.iptablesTotalNat = natTotal;
            metrics.noLocalEndpointsInternal = noLocalInternal;
            metrics.noLocalEndpointsExternal = noLocalExternal;
            long wall = wallClockNanos.getAsLong();
            metrics.lastTimestampSeconds = wall / 1e9;
            for (List<Long> times : changes.triggerTimes().values()) {
                for (long t : times) {
                    metrics.networkProgramming.observe(Math.max(0, wall - t) / 1e9);
                }
            }
        }
    }

    public ProxyMetrics metrics() {
        return metrics;
    }

    /** Syncs run so far. */
    public long syncs() {
        return syncs;
    }

    /** Before a full sync: chains in the kernel (an earlier process's too) become the renderer's to clean up. */
    private void adoptExistingChains() {
        try {
            Set<String> existing = applier.existingChains();
            if (iptables != null) {
                iptables.adoptExistingChains(existing);
            } else {
                nftables.adoptExistingChains(existing);
            }
        } catch (Exception ex) {
            // As upstream: stale chains are not deleted this time, the sync itself goes ahead.
            lastError = "listing existing chains: " + ex.getMessage();
        }
    }

    /** The last problem (a rejected object or a failed apply), or null. */
    public String lastError() {
        return lastError;
    }

    /** The tracker (for inspection from the loop thread or after it stopped). */
    public ServiceTracker tracker() {
        return tracker;
    }

    /** Runs the duty cycle on a daemon thread until interrupted, idling briefly when there is nothing to do. */
    public Thread start(String name) {
        return start(name, NanoClock.system());
    }

    /** As above, reading the time it passes to {@link #doWork} from {@code clock}. */
    public Thread start(String name, NanoClock clock) {
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                if (doWork(clock.nanoTime()) == 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
