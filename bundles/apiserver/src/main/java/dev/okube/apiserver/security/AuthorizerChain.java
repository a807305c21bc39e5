package dev.okube.apiserver.security;

import dev.okube.api.admission.UserInfo;
import dev.okube.api.authorization.AuthorizationRequest;
import dev.okube.api.authorization.Authorizer;
import dev.okube.api.authorization.Authorizer.Decision;
import dev.okube.api.authorization.Authorizer.Verdict;
import dev.okube.api.authorization.RuleSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Upstream's union authorizer over the installed {@link Authorizer} services, in the configured
 * order (e.g. Node, RBAC): the first allow or deny decides; no opinion passes on; nothing
 * allowing is a denial. Members of system:masters are allowed everything first, as upstream's
 * privileged-group authorizer, so the cluster stays administrable whatever the policy says.
 */
public final class AuthorizerChain {
    private static final RuleSet EVERYTHING = new RuleSet(
            List.of(new RuleSet.ResourceRule(List.of("*"), List.of("*"), List.of("*"), List.of())),
            List.of(new RuleSet.NonResourceRule(List.of("*"), List.of("*"))), false, "");
    private final Ordered<Authorizer> authorizers = new Ordered<>(Authorizer::name);

    public void add(Authorizer authorizer) {
        authorizers.add(authorizer);
    }

    public void remove(Authorizer authorizer) {
        authorizers.remove(authorizer);
    }

    public void order(List<String> names) {
        authorizers.order(names);
    }

    public List<String> names() {
        return authorizers.snapshot().stream().map(Authorizer::name).toList();
    }

    public Verdict authorize(AuthorizationRequest request) {
        if (request.user().groups().contains(Users.MASTERS)) {
            return new Verdict(Decision.ALLOW, "");
        }
        List<Authorizer> chain = authorizers.snapshot();
        if (chain.isEmpty()) {
            return new Verdict(Decision.DENY, "no authorizer is installed");
        }
        List<String> reasons = new ArrayList<>();
        for (Authorizer authorizer : chain) {
            Verdict verdict;
            try {
                verdict = authorizer.authorize(request);
            } catch (RuntimeException e) {
                // One broken authorizer must not decide for the others: note it and go on, as
                // upstream's union authorizer collects errors and still asks the next.
                reasons.add(authorizer.name() + " failed: " + e);
                continue;
            }
            if (verdict == null || verdict.decision() == Decision.NO_OPINION) {
                if (verdict != null && !verdict.reason().isEmpty()) {
                    reasons.add(verdict.reason());
                }
                continue;
            }
            return verdict;
        }
        return new Verdict(Decision.NO_OPINION, String.join(", ", reasons));
    }

    /** The union of every authorizer's rules for the user, for SelfSubjectRulesReview. */
    public RuleSet rules(UserInfo user, String namespace) {
        if (user.groups().contains(Users.MASTERS)) {
            return EVERYTHING;
        }
        List<RuleSet.ResourceRule> resourceRules = new ArrayList<>();
        List<RuleSet.NonResourceRule> nonResourceRules = new ArrayList<>();
        boolean incomplete = false;
        List<String> errors = new ArrayList<>();
        for (Authorizer authorizer : authorizers.snapshot()) {
            RuleSet rules;
            try {
                rules = authorizer.rules(user, namespace);
            } catch (RuntimeException e) {
                incomplete = true;
                errors.add(authorizer.name() + " failed: " + e);
                continue;
            }
            resourceRules.addAll(rules.resourceRules());
            nonResourceRules.addAll(rules.nonResourceRules());
            if (rules.incomplete()) {
                incomplete = true;
                if (!rules.evaluationError().isEmpty()) {
                    errors.add(rules.evaluationError());
                }
            }
        }
        return new RuleSet(resourceRules, nonResourceRules, incomplete, String.join("; ", errors));
    }
}
