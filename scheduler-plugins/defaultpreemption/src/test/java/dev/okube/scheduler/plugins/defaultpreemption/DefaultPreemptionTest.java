package dev.okube.scheduler.plugins.defaultpreemption;

import static dev.okube.scheduler.plugins.defaultpreemption.Objects.HIGH_PRIORITY;
import static dev.okube.scheduler.plugins.defaultpreemption.Objects.LARGE_RES;
import static dev.okube.scheduler.plugins.defaultpreemption.Objects.LOW_PRIORITY;
import static dev.okube.scheduler.plugins.defaultpreemption.Objects.MEDIUM_RES;
import static dev.okube.scheduler.plugins.defaultpreemption.Objects.MID_PRIORITY;
import static dev.okube.scheduler.plugins.defaultpreemption.Objects.VERY_HIGH_PRIORITY;
import static dev.okube.scheduler.plugins.defaultpreemption.Objects.labelled;
import static dev.okube.scheduler.plugins.defaultpreemption.Objects.node;
import static dev.okube.scheduler.plugins.defaultpreemption.Objects.pdb;
import static dev.okube.scheduler.plugins.defaultpreemption.Objects.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.PodInfo;
import dev.okube.api.scheduler.PostFilterResult;
import dev.okube.api.scheduler.Status;
import dev.okube.api.scheduler.WaitingPod;
import dev.okube.scheduler.plugins.noderesources.Fit;
import dev.okube.scheduler.plugins.noderesources.FitArgs;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Cases of upstream's default_preemption_test.go, with NodeResourcesFit as the filter. */
class DefaultPreemptionTest {
    private static final String[] ONE_POD = {"pods", "1"};
    private static final String[] NODE_RES = {"cpu", "200m", "memory", "400"};
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T20:00:00Z"), ZoneOffset.UTC);

    static Map<String, Status> unschedulable(String... nodes) {
        Map<String, Status> m = new LinkedHashMap<>();
        for (String n : nodes) {
            m.put(n, Status.unschedulable());
        }
        return m;
    }

    static Map<String, Status> with(Map<String, Status> m, String node, Status s) {
        m.put(node, s);
        return m;
    }

    static FakeHandle handle(List<Node> nodes, List<Pod> pods, List<? extends HasMetadata> objects) {
        FakeHandle h = new FakeHandle();
        for (Node n : nodes) {
            NodeInfo ni = new NodeInfo(n);
            for (Pod p : pods) {
                if (n.getMetadata().getName().equals(p.getSpec().getNodeName())) {
                    ni.addPod(PodInfo.of(p));
                }
            }
            h.nodes.add(ni);
        }
        h.objects.addAll(objects);
        h.plugins.add(new Fit(FitArgs.DEFAULTS));
        h.plugins.add(new TestPlugin());
        return h;
    }

    static DefaultPreemption plugin(FakeHandle h, RecordingCluster c, PreemptionArgs args) {
        return new DefaultPreemption(args, h, c, n -> 0, CLOCK);
    }

    static PostFilterResult run(FakeHandle h, RecordingCluster c, Pod pod, Map<String, Status> statuses) {
        CycleState state = new CycleState();
        h.preFilter(state, pod);
        return plugin(h, c, PreemptionArgs.DEFAULTS).postFilter(state, pod, statuses);
    }

    static Arguments c(String name, Pod pod, List<Pod> pods, List<? extends HasMetadata> pdbs, List<Node> nodes,
                       Map<String, Status> statuses, String wantNominated, Status wantStatus) {
        return Arguments.of(name, pod, pods, pdbs, nodes, statuses, wantNominated, wantStatus);
    }

