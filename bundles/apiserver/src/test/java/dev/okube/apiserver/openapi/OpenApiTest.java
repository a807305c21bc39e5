package dev.okube.apiserver.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.apiserver.registry.BuiltinResources;
import dev.okube.apiserver.registry.ResourceDefinition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The documents the build generated into target/classes, as {@link OpenApi#load()} serves them. */
class OpenApiTest {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final OpenApi OPENAPI = OpenApi.load();

    private static JsonNode doc(String path) {
        OpenApi.Document d = OPENAPI.document(path);
        assertNotNull(d, path + " was not generated");
        return MAPPER.readTree(d.json());
    }

    private static JsonNode schema(JsonNode doc, String name) {
        JsonNode s = doc.path("components").path("schemas").path(name);
        assertTrue(s.isObject(), name + " missing");
        return s;
    }

    @Test
    void indexListsEveryGroupVersionWithItsHash() {
        JsonNode index = MAPPER.readTree(OPENAPI.index());
        Set<String> expected = new LinkedHashSet<>();
        for (ResourceDefinition d : BuiltinResources.definitions()) {
            expected.add(OpenApi.path(d.group(), d.version()));
        }
        List<String> listed = new ArrayList<>(index.path("paths").propertyNames());
        assertEquals(new ArrayList<>(expected), listed);
        for (String path : expected) {
            String url = index.path("paths").path(path).path("serverRelativeURL").asString();
            assertEquals("/openapi/v3/" + path + "?hash=" + OpenApi.hash(OPENAPI.document(path).json()), url);
        }
    }

    @Test
    void coreDocumentHasPodWithGvkAndNestedTypes() {
        JsonNode core = doc("api/v1");
        assertEquals("3.0.0", core.path("openapi").asString());
        JsonNode pod = schema(core, "io.k8s.api.core.v1.Pod");
        JsonNode gvk = pod.path("x-kubernetes-group-version-kind").get(0);
        assertEquals("", gvk.path("group").asString());
        assertEquals("v1", gvk.path("version").asString());
        assertEquals("Pod", gvk.path("kind").asString());
        assertEquals("#/components/schemas/io.k8s.api.core.v1.PodSpec",
                pod.path("properties").path("spec").path("allOf").get(0).path("$ref").asString());
        assertEquals("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
                pod.path("properties").path("metadata").path("allOf").get(0).path("$ref").asString());

        JsonNode spec = schema(core, "io.k8s.api.core.v1.PodSpec");
        JsonNode containers = spec.path("properties").path("containers");
        assertEquals("array", containers.path("type").asString());
        assertEquals("#/components/schemas/io.k8s.api.core.v1.Container",
                containers.path("items").path("allOf").get(0).path("$ref").asString());
        assertTrue(spec.path("required").toString().contains("\"containers\""));
        assertTrue(schema(core, "io.k8s.api.core.v1.Container").path("required").toString().contains("\"name\""));
        // Maps of structs and scalars.
        assertEquals("string", spec.path("properties").path("nodeSelector").path("additionalProperties")
                .path("type").asString());
        assertEquals("#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity",
                schema(core, "io.k8s.api.core.v1.ResourceRequirements").path("properties").path("limits")
                        .path("additionalProperties").path("allOf").get(0).path("$ref").asString());
        // PodList carries the list kind.
        assertEquals("PodList", schema(core, "io.k8s.api.core.v1.PodList").path("x-kubernetes-group-version-kind")
                .get(0).path("kind").asString());
    }

    @Test
    void apimachineryTypesAreNamedAndShapedAsUpstream() {
        JsonNode core = doc("api/v1");
        JsonNode ios = schema(core, "io.k8s.apimachinery.pkg.util.intstr.IntOrString");
        assertTrue(ios.path("x-kubernetes-int-or-string").asBoolean());
        assertEquals("string", schema(core, "io.k8s.apimachinery.pkg.api.resource.Quantity").path("type").asString());
        assertEquals("date-time", schema(core, "io.k8s.apimachinery.pkg.apis.meta.v1.Time").path("format").asString());
        assertEquals("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time",
                schema(core, "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta").path("properties")
                        .path("creationTimestamp").path("allOf").get(0).path("$ref").asString());
        assertEquals("#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString",
                schema(core, "io.k8s.api.core.v1.ServicePort").path("properties").path("targetPort")
                        .path("allOf").get(0).path("$ref").asString());
        JsonNode deployment = schema(doc("apis/apps/v1"), "io.k8s.api.apps.v1.Deployment");
        assertEquals("apps", deployment.path("x-kubernetes-group-version-kind").get(0).path("group").asString());
        schema(doc("apis/apiextensions.k8s.io/v1"),
                "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition");
    }

    @Test
    void patchDeclaresFieldValidationAndEveryPatchType() {
        JsonNode core = doc("api/v1");
        JsonNode patch = core.path("paths").path("/api/v1/namespaces/{namespace}/pods/{name}").path("patch");
        assertEquals("patch", patch.path("x-kubernetes-action").asString());
        assertEquals("Pod", patch.path("x-kubernetes-group-version-kind").path("kind").asString());
        List<String> params = new ArrayList<>();
        patch.path("parameters").forEach(p -> params.add(p.path("name").asString()));
        assertTrue(params.containsAll(List.of("dryRun", "fieldManager", "fieldValidation", "force")), params.toString());
        assertEquals(Set.of("application/json-patch+json", "application/merge-patch+json",
                "application/strategic-merge-patch+json", "application/apply-patch+yaml"),
                new LinkedHashSet<>(patch.path("requestBody").path("content").propertyNames()));
        // Cluster-scoped kinds have no namespace segment; namespaced ones also list across namespaces.
        assertTrue(core.path("paths").path("/api/v1/nodes/{name}").path("patch").isObject());
        assertEquals("list", core.path("paths").path("/api/v1/pods").path("get").path("x-kubernetes-action")
                .asString());
        assertTrue(doc("apis/apps/v1").path("paths").path("/apis/apps/v1/namespaces/{namespace}/deployments/{name}")
                .path("patch").path("parameters").toString().contains("fieldValidation"));
    }

    @Test
    void everyReferenceResolvesWithinItsDocument() {
        Pattern ref = Pattern.compile("\"#/components/schemas/([^\"]+)\"");
        for (OpenApi.Document d : OPENAPI.documents().values()) {
            String text = new String(d.json(), StandardCharsets.UTF_8);
            JsonNode schemas = MAPPER.readTree(text).path("components").path("schemas");
            Matcher m = ref.matcher(text);
            while (m.find()) {
                assertTrue(schemas.has(m.group(1)), d.path() + " refers to missing " + m.group(1));
            }
            // Every stored kind of the group-version is paired with its paths (create-only reviews have none).
            for (ResourceDefinition r : BuiltinResources.definitions()) {
                if (OpenApi.path(r.group(), r.version()).equals(d.path()) && r.verbs().contains("get")) {
                    assertTrue(text.contains("\"kind\":\"" + r.kind() + "\""), d.path() + " lacks " + r.kind());
                }
            }
        }
    }

    @Test
    void hashFollowsContent() {
        Map<String, byte[]> a = new LinkedHashMap<>();
        a.put("api/v1", "{\"openapi\":\"3.0.0\"}".getBytes(StandardCharsets.UTF_8));
        Map<String, byte[]> b = new LinkedHashMap<>();
        b.put("api/v1", "{\"openapi\":\"3.0.1\"}".getBytes(StandardCharsets.UTF_8));
        String ha = new OpenApi(a).document("api/v1").hash();
        assertNotEquals(ha, new OpenApi(b).document("api/v1").hash());
        assertEquals(ha, new OpenApi(a).document("api/v1").hash());
        assertEquals(128, ha.length());
        assertFalse(ha.chars().anyMatch(Character::isLowerCase), "upper-case hex, as kube-openapi");
        assertTrue(new String(new OpenApi(a).index(), StandardCharsets.UTF_8).contains("?hash=" + ha));
    }
}
