package dev.okube.apiserver.tables;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * Null-safe reads from stored objects. Every accessor returns the Go zero value for an absent, null or mistyped
 * field, because upstream prints from typed structs where a missing field simply is its zero value.
 */
final class Json {
    static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

    private Json() {
    }

    /** The node at a path, or null when any step is absent or JSON null. */
    static JsonNode at(JsonNode node, String... path) {
        JsonNode n = node;
        for (String step : path) {
            if (n == null || !n.isObject()) {
                return null;
            }
            n = n.get(step);
        }
        return n == null || n.isNull() || n.isMissingNode() ? null : n;
    }

    static boolean has(JsonNode node, String... path) {
        return at(node, path) != null;
    }

    /** Text of a scalar, "" when absent; numbers and booleans in their JSON spelling. */
    static String str(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        if (n == null || n.isContainer()) {
            return "";
        }
        return n.isString() ? n.stringValue() : n.toString();
    }

    static long num(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        if (n == null) {
            return 0;
        }
        if (n.isNumber()) {
            return n.longValue();
        }
        if (n.isString()) {
            try {
                return Long.parseLong(n.stringValue().trim());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    static boolean bool(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return n != null && (n.isBoolean() ? n.booleanValue() : "true".equalsIgnoreCase(str(n)));
    }

    /** The elements of an array, empty when absent or not an array. */
    static List<JsonNode> list(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        List<JsonNode> out = new ArrayList<>();
        if (n != null && n.isArray()) {
            for (JsonNode e : n) {
                out.add(e);
            }
        }
        return out;
    }

    /** An object of scalars as a key-sorted map, empty when absent. */
    static Map<String, String> map(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        Map<String, String> out = new TreeMap<>();
        if (n != null && n.isObject()) {
            for (String k : n.propertyNames()) {
                out.put(k, str(n, k));
            }
        }
        return out;
    }

    /** Entries of an object or elements of an array, as Go's len() counts them. */
    static int size(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return n != null && n.isContainer() ? n.size() : 0;
    }

    /** An RFC 3339 timestamp (metav1.Time or MicroTime), or null for absent, empty or unparsable ones. */
    static Instant time(JsonNode node, String... path) {
        String s = str(node, path);
        if (s.isEmpty()) {
            return null;
        }
        try {
            Instant t = OffsetDateTime.parse(s).toInstant();
            // Go's zero time.Time is "unset" to every printer (IsZero).
            return t.equals(GO_ZERO_TIME) ? null : t;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
