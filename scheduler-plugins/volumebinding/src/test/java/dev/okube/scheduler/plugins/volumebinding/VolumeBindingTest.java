package dev.okube.scheduler.plugins.volumebinding;

import dev.okube.api.scheduler.testing.MapLister;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.PreFilterResult;
import dev.okube.api.scheduler.QueueingHint;
import dev.okube.api.scheduler.Status;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TopologySelectorTermBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

class VolumeBindingTest {
    static final String WAIT_SC = "wait-sc";
    static final String IMMEDIATE_SC = "immediate-sc";
    static final String PROVISION_SC = "provision-sc";
    static final String TOPOLOGY_SC = "topology-sc";

    static StorageClass sc(String name, String mode, String provisioner) {
        return new StorageClassBuilder().withNewMetadata().withName(name).endMetadata().withVolumeBindingMode(mode)
                .withProvisioner(provisioner).build();
    }

    static final List<StorageClass> CLASSES = List.of(
            sc(WAIT_SC, "WaitForFirstConsumer", "kubernetes.io/no-provisioner"),
            sc(IMMEDIATE_SC, "Immediate", "kubernetes.io/no-provisioner"),
            sc(PROVISION_SC, "WaitForFirstConsumer", "okube.dev/hostpath"),
            new StorageClassBuilder(sc(TOPOLOGY_SC, "WaitForFirstConsumer", "okube.dev/hostpath")).addToAllowedTopologies(
                    new TopologySelectorTermBuilder().addNewMatchLabelExpression().withKey("topology.kubernetes.io/zone")
                            .withValues("zone-a").endMatchLabelExpression().build()).build());

