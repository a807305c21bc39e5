package dev.okube.scheduler.plugins.interpodaffinity;

import dev.okube.api.scheduler.testing.SnapshotHandle;

import static dev.okube.scheduler.plugins.interpodaffinity.Objs.in;
import static dev.okube.scheduler.plugins.interpodaffinity.Objs.namespace;
import static dev.okube.scheduler.plugins.interpodaffinity.Objs.node;
import static dev.okube.scheduler.plugins.interpodaffinity.Objs.pod;
import static dev.okube.scheduler.plugins.interpodaffinity.Objs.sel;
import static dev.okube.scheduler.plugins.interpodaffinity.Objs.term;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.PodInfo;
import dev.okube.api.scheduler.PreFilterResult;
import dev.okube.api.scheduler.Status;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Ports of upstream's filtering_test.go tables (TestRequiredAffinitySingleNode, TestRequiredAffinityMultipleNodes). */
class InterPodAffinityFilterTest {
    static final Status OK = Status.SUCCESS;
    static final Status AFF = Status.unresolvable("node(s) didn't match pod affinity rules");
    static final Status ANTI = Status.unschedulable("node(s) didn't match pod anti-affinity rules");
    static final Status EXISTING = Status.unschedulable("node(s) didn't satisfy existing pods anti-affinity rules");

    static final Node NODE1 = node("node1", "region", "r1", "zone", "z11", "kubernetes.io/hostname", "node1");

    static Pod securityscan(String name, String ns) {
        return pod(name).ns(ns).node("node1").label("service", "securityscan").obj();
    }

    static LabelSelector two(String k1, String op1, String k2, String op2, String... values2) {
        return new LabelSelectorBuilder().addNewMatchExpression().withKey(k1).withOperator(op1).endMatchExpression()
                .addNewMatchExpression().withKey(k2).withOperator(op2).withValues(values2).endMatchExpression().build();
    }

    static PodAffinityTerm nsTerm(String topologyKey, LabelSelector selector, LabelSelector nsSelector) {
        return new PodAffinityTermBuilder().withTopologyKey(topologyKey).withLabelSelector(selector)
                .withNamespaceSelector(nsSelector).build();
    }

