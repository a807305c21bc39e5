package dev.okube.apiserver.crd;

import dev.okube.apiserver.registry.ResourceStrategy;
import dev.okube.apiserver.rest.Json;
import dev.okube.apiserver.tables.Tables;
import dev.okube.apiserver.validation.FieldError;
import dev.okube.apiserver.validation.ObjectMetaValidation.NameRule;
import dev.okube.apiserver.validation.ObjectMetaValidation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The strategy of one served version of a CustomResourceDefinition, as apiextensions-apiserver's
 * customResourceStrategy: structural pruning, defaulting and validation from the version's
 * openAPIV3Schema, the status subresource's split of spec and status, and the printer columns.
 */
final class CustomResourceStrategy implements ResourceStrategy {
    private static final Column NAME = new Column("Name", "string", "name",
            "Name must be unique within a namespace. Is required when creating resources, although some resources "
                    + "may allow a client to request the generation of an appropriate name automatically. Name is "
                    + "primarily intended for creation idempotence and configuration definition. Cannot be updated. "
                    + "More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names", 0);
    private static final PrinterColumn AGE = new PrinterColumn(new Column("Age", "date", "",
            "CreationTimestamp is a timestamp representing the server time when this object was created.", 0),
            ".metadata.creationTimestamp");

    /** A column and the JSONPath (simple field path) of its cells. */
    record PrinterColumn(Column column, String jsonPath) {
    }

    private final JsonNode schema;
    private final boolean namespaced;
    private final boolean hasStatus;
    private final List<PrinterColumn> printerColumns;
    private final List<Column> columns;
    private final ScalePaths scalePaths;

    CustomResourceStrategy(JsonNode schema, boolean namespaced, boolean hasStatus, JsonNode additionalPrinterColumns,
            ScalePaths scalePaths) {
        this.schema = schema;
        this.scalePaths = scalePaths;
        this.namespaced = namespaced;
        this.hasStatus = hasStatus;
        List<PrinterColumn> pcs = new ArrayList<>();
        if (additionalPrinterColumns == null || additionalPrinterColumns.isEmpty()) {
            // Upstream's CRD defaulting gives a version without columns an Age column.
            pcs.add(AGE);
        } else {
            for (JsonNode c : additionalPrinterColumns) {
                pcs.add(new PrinterColumn(new Column(c.path("name").asString(""), c.path("type").asString("string"),
                        c.path("format").asString(""), c.path("description").asString(""), c.path("priority").asInt(0)),
                        c.path("jsonPath").asString("")));
            }
        }
        this.printerColumns = List.copyOf(pcs);
        List<Column> cols = new ArrayList<>();
        cols.add(NAME);
        pcs.forEach(p -> cols.add(p.column()));
        this.columns = List.copyOf(cols);
    }

    @Override
    public void applyDefaults(ObjectNode object) {
        // Upstream prunes while decoding, then defaults: defaults never bring back pruned fields.
        Schemas.prune(schema, object, true);
        Schemas.applyDefaults(schema, object);
    }

    @Override
    public void prepareForCreate(ObjectNode object) {
        if (hasStatus) {
            object.remove("status");
        }
    }

    @Override
    public void prepareForUpdate(ObjectNode object, ObjectNode old, boolean statusUpdate) {
        if (!hasStatus) {
            return;
        }
        if (statusUpdate) {
            // A status write changes status only (metadata included, as upstream's customResourceStatusStrategy).
            JsonNode status = object.get("status");
            String rv = Json.text(object, "metadata", "resourceVersion");
            for (String field : List.copyOf(object.propertyNames())) {
                object.remove(field);
            }
            for (Map.Entry<String, JsonNode> e : old.properties()) {
                if (!e.getKey().equals("status")) {
                    object.set(e.getKey(), e.getValue().deepCopy());
                }
            }
            if (status != null) {
                object.set("status", status);
            }
            Json.metadata(object).put("resourceVersion", rv == null ? "" : rv);
        } else if (old.has("status")) {
            object.set("status", old.get("status").deepCopy());
        } else {
            object.remove("status");
        }
    }

    @Override
    public ScalePaths scalePaths() {
        return scalePaths;
    }

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    public List<FieldProblem> validateCreate(ObjectNode object) {
        List<FieldError> errors = new ArrayList<>(ObjectMetaValidation.validateCreate(object, namespaced,
                NameRule.DNS1123_SUBDOMAIN));
        errors.addAll(Schemas.validate(schema, object));
        return problems(errors);
    }

    @Override
    public List<FieldProblem> validateUpdate(ObjectNode object, ObjectNode old) {
        List<FieldError> errors = new ArrayList<>(ObjectMetaValidation.validateUpdate(object, old, namespaced,
                NameRule.DNS1123_SUBDOMAIN));
        errors.addAll(Schemas.validate(schema, object));
        return problems(errors);
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
        List<Object> cells = new ArrayList<>();
        cells.add(Json.text(object, "metadata", "name"));
        for (PrinterColumn pc : printerColumns) {
            cells.add(cell(pc, object, now));
        }
        return cells;
    }

    /** A cell as upstream's tableconvertor: missing values are null (printed "<none>"), dates are ages. */
    private static Object cell(PrinterColumn pc, JsonNode object, Instant now) {
        JsonNode v = object;
        for (String part : pc.jsonPath().replaceFirst("^\\.", "").split("\\.")) {
            if (v == null || part.isEmpty()) {
                break;
            }
            v = v.get(part);
        }
        if (v == null || v.isNull()) {
            return null;
        }
        if (pc.column().type().equals("date") && v.isString()) {
            try {
                return Tables.humanDuration(Duration.between(Instant.parse(v.asString()), now));
            } catch (java.time.format.DateTimeParseException e) {
                return v.asString();
            }
        }
        if (v.isString()) {
            return v.asString();
        } else if (v.isIntegralNumber()) {
            return v.asLong();
        } else if (v.isNumber()) {
            return v.asDouble();
        } else if (v.isBoolean()) {
            return v.asBoolean();
        }
        return v.toString();
    }

    @Override
    public Map<String, String> selectableFields(JsonNode object) {
        String name = Json.text(object, "metadata", "name");
        String ns = Json.text(object, "metadata", "namespace");
        return namespaced ? Map.of("metadata.name", name == null ? "" : name, "metadata.namespace", ns == null ? "" : ns)
                : Map.of("metadata.name", name == null ? "" : name);
    }
}
