package dev.okube.auth.anonymous;

import dev.okube.api.admission.UserInfo;
import dev.okube.api.authentication.AuthenticationRequest;
import dev.okube.api.authentication.AuthenticationResult;
import dev.okube.api.authentication.Authenticator;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The "anonymous" authenticator, last in the chain: a request that carries no credential at all is
 * {@code system:anonymous} in {@code system:unauthenticated}, which default RBAC lets read only the
 * health and version endpoints. A request that carries an Authorization header is not anonymous even
 * when every other authenticator turned its credential down: upstream answers such a request 401,
 * so this authenticator has no opinion on it.
 */
@Component(service = Authenticator.class, configurationPid = AnonymousAuthenticator.PID,
        property = "okube.authenticator.name=" + AnonymousAuthenticator.NAME)
@Designate(ocd = AnonymousAuthenticator.Config.class)
public final class AnonymousAuthenticator implements Authenticator {
    static final String PID = "dev.okube.auth.anonymous";
    static final String NAME = "anonymous";
    static final UserInfo ANONYMOUS = new UserInfo("system:anonymous", "", List.of("system:unauthenticated"), Map.of());

    @ObjectClassDefinition(name = "okube anonymous authenticator",
            description = "Requests without credentials act as system:anonymous (upstream's --anonymous-auth)")
    public @interface Config {
        @AttributeDefinition(description = "Whether requests without credentials are let in as system:anonymous; "
                + "when false they are answered 401")
        boolean enabled() default true;
    }

    private final boolean enabled;

    @Activate
    public AnonymousAuthenticator(Config config) {
        this.enabled = config.enabled();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AuthenticationResult authenticate(AuthenticationRequest request) {
        if (!enabled || request.header("authorization").isPresent()) {
            return AuthenticationResult.noOpinion();
        }
        return AuthenticationResult.authenticated(ANONYMOUS);
    }
}
