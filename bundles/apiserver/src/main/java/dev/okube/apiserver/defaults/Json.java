package dev.okube.apiserver.defaults;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Null-safe tree navigation for defaulting. Posted objects may be partial or ill-typed (validation
 * runs later), so every accessor answers "absent" instead of throwing when a node has the wrong shape.
 *
 * <p>Go's defaulters test "unset" in two ways, mirrored here: a pointer field is unset only when nil
 * ({@link #unset}), a plain string or number field also when it holds its zero value ({@link #zero}).
 */
final class Json {
    private Json() {
    }

    /** The child object, or null when missing or not an object. */
    static ObjectNode obj(ObjectNode parent, String field) {
        if (parent == null) {
            return null;
        }
        JsonNode child = parent.get(field);
        return child instanceof ObjectNode o ? o : null;
    }

    /** The child object, created empty when missing or null; null when it holds a non-object. */
    static ObjectNode objOrCreate(ObjectNode parent, String field) {
        if (parent == null) {
            return null;
        }
        JsonNode child = parent.get(field);
        if (child == null || child.isNull()) {
            return parent.putObject(field);
        }
        return child instanceof ObjectNode o ? o : null;
    }

    /** The object elements of an array field, skipping anything else; empty when absent. */
    static List<ObjectNode> items(ObjectNode parent, String field) {
        List<ObjectNode> out = new ArrayList<>();
        if (parent != null && parent.get(field) instanceof ArrayNode array) {
            for (JsonNode element : array) {
                if (element instanceof ObjectNode o) {
                    out.add(o);
                }
            }
        }
        return out;
    }

    /** True when the field is missing or JSON null (how a nil pointer, slice or map decodes), or there is no node. */
    static boolean unset(ObjectNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull();
    }

    /** True when the field holds Go's zero value for a non-pointer scalar: missing, null, "", 0 or false. */
    static boolean zero(ObjectNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull()) {
            return true;
        }
        if (value.isString()) {
            return value.asString().isEmpty();
        }
        if (value.isNumber()) {
            return value.asDouble() == 0;
        }
        if (value.isBoolean()) {
            return !value.asBoolean();
        }
        return false;
    }

    /** True when a slice or map field is nil or empty ({@code len(x) == 0} in Go). */
    static boolean empty(ObjectNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || ((value.isArray() || value.isObject()) && value.isEmpty());
    }

    /** True only for a JSON boolean true. */
    static boolean isTrue(ObjectNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isBoolean() && value.booleanValue();
    }

    /** The string value, or "" when missing or not a string. */
    static String text(ObjectNode node, String field) {
        if (node == null) {
            return "";
        }
        JsonNode value = node.get(field);
        return value != null && value.isString() ? value.asString() : "";
    }

    static void defaultString(ObjectNode node, String field, String value) {
        if (node != null && zero(node, field)) {
            node.put(field, value);
        }
    }

    static void defaultInt(ObjectNode node, String field, int value) {
        if (node != null && zero(node, field)) {
            node.put(field, value);
        }
    }

    static void defaultPointer(ObjectNode node, String field, String value) {
        if (node != null && unset(node, field)) {
            node.put(field, value);
        }
    }

    static void defaultPointer(ObjectNode node, String field, int value) {
        if (node != null && unset(node, field)) {
            node.put(field, value);
        }
    }

    static void defaultPointer(ObjectNode node, String field, boolean value) {
        if (node != null && unset(node, field)) {
            node.put(field, value);
        }
    }

    /**
     * An embedded ObjectMeta (of a pod, job or claim template) as 1.32 serializes it: the struct is
     * always written, and its zero creationTimestamp as null (1.33 stops writing the null).
     */
    static void embeddedMetadata(ObjectNode holder) {
        ObjectNode metadata = objOrCreate(holder, "metadata");
        if (metadata != null && !metadata.has("creationTimestamp")) {
            metadata.putNull("creationTimestamp");
        }
    }

    /** A nil pointer-to-struct defaulted to the empty struct, which Go serializes as {}. */
    static void defaultEmptyObject(ObjectNode node, String field) {
        if (node != null && unset(node, field)) {
            node.putObject(field);
        }
    }
}
