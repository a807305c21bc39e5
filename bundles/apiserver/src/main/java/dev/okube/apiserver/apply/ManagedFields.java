package dev.okube.apiserver.apply;

import dev.okube.apiserver.patch.PatchMeta;
import dev.okube.apiserver.rest.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * metadata.managedFields: who owns which fields, and how each write changes that (upstream's
 * fieldmanager). Writes that are not applies are recorded as operation Update: the writer takes the
 * fields it changed, everyone else loses them.
 */
public final class ManagedFields {
    /** Fields that no manager owns: identity and system-set metadata, as upstream's stripSet. */
    private static final Set<List<String>> STRIPPED = Set.of(List.of("f:apiVersion"), List.of("f:kind"),
            List.of("f:metadata", "f:name"), List.of("f:metadata", "f:namespace"),
            List.of("f:metadata", "f:creationTimestamp"), List.of("f:metadata", "f:selfLink"),
            List.of("f:metadata", "f:uid"), List.of("f:metadata", "f:generation"),
            List.of("f:metadata", "f:managedFields"), List.of("f:metadata", "f:resourceVersion"),
            List.of("f:metadata", "f:deletionTimestamp"), List.of("f:metadata", "f:deletionGracePeriodSeconds"));

    private ManagedFields() {
    }

    /** One managedFields entry. */
    public record Entry(String manager, String operation, String apiVersion, String time, String subresource,
            FieldSet fields) {
        boolean sameOwner(String otherManager, String otherOperation, String otherSubresource) {
            return manager.equals(otherManager) && operation.equals(otherOperation)
                    && subresource.equals(otherSubresource);
        }

        ObjectNode toJson() {
            ObjectNode e = Json.object();
            e.put("manager", manager);
            e.put("operation", operation);
            e.put("apiVersion", apiVersion);
            if (time != null) {
                e.put("time", time);
            }
            e.put("fieldsType", "FieldsV1");
            e.set("fieldsV1", fields.toJson());
            if (!subresource.isEmpty()) {
                e.put("subresource", subresource);
            }
            return e;
        }
    }

    /**
     * Which fields a write through a resource (or its status subresource) accounts for: a resource with a
     * status subresource leaves status to it, as upstream's reset strategies.
     */
    public record Scope(PatchMeta meta, String apiVersion, String subresource, boolean hasStatus) {
        FieldSet tracked(JsonNode object) {
            return FieldSet.of(trackedValues(object).values().keySet());
        }

        /** The tracked paths of an object with their values, from one walk. */
        FieldSet.Values trackedValues(JsonNode object) {
            FieldSet.Values all = FieldSet.valuesOf(object, meta);
            all.values().keySet().removeIf(p -> stripped(p) || !tracks(p));
            return all;
        }

        private boolean tracks(List<String> p) {
            if (!hasStatus) {
                return true;
            }
            boolean status = p.get(0).equals("f:status");
            return subresource.equals("status") ? status : !status;
        }
    }

    /** The scope of a write to a kind through {@code subresource} ("" for the resource itself). */
    public static Scope scope(String group, String version, String kind, String subresource, boolean hasStatus) {
        return new Scope(PatchMeta.forKind(group, version, kind), group.isEmpty() ? version : group + "/" + version,
                subresource == null ? "" : subresource, hasStatus);
    }

    private static boolean stripped(List<String> p) {
        return STRIPPED.contains(p.size() > 2 ? p.subList(0, 2) : p) || STRIPPED.contains(p.subList(0, 1));
    }

    public static List<Entry> read(JsonNode object) {
        List<Entry> out = new ArrayList<>();
        JsonNode list = Json.at(object, "metadata", "managedFields");
        if (list == null || !list.isArray()) {
            return out;
        }
        for (JsonNode e : list) {
            out.add(new Entry(text(e, "manager"), text(e, "operation"), text(e, "apiVersion"),
                    e.has("time") ? e.get("time").asString() : null, text(e, "subresource"),
                    FieldSet.fromJson(e.get("fieldsV1"))));
        }
        return out;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? "" : v.asString();
    }

