package dev.okube.apiserver.rest;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The one JSON/YAML mapper of the apiserver and small helpers over JSON trees. */
public final class Json {
    public static final JsonMapper MAPPER = JsonMapper.builder().build();
    public static final YAMLMapper YAML = YAMLMapper.builder().build();
    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {
    }

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    /** The string at a path of object fields, or null when absent or not a string. */
    public static String text(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return n != null && n.isString() ? n.stringValue() : null;
    }

    public static JsonNode at(JsonNode node, String... path) {
        JsonNode n = node;
        for (String p : path) {
            if (n == null || !n.isObject()) {
                return null;
            }
            n = n.get(p);
        }
        return n == null || n.isNull() || n.isMissingNode() ? null : n;
    }

    /** The object at a path, created (with any missing parents) when absent. */
    public static ObjectNode objectAt(ObjectNode node, String... path) {
        ObjectNode n = node;
        for (String p : path) {
            JsonNode child = n.get(p);
            if (child == null || !child.isObject()) {
                child = n.putObject(p);
            }
            n = (ObjectNode) child;
        }
        return n;
    }

    public static ObjectNode metadata(ObjectNode object) {
        return objectAt(object, "metadata");
    }

    /** A map of string fields, e.g. metadata.labels; empty when absent. */
    public static Map<String, String> stringMap(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        Map<String, String> map = new LinkedHashMap<>();
        if (n != null && n.isObject()) {
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                map.put(e.getKey(), e.getValue().isString() ? e.getValue().stringValue() : e.getValue().toString());
            }
        }
        return map;
    }

    /** The RFC 3339 time Kubernetes serializes: second precision, UTC. */
    public static String timestamp(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    public static byte[] bytes(JsonNode node) {
        return MAPPER.writeValueAsBytes(node);
    }

    public static ObjectNode parseObject(byte[] bytes) {
        JsonNode node = MAPPER.readTree(bytes);
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("the request body is not a JSON object");
        }
        return (ObjectNode) node;
    }
}
