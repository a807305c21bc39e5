package dev.okube.api.authorization;

import org.osgi.annotation.versioning.ConsumerType;

/** One authorizer of the chain (RBAC, Node, AlwaysAllow, ...). */
@ConsumerType
public interface Authorizer {
    enum Decision { ALLOW, DENY, NO_OPINION }

    /** A verdict and, for the user, why. */
    record Verdict(Decision decision, String reason) {
        public static Verdict noOpinion() {
            return new Verdict(Decision.NO_OPINION, "");
        }
    }

    /** The authorizer's name, e.g. "RBAC". */
    String name();

    Verdict authorize(AuthorizationRequest request);

    /**
     * The rules this authorizer grants a user in a namespace, for SelfSubjectRulesReview. The default
     * answers an incomplete, empty set: authorizers that cannot enumerate need not implement it.
     */
    default RuleSet rules(dev.okube.api.admission.UserInfo user, String namespace) {
        return new RuleSet(java.util.List.of(), java.util.List.of(), true, name() + " cannot enumerate its rules");
    }
}
