package dev.okube.apiserver.security;

import dev.okube.api.admission.UserInfo;
import dev.okube.api.authentication.AuthenticationRequest;
import dev.okube.api.authentication.AuthenticationResult;
import dev.okube.api.authentication.AuthenticationResult.Outcome;
import dev.okube.api.authentication.Authenticator;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's union authenticator over the installed {@link Authenticator} services, in the
 * configured order: the first that authenticates decides; when none does the request is
 * unauthenticated (401), whatever errors were met. Authenticated users get the group
 * system:authenticated, as upstream's group adder does (except the anonymous user).
 */
public final class AuthenticatorChain {
    private static final Logger LOG = LoggerFactory.getLogger(AuthenticatorChain.class);
    private final Ordered<Authenticator> authenticators = new Ordered<>(Authenticator::name);

    public void add(Authenticator authenticator) {
        authenticators.add(authenticator);
    }

    public void remove(Authenticator authenticator) {
        authenticators.remove(authenticator);
    }

    /** The order by authenticator name, e.g. x509, tokenfile, serviceaccount, anonymous. */
    public void order(List<String> names) {
        authenticators.order(names);
    }

    public List<String> names() {
        return authenticators.snapshot().stream().map(Authenticator::name).toList();
    }

    /** AUTHENTICATED with the user's final groups, or REJECTED with every authenticator's error joined. */
    public AuthenticationResult authenticate(AuthenticationRequest request) {
        List<String> errors = new ArrayList<>();
        for (Authenticator authenticator : authenticators.snapshot()) {
            AuthenticationResult result;
            try {
                result = authenticator.authenticate(request);
            } catch (RuntimeException e) {
                LOG.warn("authenticator {} failed", authenticator.name(), e);
                errors.add(authenticator.name() + ": " + e);
                continue;
            }
            if (result == null) {
                continue;
            }
            if (result.outcome() == Outcome.AUTHENTICATED) {
                return AuthenticationResult.authenticated(withAuthenticatedGroup(result.user()), result.audiences());
            }
            if (result.outcome() == Outcome.REJECTED) {
                errors.add(result.error());
            }
        }
        return AuthenticationResult.rejected(String.join("; ", errors));
    }

    static UserInfo withAuthenticatedGroup(UserInfo user) {
        if (user.name().equals(Users.ANONYMOUS) || user.groups().contains(Users.UNAUTHENTICATED)
                || user.groups().contains(Users.AUTHENTICATED)) {
            return user;
        }
        List<String> groups = new ArrayList<>(user.groups());
        groups.add(Users.AUTHENTICATED);
        return new UserInfo(user.name(), user.uid(), groups, user.extra());
    }
}
