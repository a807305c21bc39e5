package dev.okube.admission.webhook;

import dev.cel.common.values.NullValue;
import dev.cel.runtime.CelEvaluationException;
import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionResponse;
import dev.okube.api.resources.ClusterResources;
import dev.okube.api.resources.LabelSelector;
import dev.okube.api.resources.ResourceType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** What the mutating and validating plugins share: which webhooks to call, and upstream's error texts. */
final class Dispatch {
    static final ResourceType NAMESPACES = ResourceType.core("namespaces");

    /** A request to fail with this response (a denial, or an error no failurePolicy can ignore). */
    static final class Denied extends Exception {
        private static final long serialVersionUID = 1L;
        final transient AdmissionResponse response;

        Denied(AdmissionResponse response) {
            super(response.message());
            this.response = response;
        }
    }

    /** Upstream never sends the admission configuration objects themselves to webhooks (no lock-out). */
    private static final Set<String> EXEMPT = Set.of("validatingwebhookconfigurations",
            "mutatingwebhookconfigurations", "validatingadmissionpolicies", "validatingadmissionpolicybindings",
            "mutatingadmissionpolicies", "mutatingadmissionpolicybindings");

    private Dispatch() {
    }

    /** Whether the webhook is to be called for the request (upstream's ShouldCallHook). */
    static boolean shouldCall(Webhook hook, AdmissionRequest request, ClusterResources resources) throws Denied {
        if (request.group().equals("admissionregistration.k8s.io") && EXEMPT.contains(request.resource())) {
            return false;
        }
        if (!Rules.matchesAny(hook.rules(), request)) {
            return false;
        }
        LabelSelector namespaceSelector;
        LabelSelector objectSelector;
        try {
            namespaceSelector = hook.namespaceSelector();
            objectSelector = hook.objectSelector();
        } catch (IllegalArgumentException e) {
            throw new Denied(internal("invalid selector of webhook \"" + hook.name() + "\": " + e.getMessage()));
        }
        if (!matchesNamespace(namespaceSelector, request, resources)) {
            return false;
        }
        if (!objectSelector.isEmpty()
                && !objectSelector.matches(LabelSelector.labelsOf(request.object()))
                && !(request.oldObject() != null && objectSelector.matches(LabelSelector.labelsOf(request.oldObject())))) {
            return false;
        }
        return matchConditions(hook, request);
    }

    /**
     * upstream's matchConditions: every condition must be true for the webhook to be called; one
     * that fails to compile or evaluate is a call error (failurePolicy Ignore skips the webhook,
     * Fail rejects the request).
     */
    private static boolean matchConditions(Webhook hook, AdmissionRequest request) throws Denied {
        if (hook.matchConditions().isEmpty()) {
            return true;
        }
        Map<String, Object> input = new java.util.HashMap<>();
        input.put("object", request.object() == null ? NullValue.NULL_VALUE : CelEnvironment.value(request.object()));
        input.put("oldObject", request.oldObject() == null ? NullValue.NULL_VALUE
                : CelEnvironment.value(request.oldObject()));
        ObjectNode attributes = (ObjectNode) WebhookClient.review("v1", "", request).path("request");
        attributes.remove(List.of("uid", "object", "oldObject"));
        input.put("request", CelEnvironment.value(attributes));
        for (Webhook.MatchCondition condition : hook.matchConditions()) {
            String error;
            if (!condition.expression().compiled()) {
                error = condition.expression().error();
            } else {
                try {
                    Object result = condition.expression().eval(input);
                    if (Boolean.FALSE.equals(result)) {
                        return false;
                    }
                    if (Boolean.TRUE.equals(result)) {
                        continue;
                    }
                    error = "matchCondition '" + condition.name() + "' must evaluate to bool";
                } catch (CelEvaluationException | RuntimeException e) {
                    error = "expression '" + condition.expression().source() + "' resulted in error: " + e.getMessage();
                }
            }
            String message = callFailed(hook, "failed to evaluate match conditions: " + error);
            if (hook.failOpen()) {
                return false;
            }
            throw new Denied(internal(message));
        }
        return true;
    }

    /**
     * upstream's namespace matcher: cluster-scoped resources other than namespaces always match; a
     * Namespace is matched on its own labels; others on their namespace's labels (404 if it is gone).
     */
    private static boolean matchesNamespace(LabelSelector selector, AdmissionRequest request,
            ClusterResources resources) throws Denied {
        boolean namespaceObject = request.group().isEmpty() && request.resource().equals("namespaces");
        String namespace = Rules.nz(request.namespace());
        if (namespace.isEmpty() && !namespaceObject) {
            return true;
        }
        if (selector.isEmpty()) {
            return true;
        }
        Map<String, String> labels;
        if (namespaceObject) {
            ObjectNode object = request.operation() == AdmissionRequest.Operation.DELETE || request.object() == null
                    ? request.oldObject() : request.object();
            labels = LabelSelector.labelsOf(object);
        } else {
            Optional<ObjectNode> ns = resources.get(NAMESPACES, "", namespace);
            if (ns.isEmpty()) {
                throw new Denied(AdmissionResponse.deny(404, "NotFound", "namespaces \"" + namespace + "\" not found"));
            }
            labels = LabelSelector.labelsOf(ns.get());
        }
        return selector.matches(labels);
    }

    /** upstream's side-effect check for dry-run requests; null when the webhook may be called. */
    static AdmissionResponse dryRunRefusal(Webhook hook, AdmissionRequest request) {
        if (!request.dryRun()) {
            return null;
        }
        String sideEffects = hook.sideEffects();
        if (sideEffects == null) {
            return internal(callFailed(hook, "Webhook SideEffects is nil"));
        }
        if (sideEffects.equals("None") || sideEffects.equals("NoneOnDryRun")) {
            return null;
        }
        return AdmissionResponse.deny(400, "BadRequest", "admission webhook \"" + hook.name()
                + "\" does not support dry run");
    }

    /** upstream's ToStatusErr: the webhook's own Status, with its message prefixed. */
    static AdmissionResponse rejection(Webhook hook, JsonNode status) {
        String deniedBy = "admission webhook \"" + hook.name() + "\" denied the request";
        int code = status == null ? 0 : status.path("code").asInt(0);
        if (code < 400) {
            code = 400;
        }
        String reason = status == null ? "" : status.path("reason").asString("");
        String message = status == null ? "" : status.path("message").asString("");
        String text;
        if (!message.isEmpty()) {
            text = deniedBy + ": " + message;
        } else if (!reason.isEmpty()) {
            text = deniedBy + ": " + reason;
        } else {
            text = deniedBy + " without explanation";
        }
        return AdmissionResponse.deny(code, reason, text);
    }

    static String callFailed(Webhook hook, String reason) {
        return "failed calling webhook \"" + hook.name() + "\": " + reason;
    }

    /** A Status as apierrors.NewInternalError. */
    static AdmissionResponse internal(String message) {
        return AdmissionResponse.deny(500, "InternalError", "Internal error occurred: " + message);
    }

    static AdmissionResponse withWarnings(AdmissionResponse response, Iterable<String> warnings) {
        AdmissionResponse r = response;
        for (String w : warnings) {
            r = r.withWarning(w);
        }
        return r;
    }
}
