package dev.okube.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionResponse;
import dev.okube.api.admission.ValidatingAdmission;
import dev.okube.api.authentication.AuthenticationRequest;
import dev.okube.api.authentication.AuthenticationResult;
import dev.okube.api.authentication.Authenticator;
import dev.okube.api.authentication.ServiceAccountTokenIssuer;
import dev.okube.apiserver.admission.AdmissionPlugins;
import dev.okube.apiserver.rest.Json;
import dev.okube.storage.embedded.EmbeddedKeyValueStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The serviceaccounts/token subresource (TokenRequest API) over HTTP. */
class TokenRequestHttpTest {
    static final String TOKEN = "/api/v1/namespaces/default/serviceaccounts/robot/token";
    static final String AUDIENCE = "https://kubernetes.default.svc.cluster.local";

    @TempDir
    Path data;
    private EmbeddedKeyValueStore store;
    private ApiServer server;
    private String base;
    private HttpClient http;
    private final RecordingIssuer issuer = new RecordingIssuer(0);
    private final AdmissionPlugins admission = new AdmissionPlugins(TestSecurity.admissionConfig());

    /** Signs nothing: records what it was asked and answers a recognisable token. */
    static final class RecordingIssuer implements ServiceAccountTokenIssuer {
        final List<BoundTokenRequest> requests = new CopyOnWriteArrayList<>();
        final long maxSeconds;

        RecordingIssuer(long maxSeconds) {
            this.maxSeconds = maxSeconds;
        }

        @Override
        public String issuer() {
            return AUDIENCE;
        }

        @Override
        public List<String> defaultAudiences() {
            return List.of(AUDIENCE);
        }

        @Override
        public IssuedToken issue(BoundTokenRequest request) {
            requests.add(request);
            long seconds = maxSeconds > 0 ? Math.min(maxSeconds, request.expirationSeconds()) : request.expirationSeconds();
            return new IssuedToken("token-" + requests.size() + "-for-" + request.serviceAccountName(),
                    Instant.now().plusSeconds(seconds), request.audiences());
        }

        @Override
        public String issueLegacy(String namespace, String serviceAccountName, String serviceAccountUid,
                String secretName) {
            throw new AssertionError("the TokenRequest API never asks for a legacy token");
        }
    }

    @BeforeEach
    void start() throws Exception {
        store = new EmbeddedKeyValueStore(ApiServerTest.storeConfig(data.resolve("storage")));
        server = new ApiServer(ApiServerTest.config(data), store, admission, null);
        server.addAuthenticator(new Authenticator() {
            @Override
            public String name() {
                return "test-admin";
            }

            @Override
            public AuthenticationResult authenticate(AuthenticationRequest request) {
                return AuthenticationResult.authenticated(TestSecurity.ADMIN);
            }
        });
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

    private HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.replace('\'', '"'))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode create(String path, String json) throws Exception {
        HttpResponse<String> r = post(path, json);
        assertEquals(201, r.statusCode(), r.body());
        return Json.MAPPER.readTree(r.body());
    }

    private JsonNode robot() throws Exception {
        return create("/api/v1/namespaces/default/serviceaccounts", "{'metadata':{'name':'robot'}}");
    }

    @Test
    void withoutAnIssuerTheApiAnswers503AndAMissingAccount404() throws Exception {
        HttpResponse<String> missing = post(TOKEN, "{}");
        assertEquals(404, missing.statusCode(), missing.body());
        assertTrue(missing.body().contains("serviceaccounts \\\"robot\\\" not found"), missing.body());
        robot();
        HttpResponse<String> r = post(TOKEN, "{}");
        assertEquals(503, r.statusCode(), r.body());
        assertTrue(r.body().contains("okube-auth-serviceaccount"), r.body());
    }

    @Test
    void aTokenRequestIsAnsweredWithTheTokenAndItsExpiry() throws Exception {
        JsonNode sa = robot();
        server.setTokenIssuer(issuer);
        Instant before = Instant.now().minusSeconds(1);
        JsonNode answer = create(TOKEN, "{'apiVersion':'authentication.k8s.io/v1','kind':'TokenRequest','spec':{}}");
        assertEquals("authentication.k8s.io/v1", answer.path("apiVersion").asString());
        assertEquals("TokenRequest", answer.path("kind").asString());
        assertEquals("robot", answer.path("metadata").path("name").asString());
        assertEquals("default", answer.path("metadata").path("namespace").asString());
        assertEquals(sa.path("metadata").path("uid").asString(), answer.path("metadata").path("uid").asString());
        assertEquals(3600, answer.path("spec").path("expirationSeconds").asLong());
        assertEquals(List.of(AUDIENCE), List.of(answer.path("spec").path("audiences").get(0).asString()));
        assertEquals("token-1-for-robot", answer.path("status").path("token").asString());
        Instant expires = Instant.parse(answer.path("status").path("expirationTimestamp").asString());
        assertTrue(!expires.isBefore(before.plusSeconds(3600)) && expires.isBefore(Instant.now().plusSeconds(3601)),
                expires.toString());

        ServiceAccountTokenIssuer.BoundTokenRequest asked = issuer.requests.get(0);
        assertEquals("default", asked.namespace());
        assertEquals("robot", asked.serviceAccountName());
        assertEquals(sa.path("metadata").path("uid").asString(), asked.serviceAccountUid());
        assertEquals(3600, asked.expirationSeconds());
        assertNull(asked.boundObject());
    }

