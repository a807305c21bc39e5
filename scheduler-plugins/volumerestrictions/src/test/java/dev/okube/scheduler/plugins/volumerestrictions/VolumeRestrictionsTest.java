package dev.okube.scheduler.plugins.volumerestrictions;

import dev.okube.api.scheduler.testing.MapLister;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.okube.api.scheduler.ClusterEvent;
import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.PodInfo;
import dev.okube.api.scheduler.PreFilterResult;
import dev.okube.api.scheduler.QueueingHint;
import dev.okube.api.scheduler.Status;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VolumeRestrictionsTest {
    static final Status DISK_CONFLICT = Status.unschedulable(VolumeRestrictions.ERR_REASON_DISK_CONFLICT);

    static Pod pod(String name, String nodeName, Volume... volumes) {
        return new PodBuilder().withNewMetadata().withNamespace("default").withName(name)
                .withUid(UUID.randomUUID().toString()).endMetadata()
                .withNewSpec().withNodeName(nodeName).withVolumes(volumes).endSpec().build();
    }

    static Volume gce(String pd, boolean readOnly) {
        return new VolumeBuilder().withName("v").withNewGcePersistentDisk().withPdName(pd).withReadOnly(readOnly)
                .endGcePersistentDisk().build();
    }

    static Volume ebs(String id) {
        return new VolumeBuilder().withName("v").withNewAwsElasticBlockStore().withVolumeID(id).endAwsElasticBlockStore().build();
    }

    static Volume rbd(boolean readOnly, String... monitors) {
        return new VolumeBuilder().withName("v").withNewRbd().withMonitors(monitors).withPool("foo").withImage("bar")
                .withFsType("ext4").withReadOnly(readOnly).endRbd().build();
    }

    static Volume iscsi(String iqn, boolean readOnly) {
        return new VolumeBuilder().withName("v").withNewIscsi().withTargetPortal("127.0.0.1:3260").withIqn(iqn)
                .withFsType("ext4").withLun(0).withReadOnly(readOnly).endIscsi().build();
    }

    static Volume claim(String name) {
        return new VolumeBuilder().withName(name).withNewPersistentVolumeClaim().withClaimName(name)
                .endPersistentVolumeClaim().build();
    }

    static PersistentVolumeClaim pvc(String name, String accessMode) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withNamespace("default").withName(name).endMetadata()
                .withNewSpec().withAccessModes(accessMode).endSpec().build();
    }

    static NodeInfo node(String name, Pod... pods) {
        NodeInfo n = new NodeInfo(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build());
        for (Pod p : pods) {
            n.addPod(PodInfo.of(p));
        }
        return n;
    }

    /** PreFilter then (unless skipped) Filter, as the framework runs them. */
    static Status run(VolumeRestrictions plugin, Pod pod, NodeInfo nodeInfo, List<NodeInfo> all) {
        CycleState state = new CycleState();
        PreFilterResult pre = plugin.preFilter(state, pod, all);
        if (pre.status().isSkip()) {
            return Status.SUCCESS;
        }
        if (!pre.status().isSuccess()) {
            return pre.status();
        }
        return plugin.filter(state, pod, nodeInfo);
    }

    static Stream<Arguments> diskConflicts() {
        List<Arguments> cases = new ArrayList<>();
        Object[][] kinds = {
            {"GCE", gce("foo", false), gce("bar", false)},
            {"AWS", ebs("foo"), ebs("bar")},
            {"RBD", rbd(false, "a", "b"), rbd(false, "c", "d")},
            {"ISCSI", iscsi("iqn.2016-12.server:storage.target01", false), iscsi("iqn.2017-12.server:storage.target01", false)},
        };
        for (Object[] k : kinds) {
            Volume state = (Volume) k[1];
            Volume state2 = (Volume) k[2];
            cases.add(Arguments.of(k[0] + " nothing", pod("p", null), node("n"), Status.SUCCESS));
            cases.add(Arguments.of(k[0] + " one state", pod("p", null), node("n", pod("e", "n", state)), Status.SUCCESS));
            cases.add(Arguments.of(k[0] + " same state", pod("p", null, state), node("n", pod("e", "n", state)), DISK_CONFLICT));
            cases.add(Arguments.of(k[0] + " different state", pod("p", null, state2), node("n", pod("e", "n", state)), Status.SUCCESS));
        }
        // Read-only everywhere shares a disk, except EBS, which never does.
        cases.add(Arguments.of("GCE both read-only", pod("p", null, gce("foo", true)), node("n", pod("e", "n", gce("foo", true))), Status.SUCCESS));
        cases.add(Arguments.of("GCE one read-only", pod("p", null, gce("foo", true)), node("n", pod("e", "n", gce("foo", false))), DISK_CONFLICT));
        cases.add(Arguments.of("RBD both read-only", pod("p", null, rbd(true, "a")), node("n", pod("e", "n", rbd(true, "a", "b"))), Status.SUCCESS));
        cases.add(Arguments.of("RBD one overlapping monitor", pod("p", null, rbd(false, "b", "z")), node("n", pod("e", "n", rbd(false, "a", "b"))), DISK_CONFLICT));
        cases.add(Arguments.of("ISCSI both read-only", pod("p", null, iscsi("q", true)), node("n", pod("e", "n", iscsi("q", true))), Status.SUCCESS));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void diskConflicts(String name, Pod pod, NodeInfo nodeInfo, Status want) {
        VolumeRestrictions plugin = new VolumeRestrictions(MapLister.of());
        assertEquals(want, run(plugin, pod, nodeInfo, List.of(nodeInfo)));
    }

    static Stream<Arguments> accessModeConflicts() {
        Pod withRwop = pod("pod-with-rwop", "node-1", claim("claim-with-rwop"));
        Pod withRwx = pod("pod-with-rwx", "node-1", claim("claim-with-rwx"));
        List<PersistentVolumeClaim> both = List.of(pvc("claim-with-rwop", "ReadWriteOncePod"), pvc("claim-with-rwx", "ReadWriteMany"));
        return Stream.of(
                Arguments.of("nothing", pod("p", null), List.of(), List.of(), Status.SUCCESS),
                Arguments.of("failed to get PVC", withRwop, List.of(), List.of(),
                        Status.unresolvable("persistentvolumeclaim \"claim-with-rwop\" not found")),
                Arguments.of("no access mode conflict", withRwop, List.of(withRwx), both, Status.SUCCESS),
                Arguments.of("access mode conflict", withRwop, List.of(withRwop, withRwx), both,
                        Status.unschedulable(VolumeRestrictions.ERR_REASON_RWOP_CONFLICT)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void accessModeConflicts(String name, Pod pod, List<Pod> existing, List<PersistentVolumeClaim> claims, Status want) {
        VolumeRestrictions plugin = new VolumeRestrictions(MapLister.of(claims.toArray(PersistentVolumeClaim[]::new)));
        NodeInfo node1 = node("node-1", existing.toArray(Pod[]::new));
        // The conflict is cluster-wide: the claim's user may be on another node than the one filtered.
        assertEquals(want, run(plugin, pod, node("node-2"), List.of(node1, node("node-2"))));
    }

    @Test
    void preemptionRemovingTheClaimsUserClearsTheConflict() {
        Pod withRwop = pod("pod-with-rwop", "node-1", claim("c"));
        VolumeRestrictions plugin = new VolumeRestrictions(MapLister.of(pvc("c", "ReadWriteOncePod")));
        NodeInfo node1 = node("node-1", withRwop);
        CycleState state = new CycleState();
        Pod incoming = pod("incoming", null, claim("c"));
        assertEquals(Status.SUCCESS, plugin.preFilter(state, incoming, List.of(node1)).status());
        CycleState copy = state.copy();
        assertEquals(Status.SUCCESS, plugin.preFilterExtensions().removePod(copy, incoming, PodInfo.of(withRwop), node1));
        assertEquals(Status.SUCCESS, plugin.filter(copy, incoming, node1));
        assertEquals(Status.unschedulable(VolumeRestrictions.ERR_REASON_RWOP_CONFLICT), plugin.filter(state, incoming, node1),
                "the copy changed, not the original");
        plugin.preFilterExtensions().addPod(copy, incoming, PodInfo.of(withRwop), node1);
        assertEquals(Status.unschedulable(VolumeRestrictions.ERR_REASON_RWOP_CONFLICT), plugin.filter(copy, incoming, node1));
    }

    @Test
    void aPodWithoutRestrictedVolumesSkipsFilter() {
        VolumeRestrictions plugin = new VolumeRestrictions(MapLister.of(pvc("c", "ReadWriteOnce")));
        CycleState state = new CycleState();
        assertEquals(PreFilterResult.SKIP, plugin.preFilter(state, pod("p", null, claim("c")), List.of()));
        assertNull(state.read(VolumeRestrictions.STATE_KEY, VolumeRestrictions.State.class));
    }

    @Test
    void eventsAndHints() {
        VolumeRestrictions plugin = new VolumeRestrictions(MapLister.of());
        assertEquals(List.of(new ClusterEvent("Pod", ClusterEvent.DELETE),
                new ClusterEvent("Node", ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_TAINT | ClusterEvent.UPDATE_NODE_LABEL),
                new ClusterEvent("PersistentVolumeClaim", ClusterEvent.ADD)),
                plugin.eventsToRegister().stream().map(e -> e.event()).toList());
        Pod p = pod("p", null, claim("c"), gce("foo", false));
        assertEquals(QueueingHint.QUEUE, plugin.afterClaimAdded(p, null, pvc("c", "ReadWriteOncePod")));
        assertEquals(QueueingHint.SKIP, plugin.afterClaimAdded(p, null, pvc("other", "ReadWriteOncePod")));
        PersistentVolumeClaim elsewhere = pvc("c", "ReadWriteOncePod");
        elsewhere.getMetadata().setNamespace("other");
        assertEquals(QueueingHint.SKIP, plugin.afterClaimAdded(p, null, elsewhere));
        assertEquals(QueueingHint.QUEUE, plugin.afterPodDeleted(p, pod("d", "n", gce("foo", false)), null), "conflicting disk");
        assertEquals(QueueingHint.QUEUE, plugin.afterPodDeleted(p, pod("d", "n", claim("c")), null), "same claim");
        assertEquals(QueueingHint.SKIP, plugin.afterPodDeleted(p, pod("d", "n", gce("bar", false)), null));
    }
}
