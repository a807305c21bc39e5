package dev.okube.admission.resourcequota;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One scope a quota is restricted to: an entry of spec.scopes (operator Exists) or of
 * spec.scopeSelector.matchExpressions.
 *
 * @param scopeName e.g. Terminating, BestEffort, PriorityClass
 * @param operator  In, NotIn, Exists or DoesNotExist
 * @param values    the values of In and NotIn
 */
record ScopeRequirement(String scopeName, String operator, List<String> values) {
    ScopeRequirement {
        values = List.copyOf(values);
    }

    /** Every scope of a quota, as upstream's getScopeSelectorsFromQuota. */
    static List<ScopeRequirement> of(ObjectNode quota) {
        List<ScopeRequirement> result = new ArrayList<>();
        JsonNode spec = quota.path("spec");
        for (JsonNode scope : spec.path("scopes")) {
            result.add(new ScopeRequirement(scope.asString(""), "Exists", List.of()));
        }
        for (JsonNode e : spec.path("scopeSelector").path("matchExpressions")) {
            List<String> values = new ArrayList<>();
            for (JsonNode v : e.path("values")) {
                values.add(v.asString(""));
            }
            result.add(new ScopeRequirement(e.path("scopeName").asString(""), e.path("operator").asString(""), values));
        }
        return result;
    }

    /**
     * Whether a value (or its absence: null) satisfies the requirement read as a label selector over
     * the single label {@code scopeName=value}, as upstream's ScopedResourceSelectorRequirementsAsSelector.
     *
     * @throws IllegalArgumentException for an unknown operator
     */
    boolean matchesValue(String value) {
        return switch (operator) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            default -> throw new IllegalArgumentException("\"" + operator + "\" is not a valid scope selector operator");
        };
    }
}
