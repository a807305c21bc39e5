package dev.okube.apiserver.patch;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes' strategic merge patch ({@code application/strategic-merge-patch+json}), applied the way
 * k8s.io/apimachinery/pkg/util/strategicpatch does on the server: {@code StrategicMergeMapPatchUsingLookupPatchMeta}
 * with parallel deletion lists merged and unmatched nulls ignored.
 *
 * <p>The structure follows upstream's mergeMap/mergeSlice closely, including its ordering rules, because kubectl's
 * three-way patches ({@code $setElementOrder}, {@code $deleteFromPrimitiveList}, {@code $retainKeys}) are computed
 * against exactly that behaviour. Error messages are upstream's, including Go's {@code %v} rendering of maps.
 */
public final class StrategicMergePatch {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String DIRECTIVE = "$patch";
    private static final String DELETE = "delete";
    private static final String REPLACE = "replace";
    private static final String MERGE = "merge";
    private static final String RETAIN_KEYS = "$retainKeys";
    private static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList";
    private static final String SET_ELEMENT_ORDER = "$setElementOrder";
    private static final String MAP_TYPE = "map[string]interface {}";
    private static final String SLICE_TYPE = "[]interface {}";

    private StrategicMergePatch() {
    }

    /**
     * Applies a strategic merge patch to the original object as upstream does; throws IllegalArgumentException with
     * upstream's message for malformed patches (invalid $patch, missing merge key...). Neither argument is modified.
     */
    public static ObjectNode apply(ObjectNode original, JsonNode patch, PatchMeta meta) {
        if (patch != null && !patch.isObject() && !patch.isNull()) {
            // upstream unmarshals the patch into a map[string]interface{}
            throw new IllegalArgumentException("invalid JSON document");
        }
        ObjectNode o = original == null ? NODES.objectNode() : original.deepCopy();
        ObjectNode p = patch == null || patch.isNull() ? NODES.objectNode() : ((ObjectNode) patch).deepCopy();
        ObjectNode result = mergeMap(o, p, meta == null ? PatchMeta.none() : meta);
        stripDirectiveKeys(result);
        return result;
    }

    // ---- maps

    private static ObjectNode mergeMap(ObjectNode original, ObjectNode patch, PatchMeta meta) {
        JsonNode directive = patch.get(DIRECTIVE);
        if (directive != null) {
            if (is(directive, REPLACE)) {
                // the patch's map, minus the marker, replaces the original's
                patch.remove(DIRECTIVE);
                return patch;
            }
            if (is(directive, DELETE)) {
                return NODES.objectNode();
            }
            throw badPatchType(directive, patch);
        }
        if (original == null) {
            original = NODES.objectNode();
        }
        applyRetainKeys(original, patch);
        mergeSetElementOrderLists(original, patch, meta);

        for (Map.Entry<String, JsonNode> e : new ArrayList<>(patch.properties())) {
            String key = e.getKey();
            JsonNode patchValue = e.getValue();
            boolean deleteList = key.startsWith(DELETE_FROM_PRIMITIVE_LIST);
            if (deleteList) {
                key = extractKey(key, DELETE_FROM_PRIMITIVE_LIST);
            }
            if (patchValue.isNull()) {
                original.remove(key);
                continue;
            }
            JsonNode originalValue = original.get(key);
            if (originalValue == null || goKind(originalValue) != goKind(patchValue)) {
                // new field or a change of type: the patch's value, cleaned, wins; a deletion list has nothing to delete
                if (!deleteList) {
                    discardNulls(patchValue);
                    put(original, key, removeDirectives(patchValue));
                }
                continue;
            }
            PatchMeta field = meta.field(key);
            if (originalValue.isObject()) {
                original.set(key, field.replace() ? patchValue
                        : mergeMap((ObjectNode) originalValue, (ObjectNode) patchValue, field));
            } else if (originalValue.isArray()) {
                boolean merge = field.listStrategy() != PatchMeta.Strategy.ATOMIC;
                // deletion lists apply whatever the field's strategy; atomic lists take the patch's list as is
                original.set(key, merge || deleteList
                        ? mergeSlice(list(originalValue), list(patchValue), field, field.mergeKey(), deleteList, null)
                        : patchValue);
            } else {
                original.set(key, patchValue);
            }
        }
        return original;
    }

