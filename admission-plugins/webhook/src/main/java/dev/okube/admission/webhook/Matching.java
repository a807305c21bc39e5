package dev.okube.admission.webhook;

import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.resources.ClusterResources;
import dev.okube.api.resources.LabelSelector;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * MatchResources (a policy's matchConstraints, a binding's matchResources) as upstream's generic
 * matcher: namespaceSelector, objectSelector, excludeResourceRules, then resourceRules with
 * resourceNames.
 */
final class Matching {
    /** A configuration problem, which the policy's failurePolicy decides about. */
    static final class ConfigurationError extends Exception {
        private static final long serialVersionUID = 1L;

        ConfigurationError(String message) {
            super(message);
        }
    }

    private Matching() {
    }

    static boolean matches(JsonNode match, AdmissionRequest request, ClusterResources resources)
            throws ConfigurationError {
        LabelSelector namespaceSelector;
        LabelSelector objectSelector;
        try {
            namespaceSelector = LabelSelector.parse(match.get("namespaceSelector"));
            objectSelector = LabelSelector.parse(match.get("objectSelector"));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationError(e.getMessage());
        }
        if (!objectSelector.isEmpty()
                && !objectSelector.matches(LabelSelector.labelsOf(request.object()))
                && !(request.oldObject() != null && objectSelector.matches(LabelSelector.labelsOf(request.oldObject())))) {
            return false;
        }
        if (anyRule(match.path("excludeResourceRules"), request)) {
            return false;
        }
        if (!anyRule(match.path("resourceRules"), request)) {
            return false;
        }
        return matchesNamespace(namespaceSelector, request, resources);
    }

    private static boolean anyRule(JsonNode rules, AdmissionRequest request) {
        for (JsonNode rule : rules) {
            if (!Rules.matches(rule, request)) {
                continue;
            }
            JsonNode names = rule.path("resourceNames");
            if (names.size() == 0) {
                return true;
            }
            for (JsonNode n : names) {
                if (n.asString("").equals(request.name())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean matchesNamespace(LabelSelector selector, AdmissionRequest request,
            ClusterResources resources) throws ConfigurationError {
        boolean namespaceObject = request.group().isEmpty() && request.resource().equals("namespaces");
        String namespace = request.namespace() == null ? "" : request.namespace();
        if ((namespace.isEmpty() && !namespaceObject) || selector.isEmpty()) {
            return true;
        }
        Map<String, String> labels;
        if (namespaceObject) {
            ObjectNode object = request.object() == null ? request.oldObject() : request.object();
            labels = LabelSelector.labelsOf(object);
        } else {
            Optional<ObjectNode> ns = resources.get(ValidatingAdmissionPolicyPlugin.NAMESPACES, "", namespace);
            if (ns.isEmpty()) {
                throw new ConfigurationError("namespaces \"" + namespace + "\" not found");
            }
            labels = LabelSelector.labelsOf(ns.get());
        }
        return selector.matches(labels);
    }
}
