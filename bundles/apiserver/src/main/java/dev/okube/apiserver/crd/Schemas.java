package dev.okube.apiserver.crd;

import dev.okube.apiserver.validation.FieldError;
import dev.okube.apiserver.validation.GoText;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What apiextensions-apiserver does with a structural schema ({@code openAPIV3Schema}): prune unknown
 * fields, apply {@code default}s, and validate types, required fields, enums, patterns and bounds with
 * kube-openapi's messages. Only the root's apiVersion, kind and metadata are left to the generic store.
 */
final class Schemas {
    private static final List<String> ROOT_FIELDS = List.of("apiVersion", "kind", "metadata");

    private Schemas() {
    }

    /** Drops the fields the schema does not know, unless x-kubernetes-preserve-unknown-fields keeps them. */
    static void prune(JsonNode schema, JsonNode value, boolean root) {
        if (schema == null || value == null || schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
                && !schema.has("properties")) {
            return;
        }
        boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        if (value.isObject()) {
            ObjectNode o = (ObjectNode) value;
            JsonNode properties = schema.get("properties");
            JsonNode additional = schema.get("additionalProperties");
            for (String field : List.copyOf(o.propertyNames())) {
                if (root && ROOT_FIELDS.contains(field)) {
                    continue;
                }
                JsonNode child = properties == null ? null : properties.get(field);
                if (child != null) {
                    prune(child, o.get(field), false);
                } else if (additional != null && additional.isObject()) {
                    prune(additional, o.get(field), false);
                } else if (!preserve && (additional == null || !additional.asBoolean(false))) {
                    o.remove(field);
                }
            }
        } else if (value.isArray() && schema.has("items")) {
            for (JsonNode item : value) {
                prune(schema.get("items"), item, false);
            }
        }
    }

    /** Sets each missing property that has a {@code default}, top-down, as upstream's structural defaulting. */
    static void applyDefaults(JsonNode schema, JsonNode value) {
        if (schema == null || value == null) {
            return;
        }
        if (value.isObject()) {
            ObjectNode o = (ObjectNode) value;
            JsonNode properties = schema.get("properties");
            if (properties != null) {
                for (Map.Entry<String, JsonNode> p : properties.properties()) {
                    JsonNode def = p.getValue().get("default");
                    if (def != null && !o.has(p.getKey())) {
                        o.set(p.getKey(), def.deepCopy());
                    }
                    applyDefaults(p.getValue(), o.get(p.getKey()));
                }
            }
            JsonNode additional = schema.get("additionalProperties");
            if (additional != null && additional.isObject()) {
                for (Map.Entry<String, JsonNode> e : o.properties()) {
                    applyDefaults(additional, e.getValue());
                }
            }
        } else if (value.isArray() && schema.has("items")) {
            for (JsonNode item : value) {
                applyDefaults(schema.get("items"), item);
            }
        }
    }

    /** The validation errors of an object against its schema (metadata aside). */
    static List<FieldError> validate(JsonNode schema, JsonNode object) {
        List<FieldError> errors = new ArrayList<>();
        if (schema != null) {
            validate(schema, object, "", true, errors);
        }
        return errors;
    }