    /** {@code $retainKeys}: drop original keys not listed; every key the patch sets must be listed. */
    private static void applyRetainKeys(ObjectNode original, ObjectNode patch) {
        JsonNode retain = patch.remove(RETAIN_KEYS);
        if (retain == null) {
            return;
        }
        if (!retain.isArray()) {
            throw new IllegalArgumentException("invalid patch format of retainKeys");
        }
        Set<String> keep = new HashSet<>();
        for (JsonNode k : retain) {
            if (k.isString()) {
                keep.add(k.stringValue());
            }
        }
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            String k = e.getKey();
            if (e.getValue().isNull() || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) {
                continue;
            }
            if (!keep.contains(k)) {
                throw new IllegalArgumentException("invalid patch format of retainKeys");
            }
        }
        original.properties().removeIf(e -> !keep.contains(e.getKey()));
    }

    /**
     * {@code $setElementOrder/<field>}: merges the field's patch list (if any) into the original's and orders the
     * result: the directive's order first, then the live order for server-only items. Consumes both keys.
     */
    private static void mergeSetElementOrderLists(ObjectNode original, ObjectNode patch, PatchMeta meta) {
        for (Map.Entry<String, JsonNode> e : new ArrayList<>(patch.properties())) {
            String directiveKey = e.getKey();
            if (!directiveKey.startsWith(SET_ELEMENT_ORDER)) {
                continue;
            }
            patch.remove(directiveKey);
            JsonNode orderNode = e.getValue();
            if (!orderNode.isArray()) {
                throw badArgType(SLICE_TYPE, orderNode);
            }
            List<JsonNode> order = list(orderNode);
            String key = extractKey(directiveKey, SET_ELEMENT_ORDER);
            JsonNode originalList = original.get(key);
            JsonNode patchList = patch.get(key);
            if (originalList != null && !originalList.isArray()) {
                throw badArgType(SLICE_TYPE, originalList);
            }
            if (patchList != null && !patchList.isArray()) {
                throw badArgType(SLICE_TYPE, patchList);
            }
            List<JsonNode> originalItems = originalList == null ? List.of() : list(originalList);
            List<JsonNode> patchItems = patchList == null ? List.of() : list(patchList);
            PatchMeta field = meta.field(key);
            String mergeKey = field.mergeKey();
            validatePatchWithSetOrderList(patchItems, order, mergeKey);

            List<JsonNode> merged;
            if (originalList != null && patchList == null) {
                merged = originalItems;
            } else if (originalList == null && patchList != null) {
                merged = list(removeDirectives(patchList));
            } else if (originalList != null) {
                if (field.listStrategy() != PatchMeta.Strategy.ATOMIC) {
                    // upstream orders server-only items by the live list *after* mergeSlice wrote into its backing
                    // array (deletes shift items left, appends fill the freed tail); kubectl's results depend on it
                    List<JsonNode> view = new ArrayList<>(originalItems);
                    merged = list(mergeSlice(originalItems, patchItems, field, mergeKey, false, view));
                    originalItems = view;
                } else {
                    merged = patchItems;
                }
            } else {
                continue;
            }
            List<JsonNode> inOrder = new ArrayList<>();
            List<JsonNode> serverOnly = new ArrayList<>();
            partition(merged, order, mergeKey, inOrder, serverOnly);
            boolean maps = elementsAreMaps(originalItems, patchItems);
            original.set(key, array(normalizeElementOrder(inOrder, serverOnly, order, originalItems, mergeKey, maps)));
            patch.remove(key);
        }
    }

    /** The relative order of the patch list's items must agree with the $setElementOrder list. */
    private static void validatePatchWithSetOrderList(List<JsonNode> patchList, List<JsonNode> order, String mergeKey) {
        if (order.isEmpty() || patchList.isEmpty()) {
            return;
        }
        List<JsonNode> nonDelete = mergeKey != null ? splitDeletes(patchList, null) : patchList;
        int p = 0;
        int s = 0;
        while (p < nonDelete.size() && s < order.size()) {
            if (nonDelete.get(p).isObject() && nonDelete.get(p).has(DIRECTIVE)) {
                p++;
                continue;
            }
            if (mergeKeyValueEqual(nonDelete.get(p), order.get(s), mergeKey)) {
                p++;
            }
            s++;
        }
        if (p < nonDelete.size() && s >= order.size()) {
            throw new IllegalArgumentException("The order in patch list:\n" + go(array(patchList)) + "\n doesn't match "
                    + SET_ELEMENT_ORDER + " list:\n" + go(array(order)) + "\n");
        }
    }

    private static boolean mergeKeyValueEqual(JsonNode left, JsonNode right, String mergeKey) {
        if (mergeKey == null) {
            return same(left, right);
        }
        if (!left.isObject()) {
            throw badArgType(MAP_TYPE, left);
        }
        if (!right.isObject()) {
            throw badArgType(MAP_TYPE, right);
        }
        if (!left.has(mergeKey)) {
            throw noMergeKey(left, mergeKey);
        }
        if (!right.has(mergeKey)) {
            throw noMergeKey(right, mergeKey);
        }
        return same(left.get(mergeKey), right.get(mergeKey));
    }

    // ---- lists

    /**
     * Merges a list with merge strategy. {@code backing}, when given, starts as a copy of {@code original} and ends as
     * what the caller's view of upstream's slice holds afterwards: Go's in-place deletes and appends share the array.
     */
    private static ArrayNode mergeSlice(List<JsonNode> original, List<JsonNode> patch, PatchMeta elements,
            String mergeKey, boolean deleteList, List<JsonNode> backing) {
        if (original.isEmpty() && patch.isEmpty()) {
            return array(original);
        }
        boolean maps = elementsAreMaps(original, patch);
        List<JsonNode> merged;
        if (!maps) {
            if (deleteList) {
                List<JsonNode> toDelete = patch;
                return array(original.stream().filter(v -> toDelete.stream().noneMatch(d -> same(v, d))).toList());
            }
            List<JsonNode> both = new ArrayList<>(original);
            both.addAll(patch);
            merged = deduplicate(both);
        } else {
            if (mergeKey == null) {
                throw new IllegalArgumentException("cannot merge lists without merge key for "
                        + (elements.typeName() == null ? "" : elements.typeName()));
            }
            // $patch elements: deletes shrink the original, replace makes the patch's items the whole list
            List<JsonNode> plain = new ArrayList<>();
            boolean replace = false;
            List<JsonNode> live = new ArrayList<>(original);
            for (JsonNode item : patch) {
                JsonNode directive = item.get(DIRECTIVE);
                if (directive == null) {
                    plain.add(item);
                } else if (is(directive, DELETE)) {
                    if (!item.has(mergeKey)) {
                        throw noMergeKey(item, mergeKey);
                    }
                    JsonNode value = item.get(mergeKey);
                    for (int at; (at = findByKey(live, mergeKey, value)) >= 0; ) {
                        live.remove(at);
                        if (backing != null) {
                            // append(s[:at], s[at+1:]...) shifts the rest left in place; the old last slot keeps its item
                            for (int i = at; i < live.size(); i++) {
                                backing.set(i, live.get(i));
                            }
                        }
                    }
                } else if (is(directive, REPLACE)) {
                    replace = true;
                } else if (is(directive, MERGE)) {
                    throw new IllegalArgumentException("merging lists cannot yet be specified in the patch");
                } else {
                    throw badPatchType(directive, (ObjectNode) item);
                }
            }
            if (replace) {
                original = plain;
                patch = List.of();
            } else {
                original = live;
                patch = plain;
            }
            merged = new ArrayList<>(original);
            for (JsonNode item : patch) {
                if (!item.has(mergeKey)) {
                    throw noMergeKey(item, mergeKey);
                }
                int at = findByKey(merged, mergeKey, item.get(mergeKey));
                if (at >= 0) {
                    merged.set(at, mergeMap((ObjectNode) merged.get(at), (ObjectNode) item, elements));
                } else {
                    if (backing != null && !replace && merged.size() < backing.size()) {
                        backing.set(merged.size(), item);
                    }
                    merged.add(item);
                }
            }
        }
        List<JsonNode> patchItems = new ArrayList<>();
        List<JsonNode> serverOnly = new ArrayList<>();
        partition(merged, patch, mergeKey, patchItems, serverOnly);
        return array(normalizeElementOrder(patchItems, serverOnly, patch, original, mergeKey, maps));
    }

    /** Splits merged items into those present in {@code by} (by merge key, or by value for primitives) and the rest. */
    private static void partition(List<JsonNode> merged, List<JsonNode> by, String mergeKey, List<JsonNode> present,
            List<JsonNode> rest) {
        for (JsonNode v : merged) {
            boolean found;
            if (mergeKey == null) {
                found = by.stream().anyMatch(b -> same(b, v));
            } else {
                if (!v.isObject()) {
                    throw badArgType(MAP_TYPE, v);
                }
                if (!v.has(mergeKey)) {
                    throw noMergeKey(v, mergeKey);
                }
                found = findByKey(by, mergeKey, v.get(mergeKey)) >= 0;
            }
            (found ? present : rest).add(v);
        }
    }

    private static int findByKey(List<JsonNode> items, String key, JsonNode value) {
        for (int i = 0; i < items.size(); i++) {
            JsonNode m = items.get(i);
            if (!m.isObject()) {
                throw new IllegalArgumentException("value for key " + i + " is not a map");
            }
            if (m.has(key) && same(m.get(key), value)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Orders patch items by the patch (or $setElementOrder) order and server-only items by the live order, then
     * interleaves them: a server-only item goes before a patch item only when both are in the live list and it came
     * first there, so items new to the list land ahead of the server-only items that follow them.
     */
    private static List<JsonNode> normalizeElementOrder(List<JsonNode> patch, List<JsonNode> serverOnly,
            List<JsonNode> patchOrder, List<JsonNode> serverOrder, String mergeKey, boolean maps) {
        List<JsonNode> right = normalizeSliceOrder(patch, patchOrder, mergeKey, maps);
        List<JsonNode> left = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, maps);
        List<JsonNode> out = new ArrayList<>(left.size() + right.size());
        int i = 0;
        int j = 0;
        while (i < left.size() || j < right.size()) {
            if (i >= left.size()) {
                out.add(right.get(j++));
            } else if (j >= right.size()) {
                out.add(left.get(i++));
            } else {
                int li = index(serverOrder, left.get(i), mergeKey, maps);
                int ri = index(serverOrder, right.get(j), mergeKey, maps);
                out.add(li >= 0 && ri >= 0 && li < ri ? left.get(i++) : right.get(j++));
            }
        }
        return out;
    }

    private static List<JsonNode> normalizeSliceOrder(List<JsonNode> toSort, List<JsonNode> order, String mergeKey,
            boolean maps) {
        List<JsonNode> sorted = new ArrayList<>(toSort);
        List<JsonNode> deletes = new ArrayList<>();
        if (maps) {
            validateMergeKeyInLists(mergeKey, toSort, order);
            sorted = splitDeletes(toSort, deletes);
        }
        // Go's sort.SliceStable with upstream's comparator, which calls an item missing from the order "less":
        // insertion sort reproduces it exactly for the list sizes Kubernetes objects have.
        for (int a = 1; a < sorted.size(); a++) {
            for (int b = a; b > 0 && less(sorted.get(b), sorted.get(b - 1), order, mergeKey, maps); b--) {
                JsonNode t = sorted.get(b);
                sorted.set(b, sorted.get(b - 1));
                sorted.set(b - 1, t);
            }
        }
        sorted.addAll(deletes);
        return sorted;
    }

    private static boolean less(JsonNode x, JsonNode y, List<JsonNode> order, String mergeKey, boolean maps) {
        int xi = index(order, x, mergeKey, maps);
        if (xi >= 0) {
            int yi = index(order, y, mergeKey, maps);
            if (yi >= 0) {
                return xi < yi;
            }
        }
        return true;
    }

    private static void validateMergeKeyInLists(String mergeKey, List<JsonNode> a, List<JsonNode> b) {
        for (List<JsonNode> l : List.of(a, b)) {
            for (JsonNode item : l) {
                if (!item.isObject()) {
                    throw badArgType(MAP_TYPE, item);
                }
                if (mergeKey == null || !item.has(mergeKey)) {
                    throw noMergeKey(item, mergeKey == null ? "" : mergeKey);
                }
            }
        }
    }

    /** The items without {@code $patch: delete}; those go to {@code deletes} when it is given. */
    private static List<JsonNode> splitDeletes(List<JsonNode> items, List<JsonNode> deletes) {
        List<JsonNode> keep = new ArrayList<>();
        for (JsonNode v : items) {
            if (!v.isObject()) {
                throw badArgType(MAP_TYPE, v);
            }
            if (is(v.get(DIRECTIVE), DELETE)) {
                if (deletes != null) {
                    deletes.add(v);
                }
            } else {
                keep.add(v);
            }
        }
        return keep;
    }

    /** Position of an item in a list: by merge key value for maps (a missing key matches a missing key), else by value. */
    private static int index(List<JsonNode> l, JsonNode item, String mergeKey, boolean maps) {
        JsonNode want = keyOf(item, mergeKey, maps);
        for (int i = 0; i < l.size(); i++) {
            if (same(want, keyOf(l.get(i), mergeKey, maps))) {
                return i;
            }
        }
        return -1;
    }

    private static JsonNode keyOf(JsonNode item, String mergeKey, boolean maps) {
        if (!maps) {
            return item;
        }
        return item.isObject() && mergeKey != null ? item.get(mergeKey) : null;
    }

    /** Upstream's sliceElementType: all items share one JSON type, lists of lists are refused; true for maps. */
    private static boolean elementsAreMaps(List<JsonNode> a, List<JsonNode> b) {
        Character kind = null;
        for (List<JsonNode> l : List.of(a, b)) {
            for (JsonNode v : l) {
                char k = goKind(v);
                if (kind == null) {
                    if (k == 'a') {
                        throw new IllegalArgumentException("lists of lists are not supported");
                    }
                    kind = k;
                } else if (kind != k) {
                    throw new IllegalArgumentException("list element types are not identical: ["
                            + go(array(a)) + " " + go(array(b)) + "]");
                }
            }
        }
        if (kind == null) {
            throw new IllegalArgumentException("no elements in any of the given slices");
        }
        return kind == 'o';
    }

    private static List<JsonNode> deduplicate(List<JsonNode> items) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode v : items) {
            if (out.stream().noneMatch(o -> same(o, v))) {
                out.add(v);
            }
        }
        return out;
    }

    // ---- directives left in values taken from the patch

    /** Drops maps carrying {@code $patch} from a value the patch adds wholesale; null means drop the value itself. */
    private static JsonNode removeDirectives(JsonNode v) {
        if (v.isObject()) {
            if (v.has(DIRECTIVE)) {
                return null;
            }
            ObjectNode o = (ObjectNode) v;
            for (Map.Entry<String, JsonNode> e : new ArrayList<>(o.properties())) {
                put(o, e.getKey(), removeDirectives(e.getValue()));
            }
            return o;
        }
        if (v.isArray()) {
            ArrayNode out = NODES.arrayNode();
            for (JsonNode item : v) {
                JsonNode kept = removeDirectives(item);
                if (kept != null) {
                    out.add(kept);
                }
            }
            return out;
        }
        return v;
    }

    private static void discardNulls(JsonNode v) {
        if (v.isObject()) {
            ((ObjectNode) v).properties().removeIf(e -> e.getValue().isNull());
            for (JsonNode c : v) {
                discardNulls(c);
            }
        } else if (v.isArray()) {
            for (JsonNode c : v) {
                discardNulls(c);
            }
        }
    }

    /**
     * Upstream decodes the merged map into the Go type, which silently drops directive keys still present in values
     * taken verbatim from the patch (e.g. a new map's {@code $retainKeys}). We keep JSON, so drop them here.
     */
    private static void stripDirectiveKeys(JsonNode v) {
        if (v.isObject()) {
            ((ObjectNode) v).properties().removeIf(e -> {
                String k = e.getKey();
                return k.equals(DIRECTIVE) || k.equals(RETAIN_KEYS) || k.startsWith(SET_ELEMENT_ORDER + "/")
                        || k.startsWith(DELETE_FROM_PRIMITIVE_LIST + "/");
            });
        }
        if (v.isContainer()) {
            for (JsonNode c : v) {
                stripDirectiveKeys(c);
            }
        }
    }

    // ---- helpers

    private static String extractKey(String key, String prefix) {
        int slash = key.indexOf('/');
        if (slash < 0 || !key.substring(0, slash).equals(prefix)) {
            throw new IllegalArgumentException(prefix.equals(DELETE_FROM_PRIMITIVE_LIST)
                    ? "invalid patch format of primitive list" : "invalid patch format of setElementOrder list");
        }
        return key.substring(slash + 1);
    }

    private static void put(ObjectNode o, String key, JsonNode value) {
        if (value == null) {
            o.remove(key);
        } else {
            o.set(key, value);
        }
    }

    private static boolean is(JsonNode node, String text) {
        return node != null && node.isString() && node.stringValue().equals(text);
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> l = new ArrayList<>(array.size());
        array.forEach(l::add);
        return l;
    }

    private static ArrayNode array(List<JsonNode> items) {
        ArrayNode a = NODES.arrayNode();
        items.forEach(a::add);
        return a;
    }

    /** Go's == on decoded JSON values: numbers are all float64; absent and null are both nil. */
    private static boolean same(JsonNode a, JsonNode b) {
        boolean aNil = a == null || a.isNull();
        boolean bNil = b == null || b.isNull();
        if (aNil || bNil) {
            return aNil && bNil;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.doubleValue() == b.doubleValue();
        }
        return a.equals(b);
    }

    /** The Go kind of a decoded JSON value: 'o' map, 'a' slice, 's' string, 'n' float64, 'b' bool, '0' nil. */
    private static char goKind(JsonNode v) {
        if (v.isObject()) {
            return 'o';
        }
        if (v.isArray()) {
            return 'a';
        }
        if (v.isString()) {
            return 's';
        }
        if (v.isNumber()) {
            return 'n';
        }
        if (v.isBoolean()) {
            return 'b';
        }
        return '0';
    }

    private static String goType(JsonNode v) {
        return switch (goKind(v)) {
            case 'o' -> MAP_TYPE;
            case 'a' -> SLICE_TYPE;
            case 's' -> "string";
            case 'n' -> "float64";
            case 'b' -> "bool";
            default -> "%!s(<nil>)";
        };
    }

    /** Go's {@code %v} of a decoded JSON value: {@code map[k:v ...]} with sorted keys, {@code [a b]}, bare scalars. */
    static String go(JsonNode v) {
        if (v == null || v.isNull()) {
            return "<nil>";
        }
        if (v.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            v.properties().forEach(e -> sorted.put(e.getKey(), e.getValue()));
            StringBuilder sb = new StringBuilder("map[");
            String sep = "";
            for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
                sb.append(sep).append(e.getKey()).append(':').append(go(e.getValue()));
                sep = " ";
            }
            return sb.append(']').toString();
        }
        if (v.isArray()) {
            StringBuilder sb = new StringBuilder("[");
            String sep = "";
            for (JsonNode c : v) {
                sb.append(sep).append(go(c));
                sep = " ";
            }
            return sb.append(']').toString();
        }
        if (v.isString()) {
            return v.stringValue();
        }
        if (v.isNumber()) {
            double d = v.doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 1e21) {
                return Long.toString((long) d);
            }
            return Double.toString(d);
        }
        return v.toString();
    }

    private static IllegalArgumentException noMergeKey(JsonNode map, String key) {
        return new IllegalArgumentException("map: " + go(map) + " does not contain declared merge key: " + key);
    }

    private static IllegalArgumentException badArgType(String expected, JsonNode actual) {
        return new IllegalArgumentException("expected a " + expected + ", but received a " + goType(actual));
    }

    private static IllegalArgumentException badPatchType(JsonNode directive, ObjectNode map) {
        return new IllegalArgumentException("unknown patch type: " + go(directive) + " in map: " + go(map));
    }
}
