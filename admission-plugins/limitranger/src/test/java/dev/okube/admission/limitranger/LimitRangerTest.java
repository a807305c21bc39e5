package dev.okube.admission.limitranger;

import static dev.okube.testkit.Admission.ADMIN;
import static dev.okube.testkit.Admission.create;
import static dev.okube.testkit.Admission.json;
import static dev.okube.testkit.Admission.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionResponse;
import dev.okube.testkit.InMemoryClusterResources;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class LimitRangerTest {
    private final InMemoryClusterResources cluster = new InMemoryClusterResources();
    private final LimitRanger plugin = new LimitRanger(cluster);

    private void limitRange(String name, String limits) {
        cluster.put(LimitRanger.LIMIT_RANGES, json("{'apiVersion':'v1','kind':'LimitRange','metadata':{'name':'" + name
                + "','namespace':'team'},'spec':{'limits':" + limits + "}}"));
    }

    private static ObjectNode pod(String containers) {
        return json("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'web','namespace':'team'},'spec':{'containers':"
                + containers + "}}");
    }

    private static ObjectNode pod(String containers, String initContainers) {
        ObjectNode pod = pod(containers);
        ((ObjectNode) pod.get("spec")).set("initContainers", json("{'x':" + initContainers + "}").get("x"));
        return pod;
    }

    /** Both phases, as the chain runs them. */
    private AdmissionResponse admitAndValidate(AdmissionRequest request) {
        AdmissionResponse mutated = plugin.admit(request);
        if (!mutated.allowed()) {
            return mutated;
        }
        return plugin.validate(request);
    }

    private static String text(ObjectNode node, String... path) {
        tools.jackson.databind.JsonNode n = node;
        for (String p : path) {
            n = p.matches("\\d+") ? n.path(Integer.parseInt(p)) : n.path(p);
        }
        return n.isMissingNode() ? null : n.asString();
    }

    // ---- defaults ----

    @Test
    void containerDefaultsAreApplied() {
        limitRange("defaults", "[{'type':'Container','default':{'cpu':'500m','memory':'256Mi'},"
                + "'defaultRequest':{'cpu':'100m','memory':'128Mi'}}]");
        ObjectNode pod = pod("[{'name':'app','image':'nginx'}]");
        assertTrue(plugin.admit(create("pods", "Pod", pod)).allowed());
        assertEquals("500m", text(pod, "spec", "containers", "0", "resources", "limits", "cpu"));
        assertEquals("256Mi", text(pod, "spec", "containers", "0", "resources", "limits", "memory"));
        assertEquals("100m", text(pod, "spec", "containers", "0", "resources", "requests", "cpu"));
        assertEquals("128Mi", text(pod, "spec", "containers", "0", "resources", "requests", "memory"));
        assertEquals("LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app",
                text(pod, "metadata", "annotations", "kubernetes.io/limit-ranger"));
    }

    @Test
    void givenValuesAreKeptAndOnlyMissingOnesAnnotated() {
        limitRange("defaults", "[{'type':'Container','default':{'cpu':'500m','memory':'256Mi'},"
                + "'defaultRequest':{'cpu':'100m','memory':'128Mi'}}]");
        ObjectNode pod = pod("[{'name':'app','image':'nginx','resources':{'limits':{'cpu':'1'},"
                + "'requests':{'cpu':'1'}}}]");
        plugin.admit(create("pods", "Pod", pod));
        assertEquals("1", text(pod, "spec", "containers", "0", "resources", "limits", "cpu"));
        assertEquals("1", text(pod, "spec", "containers", "0", "resources", "requests", "cpu"));
        assertEquals("256Mi", text(pod, "spec", "containers", "0", "resources", "limits", "memory"));
        assertEquals("LimitRanger plugin set: memory request for container app; memory limit for container app",
                text(pod, "metadata", "annotations", "kubernetes.io/limit-ranger"));
    }

    @Test
    void initContainersGetDefaultsToo() {
        limitRange("defaults", "[{'type':'Container','default':{'cpu':'200m'},'defaultRequest':{'cpu':'50m'}}]");
        ObjectNode pod = pod("[{'name':'app','image':'nginx'}]", "[{'name':'setup','image':'busybox'}]");
        plugin.admit(create("pods", "Pod", pod));
        assertEquals("200m", text(pod, "spec", "initContainers", "0", "resources", "limits", "cpu"));
        assertEquals("50m", text(pod, "spec", "initContainers", "0", "resources", "requests", "cpu"));
        assertEquals("LimitRanger plugin set: cpu request for container app; cpu limit for container app; "
                + "cpu request for init container setup; cpu limit for init container setup",
                text(pod, "metadata", "annotations", "kubernetes.io/limit-ranger"));
    }

    @Test
    void nothingSetMeansNoAnnotation() {
        limitRange("defaults", "[{'type':'Container','default':{'cpu':'200m'}}]");
        ObjectNode pod = pod("[{'name':'app','image':'nginx','resources':{'limits':{'cpu':'1'}}}]");
        plugin.admit(create("pods", "Pod", pod));
        assertTrue(pod.path("metadata").path("annotations").isMissingNode());
        assertTrue(pod.path("spec").path("containers").path(0).path("resources").path("requests").isMissingNode());
    }

    @Test
    void limitRangesOfOtherNamespacesDoNotApply() {
        cluster.put(LimitRanger.LIMIT_RANGES, json("{'metadata':{'name':'elsewhere','namespace':'other'},"
                + "'spec':{'limits':[{'type':'Container','default':{'cpu':'1'}}]}}"));
        ObjectNode pod = pod("[{'name':'app','image':'nginx'}]");
        plugin.admit(create("pods", "Pod", pod));
        assertTrue(pod.path("spec").path("containers").path(0).path("resources").isMissingNode());
    }

    @Test
    void podAndClaimLimitsGiveNoDefaults() {
        limitRange("pods", "[{'type':'Pod','max':{'cpu':'4'}},{'type':'PersistentVolumeClaim','max':{'storage':'1Gi'}}]");
        ObjectNode pod = pod("[{'name':'app','image':'nginx'}]");
        plugin.admit(create("pods", "Pod", pod));
        assertTrue(pod.path("spec").path("containers").path(0).path("resources").isMissingNode());
    }

    @Test
    void podUpdatesAreNotDefaulted() {
        limitRange("defaults", "[{'type':'Container','default':{'cpu':'1'}}]");
        ObjectNode pod = pod("[{'name':'app','image':'nginx'}]");
        plugin.admit(update("", "v1", "pods", "Pod", pod, pod.deepCopy(), ADMIN));
        assertTrue(pod.path("spec").path("containers").path(0).path("resources").isMissingNode());
    }

    @Test
    void subresourcesAreIgnored() {
        limitRange("defaults", "[{'type':'Container','default':{'cpu':'1'},'max':{'cpu':'1'}}]");
        ObjectNode pod = pod("[{'name':'app','image':'nginx','resources':{'limits':{'cpu':'2'}}}]");
        AdmissionRequest status = new AdmissionRequest(AdmissionRequest.Operation.CREATE, "", "v1", "Pod", "pods",
                "status", "team", "web", pod, null, ADMIN, false);
        assertTrue(admitAndValidate(status).allowed());
    }

    @Test
    void defaultsSatisfyTheirOwnLimitRange() {
        limitRange("defaults", "[{'type':'Container','max':{'cpu':'1','memory':'1Gi'},'min':{'cpu':'100m'},"
                + "'default':{'cpu':'500m','memory':'512Mi'},'defaultRequest':{'cpu':'200m','memory':'256Mi'}}]");
        assertTrue(admitAndValidate(create("pods", "Pod", pod("[{'name':'app','image':'nginx'}]"))).allowed());
    }

    // ---- Container constraints ----

    @Test
    void containerOverMaxLimitIsForbidden() {
        limitRange("max", "[{'type':'Container','max':{'cpu':'1'}}]");
        ObjectNode pod = pod("[{'name':'app','image':'nginx','resources':{'limits':{'cpu':'2'},'requests':{'cpu':'2'}}}]");
        AdmissionResponse response = admitAndValidate(create("pods", "Pod", pod));
        assertFalse(response.allowed());
        assertEquals(403, response.code());
        assertEquals("Forbidden", response.reason());
        assertEquals("pods \"web\" is forbidden: maximum cpu usage per Container is 1, but limit is 2",
                response.message());
    }

    @Test
    void requestOverMaxWithLimitWithinIsForbidden() {
        limitRange("max", "[{'type':'Container','max':{'cpu':'1'}}]");
        ObjectNode pod = pod("[{'name':'app','image':'nginx','resources':{'limits':{'cpu':'1'},'requests':{'cpu':'2'}}}]");
        assertEquals("pods \"web\" is forbidden: maximum cpu usage per Container is 1, but request is 2",
                admitAndValidate(create("pods", "Pod", pod)).message());
    }

    @Test
    void severalViolationsAreListedTogether() {
        limitRange("range", "[{'type':'Container','max':{'cpu':'1','memory':'1Gi'}}]");
        ObjectNode pod = pod("[{'name':'app','image':'nginx','resources':{'limits':{'cpu':'2','memory':'2Gi'}}}]");
        assertEquals("pods \"web\" is forbidden: [maximum cpu usage per Container is 1, but limit is 2, "
                + "maximum memory usage per Container is 1Gi, but limit is 2Gi]",
                admitAndValidate(create("pods", "Pod", pod)).message());
    }

    @Test
    void containerWithoutLimitUnderMaxIsForbidden() {
        limitRange("max", "[{'type':'Container','max':{'memory':'1Gi'}}]");
        ObjectNode pod = pod("[{'name':'app','image':'nginx'}]");
        assertEquals("pods \"web\" is forbidden: maximum memory usage per Container is 1Gi.  No limit is specified",
                admitAndValidate(create("pods", "Pod", pod)).message());
    }

    @Test
    void maxIsFilledByTheDefaultLimit() {
        limitRange("max", "[{'type':'Container','max':{'memory':'1Gi'},'default':{'memory':'1Gi'}}]");
        assertTrue(admitAndValidate(create("pods", "Pod", pod("[{'name':'app','image':'nginx'}]"))).allowed());
    }

    @Test
    void containerUnderMinIsForbidden() {
        limitRange("min", "[{'type':'Container','min':{'cpu':'200m'}}]");
        ObjectNode pod = pod("[{'name':'app','image':'nginx','resources':{'requests':{'cpu':'100m'}}}]");
        assertEquals("pods \"web\" is forbidden: minimum cpu usage per Container is 200m, but request is 100m",
                admitAndValidate(create("pods", "Pod", pod)).message());
    }

    @Test
    void containerWithoutRequestUnderMinIsForbidden() {
        limitRange("min", "[{'type':'Container','min':{'cpu':'200m'}}]");
        assertEquals("pods \"web\" is forbidden: minimum cpu usage per Container is 200m.  No request is specified",
                admitAndValidate(create("pods", "Pod", pod("[{'name':'app','image':'nginx'}]"))).message());
    }

    @Test
    void limitUnderMinIsForbidden() {
        limitRange("min", "[{'type':'Container','min':{'memory':'64Mi'}}]");
        ObjectNode pod = pod("[{'name':'app','image':'nginx','resources':{'requests':{'memory':'64Mi'},"
                + "'limits':{'memory':'32Mi'}}}]");
        assertEquals("pods \"web\" is forbidden: minimum memory usage per Container is 64Mi, but limit is 32Mi",
                admitAndValidate(create("pods", "Pod", pod)).message());
    }

    @Test
    void valuesAreComparedNotTexts() {
        limitRange("range", "[{'type':'Container','min':{'cpu':'0.5'},'max':{'cpu':'1','memory':'1Gi'}}]");
        ObjectNode pod = pod("[{'name':'app','image':'nginx','resources':{'requests':{'cpu':'500m','memory':'1024Mi'},"
                + "'limits':{'cpu':'1000m','memory':'1073741824'}}}]");
        assertTrue(admitAndValidate(create("pods", "Pod", pod)).allowed());
    }

    @Test
    void initContainersAreConstrainedToo() {
        limitRange("max", "[{'type':'Container','max':{'cpu':'1'}}]");
        ObjectNode pod = pod("[{'name':'app','image':'nginx','resources':{'limits':{'cpu':'1'}}}]",
                "[{'name':'setup','image':'busybox','resources':{'limits':{'cpu':'3'}}}]");
        assertEquals("pods \"web\" is forbidden: maximum cpu usage per Container is 1, but limit is 3",
                admitAndValidate(create("pods", "Pod", pod)).message());
    }

    @Test
    void ratioOverMaxIsForbidden() {
        limitRange("ratio", "[{'type':'Container','maxLimitRequestRatio':{'cpu':'2'}}]");
        ObjectNode pod = pod("[{'name':'app','image':'nginx','resources':{'requests':{'cpu':'250m'},"
                + "'limits':{'cpu':'1'}}}]");
        assertEquals("pods \"web\" is forbidden: cpu max limit to request ratio per Container is 2, "
                + "but provided ratio is 4.000000", admitAndValidate(create("pods", "Pod", pod)).message());
    }

    @Test
    void ratioWithinMaxIsAllowed() {
        limitRange("ratio", "[{'type':'Container','maxLimitRequestRatio':{'cpu':'2','memory':'1500m'}}]");
        ObjectNode pod = pod("[{'name':'app','image':'nginx','resources':{'requests':{'cpu':'500m','memory':'1Gi'},"
                + "'limits':{'cpu':'1','memory':'1536Mi'}}}]");
        assertTrue(admitAndValidate(create("pods", "Pod", pod)).allowed());
    }

    @Test
    void ratioNeedsARequest() {
        limitRange("ratio", "[{'type':'Container','maxLimitRequestRatio':{'memory':'2'}}]");
        ObjectNode pod = pod("[{'name':'app','image':'nginx','resources':{'limits':{'memory':'1Gi'}}}]");
        assertEquals("pods \"web\" is forbidden: memory max limit to request ratio per Container is 2, but no request "
                + "is specified or request is 0", admitAndValidate(create("pods", "Pod", pod)).message());
    }

    @Test
    void ratioNeedsALimit() {
        limitRange("ratio", "[{'type':'Container','maxLimitRequestRatio':{'memory':'2'}}]");
        ObjectNode pod = pod("[{'name':'app','image':'nginx','resources':{'requests':{'memory':'1Gi'}}}]");
        assertEquals("pods \"web\" is forbidden: memory max limit to request ratio per Container is 2, but no limit "
                + "is specified or limit is 0", admitAndValidate(create("pods", "Pod", pod)).message());
    }

    @Test
    void fractionalRatioIsPrintedWithSixDecimals() {
        limitRange("ratio", "[{'type':'Container','maxLimitRequestRatio':{'cpu':'1'}}]");
        ObjectNode pod = pod("[{'name':'app','image':'nginx','resources':{'requests':{'cpu':'300m'},"
                + "'limits':{'cpu':'1'}}}]");
        assertEquals("pods \"web\" is forbidden: cpu max limit to request ratio per Container is 1, but provided ratio "
                + "is 3.333333", admitAndValidate(create("pods", "Pod", pod)).message());
    }

    @Test
    void identicalErrorsAreReportedOnce() {
        limitRange("max", "[{'type':'Container','max':{'cpu':'1'}}]");
        ObjectNode pod = pod("[{'name':'a','image':'nginx','resources':{'limits':{'cpu':'2'}}},"
                + "{'name':'b','image':'nginx','resources':{'limits':{'cpu':'2'}}}]");
        assertEquals("pods \"web\" is forbidden: maximum cpu usage per Container is 1, but limit is 2",
                admitAndValidate(create("pods", "Pod", pod)).message());
    }

    // ---- Pod constraints ----

    @Test
    void podTotalOverMaxIsForbidden() {
        limitRange("pod", "[{'type':'Pod','max':{'cpu':'2'}}]");
        ObjectNode pod = pod("[{'name':'a','image':'nginx','resources':{'limits':{'cpu':'1500m'},'requests':{'cpu':'1'}}},"
                + "{'name':'b','image':'nginx','resources':{'limits':{'cpu':'1'},'requests':{'cpu':'1'}}}]");
        assertEquals("pods \"web\" is forbidden: maximum cpu usage per Pod is 2, but limit is 2500m",
                admitAndValidate(create("pods", "Pod", pod)).message());
    }

    @Test
    void podMaxNeedsEveryContainerLimited() {
        limitRange("pod", "[{'type':'Pod','max':{'memory':'2Gi'}}]");
        ObjectNode pod = pod("[{'name':'a','image':'nginx'}]");
        assertEquals("pods \"web\" is forbidden: maximum memory usage per Pod is 2Gi.  No limit is specified",
                admitAndValidate(create("pods", "Pod", pod)).message());
    }

    @Test
    void podTotalUnderMinIsForbidden() {
        limitRange("pod", "[{'type':'Pod','min':{'memory':'1Gi'}}]");
        ObjectNode pod = pod("[{'name':'a','image':'nginx','resources':{'requests':{'memory':'256Mi'}}},"
                + "{'name':'b','image':'nginx','resources':{'requests':{'memory':'256Mi'}}}]");
        assertEquals("pods \"web\" is forbidden: minimum memory usage per Pod is 1Gi, but request is 512Mi",
                admitAndValidate(create("pods", "Pod", pod)).message());
    }

    @Test
    void theLargestInitContainerCountsWhenItIsMore() {
        limitRange("pod", "[{'type':'Pod','max':{'cpu':'2'}}]");
        ObjectNode pod = pod("[{'name':'a','image':'nginx','resources':{'limits':{'cpu':'1'}}}]",
                "[{'name':'big','image':'busybox','resources':{'limits':{'cpu':'3'}}}]");
        assertEquals("pods \"web\" is forbidden: maximum cpu usage per Pod is 2, but limit is 3",
                admitAndValidate(create("pods", "Pod", pod)).message());
    }

    @Test
    void sidecarsAddToThePodTotal() {
        ObjectNode pod = pod("[{'name':'a','image':'nginx','resources':{'requests':{'cpu':'1'}}}]",
                "[{'name':'proxy','image':'envoy','restartPolicy':'Always','resources':{'requests':{'cpu':'500m'}}},"
                + "{'name':'init','image':'busybox','resources':{'requests':{'cpu':'1'}}}]");
        // containers 1 + sidecar 0.5 = 1.5; the plain init container runs beside the sidecar: 1 + 0.5 = 1.5
        assertEquals("1500m", LimitRanger.podTotal(pod, "requests").get("cpu").toString());
        ObjectNode bigInit = pod("[{'name':'a','image':'nginx','resources':{'requests':{'cpu':'1'}}}]",
                "[{'name':'proxy','image':'envoy','restartPolicy':'Always','resources':{'requests':{'cpu':'500m'}}},"
                + "{'name':'init','image':'busybox','resources':{'requests':{'cpu':'2'}}}]");
        assertEquals("2500m", LimitRanger.podTotal(bigInit, "requests").get("cpu").toString());
    }

    @Test
    void podRatioIsChecked() {
        limitRange("pod", "[{'type':'Pod','maxLimitRequestRatio':{'memory':'2'}}]");
        ObjectNode pod = pod("[{'name':'a','image':'nginx','resources':{'requests':{'memory':'1Gi'},"
                + "'limits':{'memory':'3Gi'}}}]");
        assertEquals("pods \"web\" is forbidden: memory max limit to request ratio per Pod is 2, but provided ratio is "
                + "3.000000", admitAndValidate(create("pods", "Pod", pod)).message());
    }

    // ---- claims ----

    private static ObjectNode claim(String storage) {
        return json("{'apiVersion':'v1','kind':'PersistentVolumeClaim','metadata':{'name':'data','namespace':'team'},"
                + "'spec':{'accessModes':['ReadWriteOnce'],'resources':{'requests':{'storage':'" + storage + "'}}}}");
    }

    @Test
    void claimOverMaxIsForbidden() {
        limitRange("storage", "[{'type':'PersistentVolumeClaim','max':{'storage':'2Gi'},'min':{'storage':'1Gi'}}]");
        AdmissionResponse response = admitAndValidate(create("persistentvolumeclaims", "PersistentVolumeClaim",
                claim("5Gi")));
        assertEquals(403, response.code());
        assertEquals("persistentvolumeclaims \"data\" is forbidden: maximum storage usage per PersistentVolumeClaim is "
                + "2Gi, but request is 5Gi", response.message());
    }

    @Test
    void claimUnderMinIsForbidden() {
        limitRange("storage", "[{'type':'PersistentVolumeClaim','max':{'storage':'2Gi'},'min':{'storage':'1Gi'}}]");
        assertEquals("persistentvolumeclaims \"data\" is forbidden: minimum storage usage per PersistentVolumeClaim is "
                + "1Gi, but request is 500Mi", admitAndValidate(create("persistentvolumeclaims",
                "PersistentVolumeClaim", claim("500Mi"))).message());
    }

    @Test
    void claimWithinRangeIsAllowedAndNotChanged() {
        limitRange("storage", "[{'type':'PersistentVolumeClaim','max':{'storage':'2Gi'},'min':{'storage':'1Gi'}}]");
        ObjectNode claim = claim("1536Mi");
        ObjectNode before = claim.deepCopy();
        assertTrue(admitAndValidate(create("persistentvolumeclaims", "PersistentVolumeClaim", claim)).allowed());
        assertEquals(before, claim);
    }

    @Test
    void claimUpdatesAreCheckedToo() {
        limitRange("storage", "[{'type':'PersistentVolumeClaim','max':{'storage':'2Gi'}}]");
        ObjectNode grown = claim("3Gi");
        AdmissionResponse response = admitAndValidate(update("", "v1", "persistentvolumeclaims",
                "PersistentVolumeClaim", grown, claim("1Gi"), ADMIN));
        assertEquals(403, response.code());
    }

    @Test
    void claimsBeingDeletedAreLeftAlone() {
        limitRange("storage", "[{'type':'PersistentVolumeClaim','max':{'storage':'2Gi'}}]");
        ObjectNode old = claim("3Gi");
        old.withObjectProperty("metadata").put("deletionTimestamp", "2026-01-01T00:00:00Z");
        ObjectNode updated = old.deepCopy();
        assertTrue(admitAndValidate(update("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", updated, old,
                ADMIN)).allowed());
    }

    @Test
    void containerLimitsDoNotApplyToClaims() {
        limitRange("mixed", "[{'type':'Container','max':{'cpu':'1'}}]");
        assertTrue(admitAndValidate(create("persistentvolumeclaims", "PersistentVolumeClaim", claim("1Gi"))).allowed());
    }

    // ---- several limit ranges, other kinds ----

    @Test
    void everyLimitRangeOfTheNamespaceApplies() {
        limitRange("a-defaults", "[{'type':'Container','default':{'cpu':'500m'}}]");
        limitRange("b-max", "[{'type':'Container','max':{'cpu':'250m'}}]");
        AdmissionResponse response = admitAndValidate(create("pods", "Pod", pod("[{'name':'app','image':'nginx'}]")));
        assertEquals("pods \"web\" is forbidden: maximum cpu usage per Container is 250m, but limit is 500m",
                response.message());
    }

    @Test
    void otherResourcesAreIgnored() {
        limitRange("max", "[{'type':'Container','max':{'cpu':'1'}}]");
        ObjectNode deployment = json("{'metadata':{'name':'d','namespace':'team'},'spec':{'template':{'spec':"
                + "{'containers':[{'name':'a','image':'nginx','resources':{'limits':{'cpu':'8'}}}]}}}}");
        assertTrue(admitAndValidate(create("apps", "v1", "deployments", "Deployment", deployment, ADMIN)).allowed());
    }

    @Test
    void withoutLimitRangesEverythingPasses() {
        ObjectNode pod = pod("[{'name':'app','image':'nginx','resources':{'limits':{'cpu':'64'}}}]");
        ObjectNode before = pod.deepCopy();
        assertTrue(admitAndValidate(create("pods", "Pod", pod)).allowed());
        assertEquals(before, pod);
    }

    @Test
    void nameIsUpstreams() {
        assertEquals("LimitRanger", plugin.name());
    }
}
