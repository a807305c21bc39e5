package dev.okube.apiserver.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.apiserver.TestApiServer;
import dev.okube.apiserver.rest.Json;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Custom resources through the real HTTP front: from CRD to served kind and back. */
class CustomResourcesTest {
    static final String CRD = """
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
             "metadata":{"name":"widgets.example.com"},
             "spec":{"group":"example.com","scope":"Namespaced",
              "names":{"plural":"widgets","singular":"widget","kind":"Widget","shortNames":["wd"],"categories":["all"]},
              "versions":[{"name":"v1","served":true,"storage":true,
                "subresources":{"status":{}},
                "additionalPrinterColumns":[
                  {"name":"Replicas","type":"integer","jsonPath":".spec.replicas"},
                  {"name":"Color","type":"string","jsonPath":".spec.color"},
                  {"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}],
                "schema":{"openAPIV3Schema":{"type":"object","properties":{
                  "spec":{"type":"object","required":["color"],"properties":{
                    "replicas":{"type":"integer","minimum":0,"maximum":10,"default":1},
                    "color":{"type":"string","enum":["red","blue"]},
                    "code":{"type":"string","pattern":"^[a-z]+$"},
                    "free":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}},
                  "status":{"type":"object","properties":{"ready":{"type":"boolean"}}}}}}}]}}
            """;

    @TempDir
    Path data;
    private TestApiServer server;
    private HttpClient http;

