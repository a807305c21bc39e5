package dev.okube.auth.serviceaccount;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import dev.okube.api.admission.UserInfo;
import dev.okube.api.authentication.AuthenticationResult;
import dev.okube.api.resources.ClusterResources;
import dev.okube.api.resources.ResourceType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * Authenticates service-account JWTs as upstream's service-account token authenticator: a token of
 * another issuer (or no JWT at all) is none of its business; a token of ours must verify (RS256
 * signature, times with one minute of leeway, audiences), and the service account, and the pod,
 * secret or node it is bound to, must still exist with the uid the token names. Legacy tokens
 * must still be the data.token of their Secret.
 */
final class TokenVerifier {
    static final String POD_NAME = "authentication.kubernetes.io/pod-name";
    static final String POD_UID = "authentication.kubernetes.io/pod-uid";
    static final String NODE_NAME = "authentication.kubernetes.io/node-name";
    static final String NODE_UID = "authentication.kubernetes.io/node-uid";
    static final String CREDENTIAL_ID = "authentication.kubernetes.io/credential-id";
    /** go-jose's jwt.DefaultLeeway, which upstream validates with. */
    static final long LEEWAY_SECONDS = 60;
    private static final ResourceType SERVICE_ACCOUNTS = ResourceType.core("serviceaccounts");
    private static final ResourceType SECRETS = ResourceType.core("secrets");
    private static final ResourceType PODS = ResourceType.core("pods");
    private static final ResourceType NODES = ResourceType.core("nodes");

    private final RSASSAVerifier verifier;
    private final TokenSigner.Settings settings;
    private final ClusterResources resources;
    private final Clock clock;

    TokenVerifier(RSAPublicKey key, TokenSigner.Settings settings, ClusterResources resources, Clock clock) {
        this.verifier = new RSASSAVerifier(key);
        this.settings = settings;
        this.resources = resources;
        this.clock = clock;
    }

    /** A verification failure with the message the client is told. */
    private static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    AuthenticationResult authenticate(String token) {
        JWSObject jws;
        Map<String, Object> claims;
        try {
            jws = JWSObject.parse(token);
            claims = jws.getPayload().toJSONObject();
        } catch (ParseException | RuntimeException e) {
            return AuthenticationResult.noOpinion(); // not a JWS: some other authenticator's token
        }
        if (claims == null) {
            return AuthenticationResult.noOpinion();
        }
        Object iss = claims.get("iss");
        boolean legacy = TokenSigner.LEGACY_ISSUER.equals(iss);
        if (!legacy && !settings.issuer().equals(iss)) {
            return AuthenticationResult.noOpinion(); // another issuer's JWT (e.g. an OIDC provider's)
        }
        try {
            if (!JWSAlgorithm.RS256.equals(jws.getHeader().getAlgorithm())) {
                throw new Invalid("invalid bearer token: service-account tokens are signed with RS256, not "
                        + jws.getHeader().getAlgorithm());
            }
            if (!verify(jws)) {
                throw new Invalid("invalid bearer token: the service-account token's signature is invalid");
            }
            return legacy ? legacy(token, claims) : bound(claims);
        } catch (Invalid e) {
            return AuthenticationResult.rejected(e.getMessage());
        }
    }

    private boolean verify(JWSObject jws) {
        try {
            return jws.verify(verifier);
        } catch (JOSEException | IllegalStateException e) {
            return false;
        }
    }

