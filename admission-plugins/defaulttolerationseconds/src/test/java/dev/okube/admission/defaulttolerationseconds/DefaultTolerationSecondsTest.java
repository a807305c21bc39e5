package dev.okube.admission.defaulttolerationseconds;

import static dev.okube.testkit.Admission.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionResponse;
import dev.okube.testkit.Admission;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class DefaultTolerationSecondsTest {
    private final DefaultTolerationSeconds plugin = new DefaultTolerationSeconds(300, 300);

    private static JsonNode array(String text) {
        return json("{'a':" + text + "}").get("a");
    }

    /** Compares as JSON text: 300 parsed is an int node, 300 the plugin writes a long one. */
    private static void assertJson(JsonNode expected, JsonNode actual) {
        assertEquals(expected.toString(), actual.toString());
    }

    private static ObjectNode pod(String tolerations) {
        ObjectNode pod = json("{'kind':'Pod','metadata':{'namespace':'ns','name':'p'},'spec':{'containers':[{'name':'c','image':'i'}]}}");
        if (tolerations != null) {
            pod.withObjectProperty("spec").set("tolerations", array(tolerations));
        }
        return pod;
    }

    private JsonNode admitted(ObjectNode pod) {
        assertTrue(plugin.admit(Admission.create("pods", "Pod", pod)).allowed());
        return pod.path("spec").path("tolerations");
    }

    @Test
    void aPodWithoutTolerationsGetsBoth() {
        assertJson(array("[{'key':'node.kubernetes.io/not-ready','operator':'Exists','effect':'NoExecute','tolerationSeconds':300},"
                + "{'key':'node.kubernetes.io/unreachable','operator':'Exists','effect':'NoExecute','tolerationSeconds':300}]"),
                admitted(pod(null)));
        assertEquals("DefaultTolerationSeconds", plugin.name());
    }

    @Test
    void otherTolerationsAreKeptAndTheDefaultsAppended() {
        assertJson(array("[{'key':'dedicated','operator':'Equal','value':'gpu','effect':'NoSchedule'},"
                + "{'key':'node.kubernetes.io/not-ready','operator':'Exists','effect':'NoExecute','tolerationSeconds':300},"
                + "{'key':'node.kubernetes.io/unreachable','operator':'Exists','effect':'NoExecute','tolerationSeconds':300}]"),
                admitted(pod("[{'key':'dedicated','operator':'Equal','value':'gpu','effect':'NoSchedule'}]")));
    }

    @Test
    void aPodThatToleratesNotReadyGetsOnlyUnreachable() {
        assertJson(array("[{'key':'node.kubernetes.io/not-ready','operator':'Exists','effect':'NoExecute','tolerationSeconds':60},"
                + "{'key':'node.kubernetes.io/unreachable','operator':'Exists','effect':'NoExecute','tolerationSeconds':300}]"),
                admitted(pod("[{'key':'node.kubernetes.io/not-ready','operator':'Exists','effect':'NoExecute','tolerationSeconds':60}]")));
    }

    @Test
    void aTolerationWithoutEffectCountsForEveryEffect() {
        assertJson(array("[{'key':'node.kubernetes.io/unreachable','operator':'Exists'},"
                + "{'key':'node.kubernetes.io/not-ready','operator':'Exists','effect':'NoExecute','tolerationSeconds':300}]"),
                admitted(pod("[{'key':'node.kubernetes.io/unreachable','operator':'Exists'}]")));
    }

    @Test
    void aTolerationWithoutKeyToleratesBoth() {
        ObjectNode pod = pod("[{'operator':'Exists'}]");
        ObjectNode before = pod.deepCopy();
        admitted(pod);
        assertEquals(before, pod);
        ObjectNode noExecuteOnly = pod("[{'operator':'Exists','effect':'NoExecute'}]");
        ObjectNode noExecuteBefore = noExecuteOnly.deepCopy();
        admitted(noExecuteOnly);
        assertEquals(noExecuteBefore, noExecuteOnly);
    }

    @Test
    void aNoScheduleTolerationDoesNotCount() {
        assertEquals(4, admitted(pod("[{'key':'node.kubernetes.io/not-ready','operator':'Exists','effect':'NoSchedule'},"
                + "{'operator':'Exists','effect':'NoSchedule'}]")).size());
    }

    @Test
    void theSecondsAreConfigurable() {
        DefaultTolerationSeconds custom = new DefaultTolerationSeconds(30, 600);
        ObjectNode pod = pod(null);
        custom.admit(Admission.create("pods", "Pod", pod));
        assertEquals(30, pod.path("spec").path("tolerations").get(0).path("tolerationSeconds").asLong());
        assertEquals(600, pod.path("spec").path("tolerations").get(1).path("tolerationSeconds").asLong());
        assertThrows(IllegalArgumentException.class, () -> new DefaultTolerationSeconds(-1, 300));
    }

    @Test
    void updatesArePatchedToo() {
        ObjectNode pod = pod(null);
        plugin.admit(Admission.update("", "v1", "pods", "Pod", pod, pod(null), Admission.ADMIN));
        assertEquals(2, pod.path("spec").path("tolerations").size());
    }

    @Test
    void subresourcesDeletesAndOtherResourcesAreLeftAlone() {
        ObjectNode pod = pod(null);
        ObjectNode before = pod.deepCopy();
        plugin.admit(new AdmissionRequest(AdmissionRequest.Operation.UPDATE, "", "v1", "Pod", "pods", "status", "ns",
                "p", pod, before.deepCopy(), Admission.ADMIN, false));
        plugin.admit(new AdmissionRequest(AdmissionRequest.Operation.DELETE, "", "v1", "Pod", "pods", "", "ns", "p",
                null, before.deepCopy(), Admission.ADMIN, false));
        assertEquals(before, pod);
        ObjectNode deployment = json("{'kind':'Deployment','metadata':{'namespace':'ns','name':'d'},'spec':{}}");
        ObjectNode deploymentBefore = deployment.deepCopy();
        plugin.admit(Admission.create("apps", "v1", "deployments", "Deployment", deployment, Admission.ADMIN));
        assertEquals(deploymentBefore, deployment);
    }

    @Test
    void somethingOtherThanAPodIsABadRequest() {
        AdmissionResponse response = plugin.admit(Admission.create("pods", "Pod",
                json("{'kind':'Service','metadata':{'namespace':'ns','name':'p'}}")));
        assertFalse(response.allowed());
        assertEquals(400, response.code());
        assertEquals("BadRequest", response.reason());
        assertEquals("expected *api.Pod but got Service", response.message());
    }
}
