package dev.okube.auth.rbac;

import dev.okube.api.admission.UserInfo;
import dev.okube.api.authorization.AuthorizationRequest;
import dev.okube.api.authorization.Authorizer;
import dev.okube.api.authorization.RuleSet;
import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The "RBAC" authorizer, as upstream's RBACAuthorizer: it allows what a Role or ClusterRole bound
 * to the user (by name, group or service account) grants, and otherwise has no opinion; it never
 * denies.
 */
@Component(service = Authorizer.class, property = "authorizer.name=RBAC")
public final class RbacAuthorizer implements Authorizer {
    private final RbacPolicy policy;

    @Activate
    public RbacAuthorizer(@Reference RbacPolicy policy) {
        this.policy = policy;
    }

    @Override
    public String name() {
        return "RBAC";
    }

    @Override
    public Verdict authorize(AuthorizationRequest request) {
        List<String> errors = new ArrayList<>();
        String reason = policy.allowedBy(request, errors);
        if (reason != null) {
            return new Verdict(Decision.ALLOW, reason);
        }
        // As upstream: no opinion, explained only by the bindings whose roles are missing.
        return errors.isEmpty() ? Verdict.noOpinion()
                : new Verdict(Decision.NO_OPINION, "RBAC: " + (errors.size() == 1 ? errors.get(0)
                        : "[" + String.join(", ", errors) + "]"));
    }

    /** As upstream's RulesFor behind SelfSubjectRulesReview: every rule, unmerged, in binding order. */
    @Override
    public RuleSet rules(UserInfo user, String namespace) {
        List<String> errors = new ArrayList<>();
        List<RuleSet.ResourceRule> resourceRules = new ArrayList<>();
        List<RuleSet.NonResourceRule> nonResourceRules = new ArrayList<>();
        for (PolicyRule rule : policy.rulesFor(user, namespace == null ? "" : namespace, errors)) {
            if (!rule.resources().isEmpty()) {
                resourceRules.add(new RuleSet.ResourceRule(rule.verbs(), rule.apiGroups(), rule.resources(),
                        rule.resourceNames()));
            }
            if (!rule.nonResourceURLs().isEmpty()) {
                nonResourceRules.add(new RuleSet.NonResourceRule(rule.verbs(), rule.nonResourceURLs()));
            }
        }
        return new RuleSet(resourceRules, nonResourceRules, !errors.isEmpty(),
                errors.isEmpty() ? "" : "[" + String.join(", ", errors) + "]");
    }
}
