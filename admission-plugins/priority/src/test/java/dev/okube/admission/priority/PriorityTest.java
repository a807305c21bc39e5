package dev.okube.admission.priority;

import static dev.okube.testkit.Admission.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.admission.AdmissionRequest.Operation;
import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionResponse;
import dev.okube.api.resources.ClusterResources;
import dev.okube.api.resources.ResourceException;
import dev.okube.api.resources.ResourceType;
import dev.okube.testkit.Admission;
import dev.okube.testkit.ForwardingResources;
import dev.okube.testkit.InMemoryClusterResources;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class PriorityTest {
    private InMemoryClusterResources cluster;
    private Priority plugin;

    @BeforeEach
    void setUp() {
        cluster = new InMemoryClusterResources().serve(Priority.PRIORITY_CLASSES);
        plugin = new Priority(cluster);
    }

    private ObjectNode priorityClass(String name, long value, boolean globalDefault, String preemptionPolicy) {
        ObjectNode pc = json("{'apiVersion':'scheduling.k8s.io/v1','kind':'PriorityClass','metadata':{'name':'" + name
                + "'},'value':" + value + ",'globalDefault':" + globalDefault + "}");
        if (preemptionPolicy != null) {
            pc.put("preemptionPolicy", preemptionPolicy);
        }
        return pc;
    }

    private void stored(String name, long value, boolean globalDefault, String preemptionPolicy) {
        cluster.put(Priority.PRIORITY_CLASSES, priorityClass(name, value, globalDefault, preemptionPolicy));
    }

    private static ObjectNode pod(String spec) {
        return json("{'apiVersion':'v1','kind':'Pod','metadata':{'namespace':'ns','name':'p'},'spec':" + spec + "}");
    }

    private AdmissionResponse create(ObjectNode pod) {
        return plugin.admit(Admission.create("pods", "Pod", pod));
    }

    private static void forbidden(AdmissionResponse response, String message) {
        assertFalse(response.allowed());
        assertEquals(403, response.code());
        assertEquals("Forbidden", response.reason());
        assertEquals(message, response.message());
    }

    @Test
    void aPodGetsThePriorityOfItsClass() {
        stored("high", 1000, false, "PreemptLowerPriority");
        ObjectNode pod = pod("{'priorityClassName':'high','containers':[]}");
        assertTrue(create(pod).allowed());
        assertEquals(1000, pod.path("spec").path("priority").asLong());
        assertEquals("PreemptLowerPriority", pod.path("spec").path("preemptionPolicy").asString());
        assertEquals("high", pod.path("spec").path("priorityClassName").asString());
        assertEquals("Priority", plugin.name());
    }

    @Test
    void thePreemptionPolicyComesFromTheClass() {
        stored("batch", 10, false, "Never");
        ObjectNode pod = pod("{'priorityClassName':'batch'}");
        assertTrue(create(pod).allowed());
        assertEquals("Never", pod.path("spec").path("preemptionPolicy").asString());
        // A class without a policy leaves the pod's alone.
        stored("bare", 5, false, null);
        ObjectNode bare = pod("{'priorityClassName':'bare','preemptionPolicy':'Never'}");
        assertTrue(create(bare).allowed());
        assertEquals("Never", bare.path("spec").path("preemptionPolicy").asString());
    }

    @Test
    void anUnknownClassIsRefused() {
        forbidden(create(pod("{'priorityClassName':'nope'}")),
                "pods \"p\" is forbidden: no PriorityClass with name nope was found");
        ObjectNode generated = json("{'kind':'Pod','metadata':{'namespace':'ns','generateName':'web-'},"
                + "'spec':{'priorityClassName':'nope'}}");
        forbidden(create(generated), "pods \"web-\" is forbidden: no PriorityClass with name nope was found");
    }

    @Test
    void aPodBringingADifferentPriorityIsRefused() {
        stored("high", 1000, false, "PreemptLowerPriority");
        forbidden(create(pod("{'priorityClassName':'high','priority':5}")),
                "pods \"p\" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority "
                        + "admission controller computed 1000 from the given PriorityClass name");
        // The same value is accepted (a client resubmitting a pod it read).
        ObjectNode same = pod("{'priorityClassName':'high','priority':1000}");
        assertTrue(create(same).allowed());
        forbidden(create(pod("{'priority':7}")),
                "pods \"p\" is forbidden: the integer value of priority (7) must not be provided in pod spec; priority "
                        + "admission controller computed 0 from the given PriorityClass name");
    }

    @Test
    void aPodBringingADifferentPreemptionPolicyIsRefused() {
        stored("high", 1000, false, "PreemptLowerPriority");
        forbidden(create(pod("{'priorityClassName':'high','preemptionPolicy':'Never'}")),
                "pods \"p\" is forbidden: the string value of PreemptionPolicy (Never) must not be provided in pod spec; "
                        + "priority admission controller computed PreemptLowerPriority from the given PriorityClass name");
    }

    @Test
    void withoutAClassThereIsNoPriority() {
        ObjectNode pod = pod("{}");
        assertTrue(create(pod).allowed());
        assertEquals(0, pod.path("spec").path("priority").asLong(-1));
        assertEquals("PreemptLowerPriority", pod.path("spec").path("preemptionPolicy").asString());
        assertFalse(pod.path("spec").has("priorityClassName"));
    }

    @Test
    void theGlobalDefaultClassAppliesToPodsWithoutAClass() {
        stored("normal", 100, false, "PreemptLowerPriority");
        stored("default", 50, true, "Never");
        ObjectNode pod = pod("{}");
        assertTrue(create(pod).allowed());
        assertEquals(50, pod.path("spec").path("priority").asLong());
        assertEquals("default", pod.path("spec").path("priorityClassName").asString());
        assertEquals("Never", pod.path("spec").path("preemptionPolicy").asString());
    }

    @Test
    void ofSeveralDefaultsTheLowestWins() {
        stored("d1", 300, true, null);
        stored("d2", 20, true, null);
        stored("d3", 100, true, null);
        ObjectNode pod = pod("{}");
        create(pod);
        assertEquals("d2", pod.path("spec").path("priorityClassName").asString());
        assertEquals(20, pod.path("spec").path("priority").asLong());
    }

    @Test
    void systemClassesResolveEvenBeforeTheyAreCreated() {
        ObjectNode node = pod("{'priorityClassName':'system-node-critical'}");
        assertTrue(create(node).allowed());
        assertEquals(2000001000L, node.path("spec").path("priority").asLong());
        ObjectNode cluster = pod("{'priorityClassName':'system-cluster-critical'}");
        assertTrue(create(cluster).allowed());
        assertEquals(2000000000L, cluster.path("spec").path("priority").asLong());
    }

    @Test
    void updatesKeepWhatCreationSet() {
        ObjectNode old = pod("{'priorityClassName':'high','priority':1000,'preemptionPolicy':'Never'}");
        ObjectNode updated = pod("{'priorityClassName':'high'}");
        AdmissionResponse response = plugin.admit(Admission.update("", "v1", "pods", "Pod", updated, old, Admission.ADMIN));
        assertTrue(response.allowed());
        assertEquals(1000, updated.path("spec").path("priority").asLong());
        assertEquals("Never", updated.path("spec").path("preemptionPolicy").asString());
        // A changed value is left for validation to refuse.
        ObjectNode changed = pod("{'priorityClassName':'high','priority':3}");
        plugin.admit(Admission.update("", "v1", "pods", "Pod", changed, old, Admission.ADMIN));
        assertEquals(3, changed.path("spec").path("priority").asLong());
    }

    @Test
    void subresourcesDeletesAndOtherKindsAreLeftAlone() {
        ObjectNode pod = pod("{'priorityClassName':'nope'}");
        assertTrue(plugin.admit(new AdmissionRequest(Operation.UPDATE, "", "v1", "Pod", "pods", "status", "ns", "p", pod,
                pod.deepCopy(), Admission.ADMIN, false)).allowed());
        assertTrue(plugin.admit(new AdmissionRequest(Operation.DELETE, "", "v1", "Pod", "pods", "", "ns", "p", null,
                pod.deepCopy(), Admission.ADMIN, false)).allowed());
        ObjectNode deployment = json("{'kind':'Deployment','metadata':{'name':'d'},'spec':{'template':{'spec':"
                + "{'priorityClassName':'nope'}}}}");
        assertTrue(plugin.admit(Admission.create("apps", "v1", "deployments", "Deployment", deployment,
                Admission.ADMIN)).allowed());
        assertFalse(pod.path("spec").has("priority"));
        assertTrue(plugin.validate(Admission.create("pods", "Pod", pod("{}"))).allowed());
    }

    @Test
    void somethingOtherThanAPodIsABadRequest() {
        AdmissionResponse response = create(json("{'kind':'Secret','metadata':{'name':'p'}}"));
        assertEquals(400, response.code());
        assertEquals("resource was marked with kind Pod but was unable to be converted", response.message());
    }

    private AdmissionResponse validateCreate(ObjectNode pc) {
        return plugin.validate(Admission.create("scheduling.k8s.io", "v1", "priorityclasses", "PriorityClass", pc,
                Admission.ADMIN));
    }

    private AdmissionResponse validateUpdate(ObjectNode pc, ObjectNode old) {
        return plugin.validate(Admission.update("scheduling.k8s.io", "v1", "priorityclasses", "PriorityClass", pc, old,
                Admission.ADMIN));
    }

    @Test
    void onlyOneClassIsTheGlobalDefault() {
        assertTrue(validateCreate(priorityClass("first", 10, true, "PreemptLowerPriority")).allowed());
        stored("first", 10, true, "PreemptLowerPriority");
        forbidden(validateCreate(priorityClass("second", 20, true, "PreemptLowerPriority")),
                "priorityclasses.scheduling.k8s.io \"second\" is forbidden: PriorityClass first is already marked as "
                        + "default. Only one default can exist");
        stored("other", 30, false, "PreemptLowerPriority");
        forbidden(validateUpdate(priorityClass("other", 30, true, "PreemptLowerPriority"),
                priorityClass("other", 30, false, "PreemptLowerPriority")),
                "priorityclasses.scheduling.k8s.io \"other\" is forbidden: PriorityClass first is already marked as "
                        + "default. Only one default can exist");
        // The default itself may be updated; classes that are not default are not checked.
        assertTrue(validateUpdate(priorityClass("first", 10, true, "PreemptLowerPriority"),
                priorityClass("first", 10, true, "PreemptLowerPriority")).allowed());
        assertTrue(validateCreate(priorityClass("third", 30, false, "PreemptLowerPriority")).allowed());
    }

    private static void invalid(AdmissionResponse response, String message) {
        assertFalse(response.allowed());
        assertEquals(422, response.code());
        assertEquals("Invalid", response.reason());
        assertEquals(message, response.message());
    }

    @Test
    void priorityClassesAreValidatedAsUpstreamsRegistryDoes() {
        invalid(validateCreate(priorityClass("huge", 1_000_000_001L, false, null)),
                "PriorityClass.scheduling.k8s.io \"huge\" is invalid: value: Forbidden: maximum allowed value of a "
                        + "user defined priority is 1000000000");
        assertTrue(validateCreate(priorityClass("max", 1_000_000_000L, false, null)).allowed());
        assertTrue(validateCreate(priorityClass("negative", -5, false, null)).allowed());
        invalid(validateCreate(priorityClass("system-mine", 5, false, null)),
                "PriorityClass.scheduling.k8s.io \"system-mine\" is invalid: metadata.name: Forbidden: priority class "
                        + "names with 'system-' prefix are reserved for system use only. error: system-mine is not a "
                        + "known system priority class");
        invalid(validateCreate(priorityClass("system-node-critical", 5, false, null)),
                "PriorityClass.scheduling.k8s.io \"system-node-critical\" is invalid: metadata.name: Forbidden: priority "
                        + "class names with 'system-' prefix are reserved for system use only. error: value of "
                        + "system-node-critical PriorityClass must be 2000001000");
        invalid(validateCreate(priorityClass("system-cluster-critical", 2_000_000_000L, true, null)),
                "PriorityClass.scheduling.k8s.io \"system-cluster-critical\" is invalid: metadata.name: Forbidden: "
                        + "priority class names with 'system-' prefix are reserved for system use only. error: "
                        + "globalDefault of system-cluster-critical PriorityClass must be false");
        assertTrue(validateCreate(SystemPriorityClass.NODE_CRITICAL.object()).allowed());
        invalid(validateCreate(priorityClass("odd", 1, false, "Sometimes")),
                "PriorityClass.scheduling.k8s.io \"odd\" is invalid: preemptionPolicy: Unsupported value: \"Sometimes\": "
                        + "supported values: \"Never\", \"PreemptLowerPriority\"");
    }

    @Test
    void valueAndPreemptionPolicyAreImmutable() {
        invalid(validateUpdate(priorityClass("c", 2, false, "Never"), priorityClass("c", 1, false, "PreemptLowerPriority")),
                "PriorityClass.scheduling.k8s.io \"c\" is invalid: [value: Forbidden: may not be changed in an update., "
                        + "preemptionPolicy: Invalid value: \"Never\": field is immutable]");
        assertTrue(validateUpdate(priorityClass("c", 1, false, "Never"), priorityClass("c", 1, false, "Never")).allowed());
    }

    @Test
    void theBuiltInClassesAreCreatedWhenMissing() {
        SystemPriorityClasses bootstrap = new SystemPriorityClasses(cluster);
        try {
            // The component works on a thread of its own; ensure() is what that thread runs.
            assertTrue(bootstrap.ensure());
            ObjectNode node = cluster.get(Priority.PRIORITY_CLASSES, "", "system-node-critical").orElseThrow();
            assertEquals(2000001000L, node.path("value").asLong());
            assertEquals("Used for system critical pods that must not be moved from their current node.",
                    node.path("description").asString());
            ObjectNode clusterCritical = cluster.get(Priority.PRIORITY_CLASSES, "", "system-cluster-critical").orElseThrow();
            assertEquals(2000000000L, clusterCritical.path("value").asLong());
            assertFalse(clusterCritical.path("globalDefault").asBoolean());
            // Existing classes are left as they are.
            String version = node.path("metadata").path("resourceVersion").asString();
            assertTrue(bootstrap.ensure());
            assertEquals(version, cluster.get(Priority.PRIORITY_CLASSES, "", "system-node-critical").orElseThrow()
                    .path("metadata").path("resourceVersion").asString());
        } finally {
            bootstrap.deactivate();
        }
    }

    @Test
    void creationIsRetriedWhileTheApiRefusesIt() throws InterruptedException {
        InMemoryClusterResources store = new InMemoryClusterResources().serve(Priority.PRIORITY_CLASSES);
        ClusterResources refusing = new RefusingFirstCreates(store, 2);
        SystemPriorityClasses bootstrap = new SystemPriorityClasses(refusing);
        try {
            long deadline = System.currentTimeMillis() + 10_000;
            while (store.list(Priority.PRIORITY_CLASSES, "").size() < 2 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(2, store.list(Priority.PRIORITY_CLASSES, "").size());
        } finally {
            bootstrap.deactivate();
        }
    }

    /** Refuses the first creates as an apiserver that is not ready would, then passes them on. */
    private static final class RefusingFirstCreates extends ForwardingResources {
        private int refusals;

        RefusingFirstCreates(ClusterResources delegate, int refusals) {
            super(delegate);
            this.refusals = refusals;
        }

        @Override
        public synchronized ObjectNode create(ResourceType type, ObjectNode object) {
            if (refusals > 0) {
                refusals--;
                throw new ResourceException(503, "ServiceUnavailable", "the apiserver is not ready");
            }
            return super.create(type, object);
        }
    }
}
