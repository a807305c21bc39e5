package dev.okube.admission.resourcequota;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Resource lists (resource name → quantity) and the set arithmetic of upstream's quota helpers
 * (Add, Subtract, Mask, LessThanOrEqual, Equals, IsZero, IsNegative). Lists are sorted maps, so
 * messages list resources in upstream's order.
 */
final class ResourceList {
    private ResourceList() {
    }

    static TreeMap<String, Quantity> of() {
        return new TreeMap<>();
    }

    /**
     * Reads a ResourceList field; an absent or null field is an empty list.
     *
     * @throws IllegalArgumentException naming the entry when a value is not a quantity
     */
    static TreeMap<String, Quantity> read(JsonNode list) {
        TreeMap<String, Quantity> result = new TreeMap<>();
        if (list == null || !list.isObject()) {
            return result;
        }
        for (Map.Entry<String, JsonNode> e : list.properties()) {
            try {
                result.put(e.getKey(), Quantity.parse(e.getValue()));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(e.getKey() + ": " + ex.getMessage(), ex);
            }
        }
        return result;
    }

    static ObjectNode write(Map<String, Quantity> list) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, Quantity> e : new TreeMap<>(list).entrySet()) {
            node.put(e.getKey(), e.getValue().toString());
        }
        return node;
    }

    static TreeMap<String, Quantity> add(Map<String, Quantity> a, Map<String, Quantity> b) {
        TreeMap<String, Quantity> result = new TreeMap<>(a);
        for (Map.Entry<String, Quantity> e : b.entrySet()) {
            result.merge(e.getKey(), e.getValue(), Quantity::add);
        }
        return result;
    }

    /** a - b over the keys of both. */
    static TreeMap<String, Quantity> subtract(Map<String, Quantity> a, Map<String, Quantity> b) {
        TreeMap<String, Quantity> result = new TreeMap<>(a);
        for (Map.Entry<String, Quantity> e : b.entrySet()) {
            result.put(e.getKey(), result.getOrDefault(e.getKey(), Quantity.ZERO).subtract(e.getValue()));
        }
        return result;
    }

    /** a - b, with negative results as zero (upstream's SubtractWithNonNegativeResult). */
    static TreeMap<String, Quantity> subtractNonNegative(Map<String, Quantity> a, Map<String, Quantity> b) {
        TreeMap<String, Quantity> result = subtract(a, b);
        result.replaceAll((k, v) -> v.signum() < 0 ? Quantity.ZERO : v);
        return result;
    }

    /** The element-wise maximum over the keys of both. */
    static TreeMap<String, Quantity> max(Map<String, Quantity> a, Map<String, Quantity> b) {
        TreeMap<String, Quantity> result = new TreeMap<>(a);
        for (Map.Entry<String, Quantity> e : b.entrySet()) {
            result.merge(e.getKey(), e.getValue(), Quantity::max);
        }
        return result;
    }

    /** Only the entries named. */
    static TreeMap<String, Quantity> mask(Map<String, Quantity> list, Collection<String> names) {
        TreeMap<String, Quantity> result = new TreeMap<>();
        for (String name : names) {
            Quantity q = list.get(name);
            if (q != null) {
                result.put(name, q);
            }
        }
        return result;
    }

    /** The names in {@code a} whose amount is greater than the same name's amount in {@code b}. */
    static List<String> exceeding(Map<String, Quantity> a, Map<String, Quantity> b) {
        List<String> exceeded = new ArrayList<>();
        for (Map.Entry<String, Quantity> e : a.entrySet()) {
            Quantity limit = b.get(e.getKey());
            if (limit != null && e.getValue().compareTo(limit) > 0) {
                exceeded.add(e.getKey());
            }
        }
        return exceeded;
    }

    /** Same names with equal amounts. */
    static boolean equal(Map<String, Quantity> a, Map<String, Quantity> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, Quantity> e : a.entrySet()) {
            if (e.getValue().compareTo(b.get(e.getKey())) != 0) {
                return false;
            }
        }
        return true;
    }

    static boolean isZero(Map<String, Quantity> list) {
        return list.values().stream().allMatch(Quantity::isZero);
    }

    static List<String> negative(Map<String, Quantity> list) {
        return list.entrySet().stream().filter(e -> e.getValue().signum() < 0).map(Map.Entry::getKey).toList();
    }

    /** "pods=1,requests.cpu=500m", sorted by name, as upstream's prettyPrint. */
    static String pretty(Map<String, Quantity> list) {
        StringJoiner joiner = new StringJoiner(",");
        new TreeMap<>(list).forEach((k, v) -> joiner.add(k + "=" + v));
        return joiner.toString();
    }

    static String prettyNames(Collection<String> names) {
        return String.join(",", new java.util.TreeSet<>(names));
    }

    static Set<String> names(Map<String, Quantity> list) {
        return list.keySet();
    }
}
