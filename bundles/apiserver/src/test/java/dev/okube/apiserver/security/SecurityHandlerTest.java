package dev.okube.apiserver.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.admission.UserInfo;
import dev.okube.api.authentication.AuthenticationRequest;
import dev.okube.api.authentication.AuthenticationResult;
import dev.okube.api.authentication.Authenticator;
import dev.okube.api.authorization.AuthorizationRequest;
import dev.okube.api.authorization.Authorizer;
import dev.okube.apiserver.rest.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Authentication, impersonation and authorization in front of a handler that echoes the user. */
class SecurityHandlerTest {
    private final AuthenticatorChain authenticators = new AuthenticatorChain();
    private final AuthorizerChain authorizers = new AuthorizerChain();
    private final List<AuthorizationRequest> asked = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private Server server;
    private String base;

    /** Tokens "alice", "bob", "root" (system:masters) and "bad" (rejected). */
    private static final class Tokens implements Authenticator {
        @Override
        public String name() {
            return "tokens";
        }

        @Override
        public AuthenticationResult authenticate(AuthenticationRequest request) {
            return request.bearerToken().map(t -> switch (t) {
                case "root" -> AuthenticationResult.authenticated(new UserInfo("root", "", List.of("system:masters"), Map.of()));
                case "bad" -> AuthenticationResult.rejected("token expired");
                default -> AuthenticationResult.authenticated(new UserInfo(t, "", List.of("devs"), Map.of()));
            }).orElse(AuthenticationResult.noOpinion());
        }
    }

    private void allow(Predicate<AuthorizationRequest> rule) {
        authorizers.add(new Authorizer() {
            @Override
            public String name() {
                return "test";
            }

            @Override
            public Verdict authorize(AuthorizationRequest request) {
                asked.add(request);
                return rule.test(request) ? new Verdict(Decision.ALLOW, "") : Verdict.noOpinion();
            }
        });
    }

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        Handler echo = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                UserInfo user = Users.of(request);
                var body = Json.object().put("name", user.name()).put("uid", user.uid());
                var groups = body.putArray("groups");
                user.groups().forEach(groups::add);
                body.putPOJO("extra", user.extra());
                Content.Sink.write(response, true, body.toString(), callback);
                return true;
            }
        };
        server.setHandler(new SecurityHandler(echo, authenticators, authorizers));
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort();
        authenticators.add(new Tokens());
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    private HttpResponse<String> get(String path, String token, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) {
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void noCredentialIsUnauthorized() throws Exception {
        HttpResponse<String> r = get("/api/v1/pods", null);
        assertEquals(401, r.statusCode());
        assertEquals("Unauthorized", json(r).path("reason").asString());
        assertEquals("Status", json(r).path("kind").asString());
        assertEquals(401, get("/api/v1/pods", "bad").statusCode());
    }

    @Test
    void authenticatedUsersGetTheAuthenticatedGroup() throws Exception {
        allow(r -> true);
        HttpResponse<String> r = get("/api/v1/pods", "alice");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("alice", json(r).path("name").asString());
        assertEquals("[\"devs\",\"system:authenticated\"]", json(r).path("groups").toString());
    }

    @Test
    void forbiddenMessagesAreUpstreams() throws Exception {
        allow(r -> false);
        JsonNode list = json(get("/api/v1/namespaces/default/pods", "alice"));
        assertEquals(403, list.path("code").asInt());
        assertEquals("Forbidden", list.path("reason").asString());
        assertEquals("pods is forbidden: User \"alice\" cannot list resource \"pods\" in API group \"\" in the namespace "
                + "\"default\"", list.path("message").asString());
        assertEquals("pods", list.path("details").path("kind").asString());
        JsonNode one = json(get("/apis/apps/v1/deployments/x/status", "alice"));
        assertEquals("deployments.apps \"x\" is forbidden: User \"alice\" cannot get resource \"deployments/status\" in "
                + "API group \"apps\" at the cluster scope", one.path("message").asString());
        assertEquals("x", one.path("details").path("name").asString());
        assertEquals("apps", one.path("details").path("group").asString());
        JsonNode path = json(get("/metrics", "alice"));
        assertEquals("forbidden: User \"alice\" cannot get path \"/metrics\"", path.path("message").asString());
    }

    @Test
    void noAuthorizerDeniesAllButMasters() throws Exception {
        HttpResponse<String> denied = get("/api/v1/pods", "alice");
        assertEquals(403, denied.statusCode());
        assertTrue(json(denied).path("message").asString().endsWith(": no authorizer is installed"), denied.body());
        assertEquals(200, get("/api/v1/pods", "root").statusCode());
    }

    @Test
    void impersonationNeedsTheImpersonateVerbForEveryPart() throws Exception {
        allow(r -> r.verb().equals("impersonate") ? r.user().name().equals("bob")
                && !(r.resource().equals("groups") && r.name().equals("system:masters")) : true);
        HttpResponse<String> as = get("/api/v1/pods", "bob", "Impersonate-User", "carol", "Impersonate-Group", "qa",
                "Impersonate-Extra-Scopes", "view");
        assertEquals(200, as.statusCode(), as.body());
        assertEquals("carol", json(as).path("name").asString());
        assertEquals("[\"qa\",\"system:authenticated\"]", json(as).path("groups").toString());
        assertEquals("[\"view\"]", json(as).path("extra").path("scopes").toString());
        assertTrue(asked.stream().anyMatch(r -> r.verb().equals("impersonate") && r.resource().equals("userextras")
                && r.subresource().equals("scopes") && r.group().equals("authentication.k8s.io")));

        HttpResponse<String> sa = get("/api/v1/pods", "bob", "Impersonate-User", "system:serviceaccount:ns1:robot");
        assertEquals("[\"system:serviceaccounts\",\"system:serviceaccounts:ns1\",\"system:authenticated\"]",
                json(sa).path("groups").toString());
        assertTrue(asked.stream().anyMatch(r -> r.resource().equals("serviceaccounts") && r.namespace().equals("ns1")
                && r.name().equals("robot")));

        HttpResponse<String> escalate = get("/api/v1/pods", "bob", "Impersonate-User", "carol", "Impersonate-Group",
                "system:masters");
        assertEquals(403, escalate.statusCode());
        assertEquals("groups \"system:masters\" is forbidden: User \"bob\" cannot impersonate resource \"groups\" in API "
                + "group \"\" at the cluster scope", json(escalate).path("message").asString());

        HttpResponse<String> alice = get("/api/v1/pods", "alice", "Impersonate-User", "carol");
        assertEquals("users \"carol\" is forbidden: User \"alice\" cannot impersonate resource \"users\" in API group "
                + "\"\" at the cluster scope", json(alice).path("message").asString());

        HttpResponse<String> groupOnly = get("/api/v1/pods", "bob", "Impersonate-Group", "qa");
        assertEquals(400, groupOnly.statusCode());
        assertEquals("requested group \"qa\" without impersonating a user", json(groupOnly).path("message").asString());
    }

    @Test
    void theImpersonatedUserIsWhatIsAuthorized() throws Exception {
        allow(r -> r.verb().equals("impersonate") || r.user().name().equals("carol"));
        assertEquals(200, get("/api/v1/pods", "bob", "Impersonate-User", "carol").statusCode());
        HttpResponse<String> anonymous = get("/api/v1/pods", "bob", "Impersonate-User", "system:anonymous");
        assertEquals(403, anonymous.statusCode());
        assertTrue(asked.stream().anyMatch(r -> r.user().name().equals("system:anonymous")
                && r.user().groups().equals(List.of("system:unauthenticated"))));
    }
}
