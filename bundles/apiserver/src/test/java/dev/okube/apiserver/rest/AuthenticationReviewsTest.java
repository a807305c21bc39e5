package dev.okube.apiserver.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.okube.apiserver.TestApiServer;
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

/** TokenReview and SelfSubjectReview over HTTP, answered from the authenticator chain. */
class AuthenticationReviewsTest {
    @TempDir
    Path data;
    private TestApiServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        server = TestApiServer.start(data);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.base() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void selfSubjectReviewNamesTheRequester() throws Exception {
        HttpResponse<String> r = post("/apis/authentication.k8s.io/v1/selfsubjectreviews",
                "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}");
        assertEquals(201, r.statusCode(), r.body());
        JsonNode user = Json.MAPPER.readTree(r.body()).path("status").path("userInfo");
        assertEquals("test-admin", user.path("username").asString());
        assertEquals("[\"system:masters\",\"system:authenticated\"]", user.path("groups").toString());
    }

    @Test
    void tokenReviewAuthenticatesTheTokenNotTheRequester() throws Exception {
        HttpResponse<String> r = post("/apis/authentication.k8s.io/v1/tokenreviews",
                "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{\"token\":\"abc\","
                        + "\"audiences\":[\"vault\"]}}");
        assertEquals(201, r.statusCode(), r.body());
        JsonNode status = Json.MAPPER.readTree(r.body()).path("status");
        assertEquals(true, status.path("authenticated").asBoolean());
        // The test authenticator names no audiences, so the token is good for those asked.
        assertEquals("[\"vault\"]", status.path("audiences").toString());

        HttpResponse<String> empty = post("/apis/authentication.k8s.io/v1/tokenreviews",
                "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{}}");
        assertEquals(400, empty.statusCode());
        assertEquals("token is required for TokenReview", Json.MAPPER.readTree(empty.body()).path("message").asString());

        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(server.base()
                + "/apis/authentication.k8s.io/v1/tokenreviews")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode());
    }
}
