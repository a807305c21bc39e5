package dev.okube.scheduler.plugins.coscheduling;

import dev.okube.api.scheduler.testing.MapLister;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.scheduler.ClusterEvent;
import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.PermitResult;
import dev.okube.api.scheduler.PodInfo;
import dev.okube.api.scheduler.QueuedPodInfo;
import dev.okube.api.scheduler.QueueingHint;
import dev.okube.api.scheduler.Status;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

class CoschedulingTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final MapLister<PodGroup> groups = new MapLister<>();
    final MapLister<Pod> pods = new MapLister<>();
    final FakeHandle handle = new FakeHandle();
    final List<String> statusWrites = new ArrayList<>();
    final Map<String, PodGroup> stored = new java.util.HashMap<>();
    final AtomicLong nanos = new AtomicLong();

    Coscheduling plugin(CoschedulingArgs args) {
        PodGroupStatusWriter writer = (ns, name, change) -> {
            PodGroup pg = change.apply(stored.computeIfAbsent(ns + "/" + name, k -> groups.get(ns, name)));
            statusWrites.add(ns + "/" + name + " " + pg.getStatus().getPhase() + " " + pg.getStatus().getScheduled());
        };
        return new Coscheduling(groups, pods, handle, writer, Runnable::run, args, Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC),
                nanos::get);
    }

    Coscheduling plugin() {
        return plugin(CoschedulingArgs.DEFAULTS);
    }

    static Pod pod(String name, String group, String node, Integer priority) {
        Map<String, String> labels = group == null ? Map.of() : Map.of(PodGroup.POD_GROUP_LABEL, group);
        return new PodBuilder().withMetadata(new ObjectMetaBuilder().withNamespace("ns").withName(name).withUid(name)
                .withLabels(labels).build()).withNewSpec().withNodeName(node).withPriority(priority).addNewContainer()
                .withName("c").withNewResources().addToRequests("cpu", new Quantity("1")).endResources().endContainer()
                .endSpec().build();
    }

    static Pod pod(String name, String group) {
        return pod(name, group, null, null);
    }

    static Pod gated(String name, String group) {
        return new PodBuilder(pod(name, group)).editSpec().addNewSchedulingGate().withName("gate").endSchedulingGate().endSpec().build();
    }

    static PodGroup pg(String name, int minMember, Instant created) {
        PodGroup pg = new PodGroup();
        pg.setMetadata(new ObjectMetaBuilder().withNamespace("ns").withName(name).withCreationTimestamp(created.toString()).build());
        pg.getSpec().setMinMember(minMember);
        return pg;
    }

    static PodGroup pg(String name, int minMember) {
        return pg(name, minMember, T0);
    }

    static PodGroup withMinResources(PodGroup pg, String cpu) {
        pg.getSpec().setMinResources(Map.of("cpu", new Quantity(cpu)));
        return pg;
    }

    void given(List<PodGroup> pgs, List<Pod> existing) {
        pgs.forEach(groups::put);
        existing.forEach(pods::put);
    }

    record Queued(PodInfo podInfo, long initialAttemptTimestamp) implements QueuedPodInfo {
        @Override
        public long timestamp() {
            return initialAttemptTimestamp;
        }

        @Override
        public int attempts() {
            return 1;
        }

        @Override
        public Set<String> unschedulablePlugins() {
            return Set.of();
        }
    }

    static Queued queued(Pod pod, long initialAttempt) {
        return new Queued(PodInfo.of(pod), initialAttempt);
    }

    // ---- QueueSort ----

    static Stream<Arguments> less() {
        long earlier = T0.minusSeconds(10).toEpochMilli();
        long later = T0.plusSeconds(10).toEpochMilli();
        long created = T0.toEpochMilli();
        return Stream.of(
                Arguments.of("p1.priority less than p2.priority", queued(pod("p1", null, null, 0), created), queued(pod("p2", null, null, 100), created), false),
                Arguments.of("p1.priority greater than p2.priority", queued(pod("p1", null, null, 100), created), queued(pod("p2", null, null, 0), created), true),
                Arguments.of("equal priority. p1 is added to schedulingQ earlier than p2", queued(pod("p1", null), earlier), queued(pod("p2", null), later), true),
                Arguments.of("equal priority. p2 is added to schedulingQ earlier than p1", queued(pod("p1", null), later), queued(pod("p2", null), earlier), false),
                Arguments.of("p1.priority less than p2.priority, p1 belongs to pg1", queued(pod("p1", "pg1", null, 1), created), queued(pod("p2", null, null, 2), created), false),
                Arguments.of("p1.priority greater than p2.priority, p1 belongs to pg1", queued(pod("p1", "pg1", null, 2), created), queued(pod("p2", null, null, 1), created), true),
                // pg1 was created at T0, before p2 entered the queue.
                Arguments.of("equal priority. p1 is added to schedulingQ earlier than p2, p1 belongs to pg1", queued(pod("p1", "pg1"), later), queued(pod("p2", null), later), true),
                Arguments.of("equal priority. p2 is added to schedulingQ earlier than p1, p1 belongs to pg1", queued(pod("p1", "pg1"), earlier), queued(pod("p2", null), earlier), false),
                Arguments.of("p1.priority less than p2.priority, p1 belongs to pg1 and p2 belongs to pg2", queued(pod("p1", "pg1", null, 1), created), queued(pod("p2", "pg2", null, 2), created), false),
                Arguments.of("p1.priority greater than p2.priority, p1 belongs to pg1 and and p2 belongs to pg2", queued(pod("p1", "pg1", null, 2), created), queued(pod("p2", "pg2", null, 1), created), true),
                Arguments.of("equal priority. pg1 created earlier than pg2", queued(pod("p1", "pg1"), later), queued(pod("p2", "pg2"), earlier), true),
                Arguments.of("equal priority. pg3 created later than pg1", queued(pod("p1", "pg3"), earlier), queued(pod("p2", "pg1"), later), false),
                Arguments.of("equal priority and creation time, p1 belongs pg1 and p2 belong to pg1b", queued(pod("p1", "pg1"), created), queued(pod("p2", "pg1b"), created), true),
                Arguments.of("equal priority and creation time, p2 sorts first by name", queued(pod("p2", "pg1"), created), queued(pod("p1", "pg1"), created), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void less(String name, QueuedPodInfo p1, QueuedPodInfo p2, boolean want) {
        given(List.of(pg("pg1", 1, T0), pg("pg1b", 1, T0), pg("pg2", 1, T0.plusSeconds(5)), pg("pg3", 1, T0.plusSeconds(20))), List.of());
        assertEquals(want, plugin().less(p1, p2));
    }

    @Test
    void lessAfterScheduleFailure() {
        given(List.of(pg("pg1", 3, T0), pg("pg2", 1, T0.plusSeconds(30))), List.of(pod("p1", "pg1")));
        Coscheduling plugin = plugin();
        QueuedPodInfo p1 = queued(pod("p1", "pg1"), T0.toEpochMilli());
        QueuedPodInfo p2 = queued(pod("p2", "pg2"), T0.toEpochMilli());
        assertTrue(plugin.less(p1, p2), "before failure the older group goes first");
        // pg1 fails (the clock reads T0+60s): it now sorts behind pg2, which it would otherwise block.
        plugin.postFilter(new CycleState(), pod("p1", "pg1"), Map.of());
        assertTrue(!plugin.less(p1, p2) && plugin.less(p2, p1), "after failure");
        // Success clears the penalty.
        given(List.of(pg("pg1", 1, T0)), List.of());
        assertEquals(PermitResult.ALLOW, plugin.permit(new CycleState(), pod("p1", "pg1"), "node"));
        assertTrue(plugin.less(p1, p2), "after clear");
    }

    // ---- PreEnqueue ----

    @Test
    void preEnqueueKeepsIncompleteGroupsOut() {
        Coscheduling plugin = plugin();
        assertEquals(Status.SUCCESS, plugin.preEnqueue(pod("p", null)));
        assertEquals(Status.unresolvable("pre-enqueue: pod group not found"), plugin.preEnqueue(pod("p1", "pg1")));
        given(List.of(pg("pg1", 2)), List.of(pod("p1", "pg1")));
        assertEquals(Status.unresolvable("pre-enqueue: pod group ns/pg1 has 1 pods, minMember is 2: pods are not enough"),
                plugin.preEnqueue(pod("p1", "pg1")));
        pods.put(pod("p2", "pg1"));
        assertEquals(Status.SUCCESS, plugin.preEnqueue(pod("p1", "pg1")));
    }

    // ---- PreFilter ----

    static NodeInfo node(String cpu, Pod... onIt) {
        NodeInfo n = new NodeInfo(new NodeBuilder().withNewMetadata().withName("node").endMetadata().withNewStatus()
                .addToAllocatable("cpu", new Quantity(cpu)).addToAllocatable("pods", new Quantity("110")).endStatus().build());
        for (Pod p : onIt) {
            n.addPod(PodInfo.of(p));
        }
        return n;
    }

    static Stream<Arguments> preFilter() {
        String notEnough = "pre-filter pod p1 cannot find enough sibling pods, current pods number: 1, minMember of group: 2";
        String gatedMsg = "pre-filter pod p1 cannot proceed due to gated pods in the same PodGroup";
        Pod boundP2 = pod("p2", "pg1", "node", null);
        return Stream.of(
                Arguments.of("pod does not belong to any pg", pod("p1", null), List.of(pg("pg1", 2)), List.of(pod("p1", null)), node("4"), null),
                Arguments.of("pod belongs to a non-existent pg", pod("p1", "pg-none"), List.of(pg("pg1", 2)), List.of(pod("p1", "pg-none")), node("4"), null),
                Arguments.of("pod count less than minMember", pod("p1", "pg1"), List.of(pg("pg1", 2)), List.of(pod("p1", "pg1")), node("4"), notEnough),
                Arguments.of("pod count equal minMember", pod("p1", "pg1"), List.of(pg("pg1", 2)), List.of(pod("p1", "pg1"), pod("p2", "pg1")), node("4"), null),
                Arguments.of("pod count more than minMember", pod("p1", "pg1"), List.of(pg("pg1", 2)),
                        List.of(pod("p1", "pg1"), pod("p2", "pg1"), pod("p3", "pg1")), node("4"), null),
                Arguments.of("gated pods but still meeting quorum (minMember < replicas)", pod("p1", "pg1"), List.of(pg("pg1", 2)),
                        List.of(pod("p1", "pg1"), pod("p2", "pg1"), gated("p3", "pg1")), node("4"), null),
                Arguments.of("gated pods push group below quorum", pod("p1", "pg1"), List.of(pg("pg1", 3)),
                        List.of(pod("p1", "pg1"), pod("p2", "pg1"), gated("p3", "pg1")), node("4"), gatedMsg),
                Arguments.of("all sibling pods are gated", pod("p1", "pg1"), List.of(pg("pg1", 3)),
                        List.of(pod("p1", "pg1"), gated("p2", "pg1"), gated("p3", "pg1")), node("4"), gatedMsg),
                Arguments.of("cluster's resource satisfies minResource", pod("p1", "pg1"), List.of(withMinResources(pg("pg1", 2), "2")),
                        List.of(pod("p1", "pg1"), pod("p2", "pg1")), node("4", pod("other", null, "node", null)), null),
                Arguments.of("cluster's resource cannot satisfy minResource", pod("p1", "pg1"), List.of(withMinResources(pg("pg1", 2), "4")),
                        List.of(pod("p1", "pg1"), pod("p2", "pg1")), node("4", pod("other", null, "node", null)), "resource gap: cpu=1000m"),
                Arguments.of("cluster resource enough as p2's resource needs to be excluded from minResources", pod("p1", "pg1"),
                        List.of(withMinResources(pg("pg1", 2), "4")), List.of(pod("p1", "pg1"), boundP2), node("4", boundP2), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void preFilter(String name, Pod pod, List<PodGroup> pgs, List<Pod> existing, NodeInfo node, String wantError) {
        given(pgs, existing);
        Status want = wantError == null ? Status.SUCCESS : Status.unresolvable(wantError);
        assertEquals(want, plugin().preFilter(new CycleState(), pod, List.of(node)).status());
    }

    @Test
    void aFailedGroupBacksOffInsteadOfLoopingForever() {
        Pod p1 = pod("pod1", "pg1");
        Pod p2 = pod("pod2", "pg1");
        Pod p3 = pod("pod3", "pg1");
        given(List.of(pg("pg1", 3)), List.of(p1, p2, p3));
        Coscheduling plugin = plugin(new CoschedulingArgs(10, 1, 10));
        PermitResult r = plugin.permit(new CycleState(), p1, "node");
        assertEquals(Status.Code.WAIT, r.status().code());
        assertEquals(List.of("ns/pod2", "ns/pod3"), handle.activated.stream().sorted().toList());
        FakeHandle.FakeWaitingPod waiting1 = handle.addWaiting(p1);
        plugin.postFilter(new CycleState(), p2, Map.of());
        assertEquals("Coscheduling: optimistic rejection in PostFilter", waiting1.rejected);
        assertEquals(Status.unresolvable("podGroup ns/pg1 failed recently"), plugin.preFilter(new CycleState(), p3, List.of()).status());
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertEquals(Status.SUCCESS, plugin.preFilter(new CycleState(), p3, List.of()).status(), "after the backoff");
    }

    // ---- Permit ----

    @Test
    void permitWaitsForTheQuorumThenAllowsTheWholeGroup() {
        assertEquals(PermitResult.ALLOW, plugin().permit(new CycleState(), pod("p", null), "node"), "pods do not belong to any podGroup");
        assertEquals(PermitResult.of(Status.unschedulable("PodGroup not found")),
                plugin().permit(new CycleState(), pod("p", "pg-none"), "node"));

        Pod p1 = pod("p1", "pg1");
        Pod p2 = pod("p2", "pg1");
        Pod other = pod("o1", "pg2");
        given(List.of(pg("pg1", 2), pg("pg2", 2)), List.of(p1, p2, other, pod("o2", "pg2")));
        Coscheduling plugin = plugin();
        assertEquals(PermitResult.waitFor(Duration.ofSeconds(60)), plugin.permit(new CycleState(), p1, "node"),
                "pods belong to a pg1, but quorum not satisfied");
        FakeHandle.FakeWaitingPod w1 = handle.addWaiting(p1);
        FakeHandle.FakeWaitingPod wOther = handle.addWaiting(other);
        assertEquals(PermitResult.ALLOW, plugin.permit(new CycleState(), p2, "node"), "pods belong to a podGroup, and quorum satisfied");
        assertTrue(w1.pending.isEmpty(), "the waiting member is allowed");
        assertEquals(Set.of(Coscheduling.NAME), wOther.pending, "another group's member still waits");
        assertEquals(List.of("ns/pg1 Scheduling 1", "ns/pg1 Scheduled 2"), statusWrites);
        assertEquals(T0.plusSeconds(60).toString(), stored.get("ns/pg1").getStatus().getScheduleStartTime());
    }

    @Test
    void boundMembersCountTowardsTheQuorum() {
        Pod bound = pod("p1", "pg1", "node", null);
        Pod p2 = pod("p2", "pg1");
        given(List.of(pg("pg1", 2)), List.of(bound, p2));
        assertEquals(PermitResult.ALLOW, plugin().permit(new CycleState(), p2, "node"));
    }

    @Test
    void theGroupsTimeoutWins() {
        PodGroup pg = pg("pg1", 2);
        pg.getSpec().setScheduleTimeoutSeconds(5);
        given(List.of(pg), List.of(pod("p1", "pg1"), pod("p2", "pg1")));
        assertEquals(PermitResult.waitFor(Duration.ofSeconds(5)), plugin().permit(new CycleState(), pod("p1", "pg1"), "node"));
        assertEquals(Duration.ofSeconds(30), plugin(new CoschedulingArgs(30, 0, 10)).waitTime(pg("x", 1)));
        assertEquals(Duration.ofSeconds(60), plugin(new CoschedulingArgs(0, 0, 10)).waitTime(pg("x", 1)));
    }

    // ---- PostFilter ----

    static Stream<Arguments> postFilter() {
        return Stream.of(
                Arguments.of("pod does not belong to any pod group", pod("p", null), List.of(), 2, Status.unschedulable("can not find pod group")),
                Arguments.of("enough pods assigned, do not reject all", pod("p", "pg1"), List.of(pod("p1", "pg1", "node", null)), 1,
                        Status.unschedulable()),
                Arguments.of("pod failed at filter phase, reject all pods", pod("p", "pg1"), List.of(pod("p1", "pg1", "node", null)), 2,
                        Status.unschedulable("PodGroup ns/pg1 gets rejected due to Pod p is unschedulable even after PostFilter")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void postFilter(String name, Pod pod, List<Pod> existing, int minMember, Status want) {
        given(List.of(pg("pg1", minMember)), existing);
        pods.put(pod);
        FakeHandle.FakeWaitingPod waiting = handle.addWaiting(pod("w", "pg1"));
        assertEquals(want, plugin().postFilter(new CycleState(), pod, Map.of("node", Status.SUCCESS)).status());
        assertEquals(want.reasons().isEmpty() || want.message().equals("can not find pod group") ? null
                : "Coscheduling: optimistic rejection in PostFilter", waiting.rejected);
    }

    static Stream<Arguments> postFilterRejectThreshold() {
        return Stream.of(
                Arguments.of("default 10%: 9/10 assigned (10% gap) -> no rejection", 10, 9, false),
                Arguments.of("default 10%: 8/10 assigned (20% gap) -> rejection", 10, 8, true),
                Arguments.of("0%: 9/10 assigned (10% gap) -> rejection (always reject)", 0, 9, true),
                Arguments.of("100%: 0/10 assigned (100% gap) -> no rejection (never reject)", 100, 0, false),
                Arguments.of("50%: 6/10 assigned (40% gap) -> no rejection", 50, 6, false),
                Arguments.of("50%: 4/10 assigned (60% gap) -> rejection", 50, 4, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void postFilterRejectThreshold(String name, int percentage, int assigned, boolean reject) {
        List<Pod> existing = new ArrayList<>();
        for (int i = 0; i < assigned; i++) {
            existing.add(pod("bound" + i, "pg1", "node", null));
        }
        given(List.of(pg("pg1", 10)), existing);
        Status got = plugin(new CoschedulingArgs(60, 0, percentage)).postFilter(new CycleState(), pod("p", "pg1"), Map.of()).status();
        assertEquals(reject ? Status.unschedulable("PodGroup ns/pg1 gets rejected due to Pod p is unschedulable even after PostFilter")
                : Status.unschedulable(), got);
    }

    // ---- Unreserve ----

    @Test
    void unreserveRejectsTheGroupsWaitingPods() {
        given(List.of(pg("pg1", 3)), List.of(pod("p1", "pg1"), pod("p2", "pg1"), pod("p3", "pg1")));
        Coscheduling plugin = plugin();
        plugin.permit(new CycleState(), pod("p1", "pg1"), "node");
        plugin.permit(new CycleState(), pod("p2", "pg1"), "node");
        assertEquals(2, plugin.assignedCount("ns", "pg1"));
        FakeHandle.FakeWaitingPod w1 = handle.addWaiting(pod("p1", "pg1"));
        FakeHandle.FakeWaitingPod other = handle.addWaiting(pod("x", "pg2"));
        plugin.unreserve(new CycleState(), pod("p2", "pg1"), "node");
        assertEquals("Coscheduling: rejection in Unreserve", w1.rejected);
        assertNull(other.rejected);
        assertEquals(1, plugin.assignedCount("ns", "pg1"));
        pods.objects.remove("ns/p1");
        assertEquals(0, plugin.assignedCount("ns", "pg1"), "a deleted member no longer counts");
    }

    // ---- args, events ----

    @Test
    void args() {
        JsonMapper json = JsonMapper.builder().build();
        assertEquals(CoschedulingArgs.DEFAULTS, CoschedulingArgs.parse(json.readTree("{}")));
        assertEquals(new CoschedulingArgs(10, 20, 30), CoschedulingArgs.parse(json.readTree(
                "{\"permitWaitingTimeSeconds\":10,\"podGroupBackoffSeconds\":20,\"podGroupRejectPercentage\":30}")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CoschedulingArgs.parse(json.readTree(
                "{\"permitWaitingTimeSeconds\":-1,\"podGroupRejectPercentage\":101}")));
        assertEquals("permitWaitingTimeSeconds: Invalid value: -1: must be greater than 0, "
                + "podGroupRejectPercentage: Invalid value: 101: must be between 0 and 100", e.getMessage());
    }

    @Test
    void eventsAndHints() {
        assertEquals(List.of(new ClusterEvent("Pod", ClusterEvent.ADD), new ClusterEvent("PodGroup", ClusterEvent.ADD | ClusterEvent.UPDATE)),
                plugin().eventsToRegister().stream().map(e -> e.event()).toList());
        assertEquals(QueueingHint.QUEUE, Coscheduling.afterPodAdded(pod("p1", "pg1"), null, pod("p2", "pg1")));
        assertEquals(QueueingHint.SKIP, Coscheduling.afterPodAdded(pod("p1", "pg1"), null, pod("p2", "pg2")));
        assertEquals(QueueingHint.QUEUE, Coscheduling.afterPodGroupChange(pod("p1", "pg1"), null, pg("pg1", 2)));
        assertEquals(QueueingHint.SKIP, Coscheduling.afterPodGroupChange(pod("p1", "pg1"), null, pg("pg2", 2)));
    }
}
