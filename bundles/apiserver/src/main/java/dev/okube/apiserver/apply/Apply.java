package dev.okube.apiserver.apply;

import dev.okube.apiserver.patch.PatchMeta;
import dev.okube.apiserver.rest.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Server-side apply: merges an applied configuration into the live object and moves field ownership,
 * as upstream's structured-merge-diff Updater.Apply behind the apiserver's fieldmanager.
 */
public final class Apply {
    /** The annotation client-side apply keeps; kubectl migrates its ownership with this manager. */
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    private Apply() {
    }

    /** One conflicting field: who owns it and where. */
    public record Conflict(String manager, String operation, String apiVersion, List<String> path) {
        /** "conflict with "m" using apps/v1", as upstream names the owner; an applier has no version. */
        public String owner() {
            return "conflict with \"" + manager + "\"" + (operation.equals("Update") ? " using " + apiVersion : "");
        }
    }

    /** The applied configuration sets fields that others own to other values. */
    public static final class ConflictException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient List<Conflict> conflicts;

        ConflictException(List<Conflict> conflicts) {
            super(message(conflicts), null, false, false);
            this.conflicts = List.copyOf(conflicts);
        }

        public List<Conflict> conflicts() {
            return conflicts;
        }

        /** Upstream's text: one conflict on one line; several grouped by owner, one "- path" line each. */
        static String message(List<Conflict> conflicts) {
            Map<String, List<String>> byOwner = new LinkedHashMap<>();
            for (Conflict c : conflicts) {
                byOwner.computeIfAbsent(c.owner(), k -> new ArrayList<>()).add(FieldSet.display(c.path()));
            }
            if (conflicts.size() == 1) {
                Conflict c = conflicts.get(0);
                return "Apply failed with 1 conflict: " + c.owner() + ": " + FieldSet.display(c.path());
            }
            StringBuilder b = new StringBuilder("Apply failed with ").append(conflicts.size()).append(" conflicts: ");
            String sep = "";
            for (Map.Entry<String, List<String>> e : byOwner.entrySet()) {
                b.append(sep);
                if (e.getValue().size() == 1) {
                    b.append(e.getKey()).append(": ").append(e.getValue().get(0));
                } else {
                    b.append(e.getKey().replaceFirst("^conflict ", "conflicts ")).append(':');
                    for (String p : e.getValue()) {
                        b.append("\n- ").append(p);
                    }
                }
                sep = "\n";
            }
            return b.toString();
        }
    }

    /**
     * Applies {@code applied} for {@code manager}. {@code live} null creates. Returns the new object
     * with its managedFields; returns {@code live} itself when nothing changes, so re-applying is a no-op.
     */
    public static ObjectNode apply(ObjectNode live, ObjectNode applied, String manager, boolean force,
            ManagedFields.Scope scope, Instant now) {
        FieldSet mine = scope.tracked(applied);
        ObjectNode base = live == null ? Json.object() : live.deepCopy();
        List<ManagedFields.Entry> entries = live == null ? new ArrayList<>() : ManagedFields.read(live);
        FieldSet previous = FieldSet.empty();
        FieldSet others = FieldSet.empty();
        for (ManagedFields.Entry e : entries) {
            if (e.sameOwner(manager, "Apply", scope.subresource())) {
                previous = e.fields();
            } else {
                others = others.union(e.fields());
            }
        }
        ObjectNode merged = (ObjectNode) merge(base, applied, scope.meta());
        // What this manager applied before and no longer does goes, unless someone else still holds it.
        List<List<String>> removed = new ArrayList<>(previous.minus(mine).paths());
        removed.sort(Comparator.comparingInt(List::size)); // elements before their fields: a key field is how an element is found
        for (List<String> p : removed) {
            if (!others.containsPrefix(p) && !mine.containsPrefix(p) && !isKeyOfKeptElement(p, mine, others)) {
                FieldSet.remove(merged, p);
            }
        }
        if (live != null) {
            Json.metadata(merged).set("managedFields", Json.metadata(live).get("managedFields"));
        }

        FieldSet changed = ManagedFields.changed(live, merged, scope);
        List<Conflict> conflicts = new ArrayList<>();
        for (ManagedFields.Entry e : entries) {
            if (e.sameOwner(manager, "Apply", scope.subresource())) {
                continue;
            }
            for (List<String> p : e.fields().intersect(changed).paths()) {
                conflicts.add(new Conflict(e.manager(), e.operation(), e.apiVersion(), p));
            }
        }
        if (!conflicts.isEmpty() && !force && !allowedByLastApplied(live, applied, conflicts, scope)) {
            throw new ConflictException(conflicts);
        }

        FieldSet present = scope.tracked(merged);
        List<ManagedFields.Entry> out = new ArrayList<>();
        boolean found = false;
        for (ManagedFields.Entry e : entries) {
            if (e.sameOwner(manager, "Apply", scope.subresource())) {
                found = true;
                boolean same = e.fields().equals(mine) && changed.isEmpty();
                out.add(same ? e : new ManagedFields.Entry(manager, "Apply", scope.apiVersion(), Json.timestamp(now),
                        scope.subresource(), mine));
            } else {
                // Forced or not, a changed field belongs to whoever changed it.
                FieldSet kept = e.fields().minus(changed);
                out.add(kept.equals(e.fields()) ? e : new ManagedFields.Entry(e.manager(), e.operation(),
                        e.apiVersion(), e.time(), e.subresource(), kept.intersect(present)));
            }
        }
        if (!found) {
            out.add(new ManagedFields.Entry(manager, "Apply", scope.apiVersion(), Json.timestamp(now),
                    scope.subresource(), mine));
        }
        ManagedFields.write(merged, out);
        return live != null && merged.equals(live) ? live : merged;
    }

    /** A merge key field inside an element that stays: removing it would break the element. */
    private static boolean isKeyOfKeptElement(List<String> p, FieldSet mine, FieldSet others) {
        if (p.size() < 2 || !p.get(p.size() - 2).startsWith("k:")) {
            return false;
        }
        List<String> element = p.subList(0, p.size() - 1);
        JsonNode key = Json.MAPPER.readTree(element.get(element.size() - 1).substring(2));
        return key.has(p.get(p.size() - 1).substring(2)) && (mine.containsPrefix(element) || others.containsPrefix(element));
    }

    /**
     * Upstream's lastAppliedManager: moving from client-side to server-side apply, conflicts on fields whose
     * new value is the one the last-applied annotation recorded are not conflicts; and the
     * kubectl-last-applied manager just takes the annotation over.
     */
    private static boolean allowedByLastApplied(ObjectNode live, ObjectNode applied, List<Conflict> conflicts,
            ManagedFields.Scope scope) {
        String text = live == null ? null : Json.text(live, "metadata", "annotations", LAST_APPLIED);
        if (text == null || text.isEmpty()) {
            return false;
        }
        List<String> annotation = List.of("f:metadata", "f:annotations", "f:" + LAST_APPLIED);
        JsonNode lastApplied;
        try {
            lastApplied = Json.MAPPER.readTree(text);
        } catch (RuntimeException e) {
            return false;
        }
        FieldSet recorded = scope.tracked(lastApplied);
        for (Conflict c : conflicts) {
            if (c.path().equals(annotation)) {
                continue;
            }
            if (!recorded.contains(c.path())
                    || !java.util.Objects.equals(FieldSet.valueAt(lastApplied, c.path()), FieldSet.valueAt(applied, c.path()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The applied configuration over the live object: its values win, maps merge, lists merge by
     * their keys (map lists) or as sets (primitive lists) and are replaced otherwise.
     */
    static JsonNode merge(JsonNode live, JsonNode applied, PatchMeta meta) {
        if (live == null || !live.isObject() || !applied.isObject()) {
            return applied.deepCopy();
        }
        ObjectNode out = ((ObjectNode) live).deepCopy();
        for (Map.Entry<String, JsonNode> e : applied.properties()) {
            String name = e.getKey();
            JsonNode value = e.getValue();
            PatchMeta child = meta.field(name);
            JsonNode current = out.get(name);
            if (value.isNull()) {
                out.remove(name); // null in an applied configuration clears the field
            } else if (value.isObject()) {
                out.set(name, merge(current, value, child));
            } else if (value.isArray() && current != null && current.isArray()) {
                out.set(name, mergeList((ArrayNode) current, (ArrayNode) value, child));
            } else {
                out.set(name, value.deepCopy());
            }
        }
        return out;
    }

    private static ArrayNode mergeList(ArrayNode live, ArrayNode applied, PatchMeta meta) {
        String key = meta.mergeKey();
        if (meta.listStrategy() == PatchMeta.Strategy.MERGE_BY_KEY && FieldSet.keyed(live, key)
                && FieldSet.keyed(applied, key)) {
            ArrayNode out = live.deepCopy();
            for (JsonNode item : applied) {
                int i = FieldSet.indexIn(out, FieldSet.keyElement(item, key));
                if (i >= 0) {
                    out.set(i, merge(out.get(i), item, meta));
                } else {
                    out.add(item.deepCopy());
                }
            }
            return out;
        }
        if (meta.listStrategy() == PatchMeta.Strategy.MERGE_PRIMITIVES && FieldSet.primitives(live)
                && FieldSet.primitives(applied)) {
            ArrayNode out = live.deepCopy();
            Set<JsonNode> seen = new LinkedHashSet<>();
            live.forEach(seen::add);
            for (JsonNode item : applied) {
                if (seen.add(item)) {
                    out.add(item.deepCopy());
                }
            }
            return out;
        }
        return applied.deepCopy();
    }
}
