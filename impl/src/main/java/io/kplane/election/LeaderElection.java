package io.kplane.election;

import io.kplane.client.ApiException;
import io.kplane.client.ApiResource;
import io.kplane.client.KubeClient;
import io.kplane.election.LeaseElector.LeadershipChange;
import io.kplane.model.Lease;
import io.kplane.model.ObjectMeta;
import io.kplane.time.NanoClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime of Lease leader election: one thread that drives a pure {@link LeaseElector} against
 * a {@code coordination.k8s.io/v1} Lease through the API server, as client-go's
 * {@code LeaderElector.Run} does.
 *
 * <ul>
 *   <li>GET the Lease every retryPeriod; create it if missing; take it over by an update
 *       conditioned on the resourceVersion read (a 409 means someone else won) once it has not
 *       changed for leaseDuration by this process's own clock;</li>
 *   <li>as leader, renew the same way every retryPeriod; if no renewal succeeds within
 *       renewDeadline, stop leading ({@link LeaderCallbacks#stoppedLeading()}); every request
 *       times out after max(retryPeriod, renewDeadline / 2), so the callback comes at most that
 *       late while a request hangs — {@link #isLeader()} itself is never late;</li>
 *   <li>{@link #isLeader()} is exact at the moment it is called: leader-only code checks it
 *       before each write, so a leader that lost its Lease stops acting within renewDeadline +
 *       retryPeriod of its last renewal, before any other candidate may take over (leaseDuration
 *       after it last saw the record change), as long as the clocks' rates agree well enough (see
 *       the package documentation on clock drift);</li>
 *   <li>{@link #close()} releases the Lease (holder cleared) if it is held, so that a standby
 *       takes over at its next retry; {@link #abandon()} stops without releasing, as a crash
 *       would.</li>
 * </ul>
 */
public final class LeaderElection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

    /**
     * Where the Lease lives, who this candidate is, and the timing (client-go defaults:
     * {@link #defaults}).
     */
    public record Config(String namespace, String name, String identity, Duration leaseDuration,
                         Duration renewDeadline, Duration retryPeriod) {
        public Config {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
            if (identity == null || identity.isEmpty()) {
                throw new IllegalArgumentException("identity must not be empty");
            }
            timing(leaseDuration, renewDeadline, retryPeriod);   // validates
        }

        /** leaseDuration 15 s, renewDeadline 10 s, retryPeriod 2 s. */
        public static Config defaults(String namespace, String name, String identity) {
            return new Config(namespace, name, identity, Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
        }

        public ElectionTiming timing() {
            return timing(leaseDuration, renewDeadline, retryPeriod);
        }

        private static ElectionTiming timing(Duration lease, Duration renew, Duration retry) {
            return new ElectionTiming(lease.toNanos(), renew.toNanos(), retry.toNanos());
        }
    }

    private final KubeClient client;
    private final Config config;
    private final LeaderCallbacks callbacks;
    private final NanoClock clock;
    private final LeaseElector elector;
    private final LeaseCodec codec;
    private final Thread thread;
    private volatile boolean running;
    private boolean leadingReported;   // loop thread only
    private Lease lastRead;            // loop thread only
    private volatile String observedHolder = "";

    public LeaderElection(KubeClient client, Config config, LeaderCallbacks callbacks) {
        this(client, config, callbacks, NanoClock.system());
    }

    /** As above, with the clock that times the Lease's deadlines (tests pass one they move). */
    public LeaderElection(KubeClient client, Config config, LeaderCallbacks callbacks, NanoClock clock) {
        this.config = Objects.requireNonNull(config, "config");
        // Each request may take up to half the renew deadline (at least retryPeriod): long enough for a
        // loaded machine, short enough that a hung request cannot hide a passed deadline for long.
        // isLeader() is exact regardless; only the stoppedLeading callback can come that much late.
        Duration timeout = config.renewDeadline().dividedBy(2);
        this.client = client.with(timeout.compareTo(config.retryPeriod()) > 0 ? timeout : config.retryPeriod(),
                "kplane-leader-election/" + config.identity());
        this.callbacks = Objects.requireNonNull(callbacks, "callbacks");
        this.clock = Objects.requireNonNull(clock, "clock");
        long now = clock.nanoTime();
        this.elector = new LeaseElector(config.identity(), config.timing(), now);
        this.codec = new LeaseCodec(now, Instant.now());
        this.thread = new Thread(this::run, "leader-election-" + config.name());
        this.thread.setDaemon(true);
    }

    public Config config() {
        return config;
    }

    public LeaderElection start() {
        running = true;
        thread.start();
        return this;
    }

    /** Whether this candidate believes, right now, that it leads (its renew deadline has not passed). */
    public boolean isLeader() {
        synchronized (elector) {
            return elector.isLeader(clock.nanoTime());
        }
    }

    /** The holder named in the Lease as last read or written ("" for none). */
    public String observedHolder() {
        return observedHolder;
    }

    private void run() {
        try {
            while (running) {
                step();
                long wait;
                synchronized (elector) {
                    wait = elector.nextTryAt() - clock.nanoTime();
                }
                // Wake at least every 100 ms to notice a passed renew deadline promptly.
                long ms = Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(wait), 100));
                Thread.sleep(ms);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            report(LeadershipChange.STOPPED_LEADING);
        }
    }

    /** One pass: notice a passed deadline; if due, read the Lease and write it if the elector asks. */
    private void step() {
        LeadershipChange change;
        boolean due;
        synchronized (elector) {
            long now = clock.nanoTime();
            change = elector.tick(now);
            due = elector.readDue(now);
        }
        report(change);
        if (!due || !running) {
            return;
        }
        Lease lease;
        try {
            lease = client.getOrNull(ApiResource.LEASES, config.namespace(), config.name());
        } catch (RuntimeException e) {
            LOG.debug("{}: reading lease {}/{}: {}", config.identity(), config.namespace(), config.name(), e.toString());
            synchronized (elector) {
                change = elector.onReadFailed(clock.nanoTime());
            }
            report(change);
            return;
        }
        lastRead = lease;
        if (lease != null && lease.spec() != null && lease.spec().holderIdentity() != null) {
            observedHolder = lease.spec().holderIdentity();
        }
        LeaseWrite write;
        synchronized (elector) {
            write = elector.onRead(lease == null ? null : observed(lease), clock.nanoTime());
        }
        if (write == null) {
            return;
        }
        Lease stored = null;
        try {
            if (write.isCreate()) {
                Lease fresh = Lease.of(ObjectMeta.of(config.namespace(), config.name()), codec.spec(write.record(), null));
                stored = client.create(ApiResource.LEASES, fresh);
            } else {
                Lease next = lease.withMetadata(lease.metadata().withResourceVersion(write.expectedResourceVersion()))
                        .withSpec(codec.spec(write.record(), lease.spec()));
                stored = client.update(ApiResource.LEASES, next);
            }
        } catch (ApiException e) {
            if (!e.isConflict() && !e.isAlreadyExists()) {
                LOG.debug("{}: writing lease: {}", config.identity(), e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.debug("{}: writing lease: {}", config.identity(), e.toString());
        }
        synchronized (elector) {
            change = elector.onWriteResult(stored == null ? null : observed(stored), clock.nanoTime());
        }
        if (stored != null) {
            lastRead = stored;
            observedHolder = config.identity();
        }
        report(change);
    }

    private ObservedLease observed(Lease lease) {
        return new ObservedLease(codec.record(lease, config.timing().leaseDuration()), lease.metadata().resourceVersion());
    }

    private void report(LeadershipChange change) {
        if (change == LeadershipChange.STARTED_LEADING && !leadingReported) {
            leadingReported = true;
            LOG.info("{}: started leading (lease {}/{})", config.identity(), config.namespace(), config.name());
            callbacks.startedLeading();
        } else if (change == LeadershipChange.STOPPED_LEADING && leadingReported) {
            leadingReported = false;
            LOG.info("{}: stopped leading (lease {}/{})", config.identity(), config.namespace(), config.name());
            callbacks.stoppedLeading();
        }
    }

    /** Stops campaigning without touching the Lease, as if the process had died. */
    public void abandon() {
        stopThread();
    }

    /** Stops campaigning; if this candidate holds the Lease, releases it (holder cleared) so a standby takes over at once. */
    @Override
    public void close() {
        boolean wasLeader = isLeader();
        stopThread();
        Lease last = lastRead;
        if (wasLeader && last != null && config.identity().equals(last.spec() == null ? null : last.spec().holderIdentity())) {
            // Not bounded by retryPeriod like the campaign's requests: nothing races this one — except a
            // renewal of our own whose answer the stopped loop never recorded; then the version read
            // last is stale (409) and the release is retried on the Lease as it is now.
            KubeClient releaser = client.with(config.renewDeadline(), "kplane-leader-election/" + config.identity());
            for (int attempt = 0; attempt < 3 && last != null; attempt++) {
                try {
                    Lease released = last.withSpec(last.spec().withHolderIdentity("").withLeaseDurationSeconds(1)
                            .withRenewTime(Instant.now()));
                    releaser.update(ApiResource.LEASES, released);
                    return;
                } catch (ApiException e) {
                    if (!e.isConflict()) {
                        LOG.info("{}: could not release lease: {}", config.identity(), e.toString());
                        return;
                    }
                    Lease now = releaser.getOrNull(ApiResource.LEASES, config.namespace(), config.name());
                    last = now != null && now.spec() != null && config.identity().equals(now.spec().holderIdentity()) ? now : null;
                } catch (RuntimeException e) {
                    LOG.info("{}: could not release lease: {}", config.identity(), e.toString());
                    return;
                }
            }
        }
    }

    private void stopThread() {
        running = false;
        thread.interrupt();
        try {
            thread.join(config.retryPeriod().toMillis() * 2 + 1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
