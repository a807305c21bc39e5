package dev.okube.apiserver.apply;

import dev.okube.apiserver.patch.PatchMeta;
import dev.okube.apiserver.rest.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A set of field paths, as structured-merge-diff's fieldpath.Set. A path is a list of path elements in
 * their FieldsV1 spelling: {@code f:name} (a map field), {@code k:{"name":"main"}} (an element of a list
 * keyed by its merge keys), {@code v:"x"} (an element of a set of primitives), {@code i:3} (by index).
 *
 * <p>Which lists are maps and sets comes from {@link PatchMeta}: the strategic merge patch keys are the
 * {@code x-kubernetes-list-map-keys} of the same fields upstream, primitive merge lists are sets, every
 * other list is atomic (one leaf).
 */
public final class FieldSet {
    private final Set<List<String>> paths;

    private FieldSet(Set<List<String>> paths) {
        this.paths = paths;
    }

    public static FieldSet empty() {
        return new FieldSet(new LinkedHashSet<>());
    }

    public static FieldSet of(Set<List<String>> paths) {
        return new FieldSet(new LinkedHashSet<>(paths));
    }

    public Set<List<String>> paths() {
        return paths;
    }

    public boolean isEmpty() {
        return paths.isEmpty();
    }

    public boolean contains(List<String> path) {
        return paths.contains(path);
    }

    /** Whether the set has the path or anything below it: an element stays while someone owns a part of it. */
    public boolean containsPrefix(List<String> path) {
        for (List<String> p : paths) {
            if (p.size() >= path.size() && p.subList(0, path.size()).equals(path)) {
                return true;
            }
        }
        return false;
    }

    public FieldSet union(FieldSet other) {
        Set<List<String>> s = new LinkedHashSet<>(paths);
        s.addAll(other.paths);
        return new FieldSet(s);
    }

    public FieldSet minus(FieldSet other) {
        Set<List<String>> s = new LinkedHashSet<>(paths);
        s.removeAll(other.paths);
        return new FieldSet(s);
    }

    public FieldSet intersect(FieldSet other) {
        Set<List<String>> s = new LinkedHashSet<>(paths);
        s.retainAll(other.paths);
        return new FieldSet(s);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldSet f && f.paths.equals(paths);
    }

    @Override
    public int hashCode() {
        return paths.hashCode();
    }

    @Override
    public String toString() {
        return toJson().toString();
    }

    // ---- from objects ----

    /** The leaves and list elements an object sets, as upstream's TypedValue.ToFieldSet. */
    public static FieldSet fromObject(JsonNode object, PatchMeta meta) {
        return new FieldSet(valuesOf(object, meta).values.keySet());
    }

    /**
     * The paths of an object's leaves and list elements, each with the value at it, found in one walk
     * so a caller comparing two objects need not look every path up again ({@link #valueAt} parses
     * each key element). {@code ambiguous} says two list elements share a key: then the walk's value
     * for a path below them may not be the one {@link #valueAt} finds (the first element's).
     */
    record Values(Map<List<String>, JsonNode> values, boolean ambiguous) {
        /** The value at a path of this walk, as {@link #valueAt} on the walked object would find it. */
        JsonNode at(JsonNode object, List<String> path) {
            if (!ambiguous) {
                JsonNode v = values.get(path);
                if (v != null) {
                    return v;
                }
            }
            return valueAt(object, path);
        }
    }

    static Values valuesOf(JsonNode object, PatchMeta meta) {
        Map<List<String>, JsonNode> out = new LinkedHashMap<>();
        boolean[] ambiguous = {false};
        if (object != null && object.isObject()) {
            walkObject((ObjectNode) object, meta, new ArrayList<>(), out, ambiguous);
        }
        return new Values(out, ambiguous[0]);
    }

