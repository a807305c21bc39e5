package dev.okube.admission.taintnodesbycondition;

import static dev.okube.testkit.Admission.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionResponse;
import dev.okube.testkit.Admission;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class TaintNodesByConditionTest {
    private final TaintNodesByCondition plugin = new TaintNodesByCondition();

    private static tools.jackson.databind.JsonNode array(String text) {
        return json("{'a':" + text + "}").get("a");
    }

    private static AdmissionRequest createNode(ObjectNode node) {
        return Admission.create("", "v1", "nodes", "Node", node, Admission.ADMIN);
    }

    @Test
    void aNewNodeGetsTheNotReadyTaint() {
        ObjectNode node = json("{'apiVersion':'v1','kind':'Node','metadata':{'name':'n1'}}");
        assertTrue(plugin.admit(createNode(node)).allowed());
        assertEquals(array("[{'key':'node.kubernetes.io/not-ready','effect':'NoSchedule'}]"), node.path("spec").path("taints"));
        assertEquals("TaintNodesByCondition", plugin.name());
    }

    @Test
    void existingTaintsAreKept() {
        ObjectNode node = json("{'kind':'Node','metadata':{'name':'n1'},'spec':{'podCIDR':'10.0.0.0/24',"
                + "'taints':[{'key':'dedicated','value':'gpu','effect':'NoSchedule'},"
                + "{'key':'node.kubernetes.io/not-ready','effect':'NoExecute'}]}}");
        plugin.admit(createNode(node));
        assertEquals(array("[{'key':'dedicated','value':'gpu','effect':'NoSchedule'},"
                + "{'key':'node.kubernetes.io/not-ready','effect':'NoExecute'},"
                + "{'key':'node.kubernetes.io/not-ready','effect':'NoSchedule'}]"), node.path("spec").path("taints"));
        assertEquals("10.0.0.0/24", node.path("spec").path("podCIDR").asString());
    }

    @Test
    void aNodeThatAlreadyHasTheTaintIsUnchanged() {
        ObjectNode node = json("{'kind':'Node','metadata':{'name':'n1'},'spec':{'taints':["
                + "{'key':'node.kubernetes.io/not-ready','value':'x','effect':'NoSchedule','timeAdded':'2026-01-01T00:00:00Z'}]}}");
        ObjectNode before = node.deepCopy();
        plugin.admit(createNode(node));
        assertEquals(before, node);
    }

    @Test
    void updatesOtherResourcesAndSubresourcesAreLeftAlone() {
        ObjectNode node = json("{'kind':'Node','metadata':{'name':'n1'}}");
        ObjectNode before = node.deepCopy();
        plugin.admit(Admission.update("", "v1", "nodes", "Node", node, before.deepCopy(), Admission.ADMIN));
        assertEquals(before, node);

        AdmissionRequest status = new AdmissionRequest(AdmissionRequest.Operation.CREATE, "", "v1", "Node", "nodes",
                "status", "", "n1", node, null, Admission.ADMIN, false);
        plugin.admit(status);
        assertEquals(before, node);

        ObjectNode pod = json("{'kind':'Pod','metadata':{'name':'p','namespace':'ns'}}");
        ObjectNode podBefore = pod.deepCopy();
        plugin.admit(Admission.create("pods", "Pod", pod));
        assertEquals(podBefore, pod);
    }

    @Test
    void somethingOtherThanANodeIsRefused() {
        ObjectNode notANode = json("{'kind':'Pod','metadata':{'name':'n1'}}");
        AdmissionResponse response = plugin.admit(createNode(notANode));
        assertFalse(response.allowed());
        assertEquals(403, response.code());
        assertEquals("nodes \"n1\" is forbidden: unexpected type Pod", response.message());
    }
}
