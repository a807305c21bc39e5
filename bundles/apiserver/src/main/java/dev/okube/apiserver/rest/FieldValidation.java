package dev.okube.apiserver.rest;

import dev.okube.apiserver.openapi.OpenApi;
import dev.okube.apiserver.registry.ResourceDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * {@code fieldValidation=Strict|Warn|Ignore}: fields a kind's OpenAPI schema does not know are
 * rejected (400, upstream's "strict decoding error: unknown field ...") or reported as Warning
 * headers, as upstream's apiserver does. kubectl 1.32 leaves this check to the server.
 */
final class FieldValidation {
    enum Mode { STRICT, WARN, IGNORE }

    private final OpenApi openApi;
    private final Map<String, Schemas> schemaRoots = new ConcurrentHashMap<>();

    FieldValidation(OpenApi openApi) {
        this.openApi = openApi;
    }

    /** The mode a request asks for; upstream's default for requests without the parameter is Warn. */
    static Mode mode(String parameter) {
        if (parameter == null || parameter.isEmpty()) {
            return Mode.WARN;
        }
        return switch (parameter) {
            case "Strict" -> Mode.STRICT;
            case "Warn" -> Mode.WARN;
            case "Ignore" -> Mode.IGNORE;
            default -> throw ApiException.badRequest("fieldValidation: Unsupported value: \"" + parameter
                    + "\": supported values: \"Ignore\", \"Strict\", \"Warn\"");
        };
    }

    /**
     * The unknown fields of an object, as upstream words them ({@code unknown field "spec.foo"}); empty
     * when the kind has no schema.
     */
    List<String> unknownFields(ResourceDefinition def, JsonNode object) {
        Schemas doc = schemas(def);
        if (doc == null) {
            return List.of();
        }
        JsonNode root = doc.kindSchema(def);
        if (root == null) {
            return List.of();
        }
        List<String> unknown = new ArrayList<>();
        walk(doc.schemas(), root, object, "", unknown);
        return unknown;
    }

    /** Throws 400 in Strict mode; returns the warnings to send in Warn mode. */
    List<String> check(ResourceDefinition def, JsonNode object, Mode mode) {
        return check(def, object, null, mode);
    }

    /** As {@link #check(ResourceDefinition, JsonNode, Mode)}, also reporting duplicate fields of a JSON body. */
    List<String> check(ResourceDefinition def, JsonNode object, byte[] json, Mode mode) {
        if (mode == Mode.IGNORE) {
            return List.of();
        }
        return checkWithDuplicate(def, object, json == null ? null : duplicateField(json), mode);
    }

    /**
     * As {@link #check(ResourceDefinition, JsonNode, byte[], Mode)} when the body's first repeated
     * property is known already (null: none), from {@link #parseJson}.
     */
    List<String> checkWithDuplicate(ResourceDefinition def, JsonNode object, String duplicate, Mode mode) {
        if (mode == Mode.IGNORE) {
            return List.of();
        }
        List<String> unknown = new ArrayList<>();
        if (duplicate != null) {
            unknown.add("duplicate field \"" + duplicate + "\"");
        }
        unknown.addAll(unknownFields(def, object));
        if (unknown.isEmpty()) {
            return List.of();
        }
        if (mode == Mode.STRICT) {
            throw ApiException.badRequest(def.kind() + " in version \"" + def.version() + "\" cannot be handled as a "
                    + def.kind() + ": strict decoding error: " + String.join(", ", unknown));
        }
        return unknown;
    }

    /** A JSON reader that fails on the first property given twice in one object. */
    private static final tools.jackson.databind.json.JsonMapper STRICT = Json.MAPPER.rebuild()
            .enable(tools.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final java.util.regex.Pattern DUPLICATE = java.util.regex.Pattern.compile(
            "Duplicate Object property \"(.*)\"");

    /** A JSON body read once: its tree, as {@link Json#MAPPER} reads it, and its first repeated property or null. */
    record Parsed(JsonNode tree, String duplicate) {
    }

    /**
     * Reads a JSON body and finds its first repeated property in one pass: the strict reader builds
     * the same tree as {@link Json#MAPPER} when no property repeats (the usual case); only a body
     * that fails it is read again, leniently, which also reports any syntax error as before.
     */
    static Parsed parseJson(byte[] json) {
        try {
            return new Parsed(STRICT.readTree(json), null);
        } catch (tools.jackson.core.exc.StreamReadException e) {
            return new Parsed(Json.MAPPER.readTree(json), duplicateName(e));
        }
    }

    /** The first property a JSON document repeats within one object, or null (non-JSON bodies: null). */
    static String duplicateField(byte[] json) {
        try {
            STRICT.readTree(json);
            return null;
        } catch (tools.jackson.core.exc.StreamReadException e) {
            return duplicateName(e);
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    private static String duplicateName(tools.jackson.core.exc.StreamReadException e) {
        String message = e.getOriginalMessage();
        java.util.regex.Matcher m = DUPLICATE.matcher(message == null ? "" : message);
        return m.find() ? m.group(1) : null;
    }

    /** One OpenAPI document's schemas, with the schema of each kind looked up once. */
    private record Schemas(JsonNode schemas, Map<String, java.util.Optional<JsonNode>> kinds) {
        JsonNode kindSchema(ResourceDefinition def) {
            return kinds.computeIfAbsent(def.group() + "/" + def.version() + "/" + def.kind(),
                    k -> java.util.Optional.ofNullable(FieldValidation.kindSchema(schemas, def))).orElse(null);
        }
    }

    private Schemas schemas(ResourceDefinition def) {
        String path = OpenApi.path(def.group(), def.version());
        OpenApi.Document d = openApi.document(path);
        if (d == null) {
            return EMPTY;
        }
        // Keyed by hash: custom resource documents change at run time, and a changed one is a new entry;
        // superseded entries are dropped wholesale now and then rather than tracked.
        if (schemaRoots.size() > 256) {
            schemaRoots.clear();
        }
        return schemaRoots.computeIfAbsent(d.hash(), h -> new Schemas(
                Json.MAPPER.readTree(d.json()).path("components").path("schemas"), new ConcurrentHashMap<>()));
    }

    private static final Schemas EMPTY = new Schemas(Json.object(), new ConcurrentHashMap<>());

    private static JsonNode kindSchema(JsonNode schemas, ResourceDefinition def) {
        for (Map.Entry<String, JsonNode> e : schemas.properties()) {
            JsonNode gvks = e.getValue().get("x-kubernetes-group-version-kind");
            if (gvks != null) {
                for (JsonNode gvk : gvks) {
                    if (def.kind().equals(Json.text(gvk, "kind")) && def.group().equals(Json.text(gvk, "group"))
                            && def.version().equals(Json.text(gvk, "version"))) {
                        return e.getValue();
                    }
                }
            }
        }
        return null;
    }

    private static void walk(JsonNode schemas, JsonNode schema, JsonNode value, String path, List<String> unknown) {
        schema = resolve(schemas, schema);
        if (schema == null || value == null || value.isNull() || schema.path("x-kubernetes-preserve-unknown-fields")
                .asBoolean(false)) {
            return;
        }
        if (value.isObject()) {
            JsonNode properties = schema.get("properties");
            JsonNode additional = schema.get("additionalProperties");
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                if (field.getKey().startsWith("$")) {
                    continue; // strategic merge patch directives
                }
                String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                JsonNode propertySchema = properties == null ? null : properties.get(field.getKey());
                if (propertySchema != null) {
                    walk(schemas, propertySchema, field.getValue(), child, unknown);
                } else if (additional != null && additional.isObject()) {
                    walk(schemas, additional, field.getValue(), child, unknown);
                } else if (properties != null && (additional == null || !additional.asBoolean(false))) {
                    unknown.add("unknown field \"" + child + "\"");
                }
            }
        } else if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                walk(schemas, schema.get("items"), value.get(i), path + "[" + i + "]", unknown);
            }
        }
    }

    /** Follows {@code $ref} and the {@code allOf: [{$ref}]} wrappers the documents use. */
    private static JsonNode resolve(JsonNode schemas, JsonNode schema) {
        for (int depth = 0; schema != null && depth < 8; depth++) {
            String ref = Json.text(schema, "$ref");
            if (ref == null && schema.has("allOf") && schema.get("allOf").size() == 1) {
                ref = Json.text(schema.get("allOf").get(0), "$ref");
            }
            if (ref == null) {
                return schema;
            }
            schema = schemas.get(ref.substring(ref.lastIndexOf('/') + 1));
        }
        return schema;
    }
}
