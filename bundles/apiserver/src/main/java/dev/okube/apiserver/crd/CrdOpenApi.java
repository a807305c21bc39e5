package dev.okube.apiserver.crd;

import dev.okube.apiserver.registry.ResourceDefinition;
import dev.okube.apiserver.rest.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** A custom resource version's schema as an OpenAPI v3 component, as upstream's builder names and tags it. */
final class CrdOpenApi {
    private CrdOpenApi() {
    }

    /** The reversed group, version and kind: "com.example.stable.v1.CronTab". */
    static String schemaName(ResourceDefinition d) {
        List<String> parts = new ArrayList<>(List.of(d.group().split("\\.")));
        Collections.reverse(parts);
        return String.join(".", parts) + "." + d.version() + "." + d.kind();
    }

    /**
     * The version's schema with the standard apiVersion, kind and metadata fields and the
     * x-kubernetes-group-version-kind tag that {@code kubectl explain} and field validation look up.
     */
    static ObjectNode kindSchema(ResourceDefinition d, JsonNode schema) {
        ObjectNode s = schema.isObject() ? ((ObjectNode) schema).deepCopy() : Json.object();
        s.put("type", "object");
        ObjectNode properties = s.has("properties") && s.get("properties").isObject()
                ? (ObjectNode) s.get("properties") : s.putObject("properties");
        if (!properties.has("apiVersion")) {
            properties.putObject("apiVersion").put("type", "string").put("description", "APIVersion defines the "
                    + "versioned schema of this representation of an object. Servers should convert recognized schemas "
                    + "to the latest internal value, and may reject unrecognized values. More info: "
                    + "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources");
        }
        if (!properties.has("kind")) {
            properties.putObject("kind").put("type", "string").put("description", "Kind is a string value "
                    + "representing the REST resource this object represents. Servers may infer this from the endpoint "
                    + "the client submits requests to. Cannot be updated. In CamelCase. More info: "
                    + "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds");
        }
        // Documents stand alone, so metadata is an open object rather than a $ref into another document.
        properties.putObject("metadata").put("type", "object").put("description", "Standard object's metadata. "
                + "More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata")
                .put("x-kubernetes-preserve-unknown-fields", true);
        ObjectNode gvk = s.putArray("x-kubernetes-group-version-kind").addObject();
        gvk.put("group", d.group());
        gvk.put("kind", d.kind());
        gvk.put("version", d.version());
        return s;
    }
}