    private AuthenticationResult bound(Map<String, Object> claims) throws Invalid {
        long now = clock.instant().getEpochSecond();
        Long exp = seconds(claims, "exp");
        Long nbf = seconds(claims, "nbf");
        Long iat = seconds(claims, "iat");
        if (exp == null) {
            throw new Invalid("service account token has no expiry");
        }
        if (now > exp + LEEWAY_SECONDS) {
            throw new Invalid("service account token has expired");
        }
        if (nbf != null && now + LEEWAY_SECONDS < nbf) {
            throw new Invalid("service account token is not valid yet");
        }
        if (iat != null && now + LEEWAY_SECONDS < iat) {
            throw new Invalid("service account token is issued in the future");
        }
        List<String> audiences = audiences(claims.get("aud"));
        List<String> granted = grantedAudiences(audiences);
        Map<String, Object> kubernetes = object(claims.get(TokenSigner.PRIVATE_CLAIM));
        String namespace = text(kubernetes.get("namespace"));
        Map<String, Object> saRef = object(kubernetes.get("serviceaccount"));
        String saName = text(saRef.get("name"));
        String saUid = text(saRef.get("uid"));
        if (namespace.isEmpty() || saName.isEmpty()) {
            throw new Invalid("service account token claims could not be validated: namespace or service account "
                    + "name is missing");
        }
        String sub = text(claims.get("sub"));
        if (!sub.equals(TokenSigner.username(namespace, saName))) {
            throw new Invalid("service account token claims could not be validated: sub claim is invalid");
        }
        Instant invalidIfDeletedBefore = Instant.ofEpochSecond(now - LEEWAY_SECONDS);
        ObjectNode sa = resources.get(SERVICE_ACCOUNTS, namespace, saName).orElseThrow(() ->
                new Invalid("service account " + namespace + "/" + saName + " has been deleted"));
        if (!uid(sa).equals(saUid)) {
            throw new Invalid("service account UID (" + uid(sa) + ") does not match claim (" + saUid + ")");
        }
        if (deletedBefore(sa, invalidIfDeletedBefore)) {
            throw new Invalid("service account " + namespace + "/" + saName + " has been deleted");
        }
        Map<String, List<String>> extra = new LinkedHashMap<>();
        Map<String, Object> secretRef = optionalObject(kubernetes.get("secret"));
        Map<String, Object> podRef = optionalObject(kubernetes.get("pod"));
        Map<String, Object> nodeRef = optionalObject(kubernetes.get("node"));
        if (secretRef != null) {
            checkBound(SECRETS, namespace, secretRef, "secret", invalidIfDeletedBefore);
        }
        if (podRef != null) {
            checkBound(PODS, namespace, podRef, "pod", invalidIfDeletedBefore);
            extra.put(POD_NAME, List.of(text(podRef.get("name"))));
            extra.put(POD_UID, List.of(text(podRef.get("uid"))));
        }
        if (nodeRef != null) {
            if (podRef == null) {
                checkBound(NODES, "", nodeRef, "node", invalidIfDeletedBefore);
            }
            extra.put(NODE_NAME, List.of(text(nodeRef.get("name"))));
            if (!text(nodeRef.get("uid")).isEmpty()) {
                extra.put(NODE_UID, List.of(text(nodeRef.get("uid"))));
            }
        }
        String jti = text(claims.get("jti"));
        if (!jti.isEmpty()) {
            extra.put(CREDENTIAL_ID, List.of("JTI=" + jti));
        }
        return AuthenticationResult.authenticated(user(namespace, saName, saUid, extra), granted);
    }

    private void checkBound(ResourceType type, String namespace, Map<String, Object> ref, String what,
            Instant invalidIfDeletedBefore) throws Invalid {
        String name = text(ref.get("name"));
        String uid = text(ref.get("uid"));
        Optional<ObjectNode> object = resources.get(type, namespace, name);
        if (object.isEmpty()) {
            throw new Invalid("service account token has been invalidated: the " + what + " it is bound to ("
                    + (namespace.isEmpty() ? "" : namespace + "/") + name + ") no longer exists");
        }
        if (!uid(object.get()).equals(uid)) {
            throw new Invalid(what + " UID (" + uid(object.get()) + ") does not match service account " + what
                    + " ref claim (" + uid + ")");
        }
        if (deletedBefore(object.get(), invalidIfDeletedBefore)) {
            throw new Invalid("service account token has been invalidated: the " + what + " it is bound to ("
                    + (namespace.isEmpty() ? "" : namespace + "/") + name + ") is being deleted");
        }
    }

