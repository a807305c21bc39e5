package dev.okube.auth.alwaysallow;

import dev.okube.api.admission.UserInfo;
import dev.okube.api.authorization.AuthorizationRequest;
import dev.okube.api.authorization.Authorizer;
import dev.okube.api.authorization.RuleSet;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's AlwaysAllow authorization mode: every request is allowed. For development
 * configurations only; installing it makes the cluster open to anyone who authenticates (and,
 * with the anonymous authenticator, to everyone).
 */
@Component(service = Authorizer.class, property = "authorizer.name=AlwaysAllow")
public final class AlwaysAllowAuthorizer implements Authorizer {
    private static final Logger LOG = LoggerFactory.getLogger(AlwaysAllowAuthorizer.class);
    private static final RuleSet EVERYTHING = new RuleSet(
            List.of(new RuleSet.ResourceRule(List.of("*"), List.of("*"), List.of("*"), List.of())),
            List.of(new RuleSet.NonResourceRule(List.of("*"), List.of("*"))), false, "");

    @Activate
    public AlwaysAllowAuthorizer() {
        LOG.warn("The AlwaysAllow authorizer is active: every request is allowed. Use it for development only; "
                + "uninstall the okube-auth-alwaysallow feature for a secure cluster.");
    }

    @Override
    public String name() {
        return "AlwaysAllow";
    }

    @Override
    public Verdict authorize(AuthorizationRequest request) {
        return new Verdict(Decision.ALLOW, "");
    }

    @Override
    public RuleSet rules(UserInfo user, String namespace) {
        return EVERYTHING;
    }
}
