package dev.okube.scheduler.plugins.volumezone;

import dev.okube.api.scheduler.testing.MapLister;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.okube.api.scheduler.ClusterEvent;
import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.PreFilterResult;
import dev.okube.api.scheduler.QueueingHint;
import dev.okube.api.scheduler.Status;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VolumeZoneTest {
    static final String BETA_ZONE = VolumeZone.BETA_ZONE;
    static final String BETA_REGION = VolumeZone.BETA_REGION;
    static final String ZONE = VolumeZone.ZONE;
    static final String REGION = VolumeZone.REGION;
    static final Status CONFLICT = Status.unresolvable(VolumeZone.ERR_REASON_CONFLICT);

    static PersistentVolume pv(String name, String... labels) {
        return new PersistentVolumeBuilder().withNewMetadata().withName(name).withLabels(map(labels)).endMetadata().build();
    }

    static PersistentVolumeClaim pvc(String name, String volumeName, String className) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withNamespace("default").withName(name).endMetadata()
                .withNewSpec().withVolumeName(volumeName).withStorageClassName(className).endSpec().build();
    }

    static Map<String, String> map(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static Pod podWithVolume(String claim) {
        PodBuilder b = new PodBuilder().withNewMetadata().withNamespace("default").withName("pod_1").endMetadata();
        if (claim == null) {
            return b.withNewSpec().endSpec().build();
        }
        return b.withNewSpec().addNewVolume().withName("v").withNewPersistentVolumeClaim().withClaimName(claim)
                .endPersistentVolumeClaim().endVolume().endSpec().build();
    }

    static NodeInfo node(String... labels) {
        return new NodeInfo(new NodeBuilder().withNewMetadata().withName("host1").withLabels(map(labels)).endMetadata().build());
    }

    static final MapLister<PersistentVolume> SINGLE_PVS = MapLister.of(
            pv("Vol_1", BETA_ZONE, "us-west1-a"),
            pv("Vol_2", BETA_REGION, "us-west1", "uselessLabel", "none"),
            pv("Vol_3", BETA_REGION, "us-west1"),
            pv("Vol_Stable_1", ZONE, "us-west1-a"),
            pv("Vol_Stable_2", REGION, "us-west1", "uselessLabel", "none"),
            pv("Vol_Stable_3", ZONE, "us-west1-a", REGION, "us-west1-a"));
    static final MapLister<PersistentVolumeClaim> SINGLE_PVCS = MapLister.of(
            pvc("PVC_1", "Vol_1", null), pvc("PVC_2", "Vol_2", null), pvc("PVC_3", "Vol_3", null),
            pvc("PVC_4", "Vol_not_exist", null), pvc("PVC_Stable_1", "Vol_Stable_1", null),
            pvc("PVC_Stable_2", "Vol_Stable_2", null), pvc("PVC_Stable_3", "Vol_Stable_3", null));

    static Stream<Arguments> singleZone() {
        return Stream.of(
                Arguments.of("pod without volume", podWithVolume(null), node(BETA_ZONE, "us-west1-a"), Status.SKIP, Status.SUCCESS),
                Arguments.of("node without labels", podWithVolume("PVC_1"), node(), Status.SUCCESS, Status.SUCCESS),
                Arguments.of("beta zone label matched", podWithVolume("PVC_1"), node(BETA_ZONE, "us-west1-a", "uselessLabel", "none"), Status.SUCCESS, Status.SUCCESS),
                Arguments.of("beta region label matched", podWithVolume("PVC_2"), node(BETA_REGION, "us-west1", "uselessLabel", "none"), Status.SUCCESS, Status.SUCCESS),
                Arguments.of("beta region label doesn't match", podWithVolume("PVC_2"), node(BETA_REGION, "no_us-west1", "uselessLabel", "none"), Status.SUCCESS, CONFLICT),
                Arguments.of("beta zone label doesn't match", podWithVolume("PVC_1"), node(BETA_ZONE, "no_us-west1-a", "uselessLabel", "none"), Status.SUCCESS, CONFLICT),
                Arguments.of("zone label matched", podWithVolume("PVC_Stable_1"), node(ZONE, "us-west1-a", "uselessLabel", "none"), Status.SUCCESS, Status.SUCCESS),
                Arguments.of("region label matched", podWithVolume("PVC_Stable_2"), node(REGION, "us-west1", "uselessLabel", "none"), Status.SUCCESS, Status.SUCCESS),
                Arguments.of("region label doesn't match", podWithVolume("PVC_Stable_2"), node(REGION, "no_us-west1", "uselessLabel", "none"), Status.SUCCESS, CONFLICT),
                Arguments.of("zone label doesn't match", podWithVolume("PVC_Stable_1"), node(ZONE, "no_us-west1-a", "uselessLabel", "none"), Status.SUCCESS, CONFLICT),
                Arguments.of("pv with zone and region, node with only zone", podWithVolume("PVC_Stable_3"), node(ZONE, "us-west1-a"), Status.SUCCESS, CONFLICT),
                Arguments.of("pv with zone,node with beta zone", podWithVolume("PVC_Stable_1"), node(BETA_ZONE, "us-west1-a"), Status.SUCCESS, CONFLICT),
                Arguments.of("pv with beta label,node with ga label, matched", podWithVolume("PVC_1"), node(ZONE, "us-west1-a"), Status.SUCCESS, Status.SUCCESS),
                Arguments.of("pv with beta label,node with ga label, don't match", podWithVolume("PVC_1"), node(ZONE, "us-west1-b"), Status.SUCCESS, CONFLICT),
                Arguments.of("volume does not exist", podWithVolume("PVC_4"), node(ZONE, "us-west1-a"),
                        Status.unresolvable("persistentvolume \"Vol_not_exist\" not found"),
                        Status.unresolvable("persistentvolume \"Vol_not_exist\" not found")),
                Arguments.of("claim does not exist", podWithVolume("PVC_none"), node(ZONE, "us-west1-a"),
                        Status.unresolvable("persistentvolumeclaim \"PVC_none\" not found"),
                        Status.unresolvable("persistentvolumeclaim \"PVC_none\" not found")));
    }

    /** PreFilter, then Filter on the same state (Filter recomputes when PreFilter did not store state, as upstream). */
    static void check(VolumeZone plugin, Pod pod, NodeInfo node, Status wantPreFilter, Status wantFilter) {
        CycleState state = new CycleState();
        PreFilterResult pre = plugin.preFilter(state, pod, List.of(node));
        assertEquals(wantPreFilter, pre.status(), "PreFilter");
        assertEquals(wantFilter, plugin.filter(state, pod, node), "Filter");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void singleZone(String name, Pod pod, NodeInfo node, Status wantPreFilter, Status wantFilter) {
        check(new VolumeZone(SINGLE_PVS, SINGLE_PVCS, MapLister.of()), pod, node, wantPreFilter, wantFilter);
    }

    static Stream<Arguments> multiZone() {
        return Stream.of(
                Arguments.of("node without labels", podWithVolume("PVC_3"), node(), Status.SUCCESS),
                Arguments.of("beta zone label matched", podWithVolume("PVC_3"), node(BETA_ZONE, "us-west1-a", "uselessLabel", "none"), Status.SUCCESS),
                Arguments.of("beta zone label doesn't match", podWithVolume("PVC_1"), node(BETA_ZONE, "us-west1-b", "uselessLabel", "none"), CONFLICT),
                Arguments.of("zone label matched", podWithVolume("PVC_Stable_2"), node(ZONE, "us-west1-a", "uselessLabel", "none"), Status.SUCCESS),
                Arguments.of("zone label doesn't match", podWithVolume("PVC_Stable_1"), node(ZONE, "us-west1-b", "uselessLabel", "none"), CONFLICT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void multiZone(String name, Pod pod, NodeInfo node, Status wantFilter) {
        MapLister<PersistentVolume> pvs = MapLister.of(
                pv("Vol_1", BETA_ZONE, "us-west1-a"),
                pv("Vol_2", BETA_ZONE, "us-west1-b", "uselessLabel", "none"),
                pv("Vol_3", BETA_ZONE, "us-west1-c__us-west1-a"),
                pv("Vol_Stable_1", ZONE, "us-west1-a"),
                pv("Vol_Stable_2", ZONE, "us-west1-c__us-west1-a"));
        MapLister<PersistentVolumeClaim> pvcs = MapLister.of(
                pvc("PVC_1", "Vol_1", null), pvc("PVC_2", "Vol_2", null), pvc("PVC_3", "Vol_3", null),
                pvc("PVC_Stable_1", "Vol_Stable_1", null), pvc("PVC_Stable_2", "Vol_Stable_2", null));
        check(new VolumeZone(pvs, pvcs, MapLister.of()), pod, node, Status.SUCCESS, wantFilter);
    }

    static Stream<Arguments> withBinding() {
        Status noNames = Status.unresolvable("PersistentVolumeClaim had no pv name and storageClass name");
        Status noClass = Status.unresolvable("storageclass.storage.k8s.io \"Class_0\" not found");
        Status noMode = Status.unresolvable("VolumeBindingMode not set for StorageClass \"Class_Immediate\"");
        Status noPv = Status.unresolvable("PersistentVolume had no name");
        return Stream.of(
                Arguments.of("label zone failure domain matched", "PVC_1", Status.SUCCESS, Status.SUCCESS),
                Arguments.of("unbound volume empty storage class", "PVC_EmptySC", noNames, noNames),
                Arguments.of("unbound volume no storage class", "PVC_NoSC", noClass, noClass),
                Arguments.of("unbound volume immediate binding mode", "PVC_ImmediateSC", noMode, noMode),
                Arguments.of("unbound volume explicit Immediate mode", "PVC_ExplicitImmediateSC", noPv, noPv),
                Arguments.of("unbound volume wait binding mode", "PVC_WaitSC", Status.SKIP, Status.SUCCESS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void withBinding(String name, String claim, Status wantPreFilter, Status wantFilter) {
        StorageClass immediate = new StorageClassBuilder().withNewMetadata().withName("Class_Immediate").endMetadata().build();
        StorageClass explicit = new StorageClassBuilder().withNewMetadata().withName("Class_Explicit").endMetadata()
                .withVolumeBindingMode("Immediate").build();
        StorageClass wait = new StorageClassBuilder().withNewMetadata().withName("Class_Wait").endMetadata()
                .withVolumeBindingMode("WaitForFirstConsumer").build();
        VolumeZone plugin = new VolumeZone(MapLister.of(pv("Vol_1", BETA_ZONE, "us-west1-a")),
                MapLister.of(pvc("PVC_1", "Vol_1", null), pvc("PVC_NoSC", null, "Class_0"), pvc("PVC_EmptySC", null, null),
                        pvc("PVC_WaitSC", null, "Class_Wait"), pvc("PVC_ImmediateSC", null, "Class_Immediate"),
                        pvc("PVC_ExplicitImmediateSC", null, "Class_Explicit")),
                MapLister.of(immediate, explicit, wait));
        check(plugin, podWithVolume(claim), node(BETA_ZONE, "us-west1-a", "uselessLabel", "none"), wantPreFilter, wantFilter);
    }

    @Test
    void zoneSetsAreSplitOnDoubleUnderscore() {
        assertEquals(java.util.Set.of("a", "b"), VolumeZone.labelZonesToSet("a__b"));
        assertEquals(null, VolumeZone.labelZonesToSet("a____b"));
    }

    @Test
    void eventsAndHints() {
        VolumeZone plugin = new VolumeZone(MapLister.of(), MapLister.of(), MapLister.of());
        assertEquals(List.of(new ClusterEvent("StorageClass", ClusterEvent.ADD),
                new ClusterEvent("Node", ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_LABEL | ClusterEvent.UPDATE_NODE_TAINT),
                new ClusterEvent("PersistentVolumeClaim", ClusterEvent.ADD | ClusterEvent.UPDATE),
                new ClusterEvent("PersistentVolume", ClusterEvent.ADD | ClusterEvent.UPDATE)),
                plugin.eventsToRegister().stream().map(e -> e.event()).toList());
        Pod pod = podWithVolume("PVC_1");
        assertEquals(QueueingHint.QUEUE, plugin.afterClaimChange(pod, null, pvc("PVC_1", "Vol_1", null)));
        assertEquals(QueueingHint.SKIP, plugin.afterClaimChange(pod, null, pvc("PVC_2", "Vol_1", null)));
        PersistentVolumeClaim other = pvc("PVC_1", "Vol_1", null);
        other.getMetadata().setNamespace("other");
        assertEquals(QueueingHint.SKIP, plugin.afterClaimChange(pod, null, other));
    }
}
