package dev.okube.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** Starts the real Jetty front on a free port and talks HTTP to it. */
class ApiServerTest {
    @TempDir
    Path data;
    private EmbeddedKeyValueStore store;
    private ApiServer server;
    private String base;
    private HttpClient http;

    @BeforeEach
    void start() throws Exception {
        store = new EmbeddedKeyValueStore(storeConfig(data.resolve("storage")));
        server = TestSecurity.apiServer(config(data), store);
        String kubeconfig = Files.readString(data.resolve("admin.kubeconfig"));
        Matcher m = Pattern.compile("server: (https://\\S+)").matcher(kubeconfig);
        assertTrue(m.find(), kubeconfig);
        base = m.group(1);
        http = TestTls.admin(data);
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
        store.deactivate();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void versionReportsKubernetes132() throws Exception {
        HttpResponse<String> r = get("/version?timeout=32s");
        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
        assertTrue(r.body().startsWith("{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"v1.32.0+okube\""), r.body());
    }

    @Test
    void healthEndpointsAndSubPaths() throws Exception {
        assertEquals("ok", get("/readyz").body());
        assertEquals("ok", get("/livez").body());
        assertEquals("ok", get("/healthz").body());
        assertEquals("ok", get("/readyz/ping").body());
        assertTrue(get("/readyz?verbose").body().endsWith("readyz check passed\n"));
        HttpResponse<String> none = get("/readyz/nosuch");
        assertEquals(404, none.statusCode(), none.body());
    }

    @Test
    void unknownPathsAreNotFoundStatuses() throws Exception {
        HttpResponse<String> r = get("/api/v1/nosuch");
        assertEquals(404, r.statusCode());
        assertTrue(r.body().contains("\"reason\":\"NotFound\""), r.body());
    }

    @Test
    void kubeconfigIsPrivateToTheOwner() throws Exception {
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(data.resolve("admin.kubeconfig"))));
    }

    static EmbeddedKeyValueStore.Config storeConfig(Path dir) {
        return EmbeddedKeyValueStore.config(dir, false);
    }

    /** The apiserver's configuration for tests: loopback, a free port, HTTPS only, state under {@code data}. */
    static ApiServer.Config config(Path data) {
        return new ConnectorsTest.TestConfig(data);
    }
}
