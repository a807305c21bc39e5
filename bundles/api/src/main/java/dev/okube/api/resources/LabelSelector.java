package dev.okube.api.resources;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * A metav1.LabelSelector (matchLabels and matchExpressions with In, NotIn, Exists, DoesNotExist),
 * parsed once, as the admission webhooks' and ValidatingAdmissionPolicy's namespaceSelector,
 * objectSelector and paramRef selector use it. A null or empty selector matches everything, as
 * upstream's webhook selectors. Immutable and thread-safe.
 */
public final class LabelSelector {
    private record Requirement(String key, String operator, Set<String> values) {
        /** Whether every requirement holds for {@code labels}. */
    public boolean matches(Map<String, String> labels) {
            return switch (operator) {
                case "In" -> labels.containsKey(key) && values.contains(labels.get(key));
                case "NotIn" -> !labels.containsKey(key) || !values.contains(labels.get(key));
                case "Exists" -> labels.containsKey(key);
                case "DoesNotExist" -> !labels.containsKey(key);
                default -> throw new IllegalStateException(operator);
            };
        }
    }

    /** The selector that matches every label set. */
    public static final LabelSelector EVERYTHING = new LabelSelector(List.of());

    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) {
        this.requirements = requirements;
    }

    /** Parses a selector; throws IllegalArgumentException with upstream-like text when it is invalid. */
    public static LabelSelector parse(JsonNode selector) {
        if (selector == null || selector.isNull() || selector.isMissingNode()) {
            return EVERYTHING;
        }
        List<Requirement> requirements = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : selector.path("matchLabels").properties()) {
            requirements.add(new Requirement(e.getKey(), "In", Set.of(e.getValue().asString(""))));
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            String key = expression.path("key").asString("");
            String operator = expression.path("operator").asString("");
            Set<String> values = new TreeSet<>();
            for (JsonNode v : expression.path("values")) {
                values.add(v.asString(""));
            }
            switch (operator) {
                case "In", "NotIn" -> {
                    if (values.isEmpty()) {
                        throw new IllegalArgumentException("values: Invalid value: []: for 'in', 'notin' operators, "
                                + "values set can't be empty");
                    }
                }
                case "Exists", "DoesNotExist" -> {
                    if (!values.isEmpty()) {
                        throw new IllegalArgumentException("values: Invalid value: " + values
                                + ": values set must be empty for exists and does not exist");
                    }
                }
                default -> throw new IllegalArgumentException("\"" + operator + "\" is not a valid label selector "
                        + "operator");
            }
            requirements.add(new Requirement(key, operator, values));
        }
        return requirements.isEmpty() ? EVERYTHING : new LabelSelector(List.copyOf(requirements));
    }

    /** Whether this selector has no requirements (it then matches everything). */
    public boolean isEmpty() {
        return requirements.isEmpty();
    }

    /** Whether every requirement holds for {@code labels}. */
    public boolean matches(Map<String, String> labels) {
        for (Requirement r : requirements) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /** The metadata.labels of an object (empty for null). */
    public static Map<String, String> labelsOf(JsonNode object) {
        Map<String, String> labels = new TreeMap<>();
        if (object != null) {
            for (Map.Entry<String, JsonNode> e : object.path("metadata").path("labels").properties()) {
                labels.put(e.getKey(), e.getValue().asString(""));
            }
        }
        return labels;
    }
}
