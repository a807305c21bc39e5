package dev.okube.auth.rbac;

import java.util.List;
import tools.jackson.databind.JsonNode;

/** A metav1.LabelSelector (matchLabels and matchExpressions), as upstream's LabelSelectorAsSelector. */
final class LabelSelector {
    private LabelSelector() {
    }

    /** Whether the labels match; an empty selector matches everything, a missing one nothing. */
    static boolean matches(JsonNode selector, JsonNode labels) {
        if (selector == null || selector.isMissingNode() || selector.isNull()) {
            return false;
        }
        for (var entry : selector.path("matchLabels").properties()) {
            JsonNode value = labels.get(entry.getKey());
            if (value == null || !value.asString("").equals(entry.getValue().asString(""))) {
                return false;
            }
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            String key = expression.path("key").asString("");
            List<String> values = PolicyRule.strings(expression.path("values"));
            JsonNode value = labels.get(key);
            String operator = expression.path("operator").asString("");
            boolean ok;
            switch (operator) {
                case "In":
                    ok = value != null && values.contains(value.asString(""));
                    break;
                case "NotIn":
                    ok = value == null || !values.contains(value.asString(""));
                    break;
                case "Exists":
                    ok = value != null;
                    break;
                case "DoesNotExist":
                    ok = value == null;
                    break;
                default:
                    throw new IllegalArgumentException("\"" + operator + "\" is not a valid label selector operator");
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
