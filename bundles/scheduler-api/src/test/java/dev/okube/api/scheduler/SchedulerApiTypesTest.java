package dev.okube.api.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SchedulerApiTypesTest {

    private static Pod pod(String name, Map<String, String> requests) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("ns").withUid("uid-" + name).endMetadata()
                .withNewSpec().addToContainers(new ContainerBuilder().withName("c").withNewResources()
                        .withRequests(quantities(requests)).endResources().build()).endSpec().build();
    }

    private static Map<String, Quantity> quantities(Map<String, String> m) {
        var out = new java.util.HashMap<String, Quantity>();
        m.forEach((k, v) -> out.put(k, new Quantity(v)));
        return out;
    }

    private static Node node(String name, Map<String, String> labels) {
        return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewStatus().withAllocatable(quantities(Map.of("cpu", "4", "memory", "32Gi", "pods", "110")))
                .endStatus().build();
    }

    @ParameterizedTest
    @CsvSource({"cpu,100m,100", "cpu,1,1000", "cpu,1.5,1500", "cpu,0.0001,1", "memory,1Gi,1073741824",
            "memory,500M,500000000", "pods,110,110", "ephemeral-storage,1Ki,1024"})
    void quantitiesConvertToSchedulerUnits(String name, String quantity, long expected) {
        assertEquals(expected, Resource.toUnits(name, new Quantity(quantity)));
    }

    @Test
    void resourceArithmeticCoversScalarResources() {
        Resource a = Resource.of(quantities(Map.of("cpu", "1", "nvidia.com/gpu", "2")));
        Resource b = Resource.of(quantities(Map.of("cpu", "500m", "nvidia.com/gpu", "1", "memory", "1Ki")));
        a.add(b);
        assertEquals(1500, a.milliCpu());
        assertEquals(3, a.get("nvidia.com/gpu"));
        assertEquals(1024, a.memory());
        a.subtract(b);
        assertEquals(1000, a.milliCpu());
        assertEquals(2, a.scalarResources().get("nvidia.com/gpu"));
        assertEquals(0, a.memory());
    }

    @Test
    void podRequestsFollowUpstreamInitContainerAndSidecarRules() {
        Pod p = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("u").endMetadata()
                .withNewSpec()
                .addNewContainer().withName("a").withNewResources().withRequests(quantities(Map.of("cpu", "1"))).endResources().endContainer()
                .addNewContainer().withName("b").withNewResources().withRequests(quantities(Map.of("cpu", "1"))).endResources().endContainer()
                // A plain init container larger than the main containers sets the floor ...
                .addNewInitContainer().withName("init").withNewResources().withRequests(quantities(Map.of("cpu", "3"))).endResources().endInitContainer()
                // ... and a sidecar (restartPolicy Always) adds to the main containers.
                .addNewInitContainer().withName("side").withRestartPolicy("Always").withNewResources().withRequests(quantities(Map.of("cpu", "500m"))).endResources().endInitContainer()
                .withOverhead(quantities(Map.of("cpu", "100m")))
                .endSpec().build();
        PodInfo info = PodInfo.of(p);
        // max(1+1+0.5, 3, 0.5) + 0.1 overhead
        assertEquals(3100, info.requests().milliCpu());
        assertEquals(0, info.requests().memory());
        // Non-zero requests count memory defaults for each of the four containers that asked for none.
        assertEquals(2 * PodInfo.DEFAULT_MEMORY_REQUEST, info.nonZeroRequests().memory() - PodInfo.DEFAULT_MEMORY_REQUEST);
    }

    @Test
    void nonZeroRequestsDefaultMissingCpuAndMemory() {
        PodInfo info = PodInfo.of(pod("p", Map.of()));
        assertEquals(0, info.requests().milliCpu());
        assertEquals(100, info.nonZeroRequests().milliCpu());
        assertEquals(200L * 1024 * 1024, info.nonZeroRequests().memory());
    }

    @Test
    void nodeInfoAddsAndRemovesPods() {
        NodeInfo n = new NodeInfo(node("n1", Map.of()));
        assertEquals(4000, n.allocatable().milliCpu());
        long g0 = n.generation();
        Pod p = new PodBuilder(pod("p", Map.of("cpu", "1", "memory", "1Gi"))).editSpec().editFirstContainer()
                .addNewPort().withContainerPort(80).withHostPort(8080).endPort().endContainer()
                .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName("claim").endPersistentVolumeClaim().endVolume()
                .endSpec().build();
        n.addPod(PodInfo.of(p));
        assertTrue(n.generation() > g0);
        assertEquals(1000, n.requested().milliCpu());
        assertEquals(1, n.pvcRefCounts().get("ns/claim"));
        assertTrue(n.usedPorts().conflicts(HostPorts.HostPort.of("127.0.0.1", "TCP", 8080)));
        assertFalse(n.usedPorts().conflicts(HostPorts.HostPort.of("", "UDP", 8080)));
        NodeInfo copy = n.copy();
        assertTrue(n.removePod(p));
        assertFalse(n.removePod(p));
        assertEquals(0, n.requested().milliCpu());
        assertNull(n.pvcRefCounts().get("ns/claim"));
        assertEquals(0, n.usedPorts().size());
        // The copy kept its own bookkeeping.
        assertEquals(1, copy.pods().size());
        assertEquals(1000, copy.requested().milliCpu());
    }

    @Test
    void hostPortOnAnyAddressConflictsWithEveryAddress() {
        HostPorts ports = new HostPorts();
        ports.add(HostPorts.HostPort.of("10.0.0.1", "TCP", 80));
        assertTrue(ports.conflicts(HostPorts.HostPort.of("0.0.0.0", "TCP", 80)));
        assertFalse(ports.conflicts(HostPorts.HostPort.of("10.0.0.2", "TCP", 80)));
        ports.add(HostPorts.HostPort.of(null, null, 81));
        assertTrue(ports.conflicts(HostPorts.HostPort.of("10.0.0.2", "TCP", 81)));
    }

    @Test
    void labelSelectorsFollowMetav1Semantics() {
        assertTrue(Selector.of(null).isNothing());
        assertTrue(Selector.of(new LabelSelectorBuilder().build()).matches(Map.of("a", "b")));
        Selector s = Selector.of(new LabelSelectorBuilder().addToMatchLabels("app", "web")
                .addNewMatchExpression().withKey("tier").withOperator("NotIn").withValues("db").endMatchExpression()
                .addNewMatchExpression().withKey("env").withOperator("Exists").endMatchExpression().build());
        assertTrue(s.matches(Map.of("app", "web", "env", "x")));
        assertFalse(s.matches(Map.of("app", "web", "env", "x", "tier", "db")));
        assertFalse(s.matches(Map.of("app", "web")));
        assertTrue(Selector.of(new LabelSelectorBuilder().addNewMatchExpression().withKey("k").withOperator("Bogus")
                .endMatchExpression().build()).isNothing());
    }

    @ParameterizedTest
    @CsvSource({"In,zone-a,true", "NotIn,zone-a,false", "Exists,,true", "DoesNotExist,,false", "Gt,2,true", "Lt,2,false"})
    void nodeSelectorOperators(String op, String value, boolean expected) {
        Node n = node("n1", Map.of("zone", "zone-a", "cores", "4"));
        String key = op.equals("Gt") || op.equals("Lt") ? "cores" : "zone";
        NodeSelectorTerm term = new NodeSelectorTermBuilder().withMatchExpressions(
                new NodeSelectorRequirement(key, op, value == null ? List.of() : List.of(value))).build();
        assertEquals(expected, NodeSelectors.matches(term, n));
    }

    @Test
    void nodeSelectorTermsAreOredAndEmptyTermsMatchNothing() {
        Node n = node("n1", Map.of("zone", "a"));
        assertFalse(NodeSelectors.matches(new NodeSelectorTerm(), n));
        NodeSelectorTerm byName = new NodeSelectorTermBuilder().withMatchFields(
                new NodeSelectorRequirement("metadata.name", "In", List.of("n1"))).build();
        NodeSelectorTerm miss = new NodeSelectorTermBuilder().withMatchExpressions(
                new NodeSelectorRequirement("zone", "In", List.of("b"))).build();
        assertTrue(NodeSelectors.matchesAnyTerm(List.of(miss, byName), n));
        assertFalse(NodeSelectors.matchesAnyTerm(List.of(miss), n));
        Pod p = new PodBuilder(pod("p", Map.of())).editSpec().withNodeSelector(Map.of("zone", "b")).endSpec().build();
        assertFalse(NodeSelectors.matchesRequiredNodeAffinity(p, n));
    }

    @Test
    void tolerationsMatchAsUpstream() {
        Taint t = new Taint("NoSchedule", "dedicated", null, "gpu");
        assertTrue(Tolerations.tolerates(new Toleration("NoSchedule", "dedicated", "Equal", null, "gpu"), t));
        assertFalse(Tolerations.tolerates(new Toleration("NoSchedule", "dedicated", "Equal", null, "cpu"), t));
        assertTrue(Tolerations.tolerates(new Toleration(null, "dedicated", "Exists", null, null), t));
        assertTrue(Tolerations.tolerates(new Toleration(null, null, "Exists", null, null), t));
        assertFalse(Tolerations.tolerates(new Toleration("NoExecute", "dedicated", "Exists", null, null), t));
        assertSame(t, Tolerations.firstUntolerated(List.of(t), List.of(), x -> true));
    }

    @Test
    void affinityTermDefaultsToThePodsNamespace() {
        var term = new io.fabric8.kubernetes.api.model.PodAffinityTermBuilder()
                .withLabelSelector(new LabelSelectorBuilder().addToMatchLabels("app", "db").build())
                .withTopologyKey("zone").build();
        AffinityTerm t = AffinityTerm.of("ns", term);
        Pod same = new PodBuilder(pod("a", Map.of())).editMetadata().withLabels(Map.of("app", "db")).endMetadata().build();
        Pod other = new PodBuilder(same).editMetadata().withNamespace("other").endMetadata().build();
        assertTrue(t.matches(same, Map.of()));
        assertFalse(t.matches(other, Map.of()));
    }

    @Test
    void statusesCarryCodesReasonsAndPlugin() {
        Status s = Status.unschedulable("Insufficient cpu", "Too many pods").withPlugin("NodeResourcesFit");
        assertTrue(s.isRejected());
        assertEquals("Insufficient cpu, Too many pods", s.message());
        assertEquals("NodeResourcesFit", s.plugin());
        assertTrue(Status.error(new IllegalStateException("boom")).code() == Status.Code.ERROR);
        assertFalse(Status.SKIP.isRejected());
    }

    @Test
    void cycleStateCopiesAreIndependent() {
        record Counter(int[] n) implements CycleState.StateData {
            public CycleState.StateData copy() {
                return new Counter(n.clone());
            }
        }
        CycleState s = new CycleState();
        s.write("k", new Counter(new int[] {1}));
        s.skipFilterPlugins().add("X");
        CycleState c = s.copy();
        c.read("k", Counter.class).n()[0] = 5;
        assertEquals(1, s.read("k", Counter.class).n()[0]);
        assertTrue(c.skipFilterPlugins().contains("X"));
    }

    @Test
    void clusterEventsCoverByResourceAndActionMask() {
        ClusterEvent nodeTaint = new ClusterEvent(ClusterEvent.NODE, ClusterEvent.UPDATE_NODE_TAINT);
        assertTrue(new ClusterEvent(ClusterEvent.NODE, ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_TAINT).covers(nodeTaint));
        assertFalse(new ClusterEvent(ClusterEvent.NODE, ClusterEvent.ADD).covers(nodeTaint));
        assertTrue(new ClusterEvent(ClusterEvent.WILDCARD, ClusterEvent.ALL).covers(nodeTaint));
        assertFalse(new ClusterEvent(ClusterEvent.POD, ClusterEvent.ALL).covers(nodeTaint));
    }
}
