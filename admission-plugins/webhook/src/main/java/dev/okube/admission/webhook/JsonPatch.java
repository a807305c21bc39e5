package dev.okube.admission.webhook;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * RFC 6902 JSON Patch (add, remove, replace, move, copy, test) with RFC 6901 pointers, applied to a
 * copy of a document. Errors are {@link PatchException}s naming the operation and path.
 */
final class JsonPatch {
    static final class PatchException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PatchException(String message) {
            super(message);
        }
    }

    private record Op(String op, List<String> path, String pathText, JsonNode value, List<String> from,
            String fromText) {
    }

    private final List<Op> ops;

    private JsonPatch(List<Op> ops) {
        this.ops = ops;
    }

    /** Parses a patch document (a JSON array of operations). */
    static JsonPatch decode(JsonNode patch) {
        if (patch == null || !patch.isArray()) {
            throw new PatchException("a JSON patch must be an array of operations");
        }
        List<Op> ops = new ArrayList<>();
        for (JsonNode op : patch) {
            if (!op.isObject()) {
                throw new PatchException("a JSON patch operation must be an object: " + op);
            }
            String name = op.path("op").asString("");
            if (!List.of("add", "remove", "replace", "move", "copy", "test").contains(name)) {
                throw new PatchException("unexpected kind of JSON patch operation: \"" + name + "\"");
            }
            String path = requireString(op, "path", name);
            String from = name.equals("move") || name.equals("copy") ? requireString(op, "from", name) : null;
            if ((name.equals("add") || name.equals("replace") || name.equals("test")) && !op.has("value")) {
                throw new PatchException("\"" + name + "\" operation has no \"value\": " + op);
            }
            ops.add(new Op(name, pointer(path), path, op.get("value"), from == null ? null : pointer(from), from));
        }
        return new JsonPatch(List.copyOf(ops));
    }

    int size() {
        return ops.size();
    }

    /** Applies the patch to a copy of {@code document}; the document itself is not changed. */
    JsonNode apply(JsonNode document) {
        JsonNode doc = document.deepCopy();
        for (Op op : ops) {
            doc = switch (op.op()) {
                case "add" -> add(doc, op.path(), op.value().deepCopy(), op.pathText());
                case "remove" -> {
                    get(doc, op.path(), op.pathText());
                    yield remove(doc, op.path(), op.pathText());
                }
                case "replace" -> {
                    get(doc, op.path(), op.pathText());
                    yield op.path().isEmpty() ? op.value().deepCopy()
                            : add(remove(doc, op.path(), op.pathText()), op.path(), op.value().deepCopy(), op.pathText());
                }
                case "move" -> {
                    if (op.path().size() > op.from().size() && op.path().subList(0, op.from().size()).equals(op.from())) {
                        throw new PatchException("move operation cannot move \"" + op.fromText()
                                + "\" into one of its children \"" + op.pathText() + "\"");
                    }
                    JsonNode value = get(doc, op.from(), op.fromText());
                    yield add(remove(doc, op.from(), op.fromText()), op.path(), value, op.pathText());
                }
                case "copy" -> add(doc, op.path(), get(doc, op.from(), op.fromText()).deepCopy(), op.pathText());
                case "test" -> {
                    JsonNode actual = get(doc, op.path(), op.pathText());
                    if (!numericEquals(actual, op.value())) {
                        throw new PatchException("testing value " + op.pathText() + " failed: expected "
                                + op.value() + ", found " + actual);
                    }
                    yield doc;
                }
                default -> throw new IllegalStateException(op.op());
            };
        }
        return doc;
    }

    private static String requireString(JsonNode op, String field, String name) {
        JsonNode v = op.get(field);
        if (v == null || !v.isString()) {
            throw new PatchException("\"" + name + "\" operation has no \"" + field + "\" string: " + op);
        }
        return v.asString();
    }

    /** RFC 6901: "" is the whole document; otherwise "/"-separated tokens with ~1 for "/" and ~0 for "~". */
    static List<String> pointer(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        if (!text.startsWith("/")) {
            throw new PatchException("invalid JSON pointer \"" + text + "\": it must start with /");
        }
        List<String> tokens = new ArrayList<>();
        for (String raw : text.substring(1).split("/", -1)) {
            tokens.add(raw.replace("~1", "/").replace("~0", "~"));
        }
        return List.copyOf(tokens);
    }

    private static JsonNode get(JsonNode doc, List<String> path, String text) {
        JsonNode node = doc;
        for (String token : path) {
            if (node.isObject()) {
                node = node.get(token);
            } else if (node.isArray()) {
                int i = index(token, node.size() - 1, text);
                node = node.get(i);
            } else {
                node = null;
            }
            if (node == null) {
                throw new PatchException("doc is missing path: \"" + text + "\"");
            }
        }
        return node;
    }

    private static JsonNode add(JsonNode doc, List<String> path, JsonNode value, String text) {
        if (path.isEmpty()) {
            return value;
        }
        JsonNode parent = get(doc, path.subList(0, path.size() - 1), text);
        String last = path.get(path.size() - 1);
        if (parent instanceof ObjectNode object) {
            object.set(last, value);
        } else if (parent instanceof ArrayNode array) {
            if (last.equals("-")) {
                array.add(value);
            } else {
                array.insert(index(last, array.size(), text), value);
            }
        } else {
            throw new PatchException("doc is missing path: \"" + text + "\": the parent is not an object or array");
        }
        return doc;
    }

    private static JsonNode remove(JsonNode doc, List<String> path, String text) {
        if (path.isEmpty()) {
            throw new PatchException("cannot remove the whole document");
        }
        JsonNode parent = get(doc, path.subList(0, path.size() - 1), text);
        String last = path.get(path.size() - 1);
        if (parent instanceof ObjectNode object) {
            if (object.remove(last) == null) {
                throw new PatchException("doc is missing path: \"" + text + "\"");
            }
        } else if (parent instanceof ArrayNode array) {
            array.remove(index(last, array.size() - 1, text));
        } else {
            throw new PatchException("doc is missing path: \"" + text + "\"");
        }
        return doc;
    }

    private static int index(String token, int max, String text) {
        if (!token.matches("0|[1-9][0-9]{0,8}")) {
            throw new PatchException("invalid array index \"" + token + "\" in \"" + text + "\"");
        }
        int i = Integer.parseInt(token);
        if (i > max) {
            throw new PatchException("array index " + i + " out of bounds in \"" + text + "\"");
        }
        return i;
    }

    private static boolean numericEquals(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (var e : a.properties()) {
                JsonNode other = b.get(e.getKey());
                if (other == null || !numericEquals(e.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!numericEquals(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }
}
