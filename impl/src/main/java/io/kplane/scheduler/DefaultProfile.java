package io.kplane.scheduler;

import io.kplane.scheduler.framework.Plugin;
import io.kplane.scheduler.plugins.BalancedAllocation;
import io.kplane.scheduler.plugins.DefaultBinder;
import io.kplane.scheduler.plugins.DefaultPreemption;
import io.kplane.scheduler.plugins.ImageLocality;
import io.kplane.scheduler.plugins.InterPodAffinity;
import io.kplane.scheduler.plugins.NodeAffinity;
import io.kplane.scheduler.plugins.NodeName;
import io.kplane.scheduler.plugins.NodePorts;
import io.kplane.scheduler.plugins.NodeResourcesFit;
import io.kplane.scheduler.plugins.NodeUnschedulable;
import io.kplane.scheduler.plugins.PodTopologySpread;
import io.kplane.scheduler.plugins.SchedulingGates;
import io.kplane.scheduler.plugins.TaintToleration;
import java.util.LinkedHashMap;

/**
 * Upstream's default profile: plugin order and score weights (TaintToleration 3, NodeAffinity 2,
 * PodTopologySpread 2, InterPodAffinity 2, NodeResourcesFit 1, BalancedAllocation 1,
 * ImageLocality 1). Volume plugins are absent (kplane has no volumes yet).
 */
public final class DefaultProfile {

    private DefaultProfile() {}

    public static LinkedHashMap<Plugin, Integer> plugins(Scheduler s, Binder binder) {
        LinkedHashMap<Plugin, Integer> m = new LinkedHashMap<>();
        m.put(new SchedulingGates(), 0);
        m.put(new NodeUnschedulable(), 0);
        m.put(new NodeName(), 0);
        m.put(new TaintToleration(), 3);
        m.put(new NodeAffinity(), 2);
        m.put(new NodePorts(), 0);
        m.put(new NodeResourcesFit(), 1);
        m.put(new PodTopologySpread(s::snapshot), 2);
        m.put(new InterPodAffinity(s::snapshot), 2);
        m.put(new DefaultPreemption(s::framework, s::snapshot, s.queue(), s.actions(), s.random(),
                s.config().fastPaths()), 0);
        m.put(new BalancedAllocation(), 1);
        m.put(new ImageLocality(s::snapshot), 1);
        m.put(new DefaultBinder(binder), 0);
        return m;
    }
}