    @Test
    void audiencesAndDurationAreTakenFromTheSpec() throws Exception {
        robot();
        server.setTokenIssuer(issuer);
        JsonNode answer = create(TOKEN, "{'spec':{'audiences':['vault','api'],'expirationSeconds':7200}}");
        assertEquals(7200, answer.path("spec").path("expirationSeconds").asLong());
        assertEquals(List.of("vault", "api"), issuer.requests.get(0).audiences());
        assertEquals(7200, issuer.requests.get(0).expirationSeconds());
    }

    @Test
    void tooShortOrTooLongLifetimesAreInvalid() throws Exception {
        robot();
        server.setTokenIssuer(issuer);
        HttpResponse<String> shortOne = post(TOKEN, "{'spec':{'expirationSeconds':60}}");
        assertEquals(422, shortOne.statusCode(), shortOne.body());
        assertEquals("TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid value: 60: "
                + "may not specify a duration less than 10 minutes",
                Json.MAPPER.readTree(shortOne.body()).path("message").asString());
        HttpResponse<String> longOne = post(TOKEN, "{'spec':{'expirationSeconds':4294967297}}");
        assertEquals(422, longOne.statusCode(), longOne.body());
        assertTrue(longOne.body().contains("may not specify a duration larger than 2^32 seconds"), longOne.body());
        assertEquals(201, post(TOKEN, "{'spec':{'expirationSeconds':600}}").statusCode());
        assertEquals(1, issuer.requests.size());
    }

    @Test
    void theBodyMustNameThisAccountAndBeATokenRequest() throws Exception {
        robot();
        server.setTokenIssuer(issuer);
        HttpResponse<String> other = post(TOKEN, "{'metadata':{'name':'someone'}}");
        assertEquals(422, other.statusCode(), other.body());
        assertTrue(other.body().contains("metadata.name: Invalid value: \\\"someone\\\": must match the service "
                + "account name if specified"), other.body());
        HttpResponse<String> ns = post(TOKEN, "{'metadata':{'namespace':'kube-system'}}");
        assertEquals(422, ns.statusCode(), ns.body());
        HttpResponse<String> kind = post(TOKEN, "{'apiVersion':'v1','kind':'Pod'}");
        assertEquals(400, kind.statusCode(), kind.body());
    }

    @Test
    void aTokenBoundToAPodNeedsThePodOfThisAccount() throws Exception {
        robot();
        server.setTokenIssuer(issuer);
        String ref = "{'spec':{'boundObjectRef':{'kind':'Pod','apiVersion':'v1','name':'web'%s}}}";
        HttpResponse<String> missing = post(TOKEN, String.format(ref, ""));
        assertEquals(404, missing.statusCode(), missing.body());
        assertTrue(missing.body().contains("pods \\\"web\\\" not found"), missing.body());

        JsonNode pod = create("/api/v1/namespaces/default/pods", "{'metadata':{'name':'web'},'spec':{"
                + "'serviceAccountName':'robot','containers':[{'name':'c','image':'busybox'}]}}");
        create("/api/v1/namespaces/default/pods", "{'metadata':{'name':'other'},'spec':{"
                + "'containers':[{'name':'c','image':'busybox'}]}}");
        String uid = pod.path("metadata").path("uid").asString();
        HttpResponse<String> wrongUid = post(TOKEN, String.format(ref, ",'uid':'not-" + uid + "'"));
        assertEquals(409, wrongUid.statusCode(), wrongUid.body());
        assertTrue(wrongUid.body().contains("The object might have been deleted and then recreated"), wrongUid.body());
        HttpResponse<String> otherAccount = post(TOKEN,
                "{'spec':{'boundObjectRef':{'kind':'Pod','apiVersion':'v1','name':'other'}}}");
        assertEquals(400, otherAccount.statusCode(), otherAccount.body());
        assertTrue(otherAccount.body().contains("cannot bind token for serviceaccount \\\"robot\\\" to pod running "
                + "with different serviceaccount name."), otherAccount.body());

        JsonNode answer = create(TOKEN, String.format(ref, ",'uid':'" + uid + "'"));
        assertEquals("web", answer.path("spec").path("boundObjectRef").path("name").asString());
        ServiceAccountTokenIssuer.BoundObject bound = issuer.requests.get(0).boundObject();
        assertEquals(new ServiceAccountTokenIssuer.BoundObject("Pod", "v1", "web", uid), bound);
    }

