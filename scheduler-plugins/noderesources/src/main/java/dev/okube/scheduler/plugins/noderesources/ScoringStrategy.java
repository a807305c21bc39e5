package dev.okube.scheduler.plugins.noderesources;

import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.ScorePlugin;
import java.util.List;

/** NodeResourcesFit's scoring strategies, as upstream's least_allocated.go, most_allocated.go and requested_to_capacity_ratio.go. */
abstract class ScoringStrategy {
    /** Upstream's config.MaxCustomPriorityScore: shape scores are 0-10. */
    static final long MAX_CUSTOM_PRIORITY_SCORE = 10;
    static final long MAX_UTILIZATION = 100;

    final ResourceAllocation resources;

    ScoringStrategy(ResourceAllocation resources) {
        this.resources = resources;
    }

    abstract long score(NodeInfo node, long[] podRequests);

    /** Favours nodes with fewer requested resources: (capacity - requested) * 100 / capacity, weighted. */
    static final class LeastAllocated extends ScoringStrategy {
        LeastAllocated(ResourceAllocation resources) {
            super(resources);
        }

        @Override
        long score(NodeInfo node, long[] podRequests) {
            long nodeScore = 0;
            long weightSum = 0;
            for (int i = 0; i < resources.size(); i++) {
                long capacity = resources.allocatable(i, node, podRequests[i]);
                if (capacity == 0) {
                    continue;
                }
                long requested = resources.requested(i, node, podRequests[i]);
                long s = requested > capacity ? 0 : (capacity - requested) * ScorePlugin.MAX_NODE_SCORE / capacity;
                nodeScore += s * resources.weights[i];
                weightSum += resources.weights[i];
            }
            return weightSum == 0 ? 0 : nodeScore / weightSum;
        }
    }

    /** Favours nodes with more requested resources: requested * 100 / capacity (requested capped at capacity), weighted. */
    static final class MostAllocated extends ScoringStrategy {
        MostAllocated(ResourceAllocation resources) {
            super(resources);
        }

        @Override
        long score(NodeInfo node, long[] podRequests) {
            long nodeScore = 0;
            long weightSum = 0;
            for (int i = 0; i < resources.size(); i++) {
                long capacity = resources.allocatable(i, node, podRequests[i]);
                if (capacity == 0) {
                    continue;
                }
                long requested = Math.min(resources.requested(i, node, podRequests[i]), capacity);
                nodeScore += requested * ScorePlugin.MAX_NODE_SCORE / capacity * resources.weights[i];
                weightSum += resources.weights[i];
            }
            return weightSum == 0 ? 0 : nodeScore / weightSum;
        }
    }

    /** A broken linear function of utilization given by shape points, weighted over resources with a positive score. */
    static final class RequestedToCapacityRatio extends ScoringStrategy {
        private final long[] utilization;
        private final long[] scores;

        /** @param shape points (utilization 0-100, score 0-10), utilization strictly increasing */
        RequestedToCapacityRatio(ResourceAllocation resources, List<long[]> shape) {
            super(resources);
            this.utilization = new long[shape.size()];
            this.scores = new long[shape.size()];
            for (int i = 0; i < shape.size(); i++) {
                utilization[i] = shape.get(i)[0];
                scores[i] = shape.get(i)[1] * (ScorePlugin.MAX_NODE_SCORE / MAX_CUSTOM_PRIORITY_SCORE);
            }
        }

        /** Upstream's helper.BuildBrokenLinearFunction. */
        long brokenLinear(long p) {
            for (int i = 0; i < utilization.length; i++) {
                if (p <= utilization[i]) {
                    if (i == 0) {
                        return scores[0];
                    }
                    return scores[i - 1] + (scores[i] - scores[i - 1]) * (p - utilization[i - 1])
                            / (utilization[i] - utilization[i - 1]);
                }
            }
            return scores[scores.length - 1];
        }

        @Override
        long score(NodeInfo node, long[] podRequests) {
            long nodeScore = 0;
            long weightSum = 0;
            for (int i = 0; i < resources.size(); i++) {
                long capacity = resources.allocatable(i, node, podRequests[i]);
                if (capacity == 0) {
                    continue;
                }
                long requested = resources.requested(i, node, podRequests[i]);
                long s = requested > capacity ? brokenLinear(MAX_UTILIZATION)
                        : brokenLinear(requested * MAX_UTILIZATION / capacity);
                if (s > 0) {
                    nodeScore += s * resources.weights[i];
                    weightSum += resources.weights[i];
                }
            }
            return weightSum == 0 ? 0 : Math.round((double) nodeScore / weightSum);
        }
    }
}
