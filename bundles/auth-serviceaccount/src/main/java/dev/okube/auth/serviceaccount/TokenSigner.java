package dev.okube.auth.serviceaccount;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import dev.okube.api.authentication.ServiceAccountTokenIssuer;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Signs service-account JWTs (RS256, {@code kid} = {@link KeyFiles#keyId}) with upstream's claims:
 * bound tokens carry iss, sub, aud, exp, iat, nbf, jti and the {@code kubernetes.io} private claim;
 * legacy tokens carry the {@code kubernetes.io/serviceaccount/*} claims, issuer
 * {@value #LEGACY_ISSUER}, and never expire.
 */
final class TokenSigner implements ServiceAccountTokenIssuer {
    static final String LEGACY_ISSUER = "kubernetes/serviceaccount";
    static final String PRIVATE_CLAIM = "kubernetes.io";
    static final String LEGACY_NAMESPACE = "kubernetes.io/serviceaccount/namespace";
    static final String LEGACY_SECRET_NAME = "kubernetes.io/serviceaccount/secret.name";
    static final String LEGACY_SA_NAME = "kubernetes.io/serviceaccount/service-account.name";
    static final String LEGACY_SA_UID = "kubernetes.io/serviceaccount/service-account.uid";
    /** A pod-bound token asked for with exactly this lifetime is a kubelet's projected token (upstream's constant). */
    static final long WARN_ONLY_EXPIRATION_SECONDS = 60 * 60 + 7;
    /** What such a token really lives for while clients learn to refresh it: one year, as upstream. */
    static final long EXTENDED_EXPIRATION_SECONDS = 24L * 365 * 60 * 60;

    /**
     * @param maxExpirationSeconds longest lifetime granted, 0 for no limit (upstream's --service-account-max-token-expiration)
     * @param extendExpiration     upstream's --service-account-extend-token-expiration
     */
    record Settings(String issuer, List<String> apiAudiences, long maxExpirationSeconds, boolean extendExpiration) {
        Settings {
            Objects.requireNonNull(issuer, "issuer should not be null");
            apiAudiences = List.copyOf(apiAudiences);
        }
    }

    private final RSASSASigner signer;
    private final JWSHeader header;
    private final Settings settings;
    private final Clock clock;
    private final Supplier<String> ids;

    TokenSigner(RSAPrivateKey key, String keyId, Settings settings, Clock clock) {
        this(key, keyId, settings, clock, () -> UUID.randomUUID().toString());
    }

    TokenSigner(RSAPrivateKey key, String keyId, Settings settings, Clock clock, Supplier<String> ids) {
        this.signer = new RSASSASigner(key);
        this.header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId).build();
        this.settings = settings;
        this.clock = clock;
        this.ids = ids;
    }

    Settings settings() {
        return settings;
    }

    @Override
    public String issuer() {
        return settings.issuer();
    }

    @Override
    public List<String> defaultAudiences() {
        return settings.apiAudiences();
    }

    @Override
    public IssuedToken issue(BoundTokenRequest request) {
        if (request.serviceAccountUid() == null || request.serviceAccountUid().isEmpty()) {
            throw new IllegalArgumentException("a bound token needs the service account's uid");
        }
        if (request.expirationSeconds() <= 0) {
            throw new IllegalArgumentException("expirationSeconds must be positive, not " + request.expirationSeconds());
        }
        List<String> audiences = request.audiences().isEmpty() ? settings.apiAudiences() : request.audiences();
        long seconds = request.expirationSeconds();
        if (settings.maxExpirationSeconds() > 0 && seconds > settings.maxExpirationSeconds()) {
            seconds = settings.maxExpirationSeconds();
        }
        BoundObject bound = request.boundObject();
        long warnAfter = 0;
        if (settings.extendExpiration() && bound != null && "Pod".equals(bound.kind())
                && seconds == WARN_ONLY_EXPIRATION_SECONDS && settings.apiAudiences().containsAll(audiences)) {
            warnAfter = seconds;
            seconds = Math.max(EXTENDED_EXPIRATION_SECONDS, settings.maxExpirationSeconds());
        }
        long now = clock.instant().getEpochSecond();
        Map<String, Object> kubernetes = new LinkedHashMap<>();
        kubernetes.put("namespace", request.namespace());
        if (bound != null) {
            String claim = switch (bound.kind()) {
                case "Pod" -> "pod";
                case "Secret" -> "secret";
                case "Node" -> "node";
                default -> throw new IllegalArgumentException("cannot bind a token to a " + bound.kind());
            };
            kubernetes.put(claim, ref(bound.name(), bound.uid()));
        }
        kubernetes.put("serviceaccount", ref(request.serviceAccountName(), request.serviceAccountUid()));
        if (warnAfter > 0) {
            kubernetes.put("warnafter", now + warnAfter);
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("aud", List.copyOf(audiences));
        claims.put("exp", now + seconds);
        claims.put("iat", now);
        claims.put("iss", settings.issuer());
        claims.put("jti", ids.get());
        claims.put(PRIVATE_CLAIM, kubernetes);
        claims.put("nbf", now);
        claims.put("sub", username(request.namespace(), request.serviceAccountName()));
        // The reported expiry is the asked one even when the token secretly lives longer (upstream's warnafter).
        Instant expiration = Instant.ofEpochSecond(now + (warnAfter > 0 ? warnAfter : seconds));
        return new IssuedToken(sign(claims), expiration, audiences);
    }

    @Override
    public String issueLegacy(String namespace, String serviceAccountName, String serviceAccountUid, String secretName) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", LEGACY_ISSUER);
        claims.put(LEGACY_NAMESPACE, namespace);
        claims.put(LEGACY_SECRET_NAME, secretName);
        claims.put(LEGACY_SA_NAME, serviceAccountName);
        claims.put(LEGACY_SA_UID, serviceAccountUid);
        claims.put("sub", username(namespace, serviceAccountName));
        return sign(claims);
    }

    static String username(String namespace, String name) {
        return "system:serviceaccount:" + namespace + ":" + name;
    }

    private static Map<String, Object> ref(String name, String uid) {
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("name", name);
        if (uid != null && !uid.isEmpty()) {
            ref.put("uid", uid);
        }
        return ref;
    }

    private String sign(Map<String, Object> claims) {
        // The payload is built by hand, not with JWTClaimsSet, to keep "aud" an array even with one
        // audience, as upstream writes it.
        JWSObject jws = new JWSObject(header, new Payload(claims));
        try {
            jws.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a service-account token: " + e.getMessage(), e);
        }
        return jws.serialize();
    }
}