    static Stream<Arguments> postFilter() {
        String noVictims = "preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.";
        String notHelpful = "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.";
        return Stream.of(
                c("pod with higher priority can be made schedulable", pod("p").priority(HIGH_PRIORITY).obj(),
                        List.of(pod("p1").node("node1").obj()), List.of(), List.of(node("node1", ONE_POD)),
                        unschedulable("node1"), "node1", Status.SUCCESS),
                c("pod with tied priority is still unschedulable", pod("p").obj(),
                        List.of(pod("p1").node("node1").obj()), List.of(), List.of(node("node1", ONE_POD)),
                        unschedulable("node1"), "", Status.unschedulable(noVictims)),
                c("preemption should respect filteredNodesStatuses", pod("p").priority(HIGH_PRIORITY).obj(),
                        List.of(pod("p1").node("node1").obj()), List.of(), List.of(node("node1", ONE_POD)),
                        with(new LinkedHashMap<>(), "node1", Status.unresolvable()), "", Status.unschedulable(notHelpful)),
                c("preemption should respect absent NodeToStatusReader entry meaning UnschedulableAndUnresolvable",
                        pod("p").priority(HIGH_PRIORITY).obj(), List.of(pod("p1").node("node1").obj()), List.of(),
                        List.of(node("node1", ONE_POD)), Map.of(), "", Status.unschedulable(notHelpful)),
                c("pod can be made schedulable on one node", pod("p").priority(MID_PRIORITY).obj(),
                        List.of(pod("p1").priority(HIGH_PRIORITY).node("node1").obj(),
                                pod("p2").priority(LOW_PRIORITY).node("node2").obj()), List.of(),
                        List.of(node("node1", ONE_POD), node("node2", ONE_POD)), unschedulable("node1", "node2"),
                        "node2", Status.SUCCESS),
                c("pod can be made schedulable on minHighestPriority node", pod("p").priority(VERY_HIGH_PRIORITY).obj(),
                        List.of(pod("p1").label("pdb", "non-violating").priority(HIGH_PRIORITY).node("node1").obj(),
                                pod("p2").label("pdb", "violating").priority(LOW_PRIORITY).node("node1").obj(),
                                pod("p3").label("pdb", "violating").priority(MID_PRIORITY).node("node2").obj()),
                        List.of(pdb("violating-pdb", "pdb", "violating", 0),
                                pdb("non-violating-pdb", "pdb", "non-violating", Integer.MAX_VALUE)),
                        List.of(node("node1", ONE_POD), node("node2", ONE_POD)), unschedulable("node1", "node2"),
                        "node2", Status.SUCCESS),
                c("no candidate nodes found, no enough resource after removing low priority pods",
                        pod("p").priority(HIGH_PRIORITY).req(LARGE_RES).obj(),
                        List.of(pod("p1").node("node1").obj(), pod("p2").node("node2").obj()), List.of(),
                        List.of(node("node1", NODE_RES), node("node2", NODE_RES)), unschedulable("node1", "node2"), "",
                        Status.unschedulable("preemption: 0/2 nodes are available: 2 Insufficient cpu.")),
                c("no candidate nodes found with mixed reasons, no lower priority pod and no enough CPU resource",
                        pod("p").priority(HIGH_PRIORITY).req(LARGE_RES).obj(),
                        List.of(pod("p1").node("node1").priority(HIGH_PRIORITY).obj(), pod("p2").node("node2").obj(),
                                pod("p3").node("node3").priority(HIGH_PRIORITY).obj()), List.of(),
                        List.of(node("node1", ONE_POD), node("node2", NODE_RES), node("node3", ONE_POD)),
                        unschedulable("node1", "node2", "node3"), "",
                        Status.unschedulable("preemption: 0/3 nodes are available: 1 Insufficient cpu, "
                                + "2 No preemption victims found for incoming pod.")),
                c("no candidate nodes found with mixed reason, 2 UnschedulableAndUnresolvable nodes and 2 nodes don't have enough CPU resource",
                        pod("p").priority(HIGH_PRIORITY).req(LARGE_RES).obj(),
                        List.of(pod("p1").node("node1").obj(), pod("p2").node("node2").obj()), List.of(),
                        List.of(node("node1", NODE_RES), node("node2", NODE_RES), node("node3", NODE_RES),
                                node("node4", NODE_RES)),
                        with(unschedulable("node1", "node2"), "node4", Status.unresolvable()), "",
                        Status.unschedulable("preemption: 0/4 nodes are available: 2 Insufficient cpu, "
                                + "2 Preemption is not helpful for scheduling.")),
                c("only one node but failed with TestPlugin", pod("p").priority(HIGH_PRIORITY).req(LARGE_RES).obj(),
                        List.of(pod("p1").node("node1").obj()), List.of(),
                        List.of(labelled(node("node1", LARGE_RES), "error", "true")), unschedulable("node1"), null,
                        Status.error("preemption: running RemovePod on PreFilter plugin \"test-plugin\": failed to remove pod: p")),
                c("one failed with TestPlugin and the other pass", pod("p").priority(HIGH_PRIORITY).req(LARGE_RES).obj(),
                        List.of(pod("p1").node("node1").obj(), pod("p2").node("node2").req(MEDIUM_RES).obj()), List.of(),
                        List.of(labelled(node("node1", LARGE_RES), "error", "true"), node("node2", LARGE_RES)),
                        unschedulable("node1", "node2"), "node2", Status.SUCCESS),
                c("AddPod failing while reprieving is an error", pod("p").priority(HIGH_PRIORITY).req(LARGE_RES).obj(),
                        List.of(pod("p1").node("node1").req(Objects.SMALL_RES).obj()), List.of(),
                        List.of(labelled(node("node1", LARGE_RES), "error", "add")), unschedulable("node1"), null,
                        Status.error("preemption: running AddPod on PreFilter plugin \"test-plugin\": failed to add pod: p")),
                c("pod with preemptionPolicy Never is not eligible",
                        pod("p").priority(HIGH_PRIORITY).preemptionPolicy("Never").obj(),
                        List.of(pod("p1").node("node1").obj()), List.of(), List.of(node("node1", ONE_POD)),
                        unschedulable("node1"), null,
                        Status.unschedulable("preemption: not eligible due to preemptionPolicy=Never.")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("postFilter")
    void postFilter(String name, Pod pod, List<Pod> pods, List<? extends HasMetadata> pdbs, List<Node> nodes,
                    Map<String, Status> statuses, String wantNominated, Status wantStatus) {
        FakeHandle h = handle(nodes, pods, pdbs);
        RecordingCluster cluster = new RecordingCluster();
        PostFilterResult result = run(h, cluster, pod, statuses);
        assertEquals(wantStatus, result.status());
        assertEquals(wantNominated, result.nominatedNodeName());
        if (wantStatus.isSuccess()) {
            // Every victim on the nominated node was marked and deleted.
            assertTrue(!cluster.deleted.isEmpty());
            for (String d : cluster.deleted) {
                String victim = d.substring(d.indexOf('/') + 1);
                assertEquals(wantNominated, pods.stream().filter(p -> p.getMetadata().getName().equals(victim))
                        .findFirst().orElseThrow().getSpec().getNodeName());
            }
            assertEquals(cluster.deleted.size(), cluster.patches.size());
        } else {
            assertTrue(cluster.deleted.isEmpty());
        }
    }

    @Test
    void victimsGetADisruptionTargetConditionThenAreDeleted() {
        FakeHandle h = handle(List.of(node("node1", ONE_POD)), List.of(pod("p1").node("node1").obj()), List.of());
        RecordingCluster cluster = new RecordingCluster();
        PostFilterResult r = run(h, cluster, pod("p").priority(HIGH_PRIORITY).obj(), unschedulable("node1"));
        assertEquals(PostFilterResult.nominated("node1"), r);
        assertEquals(List.of("default/p1 {\"status\":{\"conditions\":[{\"type\":\"DisruptionTarget\",\"status\":\"True\","
                + "\"lastTransitionTime\":\"2026-11-26T20:00:00Z\",\"reason\":\"PreemptionByScheduler\","
                + "\"message\":\"default-scheduler: preempting to accommodate a higher priority pod\"}]}}"), cluster.patches);
        assertEquals(List.of("default/p1"), cluster.deleted);
    }

    @Test
    void aVictimAlreadyGoneIsFine() {
        FakeHandle h = handle(List.of(node("node1", ONE_POD)), List.of(pod("p1").node("node1").obj()), List.of());
        RecordingCluster cluster = new RecordingCluster();
        cluster.gone = Set.of("p1");
        assertEquals(PostFilterResult.nominated("node1"),
                run(h, cluster, pod("p").priority(HIGH_PRIORITY).obj(), unschedulable("node1")));
    }

    @Test
    void aFailedVictimWriteIsAnError() {
        FakeHandle h = handle(List.of(node("node1", ONE_POD)), List.of(pod("p1").node("node1").obj()), List.of());
        RecordingCluster cluster = new RecordingCluster();
        cluster.failing = Set.of("p1");
        PostFilterResult r = run(h, cluster, pod("p").priority(HIGH_PRIORITY).obj(), unschedulable("node1"));
        assertEquals(Status.Code.ERROR, r.status().code());
        assertEquals("preemption: pods \"p1\" is forbidden", r.status().message());
        assertNull(r.nominatedNodeName());
    }

    @Test
    void aWaitingVictimIsRejectedNotDeleted() {
        FakeHandle h = handle(List.of(node("node1", ONE_POD)), List.of(pod("p1").node("node1").obj()), List.of());
        List<String> rejected = new ArrayList<>();
        Pod p1 = h.nodes.get(0).pods().get(0).pod();
        h.waiting.put("p1", new WaitingPod() {
            public Pod pod() {
                return p1;
            }

            public String nodeName() {
                return "node1";
            }

            public Set<String> pendingPlugins() {
                return Set.of("gang");
            }

            public void allow(String pluginName) {
            }

            public void reject(String pluginName, String message) {
                rejected.add(pluginName + ": " + message);
            }
        });
        RecordingCluster cluster = new RecordingCluster();
        assertEquals(PostFilterResult.nominated("node1"),
                run(h, cluster, pod("p").priority(HIGH_PRIORITY).obj(), unschedulable("node1")));
        assertEquals(List.of("DefaultPreemption: preempted"), rejected);
        assertTrue(cluster.deleted.isEmpty());
    }

    @Test
    void lowerPriorityPodsNominatedToTheNodeLoseTheirNomination() {
        FakeHandle h = handle(List.of(node("node1", ONE_POD)), List.of(pod("p1").node("node1").obj()), List.of());
        h.nominated.put("node1", List.of(PodInfo.of(pod("low").priority(LOW_PRIORITY).nominated("node1").obj()),
                PodInfo.of(pod("high").priority(VERY_HIGH_PRIORITY).nominated("node1").obj())));
        RecordingCluster cluster = new RecordingCluster();
        run(h, cluster, pod("p").priority(HIGH_PRIORITY).obj(), unschedulable("node1"));
        assertEquals("default/low {\"status\":{\"nominatedNodeName\":null}}", cluster.patches.get(1));
        assertEquals(2, cluster.patches.size());
    }

    @Test
    void whenPreemptionCannotHelpAnywhereThePodLosesItsNomination() {
        FakeHandle h = handle(List.of(node("node1", ONE_POD)), List.of(pod("p1").node("node1").obj()), List.of());
        RecordingCluster cluster = new RecordingCluster();
        PostFilterResult r = run(h, cluster, pod("p").priority(HIGH_PRIORITY).nominated("node1").obj(), Map.of());
        assertEquals("", r.nominatedNodeName());
        assertEquals(List.of("default/p {\"status\":{\"nominatedNodeName\":null}}"), cluster.patches);
    }

    @Test
    void theDryRunStopsOnceItHasEnoughCandidatesStartingAtTheOffset() {
        List<Node> nodes = new ArrayList<>();
        List<Pod> pods = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            nodes.add(node("node" + i, ONE_POD));
            pods.add(pod("p" + i).node("node" + i).obj());
        }
        FakeHandle h = handle(nodes, pods, List.of());
        RecordingCluster cluster = new RecordingCluster();
        Pod pod = pod("p").priority(HIGH_PRIORITY).obj();
        CycleState state = new CycleState();
        h.preFilter(state, pod);
        DefaultPreemption pl = new DefaultPreemption(new PreemptionArgs(0, 1), h, cluster, n -> 2, CLOCK);
        DefaultPreemption.DryRun run = pl.dryRunPreemption(state, pod, h.nodes, List.of(), 2, 1);
        assertEquals(List.of("node3"), run.candidates().stream().map(DefaultPreemption.Candidate::name).toList());
        assertEquals(PostFilterResult.nominated("node3"),
                pl.postFilter(state, pod, unschedulable("node1", "node2", "node3", "node4")));
    }

    static Stream<Arguments> eligibility() {
        Pod victimTerminating = pod("p1").priority(LOW_PRIORITY).node("node1").terminating()
                .condition("DisruptionTarget", "True", "PreemptionByScheduler").obj();
        return Stream.of(
                Arguments.of("Pod with nominated node", pod("p").priority(HIGH_PRIORITY).nominated("node1").obj(),
                        victimTerminating, Status.unschedulable(), false),
                Arguments.of("Pod with nominated node, but without nominated node status",
                        pod("p").priority(HIGH_PRIORITY).nominated("node1").obj(), victimTerminating, null, false),
                Arguments.of("Pod without nominated node", pod("p").priority(HIGH_PRIORITY).obj(), victimTerminating,
                        Status.unschedulable(), true),
                Arguments.of("Pod with 'PreemptNever' preemption policy",
                        pod("p").priority(HIGH_PRIORITY).preemptionPolicy("Never").obj(),
                        pod("p1").priority(LOW_PRIORITY).node("node1").obj(), Status.unschedulable(), false),
                Arguments.of("non-victim Pods terminating", pod("p").priority(HIGH_PRIORITY).nominated("node1").obj(),
                        pod("p1").priority(LOW_PRIORITY).node("node1").terminating().obj(), Status.unschedulable(), true),
                Arguments.of("higher-priority Pods terminating by preemption do not count",
                        pod("p").priority(HIGH_PRIORITY).nominated("node1").obj(),
                        pod("p1").priority(VERY_HIGH_PRIORITY).node("node1").terminating()
                                .condition("DisruptionTarget", "True", "PreemptionByScheduler").obj(),
                        Status.unschedulable(), true),
                Arguments.of("Pod with nominated node, nominated node status is UnschedulableAndUnresolvable",
                        pod("p").priority(HIGH_PRIORITY).nominated("node1").obj(), victimTerminating,
                        Status.unresolvable(), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eligibility")
    void podEligibleToPreemptOthers(String name, Pod pod, Pod existing, Status nominatedStatus, boolean want) {
        FakeHandle h = handle(List.of(node("node1", ONE_POD)), List.of(existing), List.of());
        DefaultPreemption pl = plugin(h, new RecordingCluster(), PreemptionArgs.DEFAULTS);
        assertEquals(want, pl.notEligibleToPreemptOthers(pod, nominatedStatus) == null);
    }
}
