package dev.okube.scheduler.plugins.interpodaffinity;

import dev.okube.api.scheduler.testing.SnapshotHandle;

import static dev.okube.scheduler.plugins.interpodaffinity.Objs.in;
import static dev.okube.scheduler.plugins.interpodaffinity.Objs.node;
import static dev.okube.scheduler.plugins.interpodaffinity.Objs.pod;
import static dev.okube.scheduler.plugins.interpodaffinity.Objs.term;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.NodeScores;
import dev.okube.api.scheduler.Status;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Ports of upstream's scoring_test.go tables (TestPreferredAffinity, TestPreferredAffinityWithHardPodAffinitySymmetricWeight). */
class InterPodAffinityScoreTest {
    static Map<String, Long> scores(Object... nameScore) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < nameScore.length; i += 2) {
            m.put((String) nameScore[i], ((Number) nameScore[i + 1]).longValue());
        }
        return m;
    }

    static Pod sec(String name, String node, String value) {
        return pod(name).node(node).label("security", value).obj();
    }

    static final List<Node> CHINA_INDIA_AZ = List.of(node("node1", "region", "China"), node("node2", "region", "India"),
            node("node3", "az", "az1"));

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("all nodes have the same score when nothing has pod affinity", InterPodAffinityArgs.DEFAULTS,
                        pod("p").label("security", "S1").obj(), CHINA_INDIA_AZ,
                        List.of(sec("p1", "node1", "S1"), sec("p2", "node2", "S2")),
                        scores("node1", 0, "node2", 0, "node3", 0)),
                Arguments.of("preferred affinity: the node whose topology holds a matching pod scores highest",
                        InterPodAffinityArgs.DEFAULTS,
                        pod("p").preferAffinity(5, term("region", in("security", "S1"))).obj(), CHINA_INDIA_AZ,
                        List.of(sec("p1", "node1", "S1"), sec("p2", "node2", "S2"), sec("p3", "node3", "S1")),
                        scores("node1", 100, "node2", 0, "node3", 0)),
                Arguments.of("preferred affinity: every node of the matching pod's region scores the same",
                        InterPodAffinityArgs.DEFAULTS,
                        pod("p").preferAffinity(5, term("region", in("security", "S1"))).obj(),
                        List.of(node("node1", "region", "China"), node("node2", "region", "China"),
                                node("node3", "region", "India")),
                        List.of(sec("p1", "node1", "S1")), scores("node1", 100, "node2", 100, "node3", 0)),
                Arguments.of("preferred anti-affinity: the node without matching pods scores highest",
                        InterPodAffinityArgs.DEFAULTS,
                        pod("p").preferAnti(5, term("region", in("security", "S1"))).obj(),
                        List.of(node("node1", "region", "China"), node("node2", "region", "India")),
                        List.of(sec("p1", "node1", "S1"), sec("p2", "node2", "S2")), scores("node1", 0, "node2", 100)),
                Arguments.of("preferred affinity and anti-affinity together",
                        InterPodAffinityArgs.DEFAULTS,
                        pod("p").preferAffinity(8, term("region", in("security", "S1")))
                                .preferAnti(5, term("region", in("security", "S2"))).obj(),
                        List.of(node("node1", "region", "China"), node("node2", "region", "India"),
                                node("node3", "region", "Japan")),
                        List.of(sec("p1", "node1", "S1"), sec("p2", "node2", "S2")),
                        scores("node1", 100, "node2", 0, "node3", 38)),
                Arguments.of("symmetry: an existing pod's required affinity counts with hardPodAffinityWeight",
                        InterPodAffinityArgs.DEFAULTS, pod("p").label("security", "S1").obj(), CHINA_INDIA_AZ,
                        List.of(pod("p1").node("node1").affinity(term("region", in("security", "S1"))).obj(),
                                sec("p2", "node2", "S2")),
                        scores("node1", 100, "node2", 0, "node3", 0)),
                Arguments.of("symmetry: hardPodAffinityWeight 0 ignores existing pods' required affinity",
                        new InterPodAffinityArgs(0, false), pod("p").label("security", "S1").obj(), CHINA_INDIA_AZ,
                        List.of(pod("p1").node("node1").affinity(term("region", in("security", "S1"))).obj()),
                        scores("node1", 0, "node2", 0, "node3", 0)),
                Arguments.of("symmetry: an existing pod's preferred anti-affinity lowers its region",
                        InterPodAffinityArgs.DEFAULTS, pod("p").label("security", "S1").obj(),
                        List.of(node("node1", "region", "China"), node("node2", "region", "India")),
                        List.of(pod("p2").node("node2").preferAnti(5, term("region", in("security", "S1"))).obj()),
                        scores("node1", 100, "node2", 0)),
                Arguments.of("symmetry: an existing pod's preferred affinity raises its region",
                        InterPodAffinityArgs.DEFAULTS, pod("p").label("security", "S1").obj(),
                        List.of(node("node1", "region", "China"), node("node2", "region", "India")),
                        List.of(pod("p2").node("node2").preferAffinity(5, term("region", in("security", "S1"))).obj()),
                        scores("node1", 0, "node2", 100)),
                Arguments.of("ignorePreferredTermsOfExistingPods: a pod without preferred terms is not scored",
                        new InterPodAffinityArgs(1, true), pod("p").label("security", "S1").obj(),
                        List.of(node("node1", "region", "China"), node("node2", "region", "India")),
                        List.of(pod("p2").node("node2").preferAffinity(5, term("region", in("security", "S1"))).obj()),
                        scores("node1", 0, "node2", 0)),
                Arguments.of("existing pods of another namespace do not match the pod's terms",
                        InterPodAffinityArgs.DEFAULTS,
                        pod("p").preferAffinity(5, term("region", in("security", "S1"))).obj(),
                        List.of(node("node1", "region", "China"), node("node2", "region", "India")),
                        List.of(pod("p1").ns("other").node("node1").label("security", "S1").obj(), sec("p2", "node2", "S1")),
                        scores("node1", 0, "node2", 100)),
                Arguments.of("weights add up over pods and terms",
                        InterPodAffinityArgs.DEFAULTS,
                        pod("p").preferAffinity(2, term("region", in("security", "S1")))
                                .preferAffinity(3, term("zone", in("security", "S1"))).obj(),
                        List.of(node("node1", "region", "China", "zone", "z1"), node("node2", "region", "China", "zone", "z2"),
                                node("node3", "region", "India", "zone", "z3")),
                        List.of(sec("p1", "node1", "S1"), sec("p1b", "node1", "S1")),
                        // region China: 2+2 = 4; zone z1: 3+3 = 6 -> node1 10, node2 4, node3 0
                        scores("node1", 100, "node2", 40, "node3", 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void score(String name, InterPodAffinityArgs args, Pod pod, List<Node> nodes, List<Pod> existing,
            Map<String, Long> want) {
        SnapshotHandle h = new SnapshotHandle(nodes, existing);
        InterPodAffinity pl = new InterPodAffinity(args, h);
        assertEquals(want, run(pl, h, pod));
    }

    static Map<String, Long> run(InterPodAffinity pl, SnapshotHandle h, Pod pod) {
        List<NodeInfo> nodes = h.nodeInfos();
        CycleState state = new CycleState();
        Status s = pl.preScore(state, pod, nodes);
        String[] names = new String[nodes.size()];
        long[] raw = new long[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            names[i] = nodes.get(i).name();
            raw[i] = s.isSkip() ? 0 : pl.score(state, pod, nodes.get(i));
        }
        NodeScores scores = new NodeScores(names, raw);
        if (!s.isSkip()) {
            assertTrue(s.isSuccess(), s.toString());
            assertTrue(pl.scoreExtensions().normalizeScore(state, pod, scores).isSuccess());
        }
        Map<String, Long> got = new LinkedHashMap<>();
        for (int i = 0; i < scores.size(); i++) {
            got.put(scores.nodeName(i), scores.score(i));
        }
        return got;
    }

    @Test
    void preScoreSkipsWithoutFeasibleNodesOrAffinity() {
        SnapshotHandle h = new SnapshotHandle(CHINA_INDIA_AZ, List.of(sec("p1", "node1", "S1")));
        InterPodAffinity pl = new InterPodAffinity(InterPodAffinityArgs.DEFAULTS, h);
        assertTrue(pl.preScore(new CycleState(), pod("p").obj(), List.of()).isSkip());
        assertTrue(pl.preScore(new CycleState(), pod("p").obj(), h.nodeInfos()).isSkip());
    }
}
