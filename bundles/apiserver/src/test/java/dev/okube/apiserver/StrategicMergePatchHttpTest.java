package dev.okube.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.apiserver.rest.Json;
import dev.okube.storage.embedded.EmbeddedKeyValueStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** PATCH with application/strategic-merge-patch+json over HTTP, as kubectl apply and kubectl patch send it. */
class StrategicMergePatchHttpTest {
    private static final String DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments";
    @TempDir
    Path data;
    private EmbeddedKeyValueStore store;
    private ApiServer server;
    private String base;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        store = new EmbeddedKeyValueStore(ApiServerTest.storeConfig(data.resolve("storage")));
        server = TestSecurity.apiServer(ApiServerTest.config(data), store);
        Matcher m = Pattern.compile("server: (http://\\S+)").matcher(Files.readString(data.resolve("admin.kubeconfig")));
        assertTrue(m.find());
        base = m.group(1);
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
        store.deactivate();
    }

    private HttpResponse<String> send(String method, String path, String type, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", type)
                .method(method, HttpRequest.BodyPublishers.ofString(body.replace('\'', '"'))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void containersMergeByNameAndErrorsAreUpstreams() throws Exception {
        HttpResponse<String> created = send("POST", DEPLOYMENTS, "application/json", "{'apiVersion':'apps/v1',"
                + "'kind':'Deployment','metadata':{'name':'web'},'spec':{'replicas':1,'selector':{'matchLabels':"
                + "{'app':'web'}},'template':{'metadata':{'labels':{'app':'web'}},'spec':{'containers':["
                + "{'name':'a','image':'a:1'},{'name':'b','image':'b:1'}]}}}}");
        assertEquals(201, created.statusCode(), created.body());

        HttpResponse<String> patched = send("PATCH", DEPLOYMENTS + "/web", "application/strategic-merge-patch+json",
                "{'spec':{'replicas':3,'template':{'spec':{'$setElementOrder/containers':[{'name':'a'},{'name':'b'}],"
                        + "'containers':[{'name':'b','image':'b:2'}]}}}}");
        assertEquals(200, patched.statusCode(), patched.body());
        JsonNode spec = Json.MAPPER.readTree(patched.body()).get("spec");
        assertEquals(3, spec.get("replicas").asInt());
        JsonNode containers = spec.get("template").get("spec").get("containers");
        assertEquals(2, containers.size());
        assertEquals("a:1", containers.get(0).get("image").asString());
        assertEquals("b:2", containers.get(1).get("image").asString());

        HttpResponse<String> noKey = send("PATCH", DEPLOYMENTS + "/web", "application/strategic-merge-patch+json",
                "{'spec':{'template':{'spec':{'containers':[{'image':'x'}]}}}}");
        assertEquals(500, noKey.statusCode(), noKey.body());
        assertEquals("map: map[image:x] does not contain declared merge key: name",
                Json.MAPPER.readTree(noKey.body()).get("message").asString());

        HttpResponse<String> badRetain = send("PATCH", DEPLOYMENTS + "/web", "application/strategic-merge-patch+json",
                "{'spec':{'strategy':{'$retainKeys':'type'}}}");
        assertEquals(400, badRetain.statusCode(), badRetain.body());
        assertEquals("invalid patch format of retainKeys", Json.MAPPER.readTree(badRetain.body()).get("message").asString());
    }
}
