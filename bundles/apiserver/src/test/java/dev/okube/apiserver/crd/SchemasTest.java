package dev.okube.apiserver.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.okube.apiserver.rest.Json;
import dev.okube.apiserver.validation.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class SchemasTest {
    private static final JsonNode SCHEMA = Json.MAPPER.readTree("""
            {"type":"object","properties":{
              "spec":{"type":"object","properties":{
                "ports":{"type":"array","maxItems":2,"items":{"type":"object","required":["port"],"properties":{
                  "port":{"type":"integer"},"protocol":{"type":"string","default":"TCP"}}}},
                "labels":{"type":"object","additionalProperties":{"type":"string","maxLength":3}},
                "ratio":{"type":"number","exclusiveMinimum":true,"minimum":0},
                "name":{"type":"string","minLength":2,"nullable":true},
                "opaque":{"type":"object","x-kubernetes-preserve-unknown-fields":true,
                  "properties":{"known":{"type":"string","default":"k"}}}}}}}
            """);

    private static ObjectNode object(String spec) {
        return (ObjectNode) Json.MAPPER.readTree("{\"apiVersion\":\"x/v1\",\"kind\":\"X\",\"metadata\":{\"name\":\"a\","
                + "\"anything\":1},\"spec\":" + spec + ",\"extra\":true}");
    }

    @Test
    void pruneKeepsRootMetadataPreservedFieldsAndMapValues() {
        ObjectNode o = object("{\"ports\":[{\"port\":1,\"junk\":2}],\"labels\":{\"a\":\"b\"},\"opaque\":{\"x\":1},\"gone\":1}");
        Schemas.prune(SCHEMA, o, true);
        assertEquals("{\"apiVersion\":\"x/v1\",\"kind\":\"X\",\"metadata\":{\"name\":\"a\",\"anything\":1},\"spec\":"
                + "{\"ports\":[{\"port\":1}],\"labels\":{\"a\":\"b\"},\"opaque\":{\"x\":1}}}", o.toString());
    }

    @Test
    void defaultsReachArrayItemsAndPreservedObjects() {
        ObjectNode o = object("{\"ports\":[{\"port\":1},{\"port\":2,\"protocol\":\"UDP\"}],\"opaque\":{}}");
        Schemas.applyDefaults(SCHEMA, o);
        assertEquals("TCP", o.at("/spec/ports/0/protocol").asString());
        assertEquals("UDP", o.at("/spec/ports/1/protocol").asString());
        assertEquals("k", o.at("/spec/opaque/known").asString());
    }

    @Test
    void validationMessagesFollowKubeOpenApi() {
        List<String> messages = Schemas.validate(SCHEMA, object("{\"ports\":[{},{\"port\":1.5},{\"port\":3}],"
                + "\"labels\":{\"a\":\"long\"},\"ratio\":0,\"name\":\"x\"}")).stream().map(FieldError::message).toList();
        assertEquals(List.of(
                "spec.ports: Too many: 3: must have at most 2 items",
                "spec.ports[0].port: Required value",
                "spec.ports[1].port: Invalid value: \"number\": spec.ports[1].port in body must be of type integer: \"number\"",
                "spec.labels.a: Too long: may not be more than 3 bytes",
                "spec.ratio: Invalid value: 0: spec.ratio in body should be greater than 0",
                "spec.name: Invalid value: \"x\": spec.name in body should be at least 2 chars long"), messages);
        assertEquals(List.of(), Schemas.validate(SCHEMA, object("{\"name\":null,\"ports\":[{\"port\":2.0}]}")));
    }
}
