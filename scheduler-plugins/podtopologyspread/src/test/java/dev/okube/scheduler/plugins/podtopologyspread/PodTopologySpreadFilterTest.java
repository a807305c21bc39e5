package dev.okube.scheduler.plugins.podtopologyspread;

import dev.okube.api.scheduler.testing.SnapshotHandle;

import static dev.okube.scheduler.plugins.podtopologyspread.Objs.exists;
import static dev.okube.scheduler.plugins.podtopologyspread.Objs.node;
import static dev.okube.scheduler.plugins.podtopologyspread.Objs.pod;
import static dev.okube.scheduler.plugins.podtopologyspread.Objs.tainted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.PodInfo;
import dev.okube.api.scheduler.PreFilterResult;
import dev.okube.api.scheduler.Status;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/** Ports of upstream's filtering_test.go tables (TestSingleConstraint, TestMultipleConstraints, TestPreFilterState*). */
class PodTopologySpreadFilterTest {
    static final String DNS = "DoNotSchedule";
    static final String SA = "ScheduleAnyway";
    static final Status OK = Status.SUCCESS;
    static final Status FAIL = Status.unschedulable("node(s) didn't match pod topology spread constraints");
    static final Status NO_LABEL = Status.unresolvable("node(s) didn't match pod topology spread constraints (missing required label)");

    static List<Node> fourNodes() {
        return List.of(node("node-a", "zone", "zone1", "node", "node-a"), node("node-b", "zone", "zone1", "node", "node-b"),
                node("node-x", "zone", "zone2", "node", "node-x"), node("node-y", "zone", "zone2", "node", "node-y"));
    }

    static Pod foo(String name, String node) {
        return pod(name).node(node).label("foo", "").obj();
    }

    static Map<String, Status> want(Status a, Status b, Status x, Status y) {
        Map<String, Status> m = new LinkedHashMap<>();
        m.put("node-a", a);
        m.put("node-b", b);
        m.put("node-x", x);
        m.put("node-y", y);
        return m;
    }

