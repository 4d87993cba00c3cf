package io.kplane.scheduler.plugins;

import io.kplane.scheduler.framework.Framework;
import java.util.List;

/**
 * NodeResourcesFit scoring strategies (upstream {@code ScoringStrategyType}). A strategy maps
 * (requested, allocatable) of each resource to a score and combines them by weight.
 */
public sealed interface ScoringStrategy {

    /** Score of one node from parallel arrays of requested amounts, allocatable amounts and weights. */
    long score(long[] requested, long[] allocatable, long[] weights, int n);

    /** {@code (cap − req)·100/cap}, integer arithmetic; 0 when over capacity. Weighted mean, truncated. */
    record LeastAllocated() implements ScoringStrategy {
        @Override
        public long score(long[] requested, long[] allocatable, long[] weights, int n) {
            long nodeScore = 0;
            long weightSum = 0;
            for (int i = 0; i < n; i++) {
                long cap = allocatable[i];
                if (cap == 0) {
                    continue;
                }
                long req = requested[i];
                long s = req > cap ? 0 : (cap - req) * Framework.MAX_NODE_SCORE / cap;
                nodeScore += s * weights[i];
                weightSum += weights[i];
            }
            return weightSum == 0 ? 0 : nodeScore / weightSum;
        }
    }

    /** {@code req·100/cap} with requests clamped to capacity. Weighted mean, truncated. */
    record MostAllocated() implements ScoringStrategy {
        @Override
        public long score(long[] requested, long[] allocatable, long[] weights, int n) {
            long nodeScore = 0;
            long weightSum = 0;
            for (int i = 0; i < n; i++) {
                long cap = allocatable[i];
                if (cap == 0) {
                    continue;
                }
                long req = Math.min(requested[i], cap);
                nodeScore += req * Framework.MAX_NODE_SCORE / cap * weights[i];
                weightSum += weights[i];
            }
            return weightSum == 0 ? 0 : nodeScore / weightSum;
        }
    }

    /**
     * A piecewise-linear function of utilization (0..100 %) given by shape points with scores
     * 0..10, scaled ×10. Resources scoring 0 don't count toward the weight sum; rounded mean.
     */
    record RequestedToCapacityRatio(List<Point> shape) implements ScoringStrategy {

        /** A shape point: utilization percent and score 0..10. */
        public record Point(long utilization, long score) {}

        public RequestedToCapacityRatio {
            shape = List.copyOf(shape);
            if (shape.isEmpty()) {
                throw new IllegalArgumentException("shape must have at least one point");
            }
            for (int i = 1; i < shape.size(); i++) {
                if (shape.get(i).utilization() <= shape.get(i - 1).utilization()) {
                    throw new IllegalArgumentException("shape utilization must be strictly increasing");
                }
            }
        }

        /** The broken-linear function on utilization {@code p} (percent), already scaled to 0..100. */
        long raw(long p) {
            for (int i = 0; i < shape.size(); i++) {
                Point pt = shape.get(i);
                if (p <= pt.utilization()) {
                    if (i == 0) {
                        return pt.score() * 10;
                    }
                    Point prev = shape.get(i - 1);
                    long s0 = prev.score() * 10;
                    long s1 = pt.score() * 10;
                    return s0 + (s1 - s0) * (p - prev.utilization()) / (pt.utilization() - prev.utilization());
                }
            }
            return shape.get(shape.size() - 1).score() * 10;
        }

        @Override
        public long score(long[] requested, long[] allocatable, long[] weights, int n) {
            long nodeScore = 0;
            long weightSum = 0;
            for (int i = 0; i < n; i++) {
                long cap = allocatable[i];
                if (cap == 0) {
                    continue;
                }
                long req = requested[i];
                long s = req > cap ? raw(100) : raw(req * 100 / cap);
                if (s > 0) {
                    nodeScore += s * weights[i];
                    weightSum += weights[i];
                }
            }
            return weightSum == 0 ? 0 : Math.round((double) nodeScore / weightSum);
        }
    }
}
