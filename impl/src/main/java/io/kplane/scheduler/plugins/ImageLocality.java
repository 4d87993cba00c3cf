package io.kplane.scheduler.plugins;

import io.kplane.scheduler.NodeInfo;
import io.kplane.scheduler.PodInfo;
import io.kplane.scheduler.Snapshot;
import io.kplane.scheduler.framework.CycleState;
import io.kplane.scheduler.framework.Framework;
import io.kplane.scheduler.framework.Plugin;
import io.kplane.scheduler.framework.Status;
import java.util.List;
import java.util.function.Supplier;

/**
 * Prefers nodes that already have the pod's images: Σ size × (nodes with the image / all nodes),
 * clamped to [23 MiB, 1000 MiB × containers] and scaled to 0..100.
 */
public final class ImageLocality implements Plugin.PreScore, Plugin.Score {
    public static final String NAME = "ImageLocality";
    static final long MB = 1024L * 1024;
    static final long MIN_THRESHOLD = 23 * MB;
    static final long MAX_CONTAINER_THRESHOLD = 1000 * MB;

    private final Supplier<Snapshot> snapshot;

    public ImageLocality(Supplier<Snapshot> snapshot) {
        this.snapshot = snapshot;
    }

    @Override
    public String name() { return NAME; }

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasible) {
        return pod.images().isEmpty() ? Status.SKIP : Status.SUCCESS;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        Snapshot snap = snapshot.get();
        int total = snap.size();
        long sum = 0;
        for (String image : pod.images()) {
            Long size = node.node().images().get(image);
            if (size != null && total > 0) {
                double spread = (double) snap.imageNodeCount(image) / total;
                sum += (long) (size * spread);
            }
        }
        return priority(sum, pod.images().size());
    }

    static long priority(long sum, int containers) {
        long max = MAX_CONTAINER_THRESHOLD * containers;
        if (sum < MIN_THRESHOLD) {
            sum = MIN_THRESHOLD;
        } else if (sum > max) {
            sum = max;
        }
        return Framework.MAX_NODE_SCORE * (sum - MIN_THRESHOLD) / (max - MIN_THRESHOLD);
    }
}