    @Test
    void tokensBindOnlyToPodsSecretsAndNodes() throws Exception {
        robot();
        server.setTokenIssuer(issuer);
        HttpResponse<String> r = post(TOKEN, "{'spec':{'boundObjectRef':{'kind':'ConfigMap','apiVersion':'v1',"
                + "'name':'c'}}}");
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("cannot bind token to object of type /v1, Kind=ConfigMap"), r.body());
        JsonNode secret = create("/api/v1/namespaces/default/secrets", "{'metadata':{'name':'s'}}");
        create(TOKEN, "{'spec':{'boundObjectRef':{'kind':'Secret','apiVersion':'v1','name':'s'}}}");
        assertEquals(new ServiceAccountTokenIssuer.BoundObject("Secret", "v1", "s",
                secret.path("metadata").path("uid").asString()), issuer.requests.get(0).boundObject());
    }

    @Test
    void aShortenedLifetimeIsReportedAndWarned() throws Exception {
        robot();
        server.setTokenIssuer(new RecordingIssuer(3600));
        HttpResponse<String> r = post(TOKEN, "{'spec':{'expirationSeconds':86400}}");
        assertEquals(201, r.statusCode(), r.body());
        long granted = Json.MAPPER.readTree(r.body()).path("spec").path("expirationSeconds").asLong();
        assertTrue(granted >= 3599 && granted <= 3600, r.body());
        assertTrue(r.headers().firstValue("warning").orElse("").contains("requested expiration of 86400 seconds "
                + "shortened to"), r.headers().map().toString());
    }

    @Test
    void tokenRequestsGoThroughAdmissionAsACreateOfServiceaccountsToken() throws Exception {
        robot();
        server.setTokenIssuer(issuer);
        List<AdmissionRequest> seen = new CopyOnWriteArrayList<>();
        admission.add(new ValidatingAdmission() {
            @Override
            public String name() {
                return "NoTokensForBots";
            }

            @Override
            public AdmissionResponse validate(AdmissionRequest request) {
                if (!"token".equals(request.subresource())) {
                    return AdmissionResponse.allow();
                }
                seen.add(request);
                return request.object().path("spec").path("audiences").toString().contains("bots")
                        ? AdmissionResponse.deny(403, "Forbidden", "no tokens for bots")
                        : AdmissionResponse.allow();
            }
        });
        assertEquals(201, post(TOKEN, "{'spec':{'audiences':['people']}}").statusCode());
        HttpResponse<String> denied = post(TOKEN, "{'spec':{'audiences':['bots']}}");
        assertEquals(403, denied.statusCode(), denied.body());
        assertTrue(denied.body().contains("no tokens for bots"), denied.body());
        assertEquals(1, issuer.requests.size(), "a denied request is not signed");

        AdmissionRequest first = seen.get(0);
        assertEquals(AdmissionRequest.Operation.CREATE, first.operation());
        assertEquals("serviceaccounts", first.resource());
        assertEquals("TokenRequest", first.kind());
        assertEquals("default", first.namespace());
        assertEquals("robot", first.name());
        assertEquals(TestSecurity.ADMIN.name(), first.user().name());
    }

    /** The protobuf body real kubectl 1.32 sent for `kubectl create token NAME --audience api --duration 10m`. */
    @Test
    void kubectlsProtobufTokenRequestIsAnswered() throws Exception {
        robot();
        server.setTokenIssuer(issuer);
        byte[] body;
        try (var in = getClass().getResourceAsStream("/protobuf/tokenrequest.bin")) {
            body = in.readAllBytes();
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + TOKEN))
                .header("Content-Type", "application/vnd.kubernetes.protobuf")
                .header("Accept", "application/vnd.kubernetes.protobuf, */*")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        JsonNode answer = Json.MAPPER.readTree(r.body());
        assertEquals("token-1-for-robot", answer.path("status").path("token").asString());
        assertEquals(600, answer.path("spec").path("expirationSeconds").asLong());
        assertEquals(List.of("api"), issuer.requests.get(0).audiences());
    }

    @Test
    void discoveryListsTheTokenSubresource() throws Exception {
        String list = get("/api/v1").body();
        assertTrue(list.contains("{\"name\":\"serviceaccounts/token\",\"singularName\":\"\",\"namespaced\":true,"
                + "\"group\":\"authentication.k8s.io\",\"version\":\"v1\",\"kind\":\"TokenRequest\",\"verbs\":[\"create\"]}"),
                list);
    }
}
