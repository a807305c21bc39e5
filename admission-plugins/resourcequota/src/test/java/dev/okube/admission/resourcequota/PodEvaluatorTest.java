package dev.okube.admission.resourcequota;

import static dev.okube.testkit.Admission.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class PodEvaluatorTest {
    final PodEvaluator evaluator = new PodEvaluator();

    static ObjectNode pod(String spec) {
        return json("{'metadata':{'name':'p','namespace':'ns'},'spec':" + spec + "}");
    }

    String usage(ObjectNode pod) {
        return ResourceList.pretty(evaluator.usage(pod, Instant.now()));
    }

    @Test
    void containersAddUpAndInitContainersAreAMaximum() {
        ObjectNode p = pod("{'containers':[{'name':'a','resources':{'requests':{'cpu':'100m','memory':'1Gi'},"
                + "'limits':{'cpu':'1'}}},{'name':'b','resources':{'requests':{'cpu':'200m'}}}],"
                + "'initContainers':[{'name':'i','resources':{'requests':{'cpu':'500m','memory':'100Mi'}}}]}");
        assertEquals("count/pods=1,cpu=500m,limits.cpu=1,memory=1Gi,pods=1,requests.cpu=500m,requests.memory=1Gi", usage(p));
    }

    @Test
    void sidecarsAddToTheContainersAndToLaterInitContainers() {
        ObjectNode p = pod("{'containers':[{'name':'a','resources':{'requests':{'cpu':'100m'}}}],"
                + "'initContainers':[{'name':'side','restartPolicy':'Always','resources':{'requests':{'cpu':'300m'}}},"
                + "{'name':'init','resources':{'requests':{'cpu':'350m'}}}]}");
        // max(containers 100m + sidecar 300m, init 350m + sidecar 300m) = 650m
        assertEquals("650m", evaluator.usage(p, Instant.now()).get("requests.cpu").toString());
    }

    @Test
    void overheadPodLevelResourcesAndExtendedResources() {
        ObjectNode p = pod("{'overhead':{'cpu':'50m','memory':'10Mi'},'resources':{'requests':{'memory':'2Gi'}},"
                + "'containers':[{'name':'a','resources':{'requests':{'cpu':'100m','memory':'1Gi','example.com/gpu':'2',"
                + "'hugepages-2Mi':'4Mi'},'limits':{'cpu':'1','example.com/gpu':'2','hugepages-2Mi':'4Mi'}}}]}");
        Map<String, Quantity> u = evaluator.usage(p, Instant.now());
        assertEquals("150m", u.get("requests.cpu").toString());
        assertEquals("2058Mi", u.get("requests.memory").toString());
        assertEquals("1050m", u.get("limits.cpu").toString());
        assertEquals("2", u.get("requests.example.com/gpu").toString());
        assertEquals("4Mi", u.get("requests.hugepages-2Mi").toString());
        assertEquals("4Mi", u.get("hugepages-2Mi").toString());
    }

    @Test
    void anInPlaceResizeCountsTheLargerOfSpecAndStatus() {
        ObjectNode p = pod("{'containers':[{'name':'a','resources':{'requests':{'cpu':'100m'}}}]}");
        p.set("status", json("{'s':{'containerStatuses':[{'name':'a','allocatedResources':{'cpu':'400m'},"
                + "'resources':{'requests':{'cpu':'300m'}}}]}}").get("s"));
        assertEquals("400m", evaluator.usage(p, Instant.now()).get("requests.cpu").toString());
    }

    @Test
    void finishedPodsOnlyCountAsObjects() {
        ObjectNode p = pod("{'containers':[{'name':'a','resources':{'requests':{'cpu':'100m'}}}]}");
        p.set("status", json("{'s':{'phase':'Succeeded'}}").get("s"));
        assertEquals("count/pods=1", usage(p));
    }

    @Test
    void bestEffortAndPriorityClassScopes() {
        ObjectNode be = pod("{'containers':[{'name':'a','resources':{'requests':{'cpu':'0'}}}]}");
        assertTrue(PodEvaluator.isBestEffort(be), "zero requests do not count");
        ObjectNode burstable = pod("{'priorityClassName':'high','containers':[{'name':'a','resources':{'limits':{'memory':'1Gi'}}}]}");
        assertFalse(PodEvaluator.isBestEffort(burstable));
        assertTrue(evaluator.matchesScope(new ScopeRequirement("PriorityClass", "In", List.of("high", "x")), burstable));
        assertFalse(evaluator.matchesScope(new ScopeRequirement("PriorityClass", "NotIn", List.of("high")), burstable));
        assertTrue(evaluator.matchesScope(new ScopeRequirement("PriorityClass", "DoesNotExist", List.of()), be));
        assertFalse(evaluator.matchesScope(new ScopeRequirement("PriorityClass", "Exists", List.of()), be));
        assertThrows(IllegalArgumentException.class,
                () -> evaluator.matchesScope(new ScopeRequirement("PriorityClass", "Near", List.of()), be));
        ObjectNode cross = pod("{'containers':[{'name':'a'}],'affinity':{'podAffinity':{"
                + "'requiredDuringSchedulingIgnoredDuringExecution':[{'namespaces':['other'],'topologyKey':'k'}]}}}");
        assertTrue(evaluator.matchesScope(new ScopeRequirement("CrossNamespacePodAffinity", "Exists", List.of()), cross));
    }

    @Test
    void matchingResourcesFollowUpstream() {
        assertEquals(List.of("pods", "requests.cpu", "requests.hugepages-1Gi", "requests.example.com/gpu"),
                evaluator.matchingResources(List.of("pods", "services", "requests.cpu", "requests.hugepages-1Gi",
                        "requests.example.com/gpu", "example.com/gpu", "configmaps")));
    }
}
