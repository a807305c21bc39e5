package dev.okube.api.authorization;

import java.util.List;

/**
 * What a user may do in a namespace, as upstream's SelfSubjectRulesReview status: for
 * {@code kubectl auth can-i --list}.
 *
 * @param resourceRules    verbs on resources
 * @param nonResourceRules verbs on non-resource URLs
 * @param incomplete       whether the list may be missing rules (an authorizer could not enumerate)
 * @param evaluationError  why the list is incomplete, or ""
 */
public record RuleSet(List<ResourceRule> resourceRules, List<NonResourceRule> nonResourceRules, boolean incomplete,
        String evaluationError) {
    public RuleSet {
        resourceRules = List.copyOf(resourceRules);
        nonResourceRules = List.copyOf(nonResourceRules);
        evaluationError = evaluationError == null ? "" : evaluationError;
    }

    /** Verbs on resources; "*" matches all, as in an RBAC PolicyRule. */
    public record ResourceRule(List<String> verbs, List<String> apiGroups, List<String> resources,
            List<String> resourceNames) {
        public ResourceRule {
            verbs = List.copyOf(verbs);
            apiGroups = List.copyOf(apiGroups);
            resources = List.copyOf(resources);
            resourceNames = List.copyOf(resourceNames);
        }
    }

    /** Verbs on non-resource URLs such as "/healthz" or "/api/*". */
    public record NonResourceRule(List<String> verbs, List<String> nonResourceURLs) {
        public NonResourceRule {
            verbs = List.copyOf(verbs);
            nonResourceURLs = List.copyOf(nonResourceURLs);
        }
    }
}