    static Node node(String name, String... labels) {
        Map<String, String> l = new HashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            l.put(labels[i], labels[i + 1]);
        }
        return new NodeBuilder().withNewMetadata().withName(name).withLabels(l).endMetadata().build();
    }

    static PersistentVolumeClaim pvc(String name, String className, String size) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withNamespace("default").withName(name)
                .withUid("uid-" + name).withResourceVersion("1").endMetadata()
                .withNewSpec().withStorageClassName(className).withAccessModes("ReadWriteOnce")
                .withNewResources().addToRequests("storage", new Quantity(size)).endResources().endSpec()
                .withNewStatus().withPhase("Pending").endStatus().build();
    }

    static PersistentVolumeClaim boundPvc(String name, String pvName) {
        return new PersistentVolumeClaimBuilder(pvc(name, WAIT_SC, "1Gi")).editMetadata()
                .addToAnnotations(VolumeBinding.ANN_BIND_COMPLETED, "yes").endMetadata()
                .editSpec().withVolumeName(pvName).endSpec().editStatus().withPhase("Bound").endStatus().build();
    }

    static PersistentVolume pv(String name, String className, String size, String node) {
        PersistentVolumeBuilder b = new PersistentVolumeBuilder().withNewMetadata().withName(name).withResourceVersion("1")
                .endMetadata().withNewSpec().withStorageClassName(className).withAccessModes("ReadWriteOnce")
                .addToCapacity("storage", new Quantity(size)).withNewHostPath().withPath("/tmp/" + name).endHostPath()
                .endSpec().withNewStatus().withPhase("Available").endStatus();
        if (node != null) {
            b.editSpec().withNewNodeAffinity().withNewRequired().addNewNodeSelectorTerm().addNewMatchExpression()
                    .withKey("kubernetes.io/hostname").withOperator("In").withValues(node).endMatchExpression()
                    .endNodeSelectorTerm().endRequired().endNodeAffinity().endSpec();
        }
        return b.build();
    }

    static Pod pod(String... claims) {
        PodBuilder b = new PodBuilder().withNewMetadata().withNamespace("default").withName("pod-a").withUid("pod-uid")
                .endMetadata().withNewSpec().endSpec();
        for (String c : claims) {
            b.editSpec().addNewVolume().withName(c).withNewPersistentVolumeClaim().withClaimName(c)
                    .endPersistentVolumeClaim().endVolume().endSpec();
        }
        return b.build();
    }

    static final Node NODE1 = node("node-1", "kubernetes.io/hostname", "node-1", "topology.kubernetes.io/zone", "zone-a");
    static final Node NODE2 = node("node-2", "kubernetes.io/hostname", "node-2", "topology.kubernetes.io/zone", "zone-b");

    final MapLister<PersistentVolumeClaim> claims = new MapLister<>();
    final MapLister<PersistentVolume> volumes = new MapLister<>();
    final FakeWriter writer = new FakeWriter(volumes, claims);

    VolumeBinding plugin(Duration timeout) {
        return new VolumeBinding(claims, volumes, MapLister.of(CLASSES.toArray(StorageClass[]::new)), MapLister.of(NODE1, NODE2),
                writer, timeout);
    }

    void given(List<PersistentVolumeClaim> pvcs, List<PersistentVolume> pvs) {
        pvcs.forEach(claims::put);
        pvs.forEach(volumes::put);
    }

    static Stream<Arguments> preFilterAndFilter() {
        Status bindConflict = Status.unresolvable(VolumeBinding.ERR_REASON_BIND_CONFLICT);
        PersistentVolumeClaim lost = new PersistentVolumeClaimBuilder(boundPvc("pvc-a", "pv-a")).editStatus().withPhase("Lost")
                .endStatus().build();
        PersistentVolumeClaim deleting = new PersistentVolumeClaimBuilder(pvc("pvc-a", WAIT_SC, "1Gi")).editMetadata()
                .withDeletionTimestamp("2026-01-01T00:00:00Z").endMetadata().build();
        PersistentVolume preBoundElsewhere = new PersistentVolumeBuilder(pv("pv-a", WAIT_SC, "1Gi", "node-2")).editSpec()
                .withNewClaimRef().withNamespace("default").withName("pvc-a").endClaimRef().endSpec().build();
        return Stream.of(
                Arguments.of("pod has no pvcs", pod(), List.of(), List.of(), Status.SKIP, Status.SUCCESS),
                Arguments.of("all bound", pod("pvc-a"), List.of(boundPvc("pvc-a", "pv-a")), List.of(pv("pv-a", WAIT_SC, "1Gi", null)),
                        Status.SUCCESS, Status.SUCCESS),
                Arguments.of("PVC does not exist", pod("pvc-a"), List.of(), List.of(),
                        Status.unresolvable("persistentvolumeclaim \"pvc-a\" not found"), null),
                Arguments.of("Part of PVCs do not exist", pod("pvc-a", "pvc-b"), List.of(boundPvc("pvc-a", "pv-a")),
                        List.of(pv("pv-a", WAIT_SC, "1Gi", null)), Status.unresolvable("persistentvolumeclaim \"pvc-b\" not found"), null),
                Arguments.of("immediate claims not bound", pod("pvc-a"), List.of(pvc("pvc-a", IMMEDIATE_SC, "1Gi")), List.of(),
                        Status.unresolvable(VolumeBinding.ERR_UNBOUND_IMMEDIATE), null),
                Arguments.of("a claim without class is immediate", pod("pvc-a"), List.of(pvc("pvc-a", null, "1Gi")), List.of(),
                        Status.unresolvable(VolumeBinding.ERR_UNBOUND_IMMEDIATE), null),
                Arguments.of("unbound claims no matches", pod("pvc-a"), List.of(pvc("pvc-a", WAIT_SC, "1Gi")), List.of(),
                        Status.SUCCESS, bindConflict),
                Arguments.of("bound and unbound unsatisfied", pod("pvc-a", "pvc-b"),
                        List.of(boundPvc("pvc-a", "pv-a"), pvc("pvc-b", WAIT_SC, "1Gi")),
                        List.of(pv("pv-a", WAIT_SC, "1Gi", "node-2")), Status.SUCCESS,
                        Status.unresolvable(VolumeBinding.ERR_REASON_NODE_CONFLICT, VolumeBinding.ERR_REASON_BIND_CONFLICT)),
                Arguments.of("pv not found", pod("pvc-a"), List.of(boundPvc("pvc-a", "pv-a")), List.of(), Status.SUCCESS,
                        Status.unresolvable(VolumeBinding.ERR_REASON_PV_NOT_EXIST)),
                Arguments.of("pv not found claim lost", pod("pvc-a"), List.of(lost), List.of(),
                        Status.unresolvable("persistentvolumeclaim \"pvc-a\" bound to non-existent persistentvolume \"pv-a\""), null),
                Arguments.of("claim being deleted", pod("pvc-a"), List.of(deleting), List.of(),
                        Status.unresolvable("persistentvolumeclaim \"pvc-a\" is being deleted"), null),
                Arguments.of("matching volume on the node", pod("pvc-a"), List.of(pvc("pvc-a", WAIT_SC, "1Gi")),
                        List.of(pv("pv-a", WAIT_SC, "1Gi", "node-1")), Status.SUCCESS, Status.SUCCESS),
                Arguments.of("matching volume only on another node", pod("pvc-a"), List.of(pvc("pvc-a", WAIT_SC, "1Gi")),
                        List.of(pv("pv-a", WAIT_SC, "1Gi", "node-2")), Status.SUCCESS, bindConflict),
                Arguments.of("volume too small", pod("pvc-a"), List.of(pvc("pvc-a", WAIT_SC, "2Gi")),
                        List.of(pv("pv-a", WAIT_SC, "1Gi", null)), Status.SUCCESS, bindConflict),
                Arguments.of("volume of another class", pod("pvc-a"), List.of(pvc("pvc-a", WAIT_SC, "1Gi")),
                        List.of(pv("pv-a", PROVISION_SC, "1Gi", null)), Status.SUCCESS, bindConflict),
                Arguments.of("volume not Available", pod("pvc-a"), List.of(pvc("pvc-a", WAIT_SC, "1Gi")),
                        List.of(new PersistentVolumeBuilder(pv("pv-a", WAIT_SC, "1Gi", null)).editStatus().withPhase("Released")
                                .endStatus().build()), Status.SUCCESS, bindConflict),
                Arguments.of("volume of another mode", pod("pvc-a"), List.of(pvc("pvc-a", WAIT_SC, "1Gi")),
                        List.of(new PersistentVolumeBuilder(pv("pv-a", WAIT_SC, "1Gi", null)).editSpec().withVolumeMode("Block")
                                .endSpec().build()), Status.SUCCESS, bindConflict),
                Arguments.of("volume lacks an access mode", pod("pvc-a"),
                        List.of(new PersistentVolumeClaimBuilder(pvc("pvc-a", WAIT_SC, "1Gi")).editSpec()
                                .withAccessModes("ReadWriteMany").endSpec().build()),
                        List.of(pv("pv-a", WAIT_SC, "1Gi", null)), Status.SUCCESS, bindConflict),
                Arguments.of("selector does not match", pod("pvc-a"),
                        List.of(new PersistentVolumeClaimBuilder(pvc("pvc-a", WAIT_SC, "1Gi")).editSpec().withNewSelector()
                                .addToMatchLabels("tier", "fast").endSelector().endSpec().build()),
                        List.of(pv("pv-a", WAIT_SC, "1Gi", null)), Status.SUCCESS, bindConflict),
                Arguments.of("volume bound to another claim", pod("pvc-a"), List.of(pvc("pvc-a", WAIT_SC, "1Gi")),
                        List.of(new PersistentVolumeBuilder(pv("pv-a", WAIT_SC, "1Gi", null)).editSpec().withNewClaimRef()
                                .withNamespace("default").withName("other").endClaimRef().endSpec().build()),
                        Status.SUCCESS, bindConflict),
                Arguments.of("pre-bound volume decides even when another fits", pod("pvc-a"), List.of(pvc("pvc-a", WAIT_SC, "1Gi")),
                        List.of(preBoundElsewhere, pv("pv-b", WAIT_SC, "1Gi", null)), Status.SUCCESS, bindConflict),
                Arguments.of("provisioning class", pod("pvc-a"), List.of(pvc("pvc-a", PROVISION_SC, "1Gi")), List.of(),
                        Status.SUCCESS, Status.SUCCESS),
                Arguments.of("provisioning inside the allowed topologies", pod("pvc-a"), List.of(pvc("pvc-a", TOPOLOGY_SC, "1Gi")),
                        List.of(), Status.SUCCESS, Status.SUCCESS),
                Arguments.of("provisioning already started for another node", pod("pvc-a"),
                        List.of(new PersistentVolumeClaimBuilder(pvc("pvc-a", PROVISION_SC, "1Gi")).editMetadata()
                                .addToAnnotations(VolumeBinding.ANN_SELECTED_NODE, "node-2").endMetadata().build()),
                        List.of(), Status.SUCCESS, bindConflict));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void preFilterAndFilter(String name, Pod pod, List<PersistentVolumeClaim> pvcs, List<PersistentVolume> pvs,
            Status wantPreFilter, Status wantFilter) {
        given(pvcs, pvs);
        VolumeBinding plugin = plugin(Duration.ofSeconds(1));
        CycleState state = new CycleState();
        PreFilterResult pre = plugin.preFilter(state, pod, List.of(new NodeInfo(NODE1)));
        assertEquals(wantPreFilter, pre.status(), "PreFilter");
        if (wantFilter != null) {
            assertEquals(wantFilter, plugin.filter(state, pod, new NodeInfo(NODE1)), "Filter on node-1");
        }
    }

    @Test
    void allowedTopologiesRestrictProvisioningNodes() {
        given(List.of(pvc("pvc-a", TOPOLOGY_SC, "1Gi")), List.of());
        VolumeBinding plugin = plugin(Duration.ofSeconds(1));
        CycleState state = new CycleState();
        Pod pod = pod("pvc-a");
        plugin.preFilter(state, pod, List.of());
        assertEquals(Status.SUCCESS, plugin.filter(state, pod, new NodeInfo(NODE1)));
        assertEquals(Status.unresolvable(VolumeBinding.ERR_REASON_BIND_CONFLICT), plugin.filter(state, pod, new NodeInfo(NODE2)));
    }

    @Test
    void smallestFittingVolumeWinsAndEachClaimGetsItsOwn() {
        given(List.of(pvc("pvc-a", WAIT_SC, "1Gi"), pvc("pvc-b", WAIT_SC, "500Mi")),
                List.of(pv("pv-big", WAIT_SC, "5Gi", null), pv("pv-1g", WAIT_SC, "1Gi", null), pv("pv-small", WAIT_SC, "600Mi", null),
                        pv("pv-tiny", WAIT_SC, "100Mi", null)));
        VolumeBinding plugin = plugin(Duration.ofSeconds(1));
        CycleState state = new CycleState();
        Pod pod = pod("pvc-a", "pvc-b");
        plugin.preFilter(state, pod, List.of());
        assertEquals(Status.SUCCESS, plugin.filter(state, pod, new NodeInfo(NODE1)));
        VolumeBinding.PodVolumes chosen = state.read(VolumeBinding.STATE_KEY, VolumeBinding.State.class).podVolumesByNode.get("node-1");
        Map<String, String> byClaim = new HashMap<>();
        chosen.staticBindings().forEach(b -> byClaim.put(b.claim().getMetadata().getName(), b.volume().getMetadata().getName()));
        assertEquals(Map.of("pvc-b", "pv-small", "pvc-a", "pv-1g"), byClaim);
    }

    @Test
    void reserveAssumesSoTheNextPodCannotTakeTheVolumeAndUnreserveReleasesIt() {
        given(List.of(pvc("pvc-a", WAIT_SC, "1Gi"), pvc("pvc-b", WAIT_SC, "1Gi")), List.of(pv("pv-a", WAIT_SC, "1Gi", null)));
        VolumeBinding plugin = plugin(Duration.ofSeconds(1));
        CycleState first = new CycleState();
        Pod podA = pod("pvc-a");
        plugin.preFilter(first, podA, List.of());
        assertEquals(Status.SUCCESS, plugin.filter(first, podA, new NodeInfo(NODE1)));
        assertEquals(Status.SUCCESS, plugin.reserve(first, podA, "node-1"));

        Pod podB = pod("pvc-b");
        CycleState second = new CycleState();
        plugin.preFilter(second, podB, List.of());
        assertEquals(Status.unresolvable(VolumeBinding.ERR_REASON_BIND_CONFLICT), plugin.filter(second, podB, new NodeInfo(NODE1)),
                "pv-a is assumed for pvc-a");

        // The same claim in another pod still finds its (assumed, pre-bound) volume.
        CycleState again = new CycleState();
        plugin.preFilter(again, podA, List.of());
        assertEquals(Status.SUCCESS, plugin.filter(again, podA, new NodeInfo(NODE1)));

        plugin.unreserve(first, podA, "node-1");
        CycleState third = new CycleState();
        plugin.preFilter(third, podB, List.of());
        assertEquals(Status.SUCCESS, plugin.filter(third, podB, new NodeInfo(NODE1)));
        assertTrue(writer.writes.isEmpty(), "nothing is written before PreBind");
    }

    @Test
    void preBindWritesTheBindingAsThePvControllerWould() {
        given(List.of(pvc("pvc-a", WAIT_SC, "1Gi")), List.of(pv("pv-a", WAIT_SC, "1Gi", "node-1")));
        VolumeBinding plugin = plugin(Duration.ofSeconds(5));
        CycleState state = new CycleState();
        Pod pod = pod("pvc-a");
        plugin.preFilter(state, pod, List.of());
        assertEquals(Status.SUCCESS, plugin.filter(state, pod, new NodeInfo(NODE1)));
        assertEquals(Status.SUCCESS, plugin.reserve(state, pod, "node-1"));
        assertEquals(Status.SUCCESS, plugin.preBind(state, pod, "node-1"));
        assertEquals(List.of("pv pv-a", "pv/status pv-a", "pvc pvc-a", "pvc/status pvc-a"), writer.writes);
        PersistentVolume pv = volumes.get(null, "pv-a");
        assertEquals("pvc-a", pv.getSpec().getClaimRef().getName());
        assertEquals("uid-pvc-a", pv.getSpec().getClaimRef().getUid());
        assertEquals("yes", pv.getMetadata().getAnnotations().get(VolumeBinding.ANN_BOUND_BY_CONTROLLER));
        assertEquals("Bound", pv.getStatus().getPhase());
        PersistentVolumeClaim claim = claims.get("default", "pvc-a");
        assertEquals("pv-a", claim.getSpec().getVolumeName());
        assertEquals("yes", claim.getMetadata().getAnnotations().get(VolumeBinding.ANN_BIND_COMPLETED));
        assertEquals("Bound", claim.getStatus().getPhase());
        assertEquals(new Quantity("1Gi"), claim.getStatus().getCapacity().get("storage"));

        // Now bound: the next pod using the claim needs nothing.
        CycleState next = new CycleState();
        assertEquals(Status.SUCCESS, plugin.preFilter(next, pod, List.of()).status());
        assertEquals(Status.SUCCESS, plugin.filter(next, pod, new NodeInfo(NODE1)));
        assertEquals(Status.unresolvable(VolumeBinding.ERR_REASON_NODE_CONFLICT), plugin.filter(next, pod, new NodeInfo(NODE2)));
        assertEquals(Status.SUCCESS, plugin.reserve(next, pod, "node-1"));
        assertEquals(Status.SUCCESS, plugin.preBind(next, pod, "node-1"));
        assertEquals(4, writer.writes.size());
    }

    @Test
    void preBindSelectsTheNodeForProvisioningAndWaitsBoundedForAProvisioner() {
        given(List.of(pvc("pvc-a", PROVISION_SC, "1Gi")), List.of());
        VolumeBinding plugin = plugin(Duration.ofMillis(200));
        CycleState state = new CycleState();
        Pod pod = pod("pvc-a");
        plugin.preFilter(state, pod, List.of());
        assertEquals(Status.SUCCESS, plugin.filter(state, pod, new NodeInfo(NODE2)));
        assertEquals(Status.SUCCESS, plugin.reserve(state, pod, "node-2"));
        Status status = plugin.preBind(state, pod, "node-2");
        assertEquals(Status.Code.ERROR, status.code());
        assertEquals("binding volumes: timed out waiting for the condition", status.message());
        assertEquals(List.of("pvc pvc-a"), writer.writes);
        assertEquals("node-2", claims.get("default", "pvc-a").getMetadata().getAnnotations().get(VolumeBinding.ANN_SELECTED_NODE));
    }

    @Test
    void aStaleClaimFailsPreBind() {
        given(List.of(pvc("pvc-a", WAIT_SC, "1Gi")), List.of(pv("pv-a", WAIT_SC, "1Gi", null)));
        VolumeBinding plugin = plugin(Duration.ofSeconds(1));
        CycleState state = new CycleState();
        Pod pod = pod("pvc-a");
        plugin.preFilter(state, pod, List.of());
        plugin.filter(state, pod, new NodeInfo(NODE1));
        plugin.reserve(state, pod, "node-1");
        volumes.put(new PersistentVolumeBuilder(volumes.get(null, "pv-a")).editMetadata().withResourceVersion("7").endMetadata().build());
        Status status = plugin.preBind(state, pod, "node-1");
        assertEquals(Status.Code.ERROR, status.code());
        assertTrue(status.message().startsWith("binding volumes: Operation cannot be fulfilled"), status.message());
    }

    @Test
    void ephemeralVolumesWaitForTheirClaim() {
        Pod pod = new PodBuilder(pod()).editSpec().addNewVolume().withName("scratch").withNewEphemeral().withNewVolumeClaimTemplate()
                .withNewSpec().withAccessModes("ReadWriteOnce").endSpec().endVolumeClaimTemplate().endEphemeral().endVolume()
                .endSpec().build();
        VolumeBinding plugin = plugin(Duration.ofSeconds(1));
        assertEquals(Status.unresolvable("waiting for ephemeral volume controller to create the persistentvolumeclaim \"pod-a-scratch\""),
                plugin.preFilter(new CycleState(), pod, List.of()).status());
        claims.put(pvc("pod-a-scratch", WAIT_SC, "1Gi"));
        assertEquals(Status.unresolvable("PVC default/pod-a-scratch was not created for pod default/pod-a (pod is not owner)"),
                plugin.preFilter(new CycleState(), pod, List.of()).status());
    }

    @Test
    void args() {
        JsonMapper json = JsonMapper.builder().build();
        assertEquals(Duration.ofSeconds(600), VolumeBindingFactory.bindTimeout(json.readTree("{}")));
        assertEquals(Duration.ofSeconds(30), VolumeBindingFactory.bindTimeout(json.readTree("{\"bindTimeoutSeconds\":30}")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VolumeBindingFactory.bindTimeout(json.readTree("{\"bindTimeoutSeconds\":-1}")));
        assertEquals("bindTimeoutSeconds: Invalid value: -1: invalid BindTimeoutSeconds, should not be a negative value", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> VolumeBindingFactory.bindTimeout(json.readTree("{\"shape\":[{\"utilization\":0,\"score\":0}]}")));
    }

    @Test
    void events() {
        VolumeBinding plugin = plugin(Duration.ofSeconds(1));
        List<String> resources = new ArrayList<>();
        plugin.eventsToRegister().forEach(e -> resources.add(e.event().resource()));
        assertEquals(List.of("StorageClass", "PersistentVolumeClaim", "PersistentVolume", "Node"), resources);
        assertEquals(QueueingHint.QUEUE, VolumeBinding.afterVolumeChange(pod("pvc-a"), null, pv("pv-a", WAIT_SC, "1Gi", null)));
        assertEquals(QueueingHint.SKIP, VolumeBinding.afterVolumeChange(pod(), null, pv("pv-a", WAIT_SC, "1Gi", null)));
        assertNull(plugin.preFilterExtensions());
        assertNotNull(plugin.name());
    }
}