    private AuthenticationResult legacy(String token, Map<String, Object> claims) throws Invalid {
        String namespace = text(claims.get(TokenSigner.LEGACY_NAMESPACE));
        String secretName = text(claims.get(TokenSigner.LEGACY_SECRET_NAME));
        String saName = text(claims.get(TokenSigner.LEGACY_SA_NAME));
        String saUid = text(claims.get(TokenSigner.LEGACY_SA_UID));
        String sub = text(claims.get("sub"));
        if (sub.isEmpty()) {
            throw new Invalid("sub claim is missing");
        }
        if (namespace.isEmpty()) {
            throw new Invalid("namespace claim is missing");
        }
        if (secretName.isEmpty()) {
            throw new Invalid("secretName claim is missing");
        }
        if (saName.isEmpty()) {
            throw new Invalid("serviceAccountName claim is missing");
        }
        if (saUid.isEmpty()) {
            throw new Invalid("serviceAccountUID claim is missing");
        }
        if (!sub.equals(TokenSigner.username(namespace, saName))) {
            throw new Invalid("sub claim is invalid");
        }
        // Legacy tokens name no audience: they are for the apiserver itself.
        List<String> granted = grantedAudiences(List.of());
        ObjectNode secret = resources.get(SECRETS, namespace, secretName).orElseThrow(() ->
                new Invalid("token has been invalidated: secret " + namespace + "/" + secretName + " no longer exists"));
        if (secret.path("metadata").hasNonNull("deletionTimestamp")) {
            throw new Invalid("token has been invalidated: secret " + namespace + "/" + secretName + " is being deleted");
        }
        String stored = secret.path("data").path("token").asString("");
        if (!constantTimeEquals(decodeBase64(stored), token)) {
            throw new Invalid("token does not match server's copy");
        }
        ObjectNode sa = resources.get(SERVICE_ACCOUNTS, namespace, saName).orElseThrow(() ->
                new Invalid("service account " + namespace + "/" + saName + " has been deleted"));
        if (sa.path("metadata").hasNonNull("deletionTimestamp")) {
            throw new Invalid("service account " + namespace + "/" + saName + " has been deleted");
        }
        if (!uid(sa).equals(saUid)) {
            throw new Invalid("service account UID (" + uid(sa) + ") does not match claim (" + saUid + ")");
        }
        return AuthenticationResult.authenticated(user(namespace, saName, saUid, Map.of()), granted);
    }

    /**
     * Upstream's audience rule: the token's audiences (the apiserver's when it names none) must meet
     * the audiences the request is for, here the apiserver's own.
     */
    private List<String> grantedAudiences(List<String> tokenAudiences) throws Invalid {
        List<String> effective = tokenAudiences.isEmpty() ? settings.apiAudiences() : tokenAudiences;
        List<String> granted = new ArrayList<>();
        for (String audience : effective) {
            if (settings.apiAudiences().contains(audience) && !granted.contains(audience)) {
                granted.add(audience);
            }
        }
        if (granted.isEmpty() && !settings.apiAudiences().isEmpty()) {
            throw new Invalid("token audiences " + quoted(effective) + " is invalid for the target audiences "
                    + quoted(settings.apiAudiences()));
        }
        return granted;
    }

    /** Upstream's service-account user; the apiserver's chain adds system:authenticated, as upstream's group adder. */
    static UserInfo user(String namespace, String name, String uid, Map<String, List<String>> extra) {
        return new UserInfo(TokenSigner.username(namespace, name), uid,
                List.of("system:serviceaccounts", "system:serviceaccounts:" + namespace), extra);
    }

    private static boolean deletedBefore(ObjectNode object, Instant threshold) {
        String deleted = object.path("metadata").path("deletionTimestamp").asString("");
        if (deleted.isEmpty()) {
            return false;
        }
        try {
            return Instant.parse(deleted).isBefore(threshold);
        } catch (RuntimeException e) {
            return true;
        }
    }

    private static String uid(ObjectNode object) {
        return object.path("metadata").path("uid").asString("");
    }

    private static String decodeBase64(String value) {
        try {
            return new String(java.util.Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static Long seconds(Map<String, Object> claims, String name) throws Invalid {
        Object value = claims.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        throw new Invalid("service account token claims could not be validated: " + name + " is not a number");
    }

    private static List<String> audiences(Object aud) throws Invalid {
        if (aud == null) {
            return List.of();
        }
        if (aud instanceof String s) {
            return List.of(s);
        }
        if (aud instanceof List<?> list) {
            List<String> result = new ArrayList<>();
            for (Object o : list) {
                if (!(o instanceof String s)) {
                    throw new Invalid("service account token claims could not be validated: aud is not a list of strings");
                }
                result.add(s);
            }
            return result;
        }
        throw new Invalid("service account token claims could not be validated: aud is not a list of strings");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value) throws Invalid {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new Invalid("service account token claims could not be validated: the kubernetes.io claim is missing");
    }

    private static Map<String, Object> optionalObject(Object value) throws Invalid {
        return value == null ? null : object(value);
    }

    private static String text(Object value) {
        return value instanceof String s ? s : "";
    }

    private static String quoted(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").toList().toString();
    }
}