    private static void validate(JsonNode schema, JsonNode value, String path, boolean root, List<FieldError> errors) {
        if (value == null) {
            return;
        }
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean(false) && schema.has("type")) {
                errors.add(FieldError.invalidRendered(path, "\"null\"", in(path) + " must be of type "
                        + schema.get("type").asString() + ": \"null\""));
            }
            return;
        }
        String type = schema.path("type").asString("");
        if (!type.isEmpty() && !hasType(value, type)) {
            String actual = typeName(value);
            errors.add(FieldError.invalidRendered(path, GoText.quote(actual), in(path) + " must be of type " + type
                    + ": " + GoText.quote(actual)));
            return;
        }
        JsonNode enums = schema.get("enum");
        if (enums != null && enums.isArray()) {
            boolean found = false;
            for (JsonNode e : enums) {
                found |= sameValue(e, value);
            }
            if (!found) {
                List<String> supported = new ArrayList<>();
                enums.forEach(e -> supported.add(e.isString() ? e.asString() : e.toString()));
                errors.add(value.isString() ? FieldError.notSupported(path, value.asString(), supported)
                        : new FieldError(FieldError.Type.NOT_SUPPORTED, path, value.toString(),
                                "supported values: " + String.join(", ", supported.stream().map(GoText::quote).toList())));
            }
        }
        if (value.isString()) {
            String pattern = schema.path("pattern").asString(null);
            if (pattern != null && !matches(pattern, value.asString())) {
                errors.add(FieldError.invalid(path, value.asString(), in(path) + " should match '" + pattern + "'"));
            }
            if (schema.has("maxLength") && value.asString().codePointCount(0, value.asString().length())
                    > schema.get("maxLength").asLong()) {
                errors.add(new FieldError(FieldError.Type.TOO_LONG, path, null, "may not be more than "
                        + schema.get("maxLength").asLong() + " bytes"));
            }
            if (schema.has("minLength") && value.asString().codePointCount(0, value.asString().length())
                    < schema.get("minLength").asLong()) {
                errors.add(FieldError.invalid(path, value.asString(), in(path) + " should be at least "
                        + schema.get("minLength").asLong() + " chars long"));
            }
        }
        if (value.isNumber()) {
            BigDecimal v = value.decimalValue();
            JsonNode max = schema.get("maximum");
            if (max != null && (schema.path("exclusiveMaximum").asBoolean(false)
                    ? v.compareTo(max.decimalValue()) >= 0 : v.compareTo(max.decimalValue()) > 0)) {
                errors.add(FieldError.invalidRendered(path, value.toString(), in(path) + " should be less than "
                        + (schema.path("exclusiveMaximum").asBoolean(false) ? "" : "or equal to ") + max));
            }
            JsonNode min = schema.get("minimum");
            if (min != null && (schema.path("exclusiveMinimum").asBoolean(false)
                    ? v.compareTo(min.decimalValue()) <= 0 : v.compareTo(min.decimalValue()) < 0)) {
                errors.add(FieldError.invalidRendered(path, value.toString(), in(path) + " should be greater than "
                        + (schema.path("exclusiveMinimum").asBoolean(false) ? "" : "or equal to ") + min));
            }
        }
        if (value.isArray()) {
            if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
                errors.add(FieldError.tooMany(path, value.size(), schema.get("maxItems").asInt()));
            }
            JsonNode items = schema.get("items");
            if (items != null) {
                for (int i = 0; i < value.size(); i++) {
                    validate(items, value.get(i), path + "[" + i + "]", false, errors);
                }
            }
        }
        if (value.isObject()) {
            JsonNode required = schema.get("required");
            if (required != null) {
                for (JsonNode r : required) {
                    if (!value.has(r.asString())) {
                        errors.add(FieldError.required(child(path, r.asString()), ""));
                    }
                }
            }
            JsonNode properties = schema.get("properties");
            JsonNode additional = schema.get("additionalProperties");
            for (Map.Entry<String, JsonNode> e : value.properties()) {
                if (root && ROOT_FIELDS.contains(e.getKey())) {
                    continue;
                }
                JsonNode child = properties == null ? null : properties.get(e.getKey());
                if (child == null && additional != null && additional.isObject()) {
                    child = additional;
                }
                if (child != null) {
                    validate(child, e.getValue(), child(path, e.getKey()), false, errors);
                }
            }
        }
    }

    /** kube-openapi names the location "<path> in body". */
    private static String in(String path) {
        return path.isEmpty() ? "body" : path + " in body";
    }

    private static String child(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private static boolean hasType(JsonNode v, String type) {
        return switch (type) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isString();
            case "boolean" -> v.isBoolean();
            case "integer" -> v.isIntegralNumber() || v.isNumber() && v.decimalValue().stripTrailingZeros().scale() <= 0;
            case "number" -> v.isNumber();
            default -> true;
        };
    }

    /** The JSON type names kube-openapi reports for a wrong value. */
    private static String typeName(JsonNode v) {
        if (v.isObject()) {
            return "object";
        } else if (v.isArray()) {
            return "array";
        } else if (v.isString()) {
            return "string";
        } else if (v.isBoolean()) {
            return "boolean";
        } else if (v.isIntegralNumber()) {
            return "integer";
        }
        return "number";
    }

    private static boolean sameValue(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    private static boolean matches(String pattern, String value) {
        try {
            return Pattern.compile(pattern).matcher(value).find();
        } catch (PatternSyntaxException e) {
            return true; // the CRD's own validation refuses bad patterns; never fail objects for it
        }
    }

    /** The schema at a dotted path (".spec.replicas"), or null. */
    static JsonNode at(JsonNode schema, String dotted) {
        JsonNode s = schema;
        for (String part : dotted.replaceFirst("^\\.", "").split("\\.")) {
            if (s == null || part.isEmpty()) {
                return s;
            }
            s = s.path("properties").get(part);
        }
        return s;
    }

    static ArrayNode array(ObjectNode parent, String field) {
        return parent.has(field) && parent.get(field).isArray() ? (ArrayNode) parent.get(field) : parent.putArray(field);
    }
}
