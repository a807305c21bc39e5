package dev.okube.apiserver.registry;

import dev.okube.apiserver.defaults.Defaults;
import dev.okube.apiserver.rest.Json;
import dev.okube.apiserver.selection.FieldSets;
import dev.okube.apiserver.tables.ColumnDefinition;
import dev.okube.apiserver.tables.TableConvertor;
import dev.okube.apiserver.tables.Tables;
import dev.okube.apiserver.validation.FieldError;
import dev.okube.apiserver.validation.ObjectMetaValidation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The strategy of a built-in kind, assembled from the per-kind tables of upstream's behaviour:
 * defaulting ({@link Defaults}), metadata validation ({@link ObjectMetaValidation}), printing
 * ({@link Tables}) and selectable fields ({@link FieldSets}); plus the status/spec rules of the
 * generic store. Kinds with special rules (pods, namespaces) override the few hooks they need.
 */
class KindStrategy implements ResourceStrategy {
    private final String group;
    private final String version;
    private final String kind;
    private final boolean namespaced;
    private final boolean hasStatus;
    private final boolean generation;
    private final TableConvertor table;
    private final List<Column> columns;

    KindStrategy(String group, String version, String kind, boolean namespaced, boolean hasStatus, boolean generation) {
        this.group = group;
        this.version = version;
        this.kind = kind;
        this.namespaced = namespaced;
        this.hasStatus = hasStatus;
        this.generation = generation;
        this.table = Tables.forKind(group, kind);
        this.columns = table.columns().stream().map(KindStrategy::column).toList();
    }

    private static Column column(ColumnDefinition c) {
        return new Column(c.name(), c.type(), c.format(), c.description(), c.priority());
    }

    @Override
    public void applyDefaults(ObjectNode object) {
        Defaults.apply(group, version, kind, object);
    }

    @Override
    public void prepareForCreate(ObjectNode object) {
        if (hasStatus && !(group.isEmpty() && kind.equals("Node"))) {
            // A client does not set status on create; controllers and kubelets report it. Nodes are the
            // exception, as upstream: a kubelet registers its node with capacity and conditions in one create.
            object.remove("status");
        }
        // What upstream's strategies set on create (pod phase and QoS class, namespace finalizer, ...).
        Defaults.prepareForCreate(group, version, kind, object);
    }

    @Override
    public void prepareForUpdate(ObjectNode object, ObjectNode old, boolean statusUpdate) {
        if (!hasStatus) {
            return;
        }
        if (statusUpdate) {
            // A status write changes status only: everything else stays as stored.
            JsonNode status = object.get("status");
            for (String field : List.copyOf(object.propertyNames())) {
                if (!field.equals("status") && !field.equals("apiVersion") && !field.equals("kind")) {
                    object.remove(field);
                }
            }
            for (Map.Entry<String, JsonNode> e : old.properties()) {
                if (!e.getKey().equals("status")) {
                    object.set(e.getKey(), e.getValue().deepCopy());
                }
            }
            if (status == null) {
                object.remove("status");
            }
            Json.metadata(object).put("resourceVersion", Json.text(object, "metadata", "resourceVersion") == null
                    ? "" : Json.text(object, "metadata", "resourceVersion"));
        } else if (old.has("status")) {
            object.set("status", old.get("status").deepCopy());
        } else {
            object.remove("status");
        }
    }

    @Override
    public boolean tracksGeneration() {
        return generation;
    }

    @Override
    public List<FieldProblem> validateCreate(ObjectNode object) {
        return problems(ObjectMetaValidation.validateCreate(object, namespaced, ObjectMetaValidation.nameRule(group, kind)));
    }

    @Override
    public List<FieldProblem> validateUpdate(ObjectNode object, ObjectNode old) {
        return problems(ObjectMetaValidation.validateUpdate(object, old, namespaced,
                ObjectMetaValidation.nameRule(group, kind)));
    }

    private static List<FieldProblem> problems(List<FieldError> errors) {
        return errors.stream().map(e -> new FieldProblem(e.reason(), e.field(), e.body())).toList();
    }

    @Override
    public List<Column> columns() {
        return columns;
    }

    @Override
    public List<Object> cells(JsonNode object, Instant now) {
        return table.cells(object, now);
    }

    @Override
    public Map<String, String> selectableFields(JsonNode object) {
        return FieldSets.fields(group, kind, object);
    }
}
