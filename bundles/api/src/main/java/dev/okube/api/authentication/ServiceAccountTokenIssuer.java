package dev.okube.api.authentication;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Signs service-account tokens (JWTs), for the {@code serviceaccounts/token} TokenRequest
 * subresource and for legacy token Secrets. Provided by the service-account authenticator's bundle,
 * which also verifies what it signs.
 */
@ProviderType
public interface ServiceAccountTokenIssuer {
    /** The issuer ({@code iss}) of the tokens, e.g. "https://kubernetes.default.svc.cluster.local". */
    String issuer();

    /** The audiences a token gets when a TokenRequest names none (the apiserver's own). */
    List<String> defaultAudiences();

    /** Signs a bound token (TokenRequest API): audiences, expiry, and optionally the object it is bound to. */
    IssuedToken issue(BoundTokenRequest request);

    /** Signs a legacy token for a {@code kubernetes.io/service-account-token} Secret: no expiry. */
    String issueLegacy(String namespace, String serviceAccountName, String serviceAccountUid, String secretName);

    /**
     * @param namespace          the service account's namespace
     * @param serviceAccountName the service account's name
     * @param serviceAccountUid  the service account's uid (a token stops working when the account is recreated)
     * @param audiences          audiences; empty means {@link #defaultAudiences()}
     * @param expirationSeconds  lifetime requested
     * @param boundObject        the Pod or Secret the token is bound to, or null
     */
    record BoundTokenRequest(String namespace, String serviceAccountName, String serviceAccountUid,
            List<String> audiences, long expirationSeconds, BoundObject boundObject) {
        public BoundTokenRequest {
            Objects.requireNonNull(namespace, "namespace should not be null");
            Objects.requireNonNull(serviceAccountName, "serviceAccountName should not be null");
            audiences = List.copyOf(audiences);
        }
    }

    /** The object a token is bound to (kind Pod, Secret or Node). */
    record BoundObject(String kind, String apiVersion, String name, String uid) {
    }

    /** A signed token and when it expires. */
    record IssuedToken(String token, Instant expiration, List<String> audiences) {
        public IssuedToken {
            audiences = List.copyOf(audiences);
        }
    }
}
