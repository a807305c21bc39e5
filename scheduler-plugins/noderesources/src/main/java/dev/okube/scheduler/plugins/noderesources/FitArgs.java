package dev.okube.scheduler.plugins.noderesources;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * NodeResourcesFitArgs (kubescheduler.config.k8s.io/v1) after upstream's defaulting and validation.
 *
 * @param ignoredResources      extended resources Filter does not check
 * @param ignoredResourceGroups extended resource groups (the part before "/") Filter does not check
 * @param strategy              LeastAllocated, MostAllocated or RequestedToCapacityRatio
 * @param resources             what the strategy scores, with weights
 * @param shape                 RequestedToCapacityRatio's points {utilization, score}; empty for other strategies
 */
public record FitArgs(Set<String> ignoredResources, Set<String> ignoredResourceGroups, String strategy,
                      List<ResourceSpec> resources, List<long[]> shape) {
    public static final String LEAST_ALLOCATED = "LeastAllocated";
    public static final String MOST_ALLOCATED = "MostAllocated";
    public static final String REQUESTED_TO_CAPACITY_RATIO = "RequestedToCapacityRatio";
    private static final Set<String> STRATEGIES = Set.of(LEAST_ALLOCATED, MOST_ALLOCATED, REQUESTED_TO_CAPACITY_RATIO);

    /** Upstream's defaults: LeastAllocated over cpu and memory, weight 1 each. */
    public static final FitArgs DEFAULTS = new FitArgs(Set.of(), Set.of(), LEAST_ALLOCATED, ResourceSpec.DEFAULTS, List.of());

    /** Parses and validates {@code args}; throws {@link IllegalArgumentException} with upstream's field paths. */
    public static FitArgs parse(JsonNode args) {
        JsonNode a = Args.object(args, "NodeResourcesFitArgs");
        if (a == null) {
            return DEFAULTS;
        }
        Args.onlyFields(a, "NodeResourcesFitArgs", Set.of("ignoredResources", "ignoredResourceGroups", "scoringStrategy"));
        List<String> ignored = Args.strings(a.get("ignoredResources"), "ignoredResources");
        for (int i = 0; i < ignored.size(); i++) {
            Args.qualifiedName(ignored.get(i), "ignoredResources[" + i + "]");
        }
        List<String> groups = Args.strings(a.get("ignoredResourceGroups"), "ignoredResourceGroups");
        for (int i = 0; i < groups.size(); i++) {
            if (groups.get(i).contains("/")) {
                throw new IllegalArgumentException("ignoredResourceGroups[" + i + "]: Invalid value: \"" + groups.get(i)
                        + "\": resource group name can't contain '/'");
            }
            Args.qualifiedName(groups.get(i), "ignoredResourceGroups[" + i + "]");
        }
        String strategy = LEAST_ALLOCATED;
        List<ResourceSpec> resources = ResourceSpec.DEFAULTS;
        List<long[]> shape = List.of();
        JsonNode s = a.get("scoringStrategy");
        if (s != null && !s.isNull()) {
            if (!s.isObject()) {
                throw new IllegalArgumentException("scoringStrategy: must be an object");
            }
            Args.onlyFields(s, "scoringStrategy", Set.of("type", "resources", "requestedToCapacityRatio"));
            strategy = Args.string(s.get("type"), "scoringStrategy.type");
            if (strategy == null || !STRATEGIES.contains(strategy)) {
                throw new IllegalArgumentException("scoringStrategy.type: Unsupported value: \"" + (strategy == null ? "" : strategy)
                        + "\": supported values: \"LeastAllocated\", \"MostAllocated\", \"RequestedToCapacityRatio\"");
            }
            resources = Args.resources(s.get("resources"), "scoringStrategy.resources");
            for (int i = 0; i < resources.size(); i++) {
                long w = resources.get(i).weight();
                if (w <= 0 || w > 100) {
                    throw new IllegalArgumentException("scoringStrategy.resources[" + i + "].weight: Invalid value: " + w
                            + ": resource weight of " + resources.get(i).name() + " not in valid range (0, 100]");
                }
            }
            JsonNode r = s.get("requestedToCapacityRatio");
            if (r != null && !r.isNull()) {
                if (!r.isObject()) {
                    throw new IllegalArgumentException("scoringStrategy.requestedToCapacityRatio: must be an object");
                }
                Args.onlyFields(r, "scoringStrategy.requestedToCapacityRatio", Set.of("shape"));
                shape = shape(r.get("shape"));
            } else if (REQUESTED_TO_CAPACITY_RATIO.equals(strategy)) {
                shape = shape(null);
            }
        }
        return new FitArgs(Set.copyOf(ignored), Set.copyOf(groups), strategy, resources,
                REQUESTED_TO_CAPACITY_RATIO.equals(strategy) ? shape : List.of());
    }

    /** Upstream's validateFunctionShape. */
    private static List<long[]> shape(JsonNode node) {
        String path = "scoringStrategy.shape";
        if (node == null || node.isNull() || (node.isArray() && node.isEmpty())) {
            throw new IllegalArgumentException(path + ": Required value: at least one point must be specified");
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(path + ": must be a list");
        }
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode p = node.get(i);
            String pp = path + "[" + i + "]";
            if (!p.isObject()) {
                throw new IllegalArgumentException(pp + ": must be an object");
            }
            Args.onlyFields(p, pp, Set.of("utilization", "score"));
            out.add(new long[] {Args.integer(p.get("utilization"), pp + ".utilization", 0),
                    Args.integer(p.get("score"), pp + ".score", 0)});
        }
        for (int i = 1; i < out.size(); i++) {
            if (out.get(i - 1)[0] >= out.get(i)[0]) {
                throw new IllegalArgumentException(path + "[" + i + "].utilization: Invalid value: " + out.get(i)[0]
                        + ": utilization values must be sorted in increasing order");
            }
        }
        for (int i = 0; i < out.size(); i++) {
            long u = out.get(i)[0];
            long sc = out.get(i)[1];
            if (u < 0 || u > ScoringStrategy.MAX_UTILIZATION) {
                throw new IllegalArgumentException(path + "[" + i + "].utilization: Invalid value: " + u
                        + ": not in valid range [0, 100]");
            }
            if (sc < 0 || sc > ScoringStrategy.MAX_CUSTOM_PRIORITY_SCORE) {
                throw new IllegalArgumentException(path + "[" + i + "].score: Invalid value: " + sc
                        + ": not in valid range [0, 10]");
            }
        }
        return List.copyOf(out);
    }

    ScoringStrategy scoringStrategy() {
        ResourceAllocation r = new ResourceAllocation(resources, false);
        return switch (strategy) {
            case MOST_ALLOCATED -> new ScoringStrategy.MostAllocated(r);
            case REQUESTED_TO_CAPACITY_RATIO -> new ScoringStrategy.RequestedToCapacityRatio(r, shape);
            default -> new ScoringStrategy.LeastAllocated(r);
        };
    }
}
