package dev.okube.scheduler.plugins.defaultpreemption;

import static dev.okube.scheduler.plugins.defaultpreemption.Objects.HIGH_PRIORITY;
import static dev.okube.scheduler.plugins.defaultpreemption.Objects.LARGE_RES;
import static dev.okube.scheduler.plugins.defaultpreemption.Objects.LOW_PRIORITY;
import static dev.okube.scheduler.plugins.defaultpreemption.Objects.MEDIUM_RES;
import static dev.okube.scheduler.plugins.defaultpreemption.Objects.MID_PRIORITY;
import static dev.okube.scheduler.plugins.defaultpreemption.Objects.NEG_PRIORITY;
import static dev.okube.scheduler.plugins.defaultpreemption.Objects.SMALL_RES;
import static dev.okube.scheduler.plugins.defaultpreemption.Objects.VERY_LARGE_RES;
import static dev.okube.scheduler.plugins.defaultpreemption.Objects.node;
import static dev.okube.scheduler.plugins.defaultpreemption.Objects.pdb;
import static dev.okube.scheduler.plugins.defaultpreemption.Objects.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.Status;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/** Upstream's TestSelectNodesForPreemption/TestDryRunPreemption (victims and PDBs), TestSelectBestCandidate and the args. */
class SelectionTest {
    private static final String[] CAPACITY = {"cpu", "500m", "memory", "500"};

    private static DefaultPreemption.DryRun dryRun(Pod pod, List<Pod> pods, List<PodDisruptionBudget> pdbs, String... nodes) {
        List<Node> ns = new ArrayList<>();
        for (String n : nodes) {
            ns.add(node(n, CAPACITY));
        }
        FakeHandle h = DefaultPreemptionTest.handle(ns, pods, pdbs);
        CycleState state = new CycleState();
        h.preFilter(state, pod);
        DefaultPreemption pl = DefaultPreemptionTest.plugin(h, new RecordingCluster(), PreemptionArgs.DEFAULTS);
        return pl.dryRunPreemption(state, pod, h.nodes, pdbs, 0, nodes.length);
    }

    private static String victims(DefaultPreemption.DryRun run) {
        StringBuilder sb = new StringBuilder();
        for (DefaultPreemption.Candidate c : run.candidates()) {
            sb.append(c.name()).append(c.victims().stream().map(p -> p.getMetadata().getName()).toList())
                    .append(" pdb=").append(c.numPdbViolations()).append("; ");
        }
        return sb.toString().trim();
    }