    /** Writes the entries back; entries that own nothing are dropped, as upstream. */
    public static void write(ObjectNode object, List<Entry> entries) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (Entry e : entries) {
            if (!e.fields().isEmpty()) {
                list.add(e.toJson());
            }
        }
        ObjectNode meta = Json.metadata(object);
        if (list.isEmpty()) {
            meta.remove("managedFields");
        } else {
            meta.set("managedFields", list);
        }
    }

    /**
     * The leaves and elements whose values differ between two objects, as upstream's Compare
     * (modified, added and removed together). An element counts by its presence; its contents count
     * through their own paths.
     */
    static FieldSet changed(JsonNode before, JsonNode after, Scope scope) {
        return changed(before, before == null ? null : scope.trackedValues(before), after, scope.trackedValues(after));
    }

    /** {@link #changed(JsonNode, JsonNode, Scope)} with both objects' tracked values walked already. */
    private static FieldSet changed(JsonNode before, FieldSet.Values b, JsonNode after, FieldSet.Values a) {
        Set<List<String>> out = new LinkedHashSet<>();
        Set<List<String>> union = new LinkedHashSet<>();
        if (b != null) {
            union.addAll(b.values().keySet());
        }
        union.addAll(a.values().keySet());
        for (List<String> p : union) {
            JsonNode x = before == null ? null : b.at(before, p);
            JsonNode y = a.at(after, p);
            // An element, or an empty struct that is now filled (or was), counts by its presence only.
            boolean presence = !p.get(p.size() - 1).startsWith("f:") || x != null && x.isObject()
                    || y != null && y.isObject();
            if (presence ? (x == null) != (y == null) : !java.util.Objects.equals(x, y)) {
                out.add(p);
            }
        }
        return FieldSet.of(out);
    }

    /**
     * Records a create ({@code before} null) or an update by {@code manager} with operation Update.
     * The managedFields an update sends are taken when they differ from the stored ones (a client may
     * reset them), otherwise the stored ones carry over.
     */
    public static void recordUpdate(JsonNode before, ObjectNode after, String manager, Scope scope, Instant now) {
        List<Entry> entries;
        JsonNode sent = Json.at(after, "metadata", "managedFields");
        JsonNode stored = before == null ? null : Json.at(before, "metadata", "managedFields");
        entries = sent != null && !sent.equals(stored) ? read(after) : before == null ? new ArrayList<>() : read(before);
        FieldSet.Values afterValues = scope.trackedValues(after);
        FieldSet changed = changed(before, before == null ? null : scope.trackedValues(before), after, afterValues);
        FieldSet present = FieldSet.of(afterValues.values().keySet());
        List<Entry> out = new ArrayList<>();
        boolean found = false;
        for (Entry e : entries) {
            if (e.sameOwner(manager, "Update", scope.subresource())) {
                found = true;
                FieldSet fields = e.fields().union(changed).intersect(present);
                out.add(changed.isEmpty() ? e : new Entry(manager, "Update", scope.apiVersion(), Json.timestamp(now),
                        scope.subresource(), fields));
            } else {
                out.add(new Entry(e.manager(), e.operation(), e.apiVersion(), e.time(), e.subresource(),
                        e.fields().minus(changed).intersect(present).union(e.fields().intersect(outOfScope(e, scope)))));
            }
        }
        if (!found && !changed.isEmpty()) {
            out.add(new Entry(manager, "Update", scope.apiVersion(), Json.timestamp(now), scope.subresource(),
                    changed.intersect(present)));
        }
        write(after, out);
    }

    /** The fields of an entry this write does not see (status for a main-resource write): they stay. */
    private static FieldSet outOfScope(Entry e, Scope scope) {
        Set<List<String>> out = new LinkedHashSet<>();
        for (List<String> p : e.fields().paths()) {
            if (!scope.tracks(p)) {
                out.add(p);
            }
        }
        return FieldSet.of(out);
    }
}
