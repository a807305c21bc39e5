package dev.okube.api.authentication;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One authenticator of the chain (x509, token file, service-account tokens, anonymous, ...).
 * Services may carry the property {@code okube.authenticator.name}; the apiserver orders them by its
 * configured list of names, then by service ranking.
 */
@ConsumerType
public interface Authenticator {
    /** The authenticator's name, e.g. "x509" or "serviceaccount". */
    String name();

    /**
     * Authenticates a request. Answers {@link AuthenticationResult#noOpinion()} when the request
     * carries no credential of this authenticator's kind, and {@link AuthenticationResult#rejected}
     * when it carries one that is invalid (expired, bad signature, unknown token). Must not block
     * for long: it runs on the request thread.
     */
    AuthenticationResult authenticate(AuthenticationRequest request);
}
