package dev.okube.apiserver.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.apiserver.TestApiServer;
import dev.okube.apiserver.rest.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** PATCH application/apply-patch+yaml through the real HTTP front, as kubectl apply --server-side sends it. */
class ServerSideApplyHttpTest {
    private static final String DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments";
    private static final String APPLY = "application/apply-patch+yaml";
    private static final String WEB = "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web',"
            + "'namespace':'default'},'spec':{'replicas':%d,'selector':{'matchLabels':{'app':'web'}},'template':"
            + "{'metadata':{'labels':{'app':'web'}},'spec':{'containers':[{'name':'main','image':'nginx'}]}}}}";
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

    private HttpResponse<String> send(String method, String path, String type, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.base() + path)).header("Content-Type", type)
                .header("User-Agent", "kubectl/v1.32.0 (linux/amd64) kubernetes/abc")
                .method(method, HttpRequest.BodyPublishers.ofString(body.replace('\'', '"'))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode entry(JsonNode object, String manager) {
        for (JsonNode e : object.get("metadata").get("managedFields")) {
            if (e.get("manager").asString().equals(manager)) {
                return e;
            }
        }
        return null;
    }

    @Test
    void applyCreatesThenConflictsWithClientSideApplyUnlessForced() throws Exception {
        HttpResponse<String> missing = send("PATCH", DEPLOYMENTS + "/web", APPLY, String.format(WEB, 1));
        assertEquals(422, missing.statusCode(), missing.body());
        assertEquals("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply "
                + "patch", Json.MAPPER.readTree(missing.body()).get("message").asString());

        HttpResponse<String> dry = send("PATCH", DEPLOYMENTS + "/web?fieldManager=kubectl&dryRun=All", APPLY,
                String.format(WEB, 1));
        assertEquals(201, dry.statusCode(), dry.body());
        assertEquals(404, send("GET", DEPLOYMENTS + "/web", "application/json", "").statusCode());

        HttpResponse<String> created = send("PATCH", DEPLOYMENTS + "/web?fieldManager=kubectl&force=false", APPLY,
                String.format(WEB, 1));
        assertEquals(201, created.statusCode(), created.body());
        JsonNode object = Json.MAPPER.readTree(created.body());
        JsonNode mine = entry(object, "kubectl");
        assertEquals("Apply", mine.get("operation").asString());
        assertTrue(mine.get("fieldsV1").get("f:spec").has("f:replicas"));
        assertFalse(mine.get("fieldsV1").get("f:spec").has("f:revisionHistoryLimit"), "defaults are nobody's");

        JsonNode stored = Json.MAPPER.readTree(send("GET", DEPLOYMENTS + "/web", "application/json", "").body());
        HttpResponse<String> again = send("PATCH", DEPLOYMENTS + "/web?fieldManager=kubectl", APPLY,
                String.format(WEB, 1));
        assertEquals(200, again.statusCode(), again.body());
        assertEquals(stored.get("metadata").get("resourceVersion"),
                Json.MAPPER.readTree(again.body()).get("metadata").get("resourceVersion"), "re-apply is a no-op");

        // A client-side apply (a strategic merge patch) takes replicas as an Update.
        HttpResponse<String> csa = send("PATCH", DEPLOYMENTS + "/web?fieldManager=kubectl-client-side-apply",
                "application/strategic-merge-patch+json", "{'spec':{'replicas':2}}");
        assertEquals(200, csa.statusCode(), csa.body());
        JsonNode update = entry(Json.MAPPER.readTree(csa.body()), "kubectl-client-side-apply");
        assertEquals("Update", update.get("operation").asString());
        assertEquals(Json.MAPPER.readTree("{\"f:spec\":{\"f:replicas\":{}}}"), update.get("fieldsV1"));

        HttpResponse<String> conflict = send("PATCH", DEPLOYMENTS + "/web?fieldManager=kubectl&force=false", APPLY,
                String.format(WEB, 3));
        assertEquals(409, conflict.statusCode(), conflict.body());
        JsonNode status = Json.MAPPER.readTree(conflict.body());
        assertEquals("Conflict", status.get("reason").asString());
        assertEquals("Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: "
                + ".spec.replicas", status.get("message").asString());
        JsonNode cause = status.get("details").get("causes").get(0);
        assertEquals("FieldManagerConflict", cause.get("reason").asString());
        assertEquals(".spec.replicas", cause.get("field").asString());
        assertEquals("conflict with \"kubectl-client-side-apply\" using apps/v1", cause.get("message").asString());

        HttpResponse<String> forced = send("PATCH", DEPLOYMENTS + "/web?fieldManager=kubectl&force=true", APPLY,
                String.format(WEB, 3).replace("'nginx'", "'nginx:2'"));
        assertEquals(200, forced.statusCode(), forced.body());
        JsonNode after = Json.MAPPER.readTree(forced.body());
        assertEquals(3, after.get("spec").get("replicas").asInt());
        assertEquals("nginx:2", after.get("spec").get("template").get("spec").get("containers").get(0).get("image")
                .asString());
        assertEquals(null, entry(after, "kubectl-client-side-apply"), "it owned nothing else");
    }

    @Test
    void yamlBodiesAndUserAgentManagers() throws Exception {
        HttpResponse<String> created = send("POST", "/api/v1/namespaces/default/configmaps", "application/json",
                "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'},'data':{'a':'1'}}");
        assertEquals(201, created.statusCode(), created.body());
        JsonNode entry = entry(Json.MAPPER.readTree(created.body()), "kubectl");
        assertEquals("Update", entry.get("operation").asString(), "the manager is the User-Agent's product");

        HttpResponse<String> applied = send("PATCH", "/api/v1/namespaces/default/configmaps/c?fieldManager=tool",
                APPLY, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  b: '2'\n");
        assertEquals(200, applied.statusCode(), applied.body());
        JsonNode cm = Json.MAPPER.readTree(applied.body());
        assertEquals(Json.MAPPER.readTree("{\"a\":\"1\",\"b\":\"2\"}"), cm.get("data"));
        assertEquals(Json.MAPPER.readTree("{\"f:data\":{\"f:b\":{}}}"), entry(cm, "tool").get("fieldsV1"));

        HttpResponse<String> forced = send("PATCH", "/api/v1/namespaces/default/configmaps/c?force=true",
                "application/merge-patch+json", "{'data':{'c':'3'}}");
        assertEquals(422, forced.statusCode(), forced.body());
        assertEquals("PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply "
                + "patch", Json.MAPPER.readTree(forced.body()).get("message").asString());
    }
}
