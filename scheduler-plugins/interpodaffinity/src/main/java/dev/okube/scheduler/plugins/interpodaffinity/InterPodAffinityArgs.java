package dev.okube.scheduler.plugins.interpodaffinity;

import tools.jackson.databind.JsonNode;

/**
 * Upstream's kubescheduler.config.k8s.io/v1 InterPodAffinityArgs with its defaults.
 *
 * @param hardPodAffinityWeight              the score weight of existing pods' required affinity terms the pod
 *                                           matches (0-100, default 1)
 * @param ignorePreferredTermsOfExistingPods skip scoring by existing pods' terms when the pod has no preferred terms
 */
record InterPodAffinityArgs(int hardPodAffinityWeight, boolean ignorePreferredTermsOfExistingPods) {
    static final InterPodAffinityArgs DEFAULTS = new InterPodAffinityArgs(1, false);

    static InterPodAffinityArgs parse(JsonNode args) {
        if (args == null || args.isNull() || args.isMissingNode()) {
            return DEFAULTS;
        }
        if (!args.isObject()) {
            throw new IllegalArgumentException("InterPodAffinityArgs must be an object, got " + args);
        }
        int weight = 1;
        JsonNode w = args.path("hardPodAffinityWeight");
        if (!w.isMissingNode() && !w.isNull()) {
            if (!w.isIntegralNumber()) {
                throw new IllegalArgumentException("hardPodAffinityWeight: Invalid value: " + w + ": must be an integer");
            }
            weight = w.asInt();
            if (weight < 0 || weight > 100) {
                throw new IllegalArgumentException("hardPodAffinityWeight: Invalid value: " + weight
                        + ": not in valid range [0-100]");
            }
        }
        boolean ignore = false;
        JsonNode i = args.path("ignorePreferredTermsOfExistingPods");
        if (!i.isMissingNode() && !i.isNull()) {
            if (!i.isBoolean()) {
                throw new IllegalArgumentException("ignorePreferredTermsOfExistingPods: Invalid value: " + i
                        + ": must be a boolean");
            }
            ignore = i.booleanValue();
        }
        return new InterPodAffinityArgs(weight, ignore);
    }
}
