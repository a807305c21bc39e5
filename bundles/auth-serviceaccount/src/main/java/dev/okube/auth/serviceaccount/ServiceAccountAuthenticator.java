package dev.okube.auth.serviceaccount;

import dev.okube.api.authentication.AuthenticationRequest;
import dev.okube.api.authentication.AuthenticationResult;
import dev.okube.api.authentication.Authenticator;
import dev.okube.api.resources.ClusterResources;
import java.time.Clock;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The "serviceaccount" authenticator: bearer tokens that are service-account JWTs of this cluster
 * (bound tokens of the configured issuer, and legacy Secret tokens).
 */
@Component(service = Authenticator.class, property = "okube.authenticator.name=" + ServiceAccountAuthenticator.NAME)
public final class ServiceAccountAuthenticator implements Authenticator {
    static final String NAME = "serviceaccount";

    private final TokenVerifier verifier;

    /** The cluster's objects are a static reference: without them no token can be checked. */
    @Activate
    public ServiceAccountAuthenticator(@Reference VerificationKey key, @Reference ClusterResources resources) {
        this.verifier = new TokenVerifier(key.publicKey(), key.settings(), resources, Clock.systemUTC());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AuthenticationResult authenticate(AuthenticationRequest request) {
        Optional<String> token = request.bearerToken();
        return token.isEmpty() ? AuthenticationResult.noOpinion() : verifier.authenticate(token.get());
    }
}
