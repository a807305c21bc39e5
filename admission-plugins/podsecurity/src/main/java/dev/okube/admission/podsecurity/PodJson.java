package dev.okube.admission.podsecurity;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Reading a pod spec as JSON the way Go reads the typed struct: an absent or null field is the
 * zero value (nil pointer, false, "", 0), and only a JSON true is true.
 */
final class PodJson {
    private PodJson() {
    }

    /** Init containers, then containers, then ephemeral containers: upstream's visiting order. */
    static List<JsonNode> containers(JsonNode spec) {
        List<JsonNode> all = new ArrayList<>();
        for (String field : new String[] {"initContainers", "containers", "ephemeralContainers"}) {
            for (JsonNode c : array(spec.path(field))) {
                all.add(c);
            }
        }
        return all;
    }

    /** The elements of an array; nothing for anything else. */
    static Iterable<JsonNode> array(JsonNode node) {
        return node.isArray() ? node : List.of();
    }

    /** A field set to a non-null value (Go: a non-nil pointer). */
    static boolean present(JsonNode node) {
        return !node.isMissingNode() && !node.isNull();
    }

    static boolean isTrue(JsonNode node) {
        return node.isBoolean() && node.booleanValue();
    }

    static boolean isFalse(JsonNode node) {
        return node.isBoolean() && !node.booleanValue();
    }

    /** A string field; "" when absent, null or not a string. */
    static String str(JsonNode node) {
        return node.isString() ? node.stringValue() : "";
    }

    static String name(JsonNode container) {
        return str(container.path("name"));
    }

    /** Whether the pod runs in a user namespace of its own (spec.hostUsers: false). */
    static boolean userNamespace(JsonNode spec) {
        return isFalse(spec.path("hostUsers"));
    }

    /** Whether spec.os.name is "windows". */
    static boolean windows(JsonNode spec) {
        return "windows".equals(str(spec.path("os").path("name")));
    }
}
