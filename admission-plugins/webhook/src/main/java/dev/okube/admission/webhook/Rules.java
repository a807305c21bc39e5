package dev.okube.admission.webhook;

import dev.okube.api.admission.AdmissionRequest;
import tools.jackson.databind.JsonNode;

/**
 * Upstream's RuleWithOperations matching: operations, apiGroups, apiVersions, resources (with
 * "pods/status", "pods/*", "*&#47;status", "*" = every resource but no subresource, "*&#47;*" = all)
 * and scope ("Cluster", "Namespaced", "*").
 *
 * <p>matchPolicy: upstream's Equivalent also matches a rule written for another served version or
 * group of the same resource (apps/v1beta1 deployments for apps/v1 ones), converting the object to
 * the rule's version. okube serves exactly one version of each resource and no legacy group aliases
 * (extensions), so the set of equivalent served resources is the resource itself, and Equivalent
 * matches exactly what Exact matches.
 */
final class Rules {
    private Rules() {
    }

    static boolean matchesAny(JsonNode rules, AdmissionRequest request) {
        for (JsonNode rule : rules) {
            if (matches(rule, request)) {
                return true;
            }
        }
        return false;
    }

    static boolean matches(JsonNode rule, AdmissionRequest request) {
        return scope(rule, request)
                && exactOrWildcard(rule.path("operations"), request.operation().name())
                && exactOrWildcard(rule.path("apiGroups"), nz(request.group()))
                && exactOrWildcard(rule.path("apiVersions"), nz(request.version()))
                && resource(rule.path("resources"), request.resource(), nz(request.subresource()));
    }

    private static boolean scope(JsonNode rule, AdmissionRequest request) {
        String scope = rule.path("scope").asString("*");
        boolean namespaceObject = request.group().isEmpty() && request.resource().equals("namespaces");
        return switch (scope) {
            case "Cluster" -> namespaceObject || nz(request.namespace()).isEmpty();
            case "Namespaced" -> !namespaceObject && !nz(request.namespace()).isEmpty();
            default -> true;
        };
    }

    private static boolean exactOrWildcard(JsonNode items, String value) {
        for (JsonNode item : items) {
            String s = item.asString("");
            if (s.equals("*") || s.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean resource(JsonNode resources, String resource, String subresource) {
        for (JsonNode item : resources) {
            String s = item.asString("");
            int slash = s.indexOf('/');
            String res = slash < 0 ? s : s.substring(0, slash);
            String sub = slash < 0 ? "" : s.substring(slash + 1);
            if ((res.equals("*") || res.equals(resource)) && (sub.equals("*") || sub.equals(subresource))) {
                return true;
            }
        }
        return false;
    }

    static String nz(String s) {
        return s == null ? "" : s;
    }
}