    static Stream<Arguments> singleNode() {
        LabelSelector team1 = new LabelSelectorBuilder().withMatchLabels(Map.of("team", "team1")).build();
        return Stream.of(
                Arguments.of("a pod without required pod affinity can go to a node without pods",
                        pod("p").obj(), List.of(), new HasMetadata[0], OK),
                Arguments.of("affinity In operator matching the existing pod",
                        pod("p").affinity(term("region", in("service", "securityscan", "value2"))).obj(),
                        List.of(securityscan("e", "default")), new HasMetadata[0], OK),
                Arguments.of("affinity NotIn operator matching the existing pod",
                        pod("p").affinity(term("region", sel("service", "NotIn", "securityscan3", "value3"))).obj(),
                        List.of(securityscan("e", "default")), new HasMetadata[0], OK),
                Arguments.of("affinity does not match an existing pod of another namespace",
                        pod("p").affinity(term("region", in("service", "securityscan", "value2"))).obj(),
                        List.of(securityscan("e", "ns")), new HasMetadata[0], AFF),
                Arguments.of("affinity with a selector that does not match the existing pod",
                        pod("p").affinity(term("region", in("service", "antivirusscan", "value2"))).obj(),
                        List.of(securityscan("e", "default")), new HasMetadata[0], AFF),
                Arguments.of("affinity with different operators in multiple terms",
                        pod("p").affinity(term("region", two("service", "Exists", "wrongkey", "DoesNotExist")),
                                term("region", two("service", "Exists", "service", "NotIn", "WrongValue"))).obj(),
                        List.of(securityscan("e", "default")), new HasMetadata[0], OK),
                Arguments.of("matchExpressions are ANDed: one item does not match",
                        pod("p").affinity(term("region", two("service", "Exists", "wrongkey", "DoesNotExist")),
                                term("region", two("service", "Exists", "service", "In", "securityscan2"))).obj(),
                        List.of(securityscan("e", "default")), new HasMetadata[0], AFF),
                Arguments.of("affinity and anti-affinity both satisfied",
                        pod("p").affinity(term("region", in("service", "securityscan"))).anti(term("zone",
                                in("service", "antivirusscan"))).obj(),
                        List.of(securityscan("e", "default")), new HasMetadata[0], OK),
                Arguments.of("affinity satisfied but anti-affinity not",
                        pod("p").affinity(term("region", in("service", "securityscan"))).anti(term("zone",
                                in("service", "securityscan"))).obj(),
                        List.of(securityscan("e", "default")), new HasMetadata[0], ANTI),
                Arguments.of("affinity and anti-affinity satisfied but not the existing pod's anti-affinity (symmetry)",
                        pod("p").label("service", "securityscan").affinity(term("region", in("service", "securityscan")))
                                .anti(term("zone", in("service", "antivirusscan"))).obj(),
                        List.of(pod("e").node("node1").label("service", "securityscan")
                                .anti(term("zone", in("service", "securityscan"))).obj()),
                        new HasMetadata[0], EXISTING),
                Arguments.of("an existing pod's anti-affinity applies to a pod without any affinity",
                        pod("p").label("service", "securityscan").obj(),
                        List.of(pod("e").node("node1").label("service", "x").anti(term("zone", in("service", "securityscan")))
                                .obj()),
                        new HasMetadata[0], EXISTING),
                Arguments.of("an existing pod's anti-affinity that does not match the pod",
                        pod("p").label("service", "securityscan").obj(),
                        List.of(pod("e").node("node1").label("service", "x").anti(term("zone", in("service", "antivirusscan")))
                                .obj()),
                        new HasMetadata[0], OK),
                Arguments.of("an existing pod's anti-affinity with a topology key the node lacks",
                        pod("p").label("service", "securityscan").obj(),
                        List.of(pod("e").node("node1").anti(term("rack", in("service", "securityscan"))).obj()),
                        new HasMetadata[0], OK),
                Arguments.of("both anti-affinities match: the incoming pod's is reported first",
                        pod("p").label("service", "securityscan").anti(term("zone", in("service", "securityscan"))).obj(),
                        List.of(pod("e").node("node1").label("service", "securityscan")
                                .anti(term("zone", in("service", "securityscan"))).obj()),
                        new HasMetadata[0], ANTI),
                Arguments.of("affinity with a matching namespace selector",
                        pod("p").affinity(nsTerm("region", in("service", "securityscan"), team1)).obj(),
                        List.of(securityscan("e", "subteam")), new HasMetadata[] {namespace("subteam", "team", "team1")}, OK),
                Arguments.of("affinity with a non-matching namespace selector",
                        pod("p").affinity(nsTerm("region", in("service", "securityscan"), team1)).obj(),
                        List.of(securityscan("e", "subteam")), new HasMetadata[] {namespace("subteam", "team", "team2")}, AFF),
                Arguments.of("affinity with an empty namespace selector matches every namespace",
                        pod("p").affinity(nsTerm("region", in("service", "securityscan"), new LabelSelector())).obj(),
                        List.of(securityscan("e", "elsewhere")), new HasMetadata[0], OK),
                Arguments.of("anti-affinity with a matching namespace selector",
                        pod("p").anti(nsTerm("zone", in("service", "securityscan"), team1)).obj(),
                        List.of(securityscan("e", "subteam")), new HasMetadata[] {namespace("subteam", "team", "team1")}, ANTI),
                Arguments.of("an existing pod's anti-affinity selecting the pod's namespace by labels",
                        pod("p").label("service", "securityscan").obj(),
                        List.of(pod("e").ns("other").node("node1")
                                .anti(nsTerm("zone", in("service", "securityscan"), team1)).obj()),
                        new HasMetadata[] {namespace("default", "team", "team1")}, EXISTING),
                Arguments.of("an existing pod's anti-affinity not selecting the pod's namespace",
                        pod("p").label("service", "securityscan").obj(),
                        List.of(pod("e").ns("other").node("node1")
                                .anti(nsTerm("zone", in("service", "securityscan"), team1)).obj()),
                        new HasMetadata[] {namespace("default", "team", "team2")}, OK));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("singleNode")
    void singleNode(String name, Pod pod, List<Pod> existing, HasMetadata[] objs, Status want) {
        Map<String, Status> got = filterAll(pod, List.of(NODE1), existing, objs);
        assertEquals(want, got.get("node1"));
    }

    static Map<String, Status> filterAll(Pod pod, List<Node> nodes, List<Pod> existing, HasMetadata... objs) {
        SnapshotHandle h = new SnapshotHandle(nodes, existing, objs);
        InterPodAffinity pl = new InterPodAffinity(InterPodAffinityArgs.DEFAULTS, h);
        CycleState state = new CycleState();
        PreFilterResult r = pl.preFilter(state, pod, h.nodeInfos());
        Map<String, Status> got = new LinkedHashMap<>();
        for (NodeInfo n : h.nodeInfos()) {
            got.put(n.name(), r.status().isSkip() ? OK : pl.filter(state, pod, n));
        }
        return got;
    }

    static Map<String, Status> want(Object... nameStatus) {
        Map<String, Status> m = new LinkedHashMap<>();
        for (int i = 0; i < nameStatus.length; i += 2) {
            m.put((String) nameStatus[i], (Status) nameStatus[i + 1]);
        }
        return m;
    }

    static Stream<Arguments> multipleNodes() {
        return Stream.of(
                Arguments.of("the first pod of a self-affine collection may go to any node",
                        pod("p").label("foo", "bar").affinity(term("zone", in("foo", "bar"))).obj(),
                        List.of(node("nodeA", "zone", "az1"), node("nodeB", "zone", "az2")), List.of(),
                        want("nodeA", OK, "nodeB", OK)),
                Arguments.of("the first pod of the collection needs nodes with every topology key",
                        pod("p").label("foo", "bar").affinity(term("zone", in("foo", "bar")), term("region", in("foo", "bar")))
                                .obj(),
                        List.of(node("nodeA", "zone", "az1", "region", "r1"), node("nodeB", "zone", "az2")), List.of(),
                        want("nodeA", OK, "nodeB", AFF)),
                Arguments.of("a pod not matching its own affinity is not the first of a collection",
                        pod("p").label("foo", "baz").affinity(term("zone", in("foo", "bar"))).obj(),
                        List.of(node("nodeA", "zone", "az1"), node("nodeB", "zone", "az2")), List.of(),
                        want("nodeA", AFF, "nodeB", AFF)),
                Arguments.of("nodes of the zone of a matching pod fit, others not",
                        pod("p").label("foo", "bar").affinity(term("zone", in("foo", "bar"))).obj(),
                        List.of(node("nodeA", "zone", "az1"), node("nodeB", "zone", "az1"), node("nodeC", "zone", "az2")),
                        List.of(pod("e").node("nodeA").label("foo", "bar").obj()),
                        want("nodeA", OK, "nodeB", OK, "nodeC", AFF)),
                Arguments.of("anti-affinity rules out every node of the zone of a matching pod; another namespace does not count",
                        pod("p").anti(term("zone", in("foo", "bar"))).obj(),
                        List.of(node("nodeA", "zone", "az1"), node("nodeB", "zone", "az1"), node("nodeC", "zone", "az2")),
                        List.of(pod("e").node("nodeA").label("foo", "bar").obj(),
                                pod("e2").ns("other").node("nodeC").label("foo", "bar").obj()),
                        want("nodeA", ANTI, "nodeB", ANTI, "nodeC", OK)),
                Arguments.of("anti-affinity matches when any term matches",
                        pod("p").anti(term("zone", in("foo", "bar")), term("region", in("foo", "nope"))).obj(),
                        List.of(node("nodeA", "zone", "az1", "region", "r1"), node("nodeB", "zone", "az2", "region", "r1")),
                        List.of(pod("e").node("nodeA").label("foo", "bar").obj()),
                        want("nodeA", ANTI, "nodeB", OK)),
                Arguments.of("an existing pod's hostname anti-affinity rules out only its node",
                        pod("p").label("app", "db").obj(),
                        List.of(node("nodeA", "kubernetes.io/hostname", "nodeA"), node("nodeB", "kubernetes.io/hostname", "nodeB")),
                        List.of(pod("e").node("nodeA").label("app", "db").anti(term("kubernetes.io/hostname", in("app", "db")))
                                .obj()),
                        want("nodeA", EXISTING, "nodeB", OK)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("multipleNodes")
    void multipleNodes(String name, Pod pod, List<Node> nodes, List<Pod> existing, Map<String, Status> want) {
        assertEquals(want, filterAll(pod, nodes, existing));
    }

    @Test
    void preFilterSkipsPodsWithoutAffinityWhenNoExistingAntiAffinityMatches() {
        SnapshotHandle h = new SnapshotHandle(List.of(NODE1), List.of(securityscan("e", "default")));
        InterPodAffinity pl = new InterPodAffinity(InterPodAffinityArgs.DEFAULTS, h);
        assertTrue(pl.preFilter(new CycleState(), pod("p").obj(), h.nodeInfos()).status().isSkip());
    }

    @Test
    void filterWithoutPreFilterIsAnError() {
        SnapshotHandle h = new SnapshotHandle(List.of(NODE1), List.of());
        InterPodAffinity pl = new InterPodAffinity(InterPodAffinityArgs.DEFAULTS, h);
        assertEquals(Status.Code.ERROR, pl.filter(new CycleState(), pod("p").obj(), h.nodeInfo("node1")).code());
    }

    @Test
    void addAndRemovePodUpdateTheCountsOfACopy() {
        List<Node> nodes = List.of(node("nodeA", "zone", "az1"), node("nodeB", "zone", "az2"));
        Pod victim = pod("e").node("nodeA").label("foo", "bar").obj();
        SnapshotHandle h = new SnapshotHandle(nodes, List.of(victim));
        InterPodAffinity pl = new InterPodAffinity(InterPodAffinityArgs.DEFAULTS, h);
        Pod p = pod("p").label("app", "x").anti(term("zone", in("foo", "bar"))).obj();
        CycleState state = new CycleState();
        pl.preFilter(state, p, h.nodeInfos());
        assertEquals(ANTI, pl.filter(state, p, h.nodeInfo("nodeA")));

        CycleState copy = state.copy();
        assertEquals(OK, pl.preFilterExtensions().removePod(copy, p, PodInfo.of(victim), h.nodeInfo("nodeA")));
        assertEquals(OK, pl.filter(copy, p, h.nodeInfo("nodeA")));
        assertEquals(ANTI, pl.filter(state, p, h.nodeInfo("nodeA")), "the original state is untouched");

        // Adding a pod whose anti-affinity matches the incoming pod rules out its zone.
        Pod blocker = pod("b").node("nodeB").anti(term("zone", in("app", "x"))).obj();
        pl.preFilterExtensions().addPod(copy, p, PodInfo.of(blocker), h.nodeInfo("nodeB"));
        assertEquals(EXISTING, pl.filter(copy, p, h.nodeInfo("nodeB")));
        pl.preFilterExtensions().removePod(copy, p, PodInfo.of(blocker), h.nodeInfo("nodeB"));
        assertEquals(OK, pl.filter(copy, p, h.nodeInfo("nodeB")));
    }

    @Test
    void affinityCountsFollowAddedAndRemovedPods() {
        List<Node> nodes = List.of(node("nodeA", "zone", "az1"), node("nodeB", "zone", "az2"));
        Pod peer = pod("e").node("nodeA").label("foo", "bar").obj();
        SnapshotHandle h = new SnapshotHandle(nodes, List.of(peer));
        InterPodAffinity pl = new InterPodAffinity(InterPodAffinityArgs.DEFAULTS, h);
        Pod p = pod("p").affinity(term("zone", in("foo", "bar"))).obj();
        CycleState state = new CycleState();
        pl.preFilter(state, p, h.nodeInfos());
        assertEquals(OK, pl.filter(state, p, h.nodeInfo("nodeA")));
        assertEquals(AFF, pl.filter(state, p, h.nodeInfo("nodeB")));
        pl.preFilterExtensions().addPod(state, p, PodInfo.of(pod("e2").node("nodeB").label("foo", "bar").obj()),
                h.nodeInfo("nodeB"));
        assertEquals(OK, pl.filter(state, p, h.nodeInfo("nodeB")));
        pl.preFilterExtensions().removePod(state, p, PodInfo.of(peer), h.nodeInfo("nodeA"));
        assertEquals(AFF, pl.filter(state, p, h.nodeInfo("nodeA")));
    }
}
