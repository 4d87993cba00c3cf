package io.kplane.controller;

import io.kplane.client.ApiException;
import io.kplane.model.Lease;
import io.kplane.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runtime of the node lifecycle controller: a {@link NodeLifecycle} pass over the caches every
 * monitor period (upstream's --node-monitor-period, 5 s; here 1 s by default) or when an eviction
 * falls due. Each start begins a fresh {@link NodeLifecycle}, so a new leader gives every node a
 * whole grace period from the moment it starts watching, as upstream does.
 */
public final class NodeLifecycleController implements Controller {
    private final SharedInformers informers;
    private final Writer writer;
    private final NodeLifecycle.Config config;
    private final Duration monitorPeriod;
    private final Clock clock;
    private PassLoop loop;

    public NodeLifecycleController(SharedInformers informers, Writer writer, NodeLifecycle.Config config,
                                   Duration monitorPeriod, Clock clock) {
        this.informers = informers;
        this.writer = writer;
        this.config = config;
        this.monitorPeriod = monitorPeriod;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "nodelifecycle";
    }

    @Override
    public synchronized void start() {
        if (loop == null) {
            NodeLifecycle lifecycle = new NodeLifecycle(config);
            loop = new PassLoop("nodelifecycle", monitorPeriod, () -> pass(lifecycle));
            loop.start();
        }
    }

    @Override
    public synchronized void stop() {
        if (loop != null) {
            loop.stop();
            loop = null;
        }
    }

    private Duration pass(NodeLifecycle lifecycle) {
        Map<String, Lease> leases = new HashMap<>();
        for (Lease l : informers.nodeLeases.cache().list()) {
            leases.put(l.name(), l);
        }
        List<Pod> bound = new ArrayList<>();
        for (Pod p : informers.pods.cache().list()) {
            if (p.spec() != null && p.spec().nodeName() != null) {
                bound.add(p);
            }
        }
        Instant now = clock.instant();
        NodeLifecycle.Plan plan = lifecycle.pass(informers.nodes.cache().list(), leases, bound, now);
        for (Action a : plan.actions()) {
            try {
                writer.apply(a);
            } catch (ApiException e) {
                // conflict or gone: the next pass works from the newer cache
            }
        }
        return plan.nextAt() == null ? null : Duration.between(now, plan.nextAt());
    }
}
