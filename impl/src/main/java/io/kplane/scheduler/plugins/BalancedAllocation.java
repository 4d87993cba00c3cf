package io.kplane.scheduler.plugins;

import io.kplane.scheduler.NodeInfo;
import io.kplane.scheduler.PodInfo;
import io.kplane.scheduler.framework.CycleState;
import io.kplane.scheduler.framework.Framework;
import io.kplane.scheduler.framework.Plugin;
import io.kplane.scheduler.framework.Status;
import java.util.List;

/**
 * NodeResourcesBalancedAllocation: {@code (1 − std)·100} over the requested fractions of the
 * resources (actual requests, not the non-zero defaults), fractions capped at 1. Skipped for
 * BestEffort pods.
 */
public final class BalancedAllocation implements Plugin.PreScore, Plugin.Score {
    public static final String NAME = "NodeResourcesBalancedAllocation";

    private final ResourceWeight.Resolved[] resources;
    private final double[] fractions;

    public BalancedAllocation() {
        this(ResourceWeight.DEFAULT);
    }

    public BalancedAllocation(List<ResourceWeight> resources) {
        this.resources = resources.stream().map(ResourceWeight::resolve).toArray(ResourceWeight.Resolved[]::new);
        this.fractions = new double[resources.size()];
    }

    @Override
    public String name() { return NAME; }

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasible) {
        return pod.bestEffort() ? Status.SKIP : Status.SUCCESS;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        int k = 0;
        double total = 0;
        for (ResourceWeight.Resolved r : resources) {
            if (r.isScalar() && r.podRequest(pod) == 0) {
                continue;
            }
            long cap = r.allocatable(node);
            if (cap == 0) {
                continue;
            }
            double f = (double) r.requested(node, pod, false) / (double) cap;
            if (f > 1) {
                f = 1;
            }
            total += f;
            fractions[k++] = f;
        }
        double std = 0;
        if (k == 2) {
            std = Math.abs((fractions[0] - fractions[1]) / 2);
        } else if (k > 2) {
            double mean = total / k;
            double sum = 0;
            for (int i = 0; i < k; i++) {
                sum += (fractions[i] - mean) * (fractions[i] - mean);
            }
            std = Math.sqrt(sum / k);
        }
        return (long) ((1 - std) * Framework.MAX_NODE_SCORE);
    }
}
