package dev.okube.scheduler.plugins.noderesources;

import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.PodInfo;
import dev.okube.api.scheduler.PreScorePlugin;
import dev.okube.api.scheduler.ScorePlugin;
import dev.okube.api.scheduler.Status;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * NodeResourcesBalancedAllocation, as upstream's noderesources.BalancedAllocation: favours nodes whose
 * requested fractions of the resources (cpu and memory by default) would be close to each other with the
 * pod on them. Score = (1 - std) * 100, where std is the standard deviation of the fractions, each capped at 1.
 */
public final class BalancedAllocation implements PreScorePlugin, ScorePlugin {
    public static final String NAME = "NodeResourcesBalancedAllocation";
    static final String PRE_SCORE_STATE_KEY = "PreScore" + NAME;

    private final ResourceAllocation resources;

    /** @param resources the resources, each with weight 1 (upstream accepts no other weight) */
    public BalancedAllocation(List<ResourceSpec> resources) {
        this.resources = new ResourceAllocation(resources, true);
    }

    /** Parses NodeResourcesBalancedAllocationArgs: {@code {"resources":[{"name":"cpu","weight":1},...]}}. */
    public static List<ResourceSpec> parseArgs(JsonNode args) {
        JsonNode a = Args.object(args, "NodeResourcesBalancedAllocationArgs");
        if (a == null) {
            return ResourceSpec.DEFAULTS;
        }
        Args.onlyFields(a, "NodeResourcesBalancedAllocationArgs", Set.of("resources"));
        List<ResourceSpec> resources = Args.resources(a.get("resources"), "resources");
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < resources.size(); i++) {
            ResourceSpec r = resources.get(i);
            if (!seen.add(r.name())) {
                throw new IllegalArgumentException("resources[" + i + "].name: Duplicate value: \"" + r.name() + "\"");
            }
            if (r.weight() != 1) {
                throw new IllegalArgumentException("resources[" + i + "].weight: Invalid value: " + r.weight() + ": must be 1");
            }
        }
        return resources;
    }

    @Override
    public String name() {
        return NAME;
    }

    record PreScoreState(long[] podRequests) implements CycleState.StateData {
        @Override
        public CycleState.StateData copy() {
            return this;
        }
    }

    @Override
    public Status preScore(CycleState state, Pod pod, List<NodeInfo> feasibleNodes) {
        state.write(PRE_SCORE_STATE_KEY, new PreScoreState(resources.podRequests(PodInfo.of(pod))));
        return Status.SUCCESS;
    }

    @Override
    public long score(CycleState state, Pod pod, NodeInfo nodeInfo) {
        PreScoreState s = state.read(PRE_SCORE_STATE_KEY, PreScoreState.class);
        long[] podRequests = s != null ? s.podRequests() : resources.podRequests(PodInfo.of(pod));
        return score(nodeInfo, podRequests);
    }

    long score(NodeInfo node, long[] podRequests) {
        int n = 0;
        double total = 0;
        double first = 0;
        double second = 0;
        for (int i = 0; i < resources.size(); i++) {
            double f = fraction(i, node, podRequests[i]);
            if (f < 0) {
                continue;
            }
            if (n == 0) {
                first = f;
            } else if (n == 1) {
                second = f;
            }
            total += f;
            n++;
        }
        double std = 0;
        if (n == 2) {
            std = Math.abs((first - second) / 2);
        } else if (n > 2) {
            double mean = total / n;
            double sum = 0;
            for (int i = 0; i < resources.size(); i++) {
                double f = fraction(i, node, podRequests[i]);
                if (f >= 0) {
                    sum += (f - mean) * (f - mean);
                }
            }
            std = Math.sqrt(sum / n);
        }
        return (long) ((1 - std) * MAX_NODE_SCORE);
    }

    /** The requested fraction of resource {@code i} capped at 1, or -1 when the resource is not scored. */
    private double fraction(int i, NodeInfo node, long podRequest) {
        long capacity = resources.allocatable(i, node, podRequest);
        if (capacity == 0) {
            return -1;
        }
        double f = (double) resources.requested(i, node, podRequest) / (double) capacity;
        return Math.min(f, 1);
    }
}
