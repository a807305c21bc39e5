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

    /**
     * The item and collection paths of a resource. kubectl reads the write operations' parameters to
     * decide whether the server validates fields itself (fieldValidation); without them it falls back
     * to client-side validation against /openapi/v2, which okube does not serve.
     */
    static void addPaths(ObjectNode paths, ResourceDefinition d) {
        String collection = "/apis/" + d.group() + "/" + d.version() + (d.namespaced() ? "/namespaces/{namespace}/" : "/")
                + d.plural();
        ObjectNode items = paths.putObject(collection);
        pathParameters(items, d, false);
        operation(items, "get", "list", d, false);
        operation(items, "post", "post", d, true);
        ObjectNode item = paths.putObject(collection + "/{name}");
        pathParameters(item, d, true);
        operation(item, "get", "get", d, false);
        operation(item, "put", "put", d, true);
        operation(item, "patch", "patch", d, true);
        operation(item, "delete", "delete", d, false);
    }

    private static void pathParameters(ObjectNode path, ResourceDefinition d, boolean named) {
        var parameters = path.putArray("parameters");
        if (named) {
            parameters.addObject().put("name", "name").put("in", "path").put("required", true)
                    .put("description", "name of the " + d.kind()).putObject("schema").put("type", "string");
        }
        if (d.namespaced()) {
            parameters.addObject().put("name", "namespace").put("in", "path").put("required", true)
                    .put("description", "object name and auth scope, such as for teams and projects")
                    .putObject("schema").put("type", "string");
        }
    }

    private static void operation(ObjectNode path, String method, String action, ResourceDefinition d, boolean write) {
        ObjectNode op = path.putObject(method);
        op.put("x-kubernetes-action", action);
        op.putObject("x-kubernetes-group-version-kind").put("group", d.group()).put("kind", d.kind())
                .put("version", d.version());
        var parameters = op.putArray("parameters");
        if (write) {
            for (String name : List.of("dryRun", "fieldManager", "fieldValidation")) {
                parameters.addObject().put("name", name).put("in", "query").putObject("schema").put("type", "string");
            }
            if (method.equals("patch")) {
                parameters.addObject().put("name", "force").put("in", "query").putObject("schema").put("type", "boolean");
            }
            ObjectNode content = op.putObject("requestBody").put("required", true).putObject("content");
            content.putObject("application/json").putObject("schema").put("type", "object");
        }
        ObjectNode ok = op.putObject("responses").putObject("200").put("description", "OK");
        if (!action.equals("list")) {
            ok.putObject("content").putObject("application/json").putObject("schema")
                    .put("$ref", "#/components/schemas/" + schemaName(d));
        }
    }
}
