package dev.okube.apiserver.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.okube.apiserver.openapi.OpenApi;
import dev.okube.apiserver.registry.BuiltinResources;
import dev.okube.apiserver.registry.Registry;
import dev.okube.apiserver.registry.ResourceDefinition;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Unknown-field detection against the generated OpenAPI schemas, as upstream's fieldValidation. */
class FieldValidationTest {
    private static final Registry RESOURCES = new Registry(BuiltinResources.definitions());
    private static final FieldValidation VALIDATION = new FieldValidation(OpenApi.load());

    private static ResourceDefinition def(String group, String version, String plural) {
        return RESOURCES.find(group, version, plural).orElseThrow();
    }

    private static ObjectNode json(String text) {
        return Json.parseObject(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void unknownFieldsAreNamedByTheirPathIncludingListIndexes() {
        ObjectNode deployment = json("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"d\","
                + "\"colour\":\"red\"},\"spec\":{\"replicas\":1,\"template\":{\"spec\":{\"containers\":[{\"name\":\"a\","
                + "\"image\":\"x\",\"imag\":\"y\"}]}}},\"extra\":1}");
        assertEquals(List.of("unknown field \"metadata.colour\"", "unknown field \"spec.template.spec.containers[0].imag\"",
                "unknown field \"extra\""), VALIDATION.unknownFields(def("apps", "v1", "deployments"), deployment));
    }

    @Test
    void mapsAndKnownFieldsPass() {
        ObjectNode cm = json("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\",\"labels\":"
                + "{\"any\":\"thing\"}},\"data\":{\"free\":\"form\"}}");
        assertEquals(List.of(), VALIDATION.unknownFields(def("", "v1", "configmaps"), cm));
    }

    @Test
    void duplicateFieldsOfAJsonBodyAreReported() {
        ResourceDefinition configmaps = def("", "v1", "configmaps");
        String text = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\",\"name\":\"b\"}}";
        ObjectNode cm = json(text);
        assertEquals(List.of("duplicate field \"name\""), VALIDATION.check(configmaps, cm,
                text.getBytes(java.nio.charset.StandardCharsets.UTF_8), FieldValidation.mode("Warn")));
        ApiException strict = assertThrows(ApiException.class, () -> VALIDATION.check(configmaps, cm,
                text.getBytes(java.nio.charset.StandardCharsets.UTF_8), FieldValidation.mode("Strict")));
        assertEquals("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: "
                + "duplicate field \"name\"", strict.getMessage());
    }

    @Test
    void modesRejectWarnOrIgnore() {
        ResourceDefinition configmaps = def("", "v1", "configmaps");
        ObjectNode cm = json("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},\"nope\":1}");
        ApiException strict = assertThrows(ApiException.class,
                () -> VALIDATION.check(configmaps, cm, FieldValidation.mode("Strict")));
        assertEquals(400, strict.code());
        assertEquals("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: "
                + "unknown field \"nope\"", strict.getMessage());
        assertEquals(List.of("unknown field \"nope\""), VALIDATION.check(configmaps, cm, FieldValidation.mode("")));
        assertEquals(List.of(), VALIDATION.check(configmaps, cm, FieldValidation.mode("Ignore")));
        assertEquals(400, assertThrows(ApiException.class, () -> FieldValidation.mode("Sometimes")).code());
    }
}
