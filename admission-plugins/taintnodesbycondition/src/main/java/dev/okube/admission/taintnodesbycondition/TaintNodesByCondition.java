package dev.okube.admission.taintnodesbycondition;

import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionResponse;
import dev.okube.api.admission.MutatingAdmission;
import org.osgi.service.component.annotations.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's TaintNodesByCondition: a Node being created gets the
 * {@code node.kubernetes.io/not-ready:NoSchedule} taint (unless it has a taint of that key and
 * effect), so no pod lands on a node before the node lifecycle controller has seen it ready and
 * removed the taint.
 */
@Component(service = MutatingAdmission.class)
public final class TaintNodesByCondition implements MutatingAdmission {
    static final String NOT_READY = "node.kubernetes.io/not-ready";
    static final String NO_SCHEDULE = "NoSchedule";

    @Override
    public String name() {
        return "TaintNodesByCondition";
    }

    @Override
    public AdmissionResponse admit(AdmissionRequest request) {
        if (request.operation() != AdmissionRequest.Operation.CREATE || !"nodes".equals(request.resource())
                || !empty(request.group()) || !empty(request.subresource())) {
            return AdmissionResponse.allow();
        }
        ObjectNode node = request.object();
        if (node == null || !"Node".equals(node.path("kind").asString("Node"))) {
            String name = node == null ? "" : node.path("metadata").path("name").asString("");
            return AdmissionResponse.deny(403, "Forbidden", "nodes \"" + (name.isEmpty() ? "Unknown" : name)
                    + "\" is forbidden: unexpected type " + (node == null ? "<nil>" : node.path("kind").asString("")));
        }
        JsonNode spec = node.path("spec");
        for (JsonNode taint : spec.path("taints")) {
            if (NOT_READY.equals(taint.path("key").asString("")) && NO_SCHEDULE.equals(taint.path("effect").asString(""))) {
                return AdmissionResponse.allow();
            }
        }
        ObjectNode specNode = node.withObjectProperty("spec");
        ArrayNode taints = specNode.path("taints").isArray() ? (ArrayNode) specNode.get("taints")
                : specNode.putArray("taints");
        taints.addObject().put("key", NOT_READY).put("effect", NO_SCHEDULE);
        return AdmissionResponse.allow();
    }

    private static boolean empty(String s) {
        return s == null || s.isEmpty();
    }
}