    @BeforeEach
    void start() throws Exception {
        server = TestApiServer.start(data);
        http = server.http();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private HttpResponse<String> send(String method, String path, String body, String accept) throws Exception {
        return send(method, path, body, accept, "application/json");
    }

    private HttpResponse<String> send(String method, String path, String body, String accept, String contentType)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.base() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", contentType);
        if (accept != null) {
            b.header("Accept", accept);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(HttpResponse<String> r) {
        assertTrue(r.statusCode() / 100 == 2, r.statusCode() + " " + r.body());
        return Json.MAPPER.readTree(r.body());
    }

    private void createCrdAndWaitEstablished() throws Exception {
        ok(send("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", CRD, null));
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (true) {
            JsonNode crd = ok(send("GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com",
                    null, null));
            boolean established = false;
            for (JsonNode c : crd.path("status").path("conditions")) {
                established |= c.path("type").asString().equals("Established") && c.path("status").asString().equals("True");
            }
            if (established && send("GET", "/apis/example.com/v1", null, null).statusCode() == 200) {
                assertEquals("customresourcecleanup.apiextensions.k8s.io",
                        crd.path("metadata").path("finalizers").get(0).asString());
                assertEquals("wd", crd.path("status").path("acceptedNames").path("shortNames").get(0).asString());
                return;
            }
            assertTrue(System.nanoTime() < deadline, "not established within a second: " + crd);
            Thread.sleep(20);
        }
    }

    private static String widget(String name, String spec) {
        return "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":"
                + spec + "}";
    }

    @Test
    void crdIsEstablishedAndDiscovered() throws Exception {
        createCrdAndWaitEstablished();
        JsonNode list = ok(send("GET", "/apis/example.com/v1", null, null));
        assertEquals("widgets", list.path("resources").get(0).path("name").asString());
        assertEquals("Widget", list.path("resources").get(0).path("kind").asString());
        assertEquals("wd", list.path("resources").get(0).path("shortNames").get(0).asString());
        assertEquals("widgets/status", list.path("resources").get(1).path("name").asString());
        assertTrue(send("GET", "/apis", null, null).body().contains("\"example.com/v1\""));
        String aggregated = send("GET", "/apis", null,
                "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList").body();
        assertTrue(aggregated.contains("\"widgets\""), aggregated);
        String index = send("GET", "/openapi/v3", null, null).body();
        assertTrue(index.contains("apis/example.com/v1"), index);
        JsonNode doc = ok(send("GET", "/openapi/v3/apis/example.com/v1", null, null));
        assertEquals("Widget", doc.path("components").path("schemas").path("com.example.v1.Widget")
                .path("x-kubernetes-group-version-kind").get(0).path("kind").asString());
        // kubectl only trusts server-side field validation when the PATCH operation lists fieldValidation.
        JsonNode patch = doc.path("paths").path("/apis/example.com/v1/namespaces/{namespace}/widgets/{name}").path("patch");
        assertEquals("Widget", patch.path("x-kubernetes-group-version-kind").path("kind").asString());
        assertTrue(patch.path("parameters").toString().contains("\"fieldValidation\""), patch.toString());
    }

    @Test
    void scaleFollowsTheDeclaredPaths() throws Exception {
        String dials = """
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
                 "metadata":{"name":"dials.example.com"},
                 "spec":{"group":"example.com","scope":"Cluster","names":{"plural":"dials","kind":"Dial"},
                  "versions":[{"name":"v1","served":true,"storage":true,
                    "subresources":{"status":{},"scale":{"specReplicasPath":".spec.count",
                      "statusReplicasPath":".status.count","labelSelectorPath":".status.selector"}},
                    "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}
                """;
        ok(send("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", dials, null));
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (send("GET", "/apis/example.com/v1/dials", null, null).statusCode() != 200) {
            assertTrue(System.nanoTime() < deadline, "dials not served");
            Thread.sleep(20);
        }
        ok(send("POST", "/apis/example.com/v1/dials",
                "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Dial\",\"metadata\":{\"name\":\"d\"},\"spec\":{}}", null));
        JsonNode scale = ok(send("GET", "/apis/example.com/v1/dials/d/scale", null, null));
        assertEquals(0, scale.path("spec").path("replicas").asInt());
        ok(send("PATCH", "/apis/example.com/v1/dials/d/scale", "{\"spec\":{\"replicas\":4}}", null, "application/merge-patch+json"));
        assertEquals(4, ok(send("GET", "/apis/example.com/v1/dials/d", null, null)).path("spec").path("count").asInt());
        ok(send("PUT", "/apis/example.com/v1/dials/d/status", "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Dial\","
                + "\"metadata\":{\"name\":\"d\"},\"status\":{\"count\":2,\"selector\":\"app=d\"}}", null));
        scale = ok(send("GET", "/apis/example.com/v1/dials/d/scale", null, null));
        assertEquals(2, scale.path("status").path("replicas").asInt(), scale.toString());
        assertEquals("app=d", scale.path("status").path("selector").asString());
    }

    @Test
    void everyServedVersionReadsTheSameObjects() throws Exception {
        String knobs = """
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
                 "metadata":{"name":"knobs.example.com"},
                 "spec":{"group":"example.com","scope":"Namespaced","names":{"plural":"knobs","kind":"Knob"},
                  "versions":[
                   {"name":"v1beta1","served":true,"storage":false,
                    "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}},
                   {"name":"v1","served":true,"storage":true,
                    "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}
                """;
        ok(send("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", knobs, null));
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (send("GET", "/apis/example.com/v1beta1/knobs", null, null).statusCode() != 200) {
            assertTrue(System.nanoTime() < deadline, "knobs not served");
            Thread.sleep(20);
        }
        ok(send("POST", "/apis/example.com/v1beta1/namespaces/default/knobs",
                "{\"apiVersion\":\"example.com/v1beta1\",\"kind\":\"Knob\",\"metadata\":{\"name\":\"k\"}}", null));
        assertEquals("example.com/v1", ok(send("GET", "/apis/example.com/v1/namespaces/default/knobs/k", null, null))
                .path("apiVersion").asString());
        assertEquals("example.com/v1", ok(send("GET", "/apis/example.com/v1/knobs", null, null))
                .path("items").get(0).path("apiVersion").asString());
        String group = ok(send("GET", "/apis/example.com", null, null)).toString();
        assertTrue(group.contains("example.com/v1beta1") && group.contains("example.com/v1\""), group);
        assertEquals("v1", ok(send("GET", "/apis/example.com", null, null)).path("preferredVersion").path("version")
                .asString());
    }

    @Test
    void aTerminatingCrdWaitsForFinalizersEvenAcrossARestart() throws Exception {
        createCrdAndWaitEstablished();
        String base = "/apis/example.com/v1/namespaces/default/widgets";
        ok(send("POST", base, widget("held", "{\"color\":\"red\"}").replace("\"name\":\"held\"",
                "\"name\":\"held\",\"finalizers\":[\"example.com/keep\"]"), null));
        ok(send("DELETE", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com", null, null));
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (!ok(send("GET", base + "/held", null, null)).path("metadata").has("deletionTimestamp")) {
            assertTrue(System.nanoTime() < deadline, "not being deleted");
            Thread.sleep(20);
        }
        assertEquals(405, send("POST", base, widget("new", "{\"color\":\"red\"}"), null).statusCode());
        JsonNode crd = ok(send("GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com",
                null, null));
        assertTrue(crd.path("status").path("conditions").toString().contains("InstanceDeletionInProgress"), crd.toString());

        server.close();
        server = TestApiServer.start(data);
        http = server.http();
        deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (send("GET", base + "/held", null, null).statusCode() != 200) {
            assertTrue(System.nanoTime() < deadline, "terminating objects not served after restart");
            Thread.sleep(20);
        }
        ok(send("PATCH", base + "/held", "{\"metadata\":{\"finalizers\":null}}", null, "application/merge-patch+json"));
        deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (send("GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com", null, null)
                .statusCode() != 404) {
            assertTrue(System.nanoTime() < deadline, "CRD not released");
            Thread.sleep(50);
        }
        assertEquals(404, send("GET", "/apis/example.com/v1", null, null).statusCode());
    }

    @Test
    void versionsSortAsUpstream() {
        java.util.List<String> versions = new java.util.ArrayList<>(java.util.List.of("v1alpha1", "foo", "v1", "v2beta1",
                "v1beta2", "v2", "v1beta1", "bar"));
        versions.sort(CrdController::compareVersions);
        assertEquals(java.util.List.of("v2", "v1", "v2beta1", "v1beta2", "v1beta1", "v1alpha1", "bar", "foo"), versions);
    }

    @Test
    void storedCrdsAreServedAfterARestart() throws Exception {
        createCrdAndWaitEstablished();
        ok(send("POST", "/apis/example.com/v1/namespaces/default/widgets", widget("kept", "{\"color\":\"red\"}"), null));
        server.close();
        server = TestApiServer.start(data);
        http = server.http();
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (send("GET", "/apis/example.com/v1", null, null).statusCode() != 200) {
            assertTrue(System.nanoTime() < deadline, "not served after restart");
            Thread.sleep(20);
        }
        assertEquals("red", ok(send("GET", "/apis/example.com/v1/namespaces/default/widgets/kept", null, null))
                .path("spec").path("color").asString());
    }

    @Test
    void customResourceLifecycle() throws Exception {
        createCrdAndWaitEstablished();
        String base = "/apis/example.com/v1/namespaces/default/widgets";
        HttpResponse<String> watch = null;
        InputStream events = http.send(HttpRequest.newBuilder(URI.create(server.base() + base + "?watch=1")).build(),
                HttpResponse.BodyHandlers.ofInputStream()).body();
        BufferedReader reader = new BufferedReader(new InputStreamReader(events, StandardCharsets.UTF_8));

        JsonNode created = ok(send("POST", base,
                widget("w1", "{\"color\":\"red\",\"junk\":1,\"free\":{\"any\":\"thing\"}}"), null));
        assertEquals(1, created.path("spec").path("replicas").asInt(), "default applied: " + created);
        assertFalse(created.path("spec").has("junk"), "unknown field pruned: " + created);
        assertEquals("thing", created.path("spec").path("free").path("any").asString(), "preserved: " + created);
        assertEquals(1, created.path("metadata").path("generation").asInt());

        JsonNode event = Json.MAPPER.readTree(reader.readLine());
        assertEquals("ADDED", event.path("type").asString());
        assertEquals("w1", event.path("object").path("metadata").path("name").asString());

        assertEquals("red", ok(send("GET", base + "/w1", null, null)).path("spec").path("color").asString());
        assertEquals(1, ok(send("GET", base, null, null)).path("items").size());
        assertEquals(1, ok(send("GET", "/apis/example.com/v1/widgets", null, null)).path("items").size());

        // Status goes through the status subresource only.
        JsonNode status = ok(send("PUT", base + "/w1/status", widget("w1", "{\"color\":\"blue\"}")
                .replace("}}", "},\"status\":{\"ready\":true}}"), null));
        assertTrue(status.path("status").path("ready").asBoolean());
        assertEquals("red", status.path("spec").path("color").asString());
        JsonNode main = ok(send("PUT", base + "/w1", widget("w1", "{\"color\":\"blue\",\"replicas\":3}")
                .replace("}}", "},\"status\":{\"ready\":false}}"), null));
        assertTrue(main.path("status").path("ready").asBoolean(), "status kept on main write: " + main);
        assertEquals(2, main.path("metadata").path("generation").asInt());

        JsonNode table = ok(send("GET", base, null, "application/json;as=Table;v=v1;g=meta.k8s.io"));
        assertEquals("[\"Name\",\"Replicas\",\"Color\",\"Age\"]", names(table.path("columnDefinitions")));
        JsonNode cells = table.path("rows").get(0).path("cells");
        assertEquals("w1", cells.get(0).asString());
        assertEquals(3, cells.get(1).asInt());
        assertEquals("blue", cells.get(2).asString());
        assertTrue(cells.get(3).asString().endsWith("s"), cells.toString());

        ok(send("DELETE", base + "/w1", null, null));
        assertEquals(404, send("GET", base + "/w1", null, null).statusCode());
    }

    private static String names(JsonNode columns) {
        StringBuilder sb = new StringBuilder("[");
        for (JsonNode c : columns) {
            sb.append(sb.length() > 1 ? "," : "").append('"').append(c.path("name").asString()).append('"');
        }
        return sb.append(']').toString();
    }

    @Test
    void schemaValidationErrors() throws Exception {
        createCrdAndWaitEstablished();
        String base = "/apis/example.com/v1/namespaces/default/widgets";
        HttpResponse<String> r = send("POST", base, widget("bad", "{\"color\":\"red\",\"replicas\":\"string\"}"), null);
        assertEquals(422, r.statusCode(), r.body());
        JsonNode status = Json.MAPPER.readTree(r.body());
        assertEquals("Invalid", status.path("reason").asString());
        assertTrue(status.path("message").asString().contains(
                "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\""),
                r.body());

        r = send("POST", base, widget("bad", "{\"color\":\"green\",\"replicas\":11,\"code\":\"A1\"}"), null);
        assertEquals(422, r.statusCode(), r.body());
        String message = Json.MAPPER.readTree(r.body()).path("message").asString();
        assertTrue(message.contains("spec.color: Unsupported value: \"green\": supported values: \"red\", \"blue\""), message);
        assertTrue(message.contains("spec.replicas: Invalid value: 11: spec.replicas in body should be less than or "
                + "equal to 10"), message);
        assertTrue(message.contains("spec.code: Invalid value: \"A1\": spec.code in body should match '^[a-z]+$'"), message);

        r = send("POST", base, widget("bad", "{}"), null);
        assertEquals(422, r.statusCode(), r.body());
        assertTrue(r.body().contains("spec.color: Required value"), r.body());
    }

    @Test
    void conflictingNamesAreNotAccepted() throws Exception {
        createCrdAndWaitEstablished();
        String other = CRD.replace("widgets.example.com", "gadgets.example.com").replace("\"plural\":\"widgets\"",
                "\"plural\":\"gadgets\"").replace("\"singular\":\"widget\"", "\"singular\":\"gadget\"");
        ok(send("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", other, null));
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (true) {
            JsonNode crd = ok(send("GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.com",
                    null, null));
            JsonNode names = null;
            for (JsonNode c : crd.path("status").path("conditions")) {
                if (c.path("type").asString().equals("NamesAccepted")) {
                    names = c;
                }
            }
            if (names != null) {
                assertEquals("False", names.path("status").asString(), crd.toString());
                assertTrue(names.path("reason").asString().endsWith("Conflict"), names.toString());
                return;
            }
            assertTrue(System.nanoTime() < deadline, crd.toString());
            Thread.sleep(20);
        }
    }

    @Test
    void deletingTheCrdDeletesItsResources() throws Exception {
        createCrdAndWaitEstablished();
        String base = "/apis/example.com/v1/namespaces/default/widgets";
        ok(send("POST", base, widget("a", "{\"color\":\"red\"}"), null));
        ok(send("POST", "/apis/example.com/v1/namespaces/kube-system/widgets", widget("b", "{\"color\":\"red\"}"), null));
        ok(send("DELETE", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com", null, null));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (send("GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com", null, null)
                .statusCode() != 404) {
            assertTrue(System.nanoTime() < deadline, "CRD not gone");
            Thread.sleep(20);
        }
        assertEquals(404, send("GET", "/apis/example.com/v1", null, null).statusCode());
        assertFalse(send("GET", "/openapi/v3", null, null).body().contains("example.com"));
        // Recreated, the CRD serves an empty collection: the old objects are gone from storage.
        createCrdAndWaitEstablished();
        assertEquals(0, ok(send("GET", "/apis/example.com/v1/widgets", null, null)).path("items").size());
    }
}
