package dev.okube.scheduler.plugins.podtopologyspread;

import dev.okube.api.scheduler.testing.SnapshotHandle;

import static dev.okube.scheduler.plugins.podtopologyspread.Objs.exists;
import static dev.okube.scheduler.plugins.podtopologyspread.Objs.node;
import static dev.okube.scheduler.plugins.podtopologyspread.Objs.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.NodeScores;
import dev.okube.api.scheduler.Status;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Ports of upstream's scoring_test.go TestPodTopologySpreadScore table (nodes = feasible, failed = in the snapshot only). */
class PodTopologySpreadScoreTest {
    static final String SA = "ScheduleAnyway";
    static final String HOST = "kubernetes.io/hostname";

    static Pod foo(String name, String node) {
        return pod(name).node(node).label("foo", "").obj();
    }

    static List<Pod> pods(String... nameNode) {
        List<Pod> out = new ArrayList<>();
        for (int i = 0; i < nameNode.length; i += 2) {
            out.add(foo(nameNode[i], nameNode[i + 1]));
        }
        return out;
    }

    static Map<String, Long> scores(Object... nameScore) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < nameScore.length; i += 2) {
            m.put((String) nameScore[i], ((Number) nameScore[i + 1]).longValue());
        }
        return m;
    }

    static Node host(String name) {
        return node(name, HOST, name);
    }

    static Node zoned(String name, String zone) {
        return node(name, "zone", zone, HOST, name);
    }

    static final List<Pod> SPREAD_2103 = pods("p-a1", "node-a", "p-a2", "node-a", "p-b1", "node-b", "p-d1", "node-d",
            "p-d2", "node-d", "p-d3", "node-d");
    static final List<Pod> SPREAD_4321 = pods("p-a1", "node-a", "p-a2", "node-a", "p-a3", "node-a", "p-a4", "node-a",
            "p-b1", "node-b", "p-b2", "node-b", "p-b3", "node-b", "p-c1", "node-c", "p-c2", "node-c", "p-d1", "node-d");
    static final List<Pod> SPREAD_4213 = pods("p-a1", "node-a", "p-a2", "node-a", "p-a3", "node-a", "p-a4", "node-a",
            "p-b1", "node-b", "p-b2", "node-b", "p-x1", "node-x", "p-y1", "node-y", "p-y2", "node-y", "p-y3", "node-y");

    static Stream<Arguments> cases() {
        List<Node> abcd = List.of(host("node-a"), host("node-b"), host("node-c"), host("node-d"));
        return Stream.of(
                Arguments.of("one constraint on node, no existing pods",
                        pod("p").label("foo", "").spread(1, HOST, SA, exists("foo")).obj(), List.of(),
                        List.of(host("node-a"), host("node-b")), List.of(), false,
                        scores("node-a", 100, "node-b", 100)),
                Arguments.of("one constraint on node, only one node is candidate",
                        pod("p").label("foo", "").spread(1, HOST, SA, exists("foo")).obj(),
                        pods("p-a1", "node-a", "p-a2", "node-a", "p-b1", "node-b"),
                        List.of(host("node-a")), List.of(host("node-b")), false, scores("node-a", 100)),
                Arguments.of("one constraint on node, all nodes have the same number of matching pods",
                        pod("p").label("foo", "").spread(1, HOST, SA, exists("foo")).obj(),
                        pods("p-a1", "node-a", "p-b1", "node-b"), List.of(host("node-a"), host("node-b")), List.of(),
                        false, scores("node-a", 100, "node-b", 100)),
                Arguments.of("one constraint on node, all 4 nodes are candidates, maxSkew=2",
                        pod("p").label("foo", "").spread(2, HOST, SA, exists("foo")).obj(), SPREAD_2103, abcd, List.of(),
                        false, scores("node-a", 33, "node-b", 66, "node-c", 100, "node-d", 16)),
                Arguments.of("one constraint on node, all 4 nodes are candidates, maxSkew=3",
                        pod("p").label("foo", "").spread(3, HOST, SA, exists("foo")).obj(), SPREAD_4321, abcd, List.of(),
                        false, scores("node-a", 44, "node-b", 66, "node-c", 77, "node-d", 100)),
                Arguments.of("system defaulting, nodes don't have zone, pods match service",
                        pod("p").label("foo", "").obj(), SPREAD_4321, abcd, List.of(), true,
                        scores("node-a", 44, "node-b", 66, "node-c", 77, "node-d", 100)),
                Arguments.of("one constraint on node, 3 out of 4 nodes are candidates",
                        pod("p").label("foo", "").spread(1, HOST, SA, exists("foo")).obj(), SPREAD_4213,
                        List.of(host("node-a"), host("node-b"), host("node-x")), List.of(host("node-y")), false,
                        scores("node-a", 33, "node-b", 83, "node-x", 100)),
                Arguments.of("one constraint on node, 3 out of 4 nodes are candidates, one node doesn't match topology key",
                        pod("p").label("foo", "").spread(1, HOST, SA, exists("foo")).obj(), SPREAD_4213,
                        List.of(host("node-a"), node("node-b", "n", "node-b"), host("node-x")), List.of(host("node-y")),
                        false, scores("node-a", 16, "node-b", 0, "node-x", 100)),
                Arguments.of("one constraint on zone, 3 out of 4 nodes are candidates",
                        pod("p").label("foo", "").spread(1, "zone", SA, exists("foo")).obj(), SPREAD_4213,
                        List.of(zoned("node-a", "zone1"), zoned("node-b", "zone1"), zoned("node-x", "zone2")),
                        List.of(zoned("node-y", "zone2")), false, scores("node-a", 75, "node-b", 75, "node-x", 100)),
                Arguments.of("two Constraints on zone and node, 2 out of 4 nodes are candidates",
                        pod("p").label("foo", "").spread(1, "zone", SA, exists("foo")).spread(1, HOST, SA, exists("foo"))
                                .obj(),
                        pods("p-a1", "node-a", "p-a2", "node-a", "p-b1", "node-b", "p-x1", "node-x", "p-x2", "node-x",
                                "p-y1", "node-y", "p-y2", "node-y", "p-y3", "node-y", "p-y4", "node-y"),
                        List.of(zoned("node-a", "zone1"), zoned("node-x", "zone2")),
                        List.of(zoned("node-b", "zone1"), zoned("node-y", "zone2")), false,
                        scores("node-a", 100, "node-x", 63)),
                Arguments.of("two Constraints on zone and node, with different labelSelectors",
                        pod("p").label("foo", "").label("bar", "").spread(1, "zone", SA, exists("foo"))
                                .spread(1, HOST, SA, exists("bar")).obj(),
                        List.of(foo("p-a1", "node-a"), pod("p-b1").node("node-b").label("foo", "").label("bar", "").obj(),
                                foo("p-y1", "node-y"), pod("p-y2").node("node-y").label("bar", "").obj()),
                        List.of(zoned("node-a", "zone1"), zoned("node-b", "zone1"), zoned("node-x", "zone2"),
                                zoned("node-y", "zone2")),
                        List.of(), false, scores("node-a", 60, "node-b", 20, "node-x", 100, "node-y", 60)),
                Arguments.of("two Constraints on zone and node, with different labelSelectors, some nodes have 0 pods",
                        pod("p").label("foo", "").label("bar", "").spread(1, "zone", SA, exists("foo"))
                                .spread(1, HOST, SA, exists("bar")).obj(),
                        List.of(pod("p-b1").node("node-b").label("bar", "").obj(), foo("p-x1", "node-x"),
                                pod("p-y1").node("node-y").label("foo", "").label("bar", "").obj()),
                        List.of(zoned("node-a", "zone1"), zoned("node-b", "zone1"), zoned("node-x", "zone2"),
                                zoned("node-y", "zone2")),
                        List.of(), false, scores("node-a", 100, "node-b", 60, "node-x", 40, "node-y", 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void score(String name, Pod pod, List<Pod> existing, List<Node> feasible, List<Node> failed, boolean systemDefaults,
            Map<String, Long> want) {
        List<Node> all = new ArrayList<>(feasible);
        all.addAll(failed);
        HasMetadata[] objs = systemDefaults
                ? new HasMetadata[] {new ServiceBuilder().withNewMetadata().withName("s").withNamespace("default")
                        .endMetadata().withNewSpec().withSelector(Map.of("foo", "")).endSpec().build()}
                : new HasMetadata[0];
        SnapshotHandle h = new SnapshotHandle(all, existing, objs);
        PodTopologySpread pl = new PodTopologySpread(
                PodTopologySpreadArgs.parse(systemDefaults ? null : PodTopologySpreadFilterTest.listArgs()), h);
        assertEquals(want, run(pl, h, pod, feasible));
    }

    static Map<String, Long> run(PodTopologySpread pl, SnapshotHandle h, Pod pod, List<Node> feasible) {
        List<NodeInfo> nodes = new ArrayList<>();
        for (Node n : feasible) {
            nodes.add(h.nodeInfo(n.getMetadata().getName()));
        }
        CycleState state = new CycleState();
        Status s = pl.preScore(state, pod, nodes);
        assertTrue(s.isSuccess(), s.toString());
        String[] names = new String[nodes.size()];
        long[] raw = new long[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            names[i] = nodes.get(i).name();
            raw[i] = pl.score(state, pod, nodes.get(i));
        }
        NodeScores scores = new NodeScores(names, raw);
        assertTrue(pl.scoreExtensions().normalizeScore(state, pod, scores).isSuccess());
        Map<String, Long> got = new LinkedHashMap<>();
        for (int i = 0; i < scores.size(); i++) {
            got.put(scores.nodeName(i), scores.score(i));
        }
        return got;
    }

    @Test
    void preScoreSkipsPodsWithoutSoftConstraints() {
        SnapshotHandle h = new SnapshotHandle(List.of(host("node-a")), List.of());
        PodTopologySpread pl = new PodTopologySpread(PodTopologySpreadArgs.parse(PodTopologySpreadFilterTest.listArgs()), h);
        assertTrue(pl.preScore(new CycleState(), pod("p").obj(), h.nodeInfos()).isSkip());
        assertTrue(pl.preScore(new CycleState(), pod("p").spread(1, HOST, "DoNotSchedule", exists("foo")).obj(),
                h.nodeInfos()).isSkip());
        // System defaults need a Service (or controller) selecting the pod.
        PodTopologySpread sys = new PodTopologySpread(PodTopologySpreadArgs.parse(null), h);
        assertTrue(sys.preScore(new CycleState(), pod("p").label("foo", "").obj(), h.nodeInfos()).isSkip());
    }

    @Test
    void systemDefaultsSpreadOverZonesToo() {
        // zone1 holds 3 matching pods, zone2 one: with the system defaults (hostname maxSkew 3, zone maxSkew 5)
        // the emptier zone's node wins.
        List<Node> nodes = List.of(node("node-a", "topology.kubernetes.io/zone", "zone1", HOST, "node-a"),
                node("node-b", "topology.kubernetes.io/zone", "zone1", HOST, "node-b"),
                node("node-x", "topology.kubernetes.io/zone", "zone2", HOST, "node-x"));
        SnapshotHandle h = new SnapshotHandle(nodes, pods("p-a1", "node-a", "p-a2", "node-a", "p-b1", "node-b", "p-x1", "node-x"),
                new ServiceBuilder().withNewMetadata().withName("s").withNamespace("default").endMetadata().withNewSpec()
                        .withSelector(Map.of("foo", "")).endSpec().build());
        PodTopologySpread pl = new PodTopologySpread(PodTopologySpreadArgs.parse(null), h);
        Map<String, Long> got = run(pl, h, pod("p").label("foo", "").obj(), nodes);
        // raw: a = 2*ln5+2 + 3*ln4+4 = 13.38 -> 13; b = ln5+2 + 3*ln4+4 = 11.77 -> 12; x = ln5+2 + ln4+4 = 8.99 -> 9
        // normalized: 100*(13+9-s)/13
        assertEquals(scores("node-a", 69, "node-b", 76, "node-x", 100), got);
    }
}
