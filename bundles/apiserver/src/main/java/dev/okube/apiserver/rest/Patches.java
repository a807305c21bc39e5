package dev.okube.apiserver.rest;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** JSON merge patch (RFC 7386) and JSON patch (RFC 6902) on JSON trees. */
public final class Patches {
    private Patches() {
    }

    /** RFC 7386: objects merge recursively, null deletes, everything else replaces. */
    public static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : Json.object();
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            if (e.getValue().isNull()) {
                result.remove(e.getKey());
            } else {
                result.set(e.getKey(), mergePatch(result.get(e.getKey()), e.getValue()));
            }
        }
        return result;
    }

    /** RFC 6902 operations add, remove, replace, move, copy and test, applied in order. */
    public static JsonNode jsonPatch(JsonNode target, JsonNode patch) {
        if (!patch.isArray()) {
            throw ApiException.badRequest("json patch must be an array of operations");
        }
        JsonNode doc = target.deepCopy();
        for (JsonNode op : patch) {
            String kind = Json.text(op, "op");
            String path = Json.text(op, "path");
            if (kind == null || path == null) {
                throw ApiException.badRequest("json patch operation needs \"op\" and \"path\": " + op);
            }
            switch (kind) {
                case "add" -> doc = add(doc, path, value(op));
                case "remove" -> doc = remove(doc, path);
                case "replace" -> {
                    get(doc, path);
                    doc = add(remove(doc, path), path, value(op));
                }
                case "move" -> {
                    String from = from(op);
                    JsonNode v = get(doc, from);
                    doc = add(remove(doc, from), path, v);
                }
                case "copy" -> doc = add(doc, path, get(doc, from(op)).deepCopy());
                case "test" -> {
                    if (!get(doc, path).equals(value(op))) {
                        throw new ApiException(422, "Invalid", "the test operation at " + path + " failed");
                    }
                }
                default -> throw ApiException.badRequest("unknown json patch operation: " + kind);
            }
        }
        return doc;
    }

    private static JsonNode value(JsonNode op) {
        if (!op.has("value")) {
            throw ApiException.badRequest("json patch operation \"" + Json.text(op, "op") + "\" needs a value");
        }
        return op.get("value").deepCopy();
    }

    private static String from(JsonNode op) {
        String from = Json.text(op, "from");
        if (from == null) {
            throw ApiException.badRequest("json patch operation \"" + Json.text(op, "op") + "\" needs \"from\"");
        }
        return from;
    }

    private static String[] tokens(String pointer) {
        if (pointer.isEmpty()) {
            return new String[0];
        }
        if (!pointer.startsWith("/")) {
            throw ApiException.badRequest("invalid json pointer: " + pointer);
        }
        String[] t = pointer.substring(1).split("/", -1);
        for (int i = 0; i < t.length; i++) {
            t[i] = t[i].replace("~1", "/").replace("~0", "~");
        }
        return t;
    }

    private static JsonNode get(JsonNode doc, String pointer) {
        JsonNode n = doc;
        for (String t : tokens(pointer)) {
            n = n == null ? null : n.isArray() ? n.get(index(t, n.size() - 1)) : n.get(t);
        }
        if (n == null) {
            throw new ApiException(422, "Invalid", "the server rejected our request due to an error in our request: "
                    + "path not found: " + pointer);
        }
        return n;
    }

    private static JsonNode add(JsonNode doc, String pointer, JsonNode value) {
        String[] t = tokens(pointer);
        if (t.length == 0) {
            return value;
        }
        JsonNode parent = parent(doc, t, pointer);
        String last = t[t.length - 1];
        if (parent.isObject()) {
            ((ObjectNode) parent).set(last, value);
        } else if (parent.isArray()) {
            ArrayNode array = (ArrayNode) parent;
            if (last.equals("-")) {
                array.add(value);
            } else {
                array.insert(index(last, array.size()), value);
            }
        } else {
            throw new ApiException(422, "Invalid", "cannot add at " + pointer);
        }
        return doc;
    }

    private static JsonNode remove(JsonNode doc, String pointer) {
        String[] t = tokens(pointer);
        if (t.length == 0) {
            throw ApiException.badRequest("cannot remove the whole document");
        }
        get(doc, pointer);
        JsonNode parent = parent(doc, t, pointer);
        String last = t[t.length - 1];
        if (parent.isObject()) {
            ((ObjectNode) parent).remove(last);
        } else {
            ((ArrayNode) parent).remove(index(last, parent.size() - 1));
        }
        return doc;
    }

    private static JsonNode parent(JsonNode doc, String[] t, String pointer) {
        JsonNode n = doc;
        for (int i = 0; i < t.length - 1; i++) {
            n = n == null ? null : n.isArray() ? n.get(index(t[i], n.size() - 1)) : n.get(t[i]);
        }
        if (n == null || !(n.isObject() || n.isArray())) {
            throw new ApiException(422, "Invalid", "the server rejected our request due to an error in our request: "
                    + "parent of " + pointer + " does not exist");
        }
        return n;
    }

    private static int index(String token, int max) {
        try {
            int i = Integer.parseInt(token);
            if (i < 0 || i > max) {
                throw new NumberFormatException();
            }
            return i;
        } catch (NumberFormatException e) {
            throw new ApiException(422, "Invalid", "the server rejected our request due to an error in our request: "
                    + "index out of range: " + token);
        }
    }
}
