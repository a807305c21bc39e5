package dev.okube.apiserver.openapi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.eclipse.jetty.http.pathmap.ServletPathSpec;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The handler mounted as the lead will mount it: {@code /openapi/*} in a PathMappingsHandler. */
class OpenApiHandlerTest {
    private static final OpenApi OPENAPI = OpenApi.load();
    private static Server server;
    private static String base;
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        PathMappingsHandler routes = new PathMappingsHandler();
        routes.addMapping(new ServletPathSpec("/openapi/*"), new OpenApiHandler(OPENAPI));
        server.setHandler(new ContextHandler(routes, "/"));
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    private static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void indexThenHashedDocumentIsImmutable() throws Exception {
        HttpResponse<byte[]> index = get("/openapi/v3?timeout=32s", "Accept", "application/json, */*");
        assertEquals(200, index.statusCode());
        assertEquals("application/json", index.headers().firstValue("Content-Type").orElseThrow());
        String url = JsonMapper.builder().build().readTree(index.body()).path("paths").path("api/v1")
                .path("serverRelativeURL").asString();
        HttpResponse<byte[]> doc = get(url + "&timeout=32s", "Accept", "application/json");
        assertEquals(200, doc.statusCode());
        assertEquals("public, immutable", doc.headers().firstValue("Cache-Control").orElseThrow());
        assertTrue(doc.headers().firstValue("Expires").isPresent());
        String hash = OPENAPI.document("api/v1").hash();
        assertEquals("\"" + hash + "\"", doc.headers().firstValue("ETag").orElseThrow());
        assertArrayEquals(OPENAPI.document("api/v1").json(), doc.body());
    }

    @Test
    void staleHashRedirectsAndEtagRevalidates() throws Exception {
        HttpResponse<byte[]> stale = get("/openapi/v3/apis/apps/v1?hash=ABC");
        assertEquals(301, stale.statusCode());
        assertEquals(OPENAPI.document("apis/apps/v1").serverRelativeURL(),
                stale.headers().firstValue("Location").orElseThrow());
        HttpResponse<byte[]> plain = get("/openapi/v3/apis/apps/v1");
        assertEquals(200, plain.statusCode());
        assertEquals("no-cache, private", plain.headers().firstValue("Cache-Control").orElseThrow());
        String etag = plain.headers().firstValue("ETag").orElseThrow();
        assertEquals(304, get("/openapi/v3/apis/apps/v1", "If-None-Match", etag).statusCode());
    }

    @Test
    void unknownPathsAndTypesAreRefused() throws Exception {
        assertEquals(404, get("/openapi/v3/apis/nope/v1").statusCode());
        assertEquals(404, get("/openapi/v2").statusCode());
        assertEquals(406, get("/openapi/v3/api/v1",
                "Accept", "application/com.github.proto-openapi.spec.v3@v1.0+protobuf").statusCode());
    }
}
