package io.kplane.controller;

import io.kplane.client.KubeClient;
import io.kplane.election.LeaderCallbacks;
import io.kplane.election.LeaderElection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller-manager: shared informers, the Deployment, ReplicaSet, EndpointSlice, node
 * lifecycle and garbage-collector controllers, and — with leader election — the Lease
 * {@code kube-system/kube-controller-manager} deciding which instance acts. Informers run (and
 * caches stay warm) in every instance; controllers start on {@code startedLeading} and stop on
 * {@code stoppedLeading}, and every write is refused unless the elector believes it leads at that
 * moment ({@link Writer}).
 */
public final class ControllerManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControllerManager.class);

    public static final String LEASE_NAMESPACE = "kube-system";
    public static final String LEASE_NAME = "kube-controller-manager";

    /**
     * @param workers        workers per keyed controller (upstream's --concurrent-*-syncs, 5)
     * @param resync         informer resync period (zero: none)
     * @param nodeLifecycle  grace period and default toleration seconds
     * @param monitorPeriod  node lifecycle pass period
     * @param gcPeriod       garbage collector pass period (it also runs on every watched change)
     * @param election       null: no leader election (always act)
     */
    public record Config(int workers, Duration resync, NodeLifecycle.Config nodeLifecycle, Duration monitorPeriod,
                         Duration gcPeriod, LeaderElection.Config election) {
        public static Config defaults(LeaderElection.Config election) {
            return new Config(5, Duration.ZERO, NodeLifecycle.Config.DEFAULT, Duration.ofSeconds(1), Duration.ofSeconds(5), election);
        }
    }

    private final Config config;
    private final SharedInformers informers;
    private final List<Controller> controllers;
    private final LeaderElection election;
    private final AtomicBoolean acting = new AtomicBoolean();
    private final AtomicLong leadershipStarts = new AtomicLong();
    private final Writer writer;

    public ControllerManager(KubeClient client, Config config) {
        this.config = Objects.requireNonNull(config, "config");
        this.informers = new SharedInformers(client, config.resync());
        LeaderElection e = null;
        if (config.election() != null) {
            e = new LeaderElection(client, config.election(), new LeaderCallbacks() {
                @Override
                public void startedLeading() {
                    startControllers();
                }

                @Override
                public void stoppedLeading() {
                    stopControllers();
                }
            });
        }
        this.election = e;
        LeaderElection gate = e;
        this.writer = new Writer(client, gate == null ? () -> true : gate::isLeader);
        Clock clock = Clock.systemUTC();
        this.controllers = List.of(
                new DeploymentController(informers, writer, config.workers(), clock),
                new ReplicaSetController(informers, writer, config.workers(), clock),
                new EndpointSliceController(informers, writer, config.workers()),
                new DisruptionController(informers, writer, clock),
                new NodeLifecycleController(informers, writer, config.nodeLifecycle(), config.monitorPeriod(), clock),
                new GarbageCollector(informers, writer, config.gcPeriod()));
    }

    public SharedInformers informers() {
        return informers;
    }

    /** True while the controllers run (this instance leads, or runs without election). */
    public boolean acting() {
        return acting.get();
    }

    /** How many times this instance started leading. */
    public long leadershipStarts() {
        return leadershipStarts.get();
    }

    /** API writes made by the controllers. */
    public long writes() {
        return writer.writes();
    }

    public LeaderElection election() {
        return election;
    }

    /** Starts the informers, waits for their first lists, then campaigns (or starts acting without election). */
    public ControllerManager start(Duration syncTimeout) throws InterruptedException {
        informers.start();
        if (!informers.waitForSync(syncTimeout)) {
            LOG.warn("informers not synced after {}; starting anyway", syncTimeout);
        }
        if (election != null) {
            election.start();
        } else {
            startControllers();
        }
        return this;
    }

    private synchronized void startControllers() {
        if (acting.compareAndSet(false, true)) {
            leadershipStarts.incrementAndGet();
            controllers.forEach(Controller::start);
            LOG.info("controllers started: {}", controllers.stream().map(Controller::name).toList());
        }
    }

    private synchronized void stopControllers() {
        if (acting.compareAndSet(true, false)) {
            controllers.forEach(Controller::stop);
            LOG.info("controllers stopped");
        }
    }

    /** Stops, releasing the Lease if held so that a standby takes over at its next retry. */
    @Override
    public void close() {
        if (election != null) {
            election.close();
        }
        stopControllers();
        informers.close();
    }

    /** Stops without releasing the Lease, as a crashed process would (the standby waits out leaseDuration). */
    public void crash() {
        if (election != null) {
            election.abandon();
        }
        stopControllers();
        informers.close();
    }
}
