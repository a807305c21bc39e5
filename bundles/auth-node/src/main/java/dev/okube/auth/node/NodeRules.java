package dev.okube.auth.node;

import dev.okube.api.authorization.AuthorizationRequest;
import java.util.List;

/**
 * The static rules every node gets for what the graph does not subdivide, as upstream's
 * bootstrappolicy.NodeRules() that the node authorizer evaluates itself (rbac.RulesAllow).
 * The NodeRestriction admission plugin narrows the writes these allow to the node's own objects.
 */
final class NodeRules {
    /** One rule: verbs on resources ("resource" or "resource/subresource") of API groups. */
    record Rule(List<String> verbs, List<String> groups, List<String> resources) {
        boolean allows(AuthorizationRequest request) {
            String resource = request.subresource() == null || request.subresource().isEmpty() ? request.resource()
                    : request.resource() + "/" + request.subresource();
            return matches(verbs, request.verb()) && matches(groups, nullToEmpty(request.group()))
                    && matches(resources, resource);
        }

        private static boolean matches(List<String> allowed, String value) {
            return allowed.contains("*") || allowed.contains(value);
        }
    }

    private static final List<String> READ = List.of("get", "list", "watch");

    static final List<Rule> RULES = List.of(
            // Checking API access; these creates do not change anything.
            rule(List.of("create"), "authentication.k8s.io", "tokenreviews"),
            rule(List.of("create"), "authorization.k8s.io", "subjectaccessreviews", "localsubjectaccessreviews"),
            // Services, for the service environment variables of containers.
            rule(READ, "", "services"),
            // Registering the Node object and reporting its status (NodeRestriction limits these to its own).
            rule(List.of("create", "get", "list", "watch"), "", "nodes"),
            rule(List.of("update", "patch"), "", "nodes/status"),
            rule(List.of("update", "patch"), "", "nodes"),
            rule(List.of("create", "update", "patch"), "", "events"),
            // Pods: reading (list/watch cannot be narrowed to the node's pods without field selectors),
            // mirror pods, status and evictions (NodeRestriction limits these to pods bound to the node).
            rule(READ, "", "pods"),
            rule(List.of("create", "delete"), "", "pods"),
            rule(List.of("update", "patch"), "", "pods/status"),
            rule(List.of("create"), "", "pods/eviction"),
            // Secrets, config maps, claims and volumes: the graph decides these before the rules are asked.
            rule(READ, "", "secrets", "configmaps"),
            rule(List.of("get"), "", "persistentvolumeclaims", "persistentvolumes"),
            rule(List.of("get"), "", "endpoints"),
            rule(List.of("create", "get", "list", "watch"), "certificates.k8s.io", "certificatesigningrequests"),
            rule(List.of("get", "create", "update", "patch", "delete"), "coordination.k8s.io", "leases"),
            rule(List.of("get"), "storage.k8s.io", "volumeattachments"),
            rule(List.of("create"), "", "serviceaccounts/token"),
            rule(List.of("get", "update", "patch"), "", "persistentvolumeclaims/status"),
            rule(READ, "storage.k8s.io", "csidrivers"),
            rule(List.of("get", "create", "update", "patch", "delete"), "storage.k8s.io", "csinodes"),
            rule(READ, "node.k8s.io", "runtimeclasses"),
            rule(List.of("get"), "resource.k8s.io", "resourceclaims"));

    private NodeRules() {
    }

    static boolean allow(AuthorizationRequest request) {
        if (!request.resourceRequest()) {
            return false;
        }
        for (Rule rule : RULES) {
            if (rule.allows(request)) {
                return true;
            }
        }
        return false;
    }

    private static Rule rule(List<String> verbs, String group, String... resources) {
        return new Rule(verbs, List.of(group), List.of(resources));
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