    static Stream<Arguments> singleConstraint() {
        Pod zoneFoo = pod("p").label("foo", "").spread(1, "zone", DNS, exists("foo")).obj();
        Pod nodeFoo = pod("p").label("foo", "").spread(1, "node", DNS, exists("foo")).obj();
        List<Pod> spread2103 = List.of(foo("p-a1", "node-a"), foo("p-a2", "node-a"), foo("p-b1", "node-b"),
                foo("p-y1", "node-y"), foo("p-y2", "node-y"), foo("p-y3", "node-y"));
        return Stream.of(
                Arguments.of("no existing pods", zoneFoo, fourNodes(), List.of(), want(OK, OK, OK, OK)),
                Arguments.of("no existing pods, incoming pod doesn't match itself",
                        pod("p").label("foo", "").spread(1, "zone", DNS, exists("bar")).obj(), fourNodes(), List.of(),
                        want(OK, OK, OK, OK)),
                Arguments.of("existing pods in a different namespace do not count", zoneFoo, fourNodes(),
                        List.of(foo("p-a1", "node-a"), pod("p-a2").ns("ns1").node("node-a").label("foo", "").obj(),
                                pod("p-b1").ns("ns2").node("node-b").label("foo", "").obj(), foo("p-x1", "node-x")),
                        want(OK, OK, OK, OK)),
                Arguments.of("terminating pods do not count", zoneFoo, fourNodes(),
                        List.of(foo("p-a1", "node-a"), pod("p-a2").node("node-a").label("foo", "").terminating().obj(),
                                foo("p-x1", "node-x")),
                        want(OK, OK, OK, OK)),
                Arguments.of("pods spread across zones as 3/3, all nodes fit", zoneFoo, fourNodes(),
                        List.of(foo("p-a1", "node-a"), foo("p-a2", "node-a"), foo("p-b1", "node-b"), foo("p-x1", "node-x"),
                                foo("p-y1", "node-y"), foo("p-y2", "node-y")),
                        want(OK, OK, OK, OK)),
                Arguments.of("pods spread across zones as 1/2 due to absence of label 'zone' on node-b", zoneFoo,
                        List.of(node("node-a", "zone", "zone1", "node", "node-a"), node("node-b", "zon", "zone1", "node", "node-b"),
                                node("node-x", "zone", "zone2", "node", "node-x"), node("node-y", "zone", "zone2", "node", "node-y")),
                        List.of(foo("p-a1", "node-a"), foo("p-b1", "node-b"), foo("p-x1", "node-x"), foo("p-y1", "node-y")),
                        want(OK, NO_LABEL, FAIL, FAIL)),
                Arguments.of("pod cannot be scheduled as all nodes don't have label 'rack'",
                        pod("p").label("foo", "").spread(1, "rack", DNS, exists("foo")).obj(), fourNodes(),
                        List.of(foo("p-a1", "node-a")), want(NO_LABEL, NO_LABEL, NO_LABEL, NO_LABEL)),
                Arguments.of("pods spread across nodes as 2/1/0/3, only node-x fits", nodeFoo, fourNodes(), spread2103,
                        want(FAIL, FAIL, OK, FAIL)),
                Arguments.of("pods spread across nodes as 2/1/0/3, maxSkew is 2, node-b and node-x fit",
                        pod("p").label("foo", "").spread(2, "node", DNS, exists("foo")).obj(), fourNodes(), spread2103,
                        want(FAIL, OK, OK, FAIL)),
                Arguments.of("pods spread across nodes as 2/1/0/3, but pod doesn't match itself",
                        pod("p").label("bar", "").spread(1, "node", DNS, exists("foo")).obj(), fourNodes(), spread2103,
                        want(FAIL, OK, OK, FAIL)),
                Arguments.of("pods spread across zones as 2/1, maxSkew 2, fewer domains than minDomains: global minimum is 0",
                        pod("p").label("foo", "").spread(new TopologySpreadConstraintBuilder().withMaxSkew(2)
                                .withTopologyKey("zone").withWhenUnsatisfiable(DNS).withLabelSelector(exists("foo"))
                                .withMinDomains(3)).obj(),
                        fourNodes(), List.of(foo("p-a1", "node-a"), foo("p-b1", "node-b"), foo("p-x1", "node-x")),
                        want(FAIL, FAIL, OK, OK)),
                Arguments.of("pods spread across zones as 2/1, maxSkew 2, domains reach minDomains",
                        pod("p").label("foo", "").spread(new TopologySpreadConstraintBuilder().withMaxSkew(2)
                                .withTopologyKey("zone").withWhenUnsatisfiable(DNS).withLabelSelector(exists("foo"))
                                .withMinDomains(2)).obj(),
                        fourNodes(), List.of(foo("p-a1", "node-a"), foo("p-b1", "node-b"), foo("p-x1", "node-x")),
                        want(OK, OK, OK, OK)),
                Arguments.of("nodeAffinityPolicy Honor (default): a zone the pod cannot go to is not a domain",
                        pod("p").label("foo", "").nodeSelector("ssd", "true").spread(1, "zone", DNS, exists("foo")).obj(),
                        List.of(node("node-a", "zone", "zone1", "ssd", "true"), node("node-b", "zone", "zone1", "ssd", "true"),
                                node("node-x", "zone", "zone2", "ssd", "true"), node("node-y", "zone", "zone3")),
                        List.of(foo("p-a1", "node-a"), foo("p-x1", "node-x")),
                        want(OK, OK, OK, OK)),
                Arguments.of("nodeAffinityPolicy Ignore: every zone is a domain",
                        pod("p").label("foo", "").nodeSelector("ssd", "true").spread(new TopologySpreadConstraintBuilder()
                                .withMaxSkew(1).withTopologyKey("zone").withWhenUnsatisfiable(DNS)
                                .withLabelSelector(exists("foo")).withNodeAffinityPolicy("Ignore")).obj(),
                        List.of(node("node-a", "zone", "zone1", "ssd", "true"), node("node-b", "zone", "zone1", "ssd", "true"),
                                node("node-x", "zone", "zone2", "ssd", "true"), node("node-y", "zone", "zone3")),
                        List.of(foo("p-a1", "node-a"), foo("p-x1", "node-x")),
                        want(FAIL, FAIL, FAIL, OK)),
                Arguments.of("nodeTaintsPolicy Ignore (default): a tainted zone is a domain", zoneFoo,
                        List.of(node("node-a", "zone", "zone1"), node("node-b", "zone", "zone1"), node("node-x", "zone", "zone2"),
                                tainted(node("node-y", "zone", "zone3"), "node.kubernetes.io/unschedulable", "NoSchedule")),
                        List.of(foo("p-a1", "node-a"), foo("p-x1", "node-x")),
                        want(FAIL, FAIL, FAIL, OK)),
                Arguments.of("nodeTaintsPolicy Honor: an untolerated tainted zone is not a domain",
                        pod("p").label("foo", "").spread(new TopologySpreadConstraintBuilder().withMaxSkew(1)
                                .withTopologyKey("zone").withWhenUnsatisfiable(DNS).withLabelSelector(exists("foo"))
                                .withNodeTaintsPolicy("Honor")).obj(),
                        List.of(node("node-a", "zone", "zone1"), node("node-b", "zone", "zone1"), node("node-x", "zone", "zone2"),
                                tainted(node("node-y", "zone", "zone3"), "node.kubernetes.io/unschedulable", "NoSchedule")),
                        List.of(foo("p-a1", "node-a"), foo("p-x1", "node-x")),
                        want(OK, OK, OK, OK)),
                Arguments.of("nodeTaintsPolicy Honor: a tolerated taint keeps the zone a domain",
                        pod("p").label("foo", "").toleration("node.kubernetes.io/unschedulable", "NoSchedule")
                                .spread(new TopologySpreadConstraintBuilder().withMaxSkew(1).withTopologyKey("zone")
                                        .withWhenUnsatisfiable(DNS).withLabelSelector(exists("foo"))
                                        .withNodeTaintsPolicy("Honor")).obj(),
                        List.of(node("node-a", "zone", "zone1"), node("node-b", "zone", "zone1"), node("node-x", "zone", "zone2"),
                                tainted(node("node-y", "zone", "zone3"), "node.kubernetes.io/unschedulable", "NoSchedule")),
                        List.of(foo("p-a1", "node-a"), foo("p-x1", "node-x")),
                        want(FAIL, FAIL, FAIL, OK)),
                Arguments.of("matchLabelKeys narrow the selector to pods with the same values",
                        pod("p").label("foo", "").label("rev", "1").spread(new TopologySpreadConstraintBuilder().withMaxSkew(1)
                                .withTopologyKey("zone").withWhenUnsatisfiable(DNS).withLabelSelector(exists("foo"))
                                .withMatchLabelKeys("rev")).obj(),
                        fourNodes(),
                        List.of(pod("p-a1").node("node-a").label("foo", "").label("rev", "1").obj(),
                                pod("p-a2").node("node-a").label("foo", "").label("rev", "2").obj(),
                                pod("p-x1").node("node-x").label("foo", "").label("rev", "1").obj()),
                        want(OK, OK, OK, OK)),
                Arguments.of("without matchLabelKeys every revision counts",
                        pod("p").label("foo", "").label("rev", "1").spread(1, "zone", DNS, exists("foo")).obj(),
                        fourNodes(),
                        List.of(pod("p-a1").node("node-a").label("foo", "").label("rev", "1").obj(),
                                pod("p-a2").node("node-a").label("foo", "").label("rev", "2").obj(),
                                pod("p-x1").node("node-x").label("foo", "").label("rev", "1").obj()),
                        want(FAIL, FAIL, OK, OK)),
                Arguments.of("two constraints: zones 3/3 fit everywhere, nodes 2/1/0/3 only node-x",
                        pod("p").label("foo", "").spread(1, "zone", DNS, exists("foo")).spread(1, "node", DNS, exists("foo"))
                                .obj(),
                        fourNodes(),
                        List.of(foo("p-a1", "node-a"), foo("p-a2", "node-a"), foo("p-b1", "node-b"), foo("p-y1", "node-y"),
                                foo("p-y2", "node-y"), foo("p-y3", "node-y")),
                        want(FAIL, FAIL, OK, FAIL)),
                Arguments.of("two constraints: zones 3/4 rule out zone2, nodes 2/1/0/4 rule out all but node-x",
                        pod("p").label("foo", "").spread(1, "zone", DNS, exists("foo")).spread(1, "node", DNS, exists("foo"))
                                .obj(),
                        fourNodes(),
                        List.of(foo("p-a1", "node-a"), foo("p-a2", "node-a"), foo("p-b1", "node-b"), foo("p-y1", "node-y"),
                                foo("p-y2", "node-y"), foo("p-y3", "node-y"), foo("p-y4", "node-y")),
                        want(FAIL, FAIL, FAIL, FAIL)),
                Arguments.of("soft constraints are not filtered",
                        pod("p").label("foo", "").spread(1, "zone", SA, exists("foo")).spread(1, "node", DNS, exists("foo"))
                                .obj(),
                        fourNodes(), spread2103, want(FAIL, FAIL, OK, FAIL)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("singleConstraint")
    void filter(String name, Pod pod, List<Node> nodes, List<Pod> existing, Map<String, Status> want) {
        SnapshotHandle h = new SnapshotHandle(nodes, existing);
        PodTopologySpread pl = new PodTopologySpread(PodTopologySpreadArgs.parse(listArgs()), h);
        CycleState state = new CycleState();
        PreFilterResult r = pl.preFilter(state, pod, h.nodeInfos());
        assertTrue(r.status().isSuccess(), r.toString());
        Map<String, Status> got = new LinkedHashMap<>();
        for (NodeInfo n : h.nodeInfos()) {
            got.put(n.name(), pl.filter(state, pod, n));
        }
        assertEquals(want, got);
    }

    static tools.jackson.databind.JsonNode listArgs() {
        return JsonMapper.builder().build().readTree("{\"defaultingType\":\"List\"}");
    }

    @Test
    void preFilterStateCountsDomainsAndCriticalPaths() {
        // upstream: "normal case with one spreadConstraint, on a 3-zone cluster"
        List<Node> nodes = List.of(node("node-a", "zone", "zone1"), node("node-b", "zone", "zone1"),
                node("node-x", "zone", "zone2"), node("node-y", "zone", "zone2"), node("node-o", "zone", "zone3"),
                node("node-p", "zone", "zone3"));
        SnapshotHandle h = new SnapshotHandle(nodes, List.of(foo("p-a1", "node-a"), foo("p-a2", "node-a"), foo("p-b1", "node-b"),
                foo("p-y1", "node-y"), foo("p-y2", "node-y")));
        PodTopologySpread pl = new PodTopologySpread(PodTopologySpreadArgs.parse(listArgs()), h);
        CycleState state = new CycleState();
        Pod p = pod("p").label("foo", "").spread(1, "zone", DNS, exists("foo")).obj();
        pl.preFilter(state, p, h.nodeInfos());
        PodTopologySpread.PreFilterState s = state.read(PodTopologySpread.PRE_FILTER_KEY, PodTopologySpread.PreFilterState.class);
        assertEquals(3, s.matchNum(0, "zone1"));
        assertEquals(2, s.matchNum(0, "zone2"));
        assertEquals(0, s.matchNum(0, "zone3"));
        assertEquals(3, s.tpValueToMatchNum[0].size());
        assertEquals("zone3", s.minValue[0]);
        assertEquals(0, s.minNum[0]);
        assertEquals("zone2", s.secondValue[0]);
        assertEquals(2, s.secondNum[0]);
    }

    @Test
    void preFilterSkipsPodsWithoutHardConstraints() {
        SnapshotHandle h = new SnapshotHandle(fourNodes(), List.of());
        PodTopologySpread pl = new PodTopologySpread(PodTopologySpreadArgs.parse(listArgs()), h);
        assertTrue(pl.preFilter(new CycleState(), pod("p").obj(), h.nodeInfos()).status().isSkip());
        assertTrue(pl.preFilter(new CycleState(), pod("p").spread(1, "zone", SA, exists("foo")).obj(), h.nodeInfos())
                .status().isSkip());
        // System defaults are ScheduleAnyway only: nothing to filter either.
        PodTopologySpread sys = new PodTopologySpread(PodTopologySpreadArgs.parse(null), h);
        assertTrue(sys.preFilter(new CycleState(), pod("p").label("foo", "").obj(), h.nodeInfos()).status().isSkip());
    }

    @Test
    void filterWithoutPreFilterIsAnError() {
        SnapshotHandle h = new SnapshotHandle(fourNodes(), List.of());
        PodTopologySpread pl = new PodTopologySpread(PodTopologySpreadArgs.parse(listArgs()), h);
        assertEquals(Status.Code.ERROR, pl.filter(new CycleState(), pod("p").obj(), h.nodeInfo("node-a")).code());
    }

    @Test
    void addAndRemovePodUpdateTheCountsOfACopy() {
        // nodes 2/1/0 on key "node": only node-x fits.
        List<Node> nodes = List.of(node("node-a", "zone", "zone1", "node", "node-a"),
                node("node-b", "zone", "zone1", "node", "node-b"), node("node-x", "zone", "zone2", "node", "node-x"));
        SnapshotHandle h = new SnapshotHandle(nodes, List.of(foo("p-a1", "node-a"), foo("p-a2", "node-a"), foo("p-b1", "node-b")));
        PodTopologySpread pl = new PodTopologySpread(PodTopologySpreadArgs.parse(listArgs()), h);
        Pod p = pod("p").label("foo", "").spread(1, "node", DNS, exists("foo")).obj();
        CycleState state = new CycleState();
        pl.preFilter(state, p, h.nodeInfos());
        assertEquals(FAIL, pl.filter(state, p, h.nodeInfo("node-b")));
        assertEquals(OK, pl.filter(state, p, h.nodeInfo("node-x")));

        CycleState copy = state.copy();
        assertEquals(OK, pl.preFilterExtensions().addPod(copy, p, PodInfo.of(foo("p-x1", "node-x")), h.nodeInfo("node-x")));
        // now 2/1/1: the minimum is 1, node-b and node-x fit, node-a does not
        assertEquals(OK, pl.filter(copy, p, h.nodeInfo("node-b")));
        assertEquals(OK, pl.filter(copy, p, h.nodeInfo("node-x")));
        assertEquals(FAIL, pl.filter(copy, p, h.nodeInfo("node-a")));
        // the original state is untouched
        assertEquals(FAIL, pl.filter(state, p, h.nodeInfo("node-b")));

        // a pod of another namespace, or not matching the selector, changes nothing
        pl.preFilterExtensions().addPod(copy, p, PodInfo.of(pod("o").ns("other").node("node-a").label("foo", "").obj()),
                h.nodeInfo("node-b"));
        pl.preFilterExtensions().addPod(copy, p, PodInfo.of(pod("q").node("node-b").label("bar", "").obj()),
                h.nodeInfo("node-b"));
        assertEquals(OK, pl.filter(copy, p, h.nodeInfo("node-b")));

        pl.preFilterExtensions().removePod(copy, p, PodInfo.of(foo("p-a1", "node-a")), h.nodeInfo("node-a"));
        pl.preFilterExtensions().removePod(copy, p, PodInfo.of(foo("p-a2", "node-a")), h.nodeInfo("node-a"));
        // now 0/1/1: only node-a fits
        assertEquals(OK, pl.filter(copy, p, h.nodeInfo("node-a")));
        assertEquals(FAIL, pl.filter(copy, p, h.nodeInfo("node-b")));
        assertEquals(FAIL, pl.filter(copy, p, h.nodeInfo("node-x")));
        PodTopologySpread.PreFilterState s = copy.read(PodTopologySpread.PRE_FILTER_KEY, PodTopologySpread.PreFilterState.class);
        assertNotNull(s);
        assertEquals("node-a", s.minValue[0]);
        assertEquals(0, s.minNum[0]);
    }
}
