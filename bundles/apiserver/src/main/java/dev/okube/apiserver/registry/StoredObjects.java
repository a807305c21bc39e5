package dev.okube.apiserver.registry;

import dev.okube.apiserver.rest.Json;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Reading the common parts of stored objects. */
public final class StoredObjects {
    private StoredObjects() {
    }

    public static String name(JsonNode object) {
        String name = Json.text(object, "metadata", "name");
        return name == null ? "" : name;
    }

    public static String namespace(JsonNode object) {
        String namespace = Json.text(object, "metadata", "namespace");
        return namespace == null ? "" : namespace;
    }

    public static Map<String, String> labels(JsonNode object) {
        return Json.stringMap(object, "metadata", "labels");
    }

    /** The selectable fields: metadata.name, metadata.namespace for namespaced kinds, and the kind's own. */
    public static Map<String, String> fields(ResourceDefinition def, JsonNode object) {
        Map<String, String> fields = new HashMap<>(def.strategy().selectableFields(object));
        fields.put("metadata.name", name(object));
        if (def.namespaced()) {
            fields.put("metadata.namespace", namespace(object));
        }
        return fields;
    }
}
