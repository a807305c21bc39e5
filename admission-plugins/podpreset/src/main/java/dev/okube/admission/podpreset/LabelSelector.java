package dev.okube.admission.podpreset;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** A metav1.LabelSelector (matchLabels and matchExpressions) applied to an object's labels. */
final class LabelSelector {
    private LabelSelector() {
    }

    /**
     * Whether the labels satisfy the selector; an empty selector matches everything.
     *
     * @throws IllegalArgumentException when the selector is malformed (an unknown operator, In without values)
     */
    static boolean matches(JsonNode selector, JsonNode labels) {
        if (selector == null || selector.isNull() || selector.isMissingNode()) {
            return true;
        }
        for (Map.Entry<String, JsonNode> e : selector.path("matchLabels").properties()) {
            JsonNode value = labels.get(e.getKey());
            if (value == null || !value.asString("").equals(e.getValue().asString(""))) {
                return false;
            }
        }
        for (JsonNode requirement : selector.path("matchExpressions")) {
            String key = requirement.path("key").asString("");
            String operator = requirement.path("operator").asString("");
            List<String> values = new ArrayList<>();
            for (JsonNode v : requirement.path("values")) {
                values.add(v.asString(""));
            }
            JsonNode label = labels.get(key);
            String value = label == null || label.isNull() ? null : label.asString("");
            boolean ok = switch (operator) {
                case "In" -> {
                    requireValues(operator, values);
                    yield value != null && values.contains(value);
                }
                case "NotIn" -> {
                    requireValues(operator, values);
                    yield value == null || !values.contains(value);
                }
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new IllegalArgumentException("\"" + operator + "\" is not a valid label selector operator");
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static void requireValues(String operator, List<String> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("for '" + operator + "' operator, values set can't be empty");
        }
    }
}