    private static void walkObject(ObjectNode object, PatchMeta meta, List<String> prefix, Map<List<String>, JsonNode> out,
            boolean[] ambiguous) {
        if (object.isEmpty() && !prefix.isEmpty()) {
            out.putIfAbsent(List.copyOf(prefix), object); // an empty struct is itself the leaf, as "f:resources":{} upstream
            return;
        }
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            List<String> path = append(prefix, "f:" + e.getKey());
            PatchMeta child = meta.field(e.getKey());
            JsonNode value = e.getValue();
            if (value.isObject()) {
                walkObject((ObjectNode) value, child, path, out, ambiguous);
            } else if (value.isArray()) {
                walkList((ArrayNode) value, child, path, out, ambiguous);
            } else {
                out.putIfAbsent(path, value);
            }
        }
    }

    private static void walkList(ArrayNode list, PatchMeta meta, List<String> path, Map<List<String>, JsonNode> out,
            boolean[] ambiguous) {
        PatchMeta.Strategy strategy = meta.listStrategy();
        if (strategy == PatchMeta.Strategy.MERGE_BY_KEY && keyed(list, meta.mergeKey())) {
            for (JsonNode item : list) {
                List<String> itemPath = append(path, keyElement(item, meta.mergeKey()));
                if (out.putIfAbsent(itemPath, item) != null) {
                    ambiguous[0] = true;
                }
                walkObject((ObjectNode) item, meta, itemPath, out, ambiguous);
            }
        } else if (strategy == PatchMeta.Strategy.MERGE_PRIMITIVES && primitives(list)) {
            for (JsonNode item : list) {
                out.putIfAbsent(append(path, "v:" + item), item);
            }
        } else {
            out.putIfAbsent(path, list); // atomic: the list is one value
        }
    }

    /** Whether every element is an object carrying the key: otherwise the list can only be taken whole. */
    static boolean keyed(JsonNode list, String key) {
        for (JsonNode item : list) {
            if (!item.isObject() || !item.has(key) || item.get(key).isContainer()) {
                return false;
            }
        }
        return true;
    }

    static boolean primitives(JsonNode list) {
        for (JsonNode item : list) {
            if (item.isContainer()) {
                return false;
            }
        }
        return true;
    }

    static String keyElement(JsonNode item, String key) {
        if (plainName(key)) {
            // What the object {key: value} prints as, without building it: merge keys are plain names.
            return "k:{\"" + key + "\":" + item.get(key) + "}";
        }
        ObjectNode k = Json.object();
        k.set(key, item.get(key));
        return "k:" + k;
    }

    /** Whether a property name prints in JSON as itself between quotes. */
    private static boolean plainName(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static List<String> append(List<String> prefix, String element) {
        List<String> p = new ArrayList<>(prefix.size() + 1);
        p.addAll(prefix);
        p.add(element);
        return p;
    }

    // ---- values at paths ----

    /** The value at a path, or null when the object has nothing there. */
    public static JsonNode valueAt(JsonNode node, List<String> path) {
        JsonNode current = node;
        for (String element : path) {
            current = step(current, element);
            if (current == null) {
                return null;
            }
        }
        return current;
    }

    private static JsonNode step(JsonNode node, String element) {
        if (node == null) {
            return null;
        }
        String body = element.substring(2);
        switch (element.charAt(0)) {
            case 'f' -> {
                return node.isObject() ? node.get(body) : null;
            }
            case 'k', 'v', 'i' -> {
                int i = indexIn(node, element);
                return i < 0 ? null : node.get(i);
            }
            default -> {
                return null;
            }
        }
    }

    /** The position in a list of the element a k:, v: or i: path element names; -1 if none. */
    static int indexIn(JsonNode list, String element) {
        if (list == null || !list.isArray()) {
            return -1;
        }
        String body = element.substring(2);
        if (element.startsWith("i:")) {
            int i = Integer.parseInt(body);
            return i < list.size() ? i : -1;
        }
        JsonNode wanted = Json.MAPPER.readTree(body);
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            if (element.startsWith("v:") ? item.equals(wanted) : matchesKey(item, wanted)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean matchesKey(JsonNode item, JsonNode key) {
        if (!item.isObject()) {
            return false;
        }
        for (Map.Entry<String, JsonNode> e : key.properties()) {
            if (!e.getValue().equals(item.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Removes what a path names from an object; nothing happens when it is not there. */
    static void remove(JsonNode root, List<String> path) {
        JsonNode parent = valueAt(root, path.subList(0, path.size() - 1));
        String last = path.get(path.size() - 1);
        if (last.startsWith("f:")) {
            if (parent != null && parent.isObject()) {
                ((ObjectNode) parent).remove(last.substring(2));
            }
        } else {
            int i = indexIn(parent, last);
            if (i >= 0) {
                ((ArrayNode) parent).remove(i);
            }
        }
    }

    // ---- FieldsV1 ----

    /** Upstream's order of path elements: field names, then keys, values, indices. */
    private static final Comparator<String> ELEMENT_ORDER = Comparator.<String>comparingInt(e ->
            e.equals(".") ? 0 : "fkvi".indexOf(e.charAt(0)) + 1).thenComparing(Comparator.naturalOrder());

    /** The FieldsV1 encoding: a tree of path elements; "." marks a node that is itself a member and has children. */
    public ObjectNode toJson() {
        Map<String, Object> root = new TreeMap<>(ELEMENT_ORDER);
        for (List<String> path : paths) {
            Map<String, Object> node = root;
            for (String element : path) {
                node = child(node, element);
            }
            node.put(".", Boolean.TRUE); // provisional: dropped below for leaves without children
        }
        return encode(root);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> node, String element) {
        Object c = node.get(element);
        if (!(c instanceof Map)) {
            c = new TreeMap<String, Object>(ELEMENT_ORDER);
            node.put(element, c);
        }
        return (Map<String, Object>) c;
    }

    @SuppressWarnings("unchecked")
    private static ObjectNode encode(Map<String, Object> node) {
        ObjectNode out = Json.object();
        boolean member = node.containsKey(".");
        boolean children = node.size() > (member ? 1 : 0);
        if (member && children) {
            out.putObject(".");
        }
        for (Map.Entry<String, Object> e : node.entrySet()) {
            if (!e.getKey().equals(".")) {
                out.set(e.getKey(), encode((Map<String, Object>) e.getValue()));
            }
        }
        return out;
    }

    /** Decodes FieldsV1; an empty object is a leaf member, "." makes its parent a member. */
    public static FieldSet fromJson(JsonNode json) {
        Set<List<String>> out = new LinkedHashSet<>();
        if (json != null && json.isObject()) {
            decode(json, new ArrayList<>(), out);
        }
        return new FieldSet(out);
    }

    private static void decode(JsonNode node, List<String> prefix, Set<List<String>> out) {
        if (node.isEmpty()) {
            if (!prefix.isEmpty()) {
                out.add(List.copyOf(prefix));
            }
            return;
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (e.getKey().equals(".")) {
                out.add(List.copyOf(prefix));
            } else {
                decode(e.getValue(), append(prefix, e.getKey()), out);
            }
        }
    }

    /** A path as upstream prints it in conflicts: {@code .spec.containers[name="main"].image}. */
    public static String display(List<String> path) {
        StringBuilder b = new StringBuilder();
        for (String element : path) {
            String body = element.substring(2);
            switch (element.charAt(0)) {
                case 'f' -> b.append('.').append(body);
                case 'i' -> b.append('[').append(body).append(']');
                case 'v' -> b.append("[=").append(body).append(']');
                default -> {
                    JsonNode key = Json.MAPPER.readTree(body);
                    b.append('[');
                    String sep = "";
                    for (Map.Entry<String, JsonNode> e : key.properties()) {
                        b.append(sep).append(e.getKey()).append('=').append(e.getValue());
                        sep = ",";
                    }
                    b.append(']');
                }
            }
        }
        return b.toString();
    }
}
