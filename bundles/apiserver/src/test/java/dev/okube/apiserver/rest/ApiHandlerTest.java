package dev.okube.apiserver.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.apiserver.TestApiServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The REST layer over HTTP, through the real Jetty front and the embedded store. */
class ApiHandlerTest {
    private static final String CM = "/api/v1/namespaces/default/configmaps";
    private static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
    private static final String V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    private static final String V2BETA1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

    @TempDir
    Path data;
    private TestApiServer server;
    private String base;
    private HttpClient http;
    private final List<Thread> readers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = TestApiServer.start(data);
        http = server.http();
        base = server.base();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        for (Thread t : readers) {
            t.join(5_000);
        }
    }

    // ---- HTTP helpers ----

    private HttpResponse<String> send(String method, String path, String contentType, String body, String accept)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (accept != null) {
            b.header("Accept", accept);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String accept) throws Exception {
        return send("GET", path, null, null, accept);
    }

    private static JsonNode json(HttpResponse<String> r) {
        return Json.MAPPER.readTree(r.body());
    }

    private JsonNode createConfigMap(String name, String... labels) throws Exception {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i + 1 < labels.length; i += 2) {
            l.append(l.length() == 0 ? "" : ",").append('"').append(labels[i]).append("\":\"").append(labels[i + 1])
                    .append('"');
        }
        HttpResponse<String> r = send("POST", CM, "application/json", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                + "\"metadata\":{\"name\":\"" + name + "\",\"labels\":{" + l + "}},\"data\":{\"k\":\"v\"}}", null);
        assertEquals(201, r.statusCode(), r.body());
        return json(r);
    }

    private static void assertStatus(HttpResponse<String> r, int code, String reason) {
        assertEquals(code, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
        JsonNode s = json(r);
        assertEquals("Status", s.path("kind").asString(), r.body());
        assertEquals("v1", s.path("apiVersion").asString());
        assertEquals("Failure", s.path("status").asString());
        assertEquals(code, s.path("code").asInt());
        assertEquals(reason, s.path("reason").asString(), r.body());
    }

    /** A watch response read line by line on its own thread, so the test's waits stay bounded. */
    private BlockingQueue<JsonNode> watch(String path) throws Exception {
        HttpResponse<Stream<String>> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
        BlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (Stream<String> body = r.body()) {
                Iterator<String> it = body.iterator();
                while (it.hasNext()) {
                    String line = it.next();
                    if (!line.isBlank()) {
                        lines.add(Json.MAPPER.readTree(line));
                    }
                }
            } catch (RuntimeException e) {
                // The server closed the stream (test end): nothing more to read.
            }
        }, "watch-reader");
        reader.setDaemon(true);
        reader.start();
        readers.add(reader);
        return lines;
    }

    private static JsonNode next(BlockingQueue<JsonNode> lines) throws InterruptedException {
        JsonNode line = lines.poll(10, TimeUnit.SECONDS);
        assertNotNull(line, "no watch event within 10 s");
        return line;
    }

    // ---- discovery ----

    @Test
    void aggregatedDiscoveryV2WhenAskedFor() throws Exception {
        HttpResponse<String> r = get("/api", V2 + ",application/json");
        assertEquals(200, r.statusCode());
        assertEquals(V2, r.headers().firstValue("content-type").orElseThrow());
        JsonNode list = json(r);
        assertEquals("APIGroupDiscoveryList", list.path("kind").asString());
        assertEquals("apidiscovery.k8s.io/v2", list.path("apiVersion").asString());
        assertEquals(1, list.path("items").size(), "/api holds the core group only");
        JsonNode core = list.path("items").get(0);
        assertEquals("", core.path("metadata").path("name").asString(""));
        JsonNode v1 = core.path("versions").get(0);
        assertEquals("v1", v1.path("version").asString());
        JsonNode pods = find(v1.path("resources"), "resource", "pods");
        assertEquals("Namespaced", pods.path("scope").asString());
        assertEquals("Pod", pods.path("responseKind").path("kind").asString());
        assertEquals("po", pods.path("shortNames").get(0).asString());
        assertNotNull(find(pods.path("subresources"), "subresource", "status"));

        // kubectl's own Accept header: v2 first, then v2beta1, then plain JSON.
        HttpResponse<String> kubectl = get("/apis", V2 + "," + V2BETA1 + ",application/json");
        assertEquals(V2, kubectl.headers().firstValue("content-type").orElseThrow());
        JsonNode apps = find(json(kubectl).path("items"), null, "apps");
        assertNotNull(find(apps.path("versions").get(0).path("resources"), "resource", "deployments"));
        assertNull(find(json(kubectl).path("items"), null, ""), "/apis does not list the core group");
    }

    @Test
    void aggregatedDiscoveryV2beta1LikeWise() throws Exception {
        HttpResponse<String> r = get("/apis", V2BETA1 + ",application/json");
        assertEquals(200, r.statusCode());
        assertEquals(V2BETA1, r.headers().firstValue("content-type").orElseThrow());
        assertEquals("apidiscovery.k8s.io/v2beta1", json(r).path("apiVersion").asString());
        assertNotNull(find(json(r).path("items"), null, "batch"));
    }

    @Test
    void legacyDiscoveryWithPlainJson() throws Exception {
        HttpResponse<String> api = get("/api", "application/json");
        assertEquals("application/json", api.headers().firstValue("content-type").orElseThrow());
        assertEquals("APIVersions", json(api).path("kind").asString());
        assertEquals("v1", json(api).path("versions").get(0).asString());

        JsonNode groups = json(get("/apis", null));
        assertEquals("APIGroupList", groups.path("kind").asString());
        JsonNode apps = find(groups.path("groups"), "name", "apps");
        assertEquals("apps/v1", apps.path("preferredVersion").path("groupVersion").asString());

        JsonNode group = json(get("/apis/apps", null));
        assertEquals("APIGroup", group.path("kind").asString());

        JsonNode core = json(get("/api/v1", "application/json"));
        assertEquals("APIResourceList", core.path("kind").asString());
        assertEquals("v1", core.path("groupVersion").asString());
        JsonNode podStatus = find(core.path("resources"), "name", "pods/status");
        assertNotNull(podStatus, "subresources are listed as resource/subresource");
        assertEquals("Pod", podStatus.path("kind").asString());
        assertNotNull(find(core.path("resources"), "name", "pods/binding"));
        JsonNode eviction = find(core.path("resources"), "name", "pods/eviction");
        assertEquals("policy", eviction.path("group").asString());

        JsonNode appsV1 = json(get("/apis/apps/v1", null));
        assertEquals("apps/v1", appsV1.path("groupVersion").asString());
        assertNotNull(find(appsV1.path("resources"), "name", "deployments/status"));
        assertEquals(404, get("/apis/nosuch.example.com/v1", null).statusCode());
    }

    /** The element of an array whose field (or metadata.name when field is null) has this value. */
    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode n : array) {
            JsonNode v = field == null ? n.path("metadata").path("name") : n.path(field);
            if (value.equals(v.asString(""))) {
                return n;
            }
        }
        return null;
    }

    // ---- tables ----

    @Test
    void tablesWithEachIncludeObject() throws Exception {
        createConfigMap("t1");
        HttpResponse<String> none = get(CM + "?includeObject=None", TABLE);
        assertEquals(200, none.statusCode(), none.body());
        JsonNode table = json(none);
        assertEquals("Table", table.path("kind").asString());
        assertEquals("meta.k8s.io/v1", table.path("apiVersion").asString());
        assertEquals("Name", table.path("columnDefinitions").get(0).path("name").asString());
        assertFalse(table.path("metadata").path("resourceVersion").asString("").isEmpty());
        JsonNode row = table.path("rows").get(0);
        assertEquals("t1", row.path("cells").get(0).asString());
        assertTrue(row.path("object").isMissingNode(), row.toString());

        JsonNode full = json(get(CM + "?includeObject=Object", TABLE)).path("rows").get(0).path("object");
        assertEquals("ConfigMap", full.path("kind").asString());
        assertEquals("v", full.path("data").path("k").asString());

        for (String query : new String[] {"?includeObject=Metadata", ""}) {
            JsonNode partial = json(get(CM + query, TABLE)).path("rows").get(0).path("object");
            assertEquals("PartialObjectMetadata", partial.path("kind").asString(), query);
            assertEquals("meta.k8s.io/v1", partial.path("apiVersion").asString());
            assertEquals("t1", partial.path("metadata").path("name").asString());
            assertTrue(partial.path("data").isMissingNode());
        }

        // A single object is a one-row table too.
        JsonNode one = json(get(CM + "/t1", TABLE));
        assertEquals("Table", one.path("kind").asString());
        assertEquals(1, one.path("rows").size());
    }

    // ---- errors ----

    @Test
    void notFoundStatuses() throws Exception {
        HttpResponse<String> missing = get(CM + "/missing", null);
        assertStatus(missing, 404, "NotFound");
        assertEquals("configmaps \"missing\" not found", json(missing).path("message").asString());
        assertEquals("missing", json(missing).path("details").path("name").asString());
        HttpResponse<String> deployment = get("/apis/apps/v1/namespaces/default/deployments/x", null);
        assertEquals("deployments.apps \"x\" not found", json(deployment).path("message").asString());
        assertEquals("apps", json(deployment).path("details").path("group").asString());
        assertStatus(get("/api/v1/namespaces/default/nosuch", null), 404, "NotFound");
        assertStatus(get(CM + "/x/nosuchsub", null), 404, "NotFound");
    }

    @Test
    void methodNotAllowed() throws Exception {
        assertStatus(send("PUT", CM, "application/json", "{}", null), 405, "MethodNotAllowed");
        assertStatus(send("POST", "/api/v1", "application/json", "{}", null), 405, "MethodNotAllowed");
        // The all-namespaces path of a namespaced resource serves list and watch only, as upstream's installer.
        createConfigMap("kept");
        assertStatus(send("POST", "/api/v1/configmaps", "application/json", "{\"metadata\":{\"name\":\"nowhere\"}}",
                null), 405, "MethodNotAllowed");
        assertStatus(send("DELETE", "/api/v1/configmaps", null, null, null), 405, "MethodNotAllowed");
        assertEquals(200, get("/api/v1/configmaps", null).statusCode());
        JsonNode all = json(get("/api/v1/configmaps", null));
        assertEquals(1, all.path("items").size(), all.toString());
        assertEquals("default", all.path("items").get(0).path("metadata").path("namespace").asString());
    }

    @Test
    void unsupportedMediaType() throws Exception {
        HttpResponse<String> r = send("POST", CM, "text/plain", "name: x", null);
        assertStatus(r, 415, "UnsupportedMediaType");
        createConfigMap("p");
        // A patch type that is not served is 415.
        HttpResponse<String> patch = send("PATCH", CM + "/p", "application/yaml",
                "{\"data\":{}}", null);
        assertStatus(patch, 415, "UnsupportedMediaType");
    }

    @Test
    void bodiesOver3MiBAreTooLarge() throws Exception {
        String big = "x".repeat(3 * 1024 * 1024 + 1);
        // The answer comes from Content-Length, before any body is read; the server then closes the connection.
        // The JDK client reports the broken pipe of its body upload over TLS instead of the response, so this
        // part speaks raw HTTP (kubectl, like Go's client, reads the response).
        try (Socket socket = server.socket()) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST " + CM + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + big.length() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(response.startsWith("HTTP/1.1 413 "), response);
            assertTrue(response.contains("\"reason\":\"RequestEntityTooLarge\""), response);
        }

        // Without Content-Length (chunked) the limit is found while reading.
        byte[] bytes = big.getBytes(StandardCharsets.US_ASCII);
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(URI.create(base + CM))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertStatus(chunked, 413, "RequestEntityTooLarge");
    }

    @Test
    void badRequests() throws Exception {
        HttpResponse<String> garbled = send("POST", CM, "application/json", "{not json", null);
        assertStatus(garbled, 400, "BadRequest");
        assertTrue(json(garbled).path("message").asString().startsWith("the request body could not be decoded"));
        HttpResponse<String> wrongKind = send("POST", CM, "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"x\"}}", null);
        assertStatus(wrongKind, 400, "BadRequest");
        assertStatus(get(CM + "?labelSelector=a%3D%3D%3Db", null), 400, "BadRequest");
        assertStatus(get(CM + "?fieldSelector=spec.nosuch%3Dx", null), 400, "BadRequest");
        assertStatus(get(CM + "?limit=ten", null), 400, "BadRequest");
        assertStatus(get(CM + "?resourceVersion=1&resourceVersionMatch=Newest", null), 400, "BadRequest");
    }

    @Test
    void conflictsAreStatuses() throws Exception {
        createConfigMap("dup");
        HttpResponse<String> again = send("POST", CM, "application/json",
                "{\"metadata\":{\"name\":\"dup\"}}", null);
        assertStatus(again, 409, "AlreadyExists");
        assertEquals("configmaps \"dup\" already exists", json(again).path("message").asString());
    }

    // ---- patches and YAML ----

    @Test
    void jsonPatchAndMergePatch() throws Exception {
        JsonNode created = createConfigMap("p", "app", "web");
        HttpResponse<String> jp = send("PATCH", CM + "/p", "application/json-patch+json",
                "[{\"op\":\"add\",\"path\":\"/data/added\",\"value\":\"1\"},"
                        + "{\"op\":\"replace\",\"path\":\"/metadata/labels/app\",\"value\":\"db\"},"
                        + "{\"op\":\"test\",\"path\":\"/data/k\",\"value\":\"v\"}]", null);
        assertEquals(200, jp.statusCode(), jp.body());
        JsonNode patched = json(jp);
        assertEquals("1", patched.path("data").path("added").asString());
        assertEquals("db", patched.path("metadata").path("labels").path("app").asString());
        assertTrue(Long.parseLong(patched.path("metadata").path("resourceVersion").asString())
                > Long.parseLong(created.path("metadata").path("resourceVersion").asString()));

        HttpResponse<String> failedTest = send("PATCH", CM + "/p", "application/json-patch+json",
                "[{\"op\":\"test\",\"path\":\"/data/k\",\"value\":\"other\"}]", null);
        assertEquals(422, failedTest.statusCode(), failedTest.body());
        // A patch that does not apply is 422 as upstream's jsonPatcher, and changes nothing.
        HttpResponse<String> missing = send("PATCH", CM + "/p", "application/json-patch+json",
                "[{\"op\":\"add\",\"path\":\"/data/z\",\"value\":\"1\"},"
                        + "{\"op\":\"remove\",\"path\":\"/data/nosuch\"}]", null);
        assertEquals(422, missing.statusCode(), missing.body());
        assertTrue(json(get(CM + "/p", null)).path("data").path("z").isMissingNode());
        assertStatus(send("PATCH", CM + "/p", "application/json-patch+json", "{\"op\":\"add\"}", null), 400,
                "BadRequest");

        HttpResponse<String> mp = send("PATCH", CM + "/p", "application/merge-patch+json",
                "{\"data\":{\"k\":null,\"merged\":\"2\"}}", null);
        assertEquals(200, mp.statusCode(), mp.body());
        JsonNode merged = json(mp);
        assertTrue(merged.path("data").path("k").isMissingNode(), "null deletes");
        assertEquals("2", merged.path("data").path("merged").asString());
        assertEquals("1", merged.path("data").path("added").asString());
        assertEquals(merged, json(get(CM + "/p", null)));

        // A merge patch carrying a stale resourceVersion is a conditional write.
        HttpResponse<String> stale = send("PATCH", CM + "/p", "application/merge-patch+json",
                "{\"metadata\":{\"resourceVersion\":\"" + created.path("metadata").path("resourceVersion").asString()
                        + "\"},\"data\":{\"x\":\"y\"}}", null);
        assertStatus(stale, 409, "Conflict");
        assertEquals(404, send("PATCH", CM + "/nosuch", "application/merge-patch+json", "{}", null).statusCode());
    }

    @Test
    void deleteAnswers200UnlessCascadingWasAskedWithOrphanDependentsFalse() throws Exception {
        for (String name : new String[] {"held", "held-cascade"}) {
            HttpResponse<String> r = send("POST", CM, "application/json", "{\"metadata\":{\"name\":\"" + name
                    + "\",\"finalizers\":[\"example.com/keep\"]}}", null);
            assertEquals(201, r.statusCode(), r.body());
        }
        // Upstream's delete handler: 200 even when finalizers keep the object, as clients expect.
        HttpResponse<String> held = send("DELETE", CM + "/held", null, null, null);
        assertEquals(200, held.statusCode(), held.body());
        assertFalse(json(held).path("metadata").path("deletionTimestamp").isMissingNode(), held.body());

        // 202 Accepted only for the legacy orphanDependents=false when the object lingers.
        HttpResponse<String> cascade = send("DELETE", CM + "/held-cascade", "application/json",
                "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"orphanDependents\":false}", null);
        assertEquals(202, cascade.statusCode(), cascade.body());

        createConfigMap("plain");
        HttpResponse<String> plain = send("DELETE", CM + "/plain", "application/json",
                "{\"orphanDependents\":false}", null);
        assertEquals(200, plain.statusCode(), "deleted at once: 200");
        assertEquals(404, get(CM + "/plain", null).statusCode());
    }

    @Test
    void statusSubresourcePatchAnswersTheNewResourceVersion() throws Exception {
        String deployments = "/apis/apps/v1/namespaces/default/deployments";
        HttpResponse<String> created = send("POST", deployments, "application/json", "{\"metadata\":{\"name\":\"web\"},"
                + "\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"web\"}},\"template\":{\"metadata\":"
                + "{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}}}",
                null);
        assertEquals(201, created.statusCode(), created.body());
        HttpResponse<String> status = send("PATCH", deployments + "/web/status", "application/merge-patch+json",
                "{\"status\":{\"observedGeneration\":1,\"replicas\":1},\"spec\":{\"replicas\":5}}", null);
        assertEquals(200, status.statusCode(), status.body());
        JsonNode stored = json(get(deployments + "/web", null));
        assertEquals(stored.path("metadata").path("resourceVersion"), json(status).path("metadata").path("resourceVersion"));
        assertEquals(1, stored.path("status").path("replicas").asInt());
        assertEquals(1, stored.path("spec").path("replicas").asInt(), "a status patch leaves the spec");
        assertEquals(1, stored.path("metadata").path("generation").asInt());

        // The answered resourceVersion is good for the next conditional write.
        HttpResponse<String> next = send("PATCH", deployments + "/web", "application/merge-patch+json",
                "{\"metadata\":{\"resourceVersion\":\"" + json(status).path("metadata").path("resourceVersion")
                        .asString() + "\"},\"spec\":{\"replicas\":2}}", null);
        assertEquals(200, next.statusCode(), next.body());
        assertEquals(2, json(next).path("metadata").path("generation").asInt());
        assertEquals(1, json(next).path("status").path("replicas").asInt(), "a main write leaves the status");

        assertStatus(send("PUT", CM + "/x/status", "application/json", "{}", null), 404, "NotFound");
        JsonNode ns = json(get("/api/v1/namespaces/default", null));
        assertEquals("Namespace", ns.path("kind").asString());
        assertEquals("Active", ns.path("status").path("phase").asString());
    }

    @Test
    void yamlRequestBodiesAndResponses() throws Exception {
        String yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\n  labels:\n    src: yaml\n"
                + "data:\n  greeting: hello\n";
        HttpResponse<String> r = send("POST", CM, "application/yaml", yaml, null);
        assertEquals(201, r.statusCode(), r.body());
        assertEquals("hello", json(r).path("data").path("greeting").asString());
        assertEquals("yaml", json(get(CM + "/from-yaml", null)).path("metadata").path("labels").path("src").asString());

        HttpResponse<String> asYaml = get(CM + "/from-yaml", "application/yaml");
        assertEquals("application/yaml", asYaml.headers().firstValue("content-type").orElseThrow());
        assertTrue(asYaml.body().contains("greeting: \"hello\"") || asYaml.body().contains("greeting: hello"),
                asYaml.body());
    }

    // ---- watch ----

    @Test
    void watchStreamsAddedModifiedDeletedAndBookmarks() throws Exception {
        String listRv = json(get(CM, null)).path("metadata").path("resourceVersion").asString();
        BlockingQueue<JsonNode> lines = watch(CM + "?watch=true&allowWatchBookmarks=true&timeoutSeconds=30"
                + "&resourceVersion=" + listRv);

        JsonNode created = createConfigMap("w");
        JsonNode added = next(lines);
        assertEquals("ADDED", added.path("type").asString());
        assertEquals(created, added.path("object"));

        HttpResponse<String> patched = send("PATCH", CM + "/w", "application/merge-patch+json",
                "{\"data\":{\"k\":\"v2\"}}", null);
        JsonNode modified = next(lines);
        assertEquals("MODIFIED", modified.path("type").asString());
        assertEquals(json(patched).path("metadata").path("resourceVersion"),
                modified.path("object").path("metadata").path("resourceVersion"));

        HttpResponse<String> deleted = send("DELETE", CM + "/w", null, null, null);
        assertEquals(200, deleted.statusCode(), deleted.body());
        JsonNode gone = next(lines);
        assertEquals("DELETED", gone.path("type").asString());
        assertEquals(json(deleted).path("metadata").path("resourceVersion"),
                gone.path("object").path("metadata").path("resourceVersion"));

        // A write elsewhere, then a list "not older than" it: the configmap cache asks the store for
        // progress, and the watcher hears it as a BOOKMARK at that revision.
        HttpResponse<String> secret = send("POST", "/api/v1/namespaces/default/secrets", "application/json",
                "{\"metadata\":{\"name\":\"s\"}}", null);
        String secretRv = json(secret).path("metadata").path("resourceVersion").asString();
        assertEquals(200, get(CM + "?resourceVersion=" + secretRv, null).statusCode());
        JsonNode bookmark = next(lines);
        assertEquals("BOOKMARK", bookmark.path("type").asString(), bookmark.toString());
        assertEquals("ConfigMap", bookmark.path("object").path("kind").asString());
        assertTrue(Long.parseLong(bookmark.path("object").path("metadata").path("resourceVersion").asString())
                >= Long.parseLong(secretRv));
    }

    @Test
    void watchWithoutResourceVersionStartsWithAddedAndEndsAtTimeout() throws Exception {
        createConfigMap("a", "app", "web");
        createConfigMap("b", "app", "db");
        BlockingQueue<JsonNode> lines = watch(CM + "?watch=1&labelSelector=app%3Dweb&timeoutSeconds=1");
        JsonNode first = next(lines);
        assertEquals("ADDED", first.path("type").asString());
        assertEquals("a", first.path("object").path("metadata").path("name").asString());
        // The server ends the watch after timeoutSeconds; no other event arrives before.
        assertNull(lines.poll(3, TimeUnit.SECONDS));
        readers.get(0).join(5_000);
        assertFalse(readers.get(0).isAlive(), "the stream ended");
    }

    @Test
    void watchFromATooOldResourceVersionIsAnErrorEvent() throws Exception {
        String first = createConfigMap("a").path("metadata").path("resourceVersion").asString();
        createConfigMap("b");
        // The cache starts now, at a later revision: resuming from before it is 410 Gone.
        BlockingQueue<JsonNode> lines = watch(CM + "?watch=true&resourceVersion=" + first);
        JsonNode error = next(lines);
        assertEquals("ERROR", error.path("type").asString(), error.toString());
        JsonNode status = error.path("object");
        assertEquals("Status", status.path("kind").asString());
        assertEquals(410, status.path("code").asInt());
        assertEquals("Expired", status.path("reason").asString());
        readers.get(0).join(5_000);
        assertFalse(readers.get(0).isAlive(), "the stream ends after the ERROR event");
    }

    @Test
    void webSocketWatchIsRefusedAtOnce() throws Exception {
        URI uri = URI.create(base);
        try (Socket socket = server.socket()) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + CM + "?watch=true HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                    + "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            String statusLine = in.readLine();
            assertNotNull(statusLine);
            assertTrue(statusLine.startsWith("HTTP/1.1 503"), statusLine);
        }
    }

    // ---- metrics ----

    @Test
    void metricsCountRequests() throws Exception {
        createConfigMap("m");
        get(CM, null);
        get(CM + "/missing", null);
        HttpResponse<String> r = get("/metrics", null);
        assertEquals(200, r.statusCode());
        String body = r.body();
        assertTrue(body.contains("# TYPE apiserver_request_total counter"), body);
        assertTrue(body.contains("apiserver_request_total{verb=\"LIST\",group=\"\",version=\"v1\",resource=\"configmaps\""),
                body);
        assertTrue(body.contains("verb=\"POST\",group=\"\",version=\"v1\",resource=\"configmaps\",subresource=\"\","
                + "scope=\"namespace\",component=\"apiserver\",code=\"201\"} 1"), body);
        assertTrue(body.contains("scope=\"resource\",component=\"apiserver\",code=\"404\"}"), body);
        assertTrue(body.contains("apiserver_request_duration_seconds_bucket{"), body);
    }
}