    static Stream<Arguments> dryRun() {
        return Stream.of(
                Arguments.of("a pod that does not fit on any node",
                        pod("p").priority(HIGH_PRIORITY).req("cpu", "600m").obj(),
                        List.of(pod("p1").priority(MID_PRIORITY).node("node1").req(SMALL_RES).obj()), List.of(),
                        "", "node1=Insufficient cpu"),
                Arguments.of("a pod that fits with no preemption victims",
                        pod("p").priority(HIGH_PRIORITY).req(SMALL_RES).obj(),
                        List.of(pod("p1").priority(HIGH_PRIORITY).node("node1").req(SMALL_RES).obj()), List.of(),
                        "", "node1=No preemption victims found for incoming pod"),
                Arguments.of("a pod that fits on one node when lower priority pods are preempted",
                        pod("p").priority(HIGH_PRIORITY).req(LARGE_RES).obj(),
                        List.of(pod("p1").priority(MID_PRIORITY).node("node1").req(MEDIUM_RES).obj(),
                                pod("p2").priority(MID_PRIORITY).node("node1").req(MEDIUM_RES).startTime("2026-11-26T10:00:00Z").obj()),
                        List.of(), "node1[p1] pdb=0;", ""),
                Arguments.of("lower priority pods are preempted before higher ones",
                        pod("p").priority(HIGH_PRIORITY).req(LARGE_RES).obj(),
                        List.of(pod("p1").priority(LOW_PRIORITY).node("node1").req(SMALL_RES).obj(),
                                pod("p2").priority(MID_PRIORITY).node("node1").req(MEDIUM_RES).obj(),
                                pod("p3").priority(NEG_PRIORITY).node("node1").req(SMALL_RES).obj()),
                        List.of(), "node1[p1, p3] pdb=0;", ""),
                Arguments.of("the pod that started earlier is reprieved first (victims most important first)",
                        pod("p").priority(HIGH_PRIORITY).req(VERY_LARGE_RES).obj(),
                        List.of(pod("p1").priority(LOW_PRIORITY).node("node1").req(MEDIUM_RES).startTime("2026-11-26T12:00:00Z").obj(),
                                pod("p2").priority(LOW_PRIORITY).node("node1").req(MEDIUM_RES).startTime("2026-11-26T11:00:00Z").obj()),
                        List.of(), "node1[p2, p1] pdb=0;", ""),
                Arguments.of("pods matching a PDB with room are victims without violation",
                        pod("p").priority(HIGH_PRIORITY).req(MEDIUM_RES).obj(),
                        List.of(pod("p1").label("app", "foo").priority(LOW_PRIORITY).node("node1").req(MEDIUM_RES).startTime("2026-11-26T10:00:00Z").obj(),
                                pod("p2").label("app", "foo").priority(LOW_PRIORITY).node("node1").req(MEDIUM_RES).startTime("2026-11-26T11:00:00Z").obj(),
                                pod("p3").priority(LOW_PRIORITY).node("node1").req("cpu", "100m").startTime("2026-11-26T12:00:00Z").obj()),
                        List.of(pdb("pdb", "app", "foo", 1)), "node1[p1] pdb=0;", ""),
                Arguments.of("PDB-violating pods are reprieved first, and counted when they cannot be",
                        pod("p").priority(HIGH_PRIORITY).req(LARGE_RES).obj(),
                        List.of(pod("p1").label("app", "foo").priority(LOW_PRIORITY).node("node1").req(MEDIUM_RES).startTime("2026-11-26T10:00:00Z").obj(),
                                pod("p2").label("app", "foo").priority(LOW_PRIORITY).node("node1").req(MEDIUM_RES).startTime("2026-11-26T11:00:00Z").obj()),
                        List.of(pdb("pdb", "app", "foo", 0)), "node1[p2] pdb=1;", ""),
                Arguments.of("a pod already in disruptedPods does not spend the budget",
                        pod("p").priority(HIGH_PRIORITY).req(LARGE_RES).obj(),
                        List.of(pod("p1").label("app", "foo").priority(LOW_PRIORITY).node("node1").req(MEDIUM_RES).startTime("2026-11-26T10:00:00Z").obj(),
                                pod("p2").label("app", "foo").priority(LOW_PRIORITY).node("node1").req(MEDIUM_RES).startTime("2026-11-26T11:00:00Z").obj()),
                        List.of(pdb("pdb", "app", "foo", 0, "p2")), "node1[p2] pdb=0;", ""),
                Arguments.of("a PDB of another namespace does not count",
                        pod("p").priority(HIGH_PRIORITY).req(LARGE_RES).obj(),
                        List.of(pod("p1").label("app", "foo").priority(LOW_PRIORITY).node("node1").req(LARGE_RES).obj()),
                        List.of(new io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder(pdb("pdb", "app", "foo", 0))
                                .editMetadata().withNamespace("other").endMetadata().build()),
                        "node1[p1] pdb=0;", ""),
                Arguments.of("candidates without PDB violations come first",
                        pod("p").priority(HIGH_PRIORITY).req(LARGE_RES).obj(),
                        List.of(pod("p1").label("app", "foo").priority(LOW_PRIORITY).node("node1").req(LARGE_RES).obj(),
                                pod("p2").priority(LOW_PRIORITY).node("node2").req(LARGE_RES).obj()),
                        List.of(pdb("pdb", "app", "foo", 0)), "node2[p2] pdb=0; node1[p1] pdb=1;", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dryRun")
    void dryRunPreemption(String name, Pod pod, List<Pod> pods, List<PodDisruptionBudget> pdbs, String want,
                          String wantStatuses) {
        DefaultPreemption.DryRun run = dryRun(pod, pods, pdbs, "node1", "node2");
        assertEquals(want, victims(run).replace("node2[] ", ""));
        StringBuilder statuses = new StringBuilder();
        run.nodeStatuses().entrySet().stream().filter(e -> !e.getKey().equals("node2") || !want.isEmpty())
                .sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> statuses.append(e.getKey()).append('=').append(e.getValue().message()));
        assertEquals(wantStatuses.isEmpty() ? "" : wantStatuses,
                statuses.toString().replace("node2=No preemption victims found for incoming pod", ""));
    }

    static DefaultPreemption.Candidate cand(String node, int pdbViolations, Pod... victims) {
        return new DefaultPreemption.Candidate(node, List.of(victims), pdbViolations);
    }

    static Stream<Arguments> selectCandidate() {
        return Stream.of(
                Arguments.of("a node with the fewest PDB violations is picked", List.of(
                        cand("node1", 1, pod("p1").priority(LOW_PRIORITY).obj()),
                        cand("node2", 0, pod("p2").priority(HIGH_PRIORITY).obj())), "node2"),
                Arguments.of("a node with min highest priority pod is picked", List.of(
                        cand("node1", 0, pod("p1").priority(MID_PRIORITY).obj(), pod("p1b").priority(LOW_PRIORITY).obj()),
                        cand("node2", 0, pod("p2").priority(LOW_PRIORITY).obj(), pod("p2b").priority(LOW_PRIORITY).obj()),
                        cand("node3", 0, pod("p3").priority(HIGH_PRIORITY).obj())), "node2"),
                Arguments.of("when highest priorities are the same, minimum sum of lower priority pods is picked", List.of(
                        cand("node1", 0, pod("p1").priority(MID_PRIORITY).obj(), pod("p1b").priority(LOW_PRIORITY).obj()),
                        cand("node2", 0, pod("p2").priority(MID_PRIORITY).obj(), pod("p2b").priority(NEG_PRIORITY).obj())),
                        "node2"),
                Arguments.of("negative priorities: fewer pods with the same priority win the sum", List.of(
                        cand("node1", 0, pod("p1").priority(NEG_PRIORITY).obj(), pod("p1b").priority(NEG_PRIORITY).obj()),
                        cand("node2", 0, pod("p2").priority(NEG_PRIORITY).obj())), "node2"),
                Arguments.of("when the sum of priorities is the same, the node with fewer pods is picked", List.of(
                        cand("node1", 0, pod("p1").priority(MID_PRIORITY).obj(), pod("p1b").priority(LOW_PRIORITY).obj(),
                                pod("p1c").priority(LOW_PRIORITY).obj()),
                        cand("node2", 0, pod("p2").priority(MID_PRIORITY).obj(), pod("p2b").priority(LOW_PRIORITY).obj())),
                        "node2"),
                Arguments.of("the node whose highest priority victims started latest is picked", List.of(
                        cand("node1", 0, pod("p1").priority(MID_PRIORITY).startTime("2026-11-26T10:00:00Z").obj(),
                                pod("p1b").priority(LOW_PRIORITY).startTime("2026-11-26T18:00:00Z").obj()),
                        cand("node2", 0, pod("p2").priority(MID_PRIORITY).startTime("2026-11-26T12:00:00Z").obj(),
                                pod("p2b").priority(LOW_PRIORITY).startTime("2026-11-26T01:00:00Z").obj()),
                        cand("node3", 0, pod("p3").priority(MID_PRIORITY).startTime("2026-11-26T11:00:00Z").obj(),
                                pod("p3b").priority(LOW_PRIORITY).startTime("2026-11-26T19:00:00Z").obj())), "node2"),
                Arguments.of("a victim that has not started counts as starting now", List.of(
                        cand("node1", 0, pod("p1").priority(MID_PRIORITY).startTime("2026-11-26T10:00:00Z").obj()),
                        cand("node2", 0, pod("p2").priority(MID_PRIORITY).obj())), "node2"),
                Arguments.of("still tied: the first candidate", List.of(
                        cand("node1", 0, pod("p1").priority(MID_PRIORITY).startTime("2026-11-26T10:00:00Z").obj()),
                        cand("node2", 0, pod("p2").priority(MID_PRIORITY).startTime("2026-11-26T10:00:00Z").obj())), "node1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("selectCandidate")
    void selectCandidate(String name, List<DefaultPreemption.Candidate> candidates, String want) {
        DefaultPreemption pl = DefaultPreemptionTest.plugin(new FakeHandle(), new RecordingCluster(), PreemptionArgs.DEFAULTS);
        assertEquals(want, pl.selectCandidate(candidates).name());
    }

    @ParameterizedTest(name = "{0} nodes, {1}%, min {2} -> {3}")
    @CsvSource({"10,10,100,10", "1000,10,100,100", "1000,40,100,400", "1000,10,1,100", "5000,10,100,500",
        "50,0,3,3", "10,100,0,10"})
    void numCandidates(int numNodes, int percentage, int absolute, int want) {
        assertEquals(want, new PreemptionArgs(percentage, absolute).numCandidates(numNodes));
    }

    @Test
    void args() {
        JsonMapper json = JsonMapper.builder().build();
        assertEquals(new PreemptionArgs(10, 100), PreemptionArgs.parse(null));
        assertEquals(new PreemptionArgs(10, 100), PreemptionArgs.parse(json.readTree("{}")));
        assertEquals(new PreemptionArgs(50, 100), PreemptionArgs.parse(json.readTree("{\"minCandidateNodesPercentage\":50}")));
        assertEquals(new PreemptionArgs(10, 3), PreemptionArgs.parse(json.readTree(
                "{\"kind\":\"DefaultPreemptionArgs\",\"minCandidateNodesAbsolute\":3}")));
        for (String[] bad : new String[][] {
            {"{\"minCandidateNodesPercentage\":-1}", "minCandidateNodesPercentage: Invalid value: -1: not in valid range [0, 100]"},
            {"{\"minCandidateNodesPercentage\":900}", "not in valid range [0, 100]"},
            {"{\"minCandidateNodesAbsolute\":-1}", "minCandidateNodesAbsolute: Invalid value: -1: not in valid range [0, inf)"},
            {"{\"minCandidateNodesPercentage\":0,\"minCandidateNodesAbsolute\":0}", "cannot be zero at the same time"},
            {"{\"minCandidateNodesPercentage\":\"10\"}", "must be an integer"},
            {"{\"minCandidateNodes\":10}", "unknown field \"minCandidateNodes\""}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PreemptionArgs.parse(json.readTree(bad[0])));
            assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
        }
    }

    @Test
    void fitErrorMessage() {
        assertEquals("0/3 nodes are available: 1 Insufficient cpu, 2 Preemption is not helpful for scheduling.",
                DefaultPreemption.fitError(3, java.util.Map.of("n1", Status.unschedulable("Insufficient cpu"))));
        assertEquals("0/2 nodes are available: 2 Insufficient cpu, 2 Insufficient memory.",
                DefaultPreemption.fitError(2, java.util.Map.of("n1", Status.unschedulable("Insufficient cpu", "Insufficient memory"),
                        "n2", Status.unschedulable("Insufficient cpu", "Insufficient memory"))));
    }

    @Test
    void noNodesIsAnError() {
        FakeHandle h = new FakeHandle();
        DefaultPreemption pl = DefaultPreemptionTest.plugin(h, new RecordingCluster(), PreemptionArgs.DEFAULTS);
        assertEquals(Status.error("preemption: no nodes available"),
                pl.postFilter(new CycleState(), pod("p").priority(HIGH_PRIORITY).obj(), java.util.Map.of()).status());
    }

    @Test
    void dryRunWorksOnCopies() {
        FakeHandle h = DefaultPreemptionTest.handle(List.of(node("node1", CAPACITY)),
                List.of(pod("p1").priority(LOW_PRIORITY).node("node1").req(VERY_LARGE_RES).obj()), List.of());
        Pod pod = pod("p").priority(HIGH_PRIORITY).req(LARGE_RES).obj();
        CycleState state = new CycleState();
        h.preFilter(state, pod);
        NodeInfo before = h.nodes.get(0);
        DefaultPreemptionTest.plugin(h, new RecordingCluster(), PreemptionArgs.DEFAULTS)
                .dryRunPreemption(state, pod, h.nodes, List.of(), 0, 1);
        assertEquals(1, before.pods().size());
        assertEquals(500, before.requested().milliCpu());
        assertEquals(Set.of(), state.skipFilterPlugins());
    }
}
