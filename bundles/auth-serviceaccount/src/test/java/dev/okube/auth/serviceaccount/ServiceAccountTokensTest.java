package dev.okube.auth.serviceaccount;

import static dev.okube.testkit.Admission.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import dev.okube.api.admission.UserInfo;
import dev.okube.api.authentication.AuthenticationRequest;
import dev.okube.api.authentication.AuthenticationResult;
import dev.okube.api.authentication.AuthenticationResult.Outcome;
import dev.okube.api.authentication.ServiceAccountTokenIssuer.BoundObject;
import dev.okube.api.authentication.ServiceAccountTokenIssuer.BoundTokenRequest;
import dev.okube.api.authentication.ServiceAccountTokenIssuer.IssuedToken;
import dev.okube.api.resources.ResourceType;
import dev.okube.testkit.InMemoryClusterResources;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class ServiceAccountTokensTest {
    static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
    static final KeyPair KEYS = KeyFiles.generate();
    static final ResourceType SA = ResourceType.core("serviceaccounts");
    static final ResourceType PODS = ResourceType.core("pods");
    static final ResourceType SECRETS = ResourceType.core("secrets");
    static final ResourceType NODES = ResourceType.core("nodes");

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
    final InMemoryClusterResources cluster = new InMemoryClusterResources();
    final TokenSigner.Settings settings = new TokenSigner.Settings(ISSUER, List.of(ISSUER), 0, true);
    TokenSigner signer;
    TokenVerifier verifier;
    ObjectNode robot;

    @BeforeEach
    void setUp() {
        signer = signer(settings);
        verifier = new TokenVerifier((RSAPublicKey) KEYS.getPublic(), settings, cluster, clock);
        robot = cluster.put(SA, json("{'metadata':{'name':'robot','namespace':'team'}}"));
    }

    TokenSigner signer(TokenSigner.Settings s) {
        return new TokenSigner((RSAPrivateKey) KEYS.getPrivate(), KeyFiles.keyId((RSAPublicKey) KEYS.getPublic()), s,
                clock, () -> "jti-1");
    }

    static String uid(ObjectNode o) {
        return o.path("metadata").path("uid").asString();
    }

    BoundTokenRequest request(List<String> audiences, long seconds, BoundObject bound) {
        return new BoundTokenRequest("team", "robot", uid(robot), audiences, seconds, bound);
    }

    AuthenticationResult authenticate(String token) {
        return new ServiceAccountAuthenticatorHarness(verifier).authenticate(token);
    }

    static Map<String, Object> payload(String token) throws Exception {
        return JWSObject.parse(token).getPayload().toJSONObject();
    }

    @Test
    void aBoundTokenCarriesUpstreamsClaimsAndAuthenticatesItsServiceAccount() throws Exception {
        IssuedToken issued = signer.issue(request(List.of(), 3600, null));
        assertEquals(clock.instant().plusSeconds(3600), issued.expiration());
        assertEquals(List.of(ISSUER), issued.audiences());

        JWSObject jws = JWSObject.parse(issued.token());
        assertEquals(JWSAlgorithm.RS256, jws.getHeader().getAlgorithm());
        assertEquals(KeyFiles.keyId((RSAPublicKey) KEYS.getPublic()), jws.getHeader().getKeyID());
        String json = jws.getPayload().toString();
        assertTrue(json.contains("\"aud\":[\"" + ISSUER.replace("/", "\\/") + "\"]") || json.contains("\"aud\":[\""
                + ISSUER + "\"]"), "aud stays an array with one audience: " + json);
        Map<String, Object> claims = payload(issued.token());
        long now = clock.instant().getEpochSecond();
        assertEquals(ISSUER, claims.get("iss"));
        assertEquals("system:serviceaccount:team:robot", claims.get("sub"));
        assertEquals(now, ((Number) claims.get("iat")).longValue());
        assertEquals(now, ((Number) claims.get("nbf")).longValue());
        assertEquals(now + 3600, ((Number) claims.get("exp")).longValue());
        assertEquals("jti-1", claims.get("jti"));
        assertEquals(Map.of("namespace", "team", "serviceaccount", Map.of("name", "robot", "uid", uid(robot))),
                claims.get("kubernetes.io"));

        AuthenticationResult result = authenticate(issued.token());
        assertEquals(Outcome.AUTHENTICATED, result.outcome(), result.error());
        UserInfo user = result.user();
        assertEquals("system:serviceaccount:team:robot", user.name());
        assertEquals(uid(robot), user.uid());
        assertEquals(List.of("system:serviceaccounts", "system:serviceaccounts:team"), user.groups());
        assertEquals(Map.of(TokenVerifier.CREDENTIAL_ID, List.of("JTI=jti-1")), user.extra());
        assertEquals(List.of(ISSUER), result.audiences());
    }

    @Test
    void anExpiredTokenIsRejectedAfterTheLeeway() {
        String token = signer.issue(request(List.of(), 600, null)).token();
        clock.advance(Duration.ofSeconds(600 + 60));
        assertEquals(Outcome.AUTHENTICATED, authenticate(token).outcome());
        clock.advance(Duration.ofSeconds(1));
        AuthenticationResult result = authenticate(token);
        assertEquals(Outcome.REJECTED, result.outcome());
        assertEquals("service account token has expired", result.error());
    }

    @Test
    void aTokenNotYetValidIsRejected() {
        clock.advance(Duration.ofMinutes(10));
        String token = signer.issue(request(List.of(), 600, null)).token();
        clock.advance(Duration.ofMinutes(-10));
        AuthenticationResult result = authenticate(token);
        assertEquals(Outcome.REJECTED, result.outcome());
        assertEquals("service account token is not valid yet", result.error());
    }

    @Test
    void aTokenForAnotherAudienceIsRejected() {
        IssuedToken issued = signer.issue(request(List.of("vault"), 600, null));
        assertEquals(List.of("vault"), issued.audiences());
        AuthenticationResult result = authenticate(issued.token());
        assertEquals(Outcome.REJECTED, result.outcome());
        assertEquals("token audiences [\"vault\"] is invalid for the target audiences [\"" + ISSUER + "\"]",
                result.error());
    }

    @Test
    void aTokenNamingTheApiserverAmongOtherAudiencesIsGrantedOnlyTheApiserver() {
        String token = signer.issue(request(List.of("vault", ISSUER), 600, null)).token();
        AuthenticationResult result = authenticate(token);
        assertEquals(Outcome.AUTHENTICATED, result.outcome());
        assertEquals(List.of(ISSUER), result.audiences());
    }

    @Test
    void aDeletedServiceAccountsTokenStopsWorkingAndSoDoesARecreatedOnes() {
        String token = signer.issue(request(List.of(), 3600, null)).token();
        cluster.delete(SA, "team", "robot");
        AuthenticationResult deleted = authenticate(token);
        assertEquals(Outcome.REJECTED, deleted.outcome());
        assertEquals("service account team/robot has been deleted", deleted.error());

        ObjectNode again = cluster.put(SA, json("{'metadata':{'name':'robot','namespace':'team'}}"));
        AuthenticationResult recreated = authenticate(token);
        assertEquals(Outcome.REJECTED, recreated.outcome());
        assertEquals("service account UID (" + uid(again) + ") does not match claim (" + uid(robot) + ")",
                recreated.error());
    }

    @Test
    void aServiceAccountBeingDeletedStopsItsTokensAfterTheLeeway() {
        String token = signer.issue(request(List.of(), 3600, null)).token();
        ObjectNode deleting = robot.deepCopy();
        deleting.withObjectProperty("metadata").put("deletionTimestamp", clock.instant().toString());
        cluster.put(SA, deleting);
        assertEquals(Outcome.AUTHENTICATED, authenticate(token).outcome());
        clock.advance(Duration.ofSeconds(61));
        assertEquals(Outcome.REJECTED, authenticate(token).outcome());
    }

    @Test
    void aPodBoundTokenNamesThePodAndDiesWithIt() throws Exception {
        ObjectNode pod = cluster.put(PODS, json("{'metadata':{'name':'web','namespace':'team'},"
                + "'spec':{'serviceAccountName':'robot'}}"));
        String token = signer.issue(request(List.of(), 3600, new BoundObject("Pod", "v1", "web", uid(pod)))).token();
        @SuppressWarnings("unchecked")
        Map<String, Object> kubernetes = (Map<String, Object>) payload(token).get("kubernetes.io");
        assertEquals(Map.of("name", "web", "uid", uid(pod)), kubernetes.get("pod"));

        AuthenticationResult result = authenticate(token);
        assertEquals(Outcome.AUTHENTICATED, result.outcome(), result.error());
        assertEquals(List.of("web"), result.user().extra().get(TokenVerifier.POD_NAME));
        assertEquals(List.of(uid(pod)), result.user().extra().get(TokenVerifier.POD_UID));
        assertEquals(List.of("JTI=jti-1"), result.user().extra().get(TokenVerifier.CREDENTIAL_ID));

        cluster.delete(PODS, "team", "web");
        AuthenticationResult gone = authenticate(token);
        assertEquals(Outcome.REJECTED, gone.outcome());
        assertTrue(gone.error().contains("pod it is bound to (team/web) no longer exists"), gone.error());

        ObjectNode again = cluster.put(PODS, json("{'metadata':{'name':'web','namespace':'team'}}"));
        AuthenticationResult recreated = authenticate(token);
        assertEquals(Outcome.REJECTED, recreated.outcome());
        assertEquals("pod UID (" + uid(again) + ") does not match service account pod ref claim (" + uid(pod) + ")",
                recreated.error());
    }

    @Test
    void secretAndNodeBoundTokensDieWithTheirObject() {
        ObjectNode secret = cluster.put(SECRETS, json("{'metadata':{'name':'s','namespace':'team'}}"));
        ObjectNode node = cluster.put(NODES, json("{'metadata':{'name':'n1'}}"));
        String toSecret = signer.issue(request(List.of(), 3600, new BoundObject("Secret", "v1", "s", uid(secret)))).token();
        String toNode = signer.issue(request(List.of(), 3600, new BoundObject("Node", "v1", "n1", uid(node)))).token();
        assertEquals(Outcome.AUTHENTICATED, authenticate(toSecret).outcome());
        AuthenticationResult nodeResult = authenticate(toNode);
        assertEquals(Outcome.AUTHENTICATED, nodeResult.outcome(), nodeResult.error());
        assertEquals(List.of("n1"), nodeResult.user().extra().get(TokenVerifier.NODE_NAME));
        cluster.delete(SECRETS, "team", "s");
        cluster.delete(NODES, "", "n1");
        assertEquals(Outcome.REJECTED, authenticate(toSecret).outcome());
        assertEquals(Outcome.REJECTED, authenticate(toNode).outcome());
    }

    @Test
    void legacyTokensCarryUpstreamsLegacyClaimsAndMustMatchTheirSecret() throws Exception {
        String token = signer.issueLegacy("team", "robot", uid(robot), "robot-token");
        Map<String, Object> claims = payload(token);
        assertEquals(Map.of("iss", "kubernetes/serviceaccount",
                "sub", "system:serviceaccount:team:robot",
                "kubernetes.io/serviceaccount/namespace", "team",
                "kubernetes.io/serviceaccount/secret.name", "robot-token",
                "kubernetes.io/serviceaccount/service-account.name", "robot",
                "kubernetes.io/serviceaccount/service-account.uid", uid(robot)), claims);

        AuthenticationResult noSecret = authenticate(token);
        assertEquals(Outcome.REJECTED, noSecret.outcome());
        assertEquals("token has been invalidated: secret team/robot-token no longer exists", noSecret.error());

        ObjectNode secret = json("{'metadata':{'name':'robot-token','namespace':'team'},"
                + "'type':'kubernetes.io/service-account-token','data':{}}");
        secret.withObjectProperty("data").put("token", Base64.getEncoder().encodeToString(
                "another".getBytes(StandardCharsets.UTF_8)));
        cluster.put(SECRETS, secret);
        AuthenticationResult mismatch = authenticate(token);
        assertEquals(Outcome.REJECTED, mismatch.outcome());
        assertEquals("token does not match server's copy", mismatch.error());

        secret.withObjectProperty("data").put("token", Base64.getEncoder().encodeToString(
                token.getBytes(StandardCharsets.UTF_8)));
        cluster.put(SECRETS, secret);
        AuthenticationResult ok = authenticate(token);
        assertEquals(Outcome.AUTHENTICATED, ok.outcome(), ok.error());
        assertEquals("system:serviceaccount:team:robot", ok.user().name());
        assertEquals(List.of(ISSUER), ok.audiences());

        cluster.delete(SA, "team", "robot");
        assertEquals(Outcome.REJECTED, authenticate(token).outcome());
    }

    @Test
    void tokensThatAreNotOursAreLeftToOtherAuthenticators() throws Exception {
        assertEquals(Outcome.NO_OPINION, authenticate("abcdef0123456789").outcome());
        assertEquals(Outcome.NO_OPINION, authenticate("a.b.c").outcome());
        JWSObject other = new JWSObject(new JWSHeader(JWSAlgorithm.RS256),
                new Payload(Map.of("iss", "https://accounts.example.com", "sub", "alice")));
        other.sign(new RSASSASigner(KeyFiles.generate().getPrivate()));
        assertEquals(Outcome.NO_OPINION, authenticate(other.serialize()).outcome());
    }

    @Test
    void ourIssuersTokensThatDoNotVerifyAreRejected() throws Exception {
        String token = signer.issue(request(List.of(), 3600, null)).token();
        String[] parts = token.split("\\.");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                JWSObject.parse(token).getPayload().toString().replace("robot", "admin").getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        AuthenticationResult result = authenticate(tampered);
        assertEquals(Outcome.REJECTED, result.outcome());
        assertEquals("invalid bearer token: the service-account token's signature is invalid", result.error());

        TokenSigner forger = new TokenSigner((RSAPrivateKey) KeyFiles.generate().getPrivate(), "x", settings, clock);
        assertEquals(Outcome.REJECTED, authenticate(forger.issue(request(List.of(), 3600, null)).token()).outcome());

        JWSObject hmac = new JWSObject(new JWSHeader(JWSAlgorithm.HS256), new Payload(Map.of("iss", ISSUER)));
        hmac.sign(new MACSigner(new byte[32]));
        AuthenticationResult wrongAlgorithm = authenticate(hmac.serialize());
        assertEquals(Outcome.REJECTED, wrongAlgorithm.outcome());
        assertTrue(wrongAlgorithm.error().contains("RS256"), wrongAlgorithm.error());
    }

    @Test
    void requestedLifetimesAreShortenedToTheMaximum() throws Exception {
        TokenSigner capped = signer(new TokenSigner.Settings(ISSUER, List.of(ISSUER), 7200, true));
        IssuedToken issued = capped.issue(request(List.of(), 86400, null));
        assertEquals(clock.instant().plusSeconds(7200), issued.expiration());
        assertEquals(clock.instant().getEpochSecond() + 7200, ((Number) payload(issued.token()).get("exp")).longValue());
    }

    @Test
    void aKubeletsProjectedTokenLivesAYearButWarnsAfterItsAskedLifetime() throws Exception {
        ObjectNode pod = cluster.put(PODS, json("{'metadata':{'name':'web','namespace':'team'}}"));
        BoundObject bound = new BoundObject("Pod", "v1", "web", uid(pod));
        IssuedToken issued = signer.issue(request(List.of(), 3607, bound));
        long now = clock.instant().getEpochSecond();
        assertEquals(clock.instant().plusSeconds(3607), issued.expiration());
        Map<String, Object> claims = payload(issued.token());
        assertEquals(now + TokenSigner.EXTENDED_EXPIRATION_SECONDS, ((Number) claims.get("exp")).longValue());
        @SuppressWarnings("unchecked")
        Map<String, Object> kubernetes = (Map<String, Object>) claims.get("kubernetes.io");
        assertEquals(now + 3607, ((Number) kubernetes.get("warnafter")).longValue());
        clock.advance(Duration.ofHours(2));
        assertEquals(Outcome.AUTHENTICATED, authenticate(issued.token()).outcome());

        // Not extended for other audiences, other lifetimes, or without a pod.
        assertFalse(payload(signer.issue(request(List.of("vault"), 3607, bound)).token()).toString().contains("warnafter"));
        assertFalse(payload(signer.issue(request(List.of(), 3600, bound)).token()).toString().contains("warnafter"));
        assertFalse(payload(signer.issue(request(List.of(), 3607, null)).token()).toString().contains("warnafter"));
    }

    @Test
    void badRequestsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> signer.issue(
                new BoundTokenRequest("team", "robot", "", List.of(), 600, null)));
        assertThrows(IllegalArgumentException.class, () -> signer.issue(request(List.of(), 0, null)));
        assertThrows(IllegalArgumentException.class, () -> signer.issue(
                request(List.of(), 600, new BoundObject("ConfigMap", "v1", "c", "u"))));
    }

    /** The authenticator as the apiserver calls it, with a bearer header. */
    record ServiceAccountAuthenticatorHarness(TokenVerifier verifier) {
        AuthenticationResult authenticate(String token) {
            AuthenticationRequest request = new AuthenticationRequest(
                    Map.of("authorization", List.of("Bearer " + token)), List.of(), "127.0.0.1");
            return request.bearerToken().map(verifier::authenticate).orElseThrow();
        }
    }
}
