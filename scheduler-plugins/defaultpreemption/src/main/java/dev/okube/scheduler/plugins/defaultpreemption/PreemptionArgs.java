package dev.okube.scheduler.plugins.defaultpreemption;

import java.util.Iterator;
import tools.jackson.databind.JsonNode;

/**
 * DefaultPreemptionArgs (kubescheduler.config.k8s.io/v1) after upstream's defaulting and validation: how many
 * candidate nodes the dry run looks for before it stops, as a percentage of the nodes and as an absolute floor.
 *
 * @param minCandidateNodesPercentage 0-100, default 10
 * @param minCandidateNodesAbsolute   at least 0, default 100; not both 0
 */
public record PreemptionArgs(int minCandidateNodesPercentage, int minCandidateNodesAbsolute) {
    public static final PreemptionArgs DEFAULTS = new PreemptionArgs(10, 100);

    public PreemptionArgs {
        if (minCandidateNodesPercentage < 0 || minCandidateNodesPercentage > 100) {
            throw new IllegalArgumentException("minCandidateNodesPercentage: Invalid value: " + minCandidateNodesPercentage
                    + ": not in valid range [0, 100]");
        }
        if (minCandidateNodesAbsolute < 0) {
            throw new IllegalArgumentException("minCandidateNodesAbsolute: Invalid value: " + minCandidateNodesAbsolute
                    + ": not in valid range [0, inf)");
        }
        if (minCandidateNodesPercentage == 0 && minCandidateNodesAbsolute == 0) {
            throw new IllegalArgumentException("minCandidateNodesPercentage: Invalid value: 0: cannot be zero at the same"
                    + " time as minCandidateNodesAbsolute, minCandidateNodesAbsolute: Invalid value: 0: cannot be zero at"
                    + " the same time as minCandidateNodesPercentage");
        }
    }

    /** Parses {@code {"minCandidateNodesPercentage":10,"minCandidateNodesAbsolute":100}}; absent fields take the defaults. */
    public static PreemptionArgs parse(JsonNode args) {
        if (args == null || args.isNull() || args.isMissingNode()) {
            return DEFAULTS;
        }
        if (!args.isObject()) {
            throw new IllegalArgumentException("DefaultPreemptionArgs: args must be an object");
        }
        for (Iterator<String> it = args.propertyNames().iterator(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("minCandidateNodesPercentage") && !f.equals("minCandidateNodesAbsolute")
                    && !f.equals("apiVersion") && !f.equals("kind")) {
                throw new IllegalArgumentException("DefaultPreemptionArgs: unknown field \"" + f + "\"");
            }
        }
        return new PreemptionArgs(integer(args.get("minCandidateNodesPercentage"), "minCandidateNodesPercentage",
                DEFAULTS.minCandidateNodesPercentage), integer(args.get("minCandidateNodesAbsolute"),
                "minCandidateNodesAbsolute", DEFAULTS.minCandidateNodesAbsolute));
    }

    private static int integer(JsonNode node, String path, int absent) {
        if (node == null || node.isNull()) {
            return absent;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new IllegalArgumentException(path + ": must be an integer");
        }
        return node.intValue();
    }

    /** How many candidates the dry run wants among {@code numNodes} potential nodes (upstream's calculateNumCandidates). */
    public int numCandidates(int numNodes) {
        int n = (int) ((long) numNodes * minCandidateNodesPercentage / 100);
        if (n < minCandidateNodesAbsolute) {
            n = minCandidateNodesAbsolute;
        }
        return Math.min(n, numNodes);
    }
}
