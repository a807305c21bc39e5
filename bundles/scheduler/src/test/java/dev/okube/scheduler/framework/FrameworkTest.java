package dev.okube.scheduler.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;

import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.Lister;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.NodeInfoLister;
import dev.okube.api.scheduler.PodInfo;
import dev.okube.api.scheduler.PreFilterPlugin;
import dev.okube.api.scheduler.PreFilterResult;
import dev.okube.api.scheduler.PreScorePlugin;
import dev.okube.api.scheduler.Status;
import dev.okube.scheduler.TestObjects;
import dev.okube.scheduler.TestPlugins;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

class FrameworkTest {
    /** A tiny FrameworkContext: no snapshot, a 2-worker parallelizer, nominations by hand. */
    static final class Ctx implements FrameworkContext {
        final Parallelizer parallelizer = new Parallelizer(2);
        final WaitingPods waiting = new WaitingPods(Executors.newSingleThreadScheduledExecutor());
        final Map<String, List<PodInfo>> nominated = new java.util.HashMap<>();

        @Override
        public NodeInfoLister snapshot() {
            return null;
        }

        @Override
        public <T extends HasMetadata> Lister<T> lister(Class<T> type) {
            return null;
        }

        @Override
        public Parallelizer parallelizer() {
            return parallelizer;
        }

        @Override
        public List<PodInfo> nominatedPodsForNode(String nodeName) {
            return nominated.getOrDefault(nodeName, List.of());
        }

        @Override
        public WaitingPods waitingPods() {
            return waiting;
        }

        @Override
        public void activate(Collection<Pod> pods) {
        }
    }

    private final Ctx ctx = new Ctx();
    private final List<String> log = new ArrayList<>();

    private PluginRegistry registry(dev.okube.api.scheduler.PluginFactory... extra) {
        List<dev.okube.api.scheduler.PluginFactory> fs = new ArrayList<>(List.of(
                TestObjects.factory("PrioritySort", (a, h) -> new TestPlugins.Sort()),
                TestObjects.factory("TestBinder", (a, h) -> new TestPlugins.Binder(null, null)),
                TestObjects.factory("A", (a, h) -> new TestPlugins.Recorder("A", log)),
                TestObjects.factory("B", (a, h) -> new TestPlugins.Recorder("B", log)),
                TestObjects.factory("C", (a, h) -> new TestPlugins.Recorder("C", log))));
        fs.addAll(List.of(extra));
        return TestObjects.registry(fs.toArray(dev.okube.api.scheduler.PluginFactory[]::new));
    }

    private Framework framework(Map<String, String> props, dev.okube.api.scheduler.PluginFactory... extra) {
        Map<String, String> p = new java.util.HashMap<>(props);
        p.putIfAbsent("disabled", "*");
        return new Framework(ProfileConfig.parse(p), registry(extra), ctx);
    }

    @Test
    void multiPointEnablesAPluginAtEveryPointItImplements() {
        Framework fw = framework(Map.of("multiPoint", "PrioritySort,A,B,TestBinder"));
        assertTrue(fw.usable(), fw.problems().toString());
        assertEquals(List.of("A", "B"), fw.names(ExtensionPoint.FILTER));
        assertEquals(List.of("A", "B"), fw.names(ExtensionPoint.RESERVE));
        assertEquals(List.of("PrioritySort"), fw.names(ExtensionPoint.QUEUE_SORT));
        assertEquals(List.of("TestBinder"), fw.names(ExtensionPoint.BIND));
        assertEquals(List.of(), fw.names(ExtensionPoint.PRE_ENQUEUE));
    }

    @Test
    void explicitEntriesOverrideMultiPointInTheirOrderThenMultiPointThenTheRest() {
        // Upstream's expandMultiPointPlugins: part 1 overrides (explicit order), part 2 multiPoint, part 3 the rest.
        Framework fw = framework(Map.of("multiPoint", "PrioritySort,A,B,TestBinder", "score", "C:5,B:7"));
        assertEquals(List.of("B", "A", "C"), fw.names(ExtensionPoint.SCORE));
        assertEquals(7, fw.slots().get(ExtensionPoint.SCORE).get(0).weight());
        assertEquals(1, fw.slots().get(ExtensionPoint.SCORE).get(1).weight());
        assertEquals(5, fw.slots().get(ExtensionPoint.SCORE).get(2).weight());
    }

    @Test
    void disabledAtOnePointOnly() {
        Framework fw = framework(Map.of("multiPoint", "PrioritySort,A,B,TestBinder", "disabled", "*,score/A"));
        assertEquals(List.of("B"), fw.names(ExtensionPoint.SCORE));
        assertEquals(List.of("A", "B"), fw.names(ExtensionPoint.FILTER));
        Framework none = framework(Map.of("multiPoint", "PrioritySort,A,B,TestBinder", "disabled", "*,filter/*"));
        assertEquals(List.of(), none.names(ExtensionPoint.FILTER));
    }

    @Test
    void aProfileNeedsOneQueueSortAndABinder() {
        Framework noBinder = framework(Map.of("multiPoint", "PrioritySort,A"));
        assertFalse(noBinder.usable());
        assertEquals(List.of("at least one bind plugin is needed for profile with scheduler name \"default-scheduler\""),
                noBinder.problems());
        Framework noSort = framework(Map.of("multiPoint", "A,TestBinder"));
        assertEquals(List.of("one queue sort plugin required for profile with scheduler name \"default-scheduler\", got 0"),
                noSort.problems());
    }

    @Test
    void missingPluginsAreNamed() {
        Framework fw = framework(Map.of("multiPoint", "PrioritySort,A,TestBinder,Coscheduling", "schedulerName", "gang"));
        assertEquals(List.of("plugin \"Coscheduling\" of profile \"gang\" is not installed"), fw.problems());
        assertEquals(List.of("A"), fw.names(ExtensionPoint.FILTER), "the others are still laid out");
        assertNull(fw.slots().get(ExtensionPoint.FILTER).stream().filter(s -> s.name().equals("Coscheduling")).findAny()
                .orElse(null));
    }

    @Test
    void pluginArgsReachTheFactory() {
        List<String> seen = new ArrayList<>();
        var f = TestObjects.factory("Args", (a, h) -> {
            seen.add(a.toString());
            return new TestPlugins.Recorder("Args", log);
        });
        framework(Map.of("multiPoint", "PrioritySort,TestBinder,Args,A", "pluginConfig", "{\"Args\":{\"x\":1}}"), f);
        assertEquals(List.of("{\"x\":1}"), seen);
    }

    @Test
    void preFilterSkipSkipsTheFilterAndRestrictionsIntersect() {
        var skipper = TestObjects.factory("Skipper", (a, h) -> new Skipper());
        var r1 = TestObjects.factory("R1", (a, h) -> new Restrict("R1", Set.of("n1", "n2")));
        var r2 = TestObjects.factory("R2", (a, h) -> new Restrict("R2", Set.of("n2", "n3")));
        Framework fw = framework(Map.of("multiPoint", "PrioritySort,TestBinder,Skipper,R1,R2"), skipper, r1, r2);
        CycleState state = new CycleState();
        Pod pod = TestObjects.pod("p");
        Framework.PreFilterOutcome out = fw.runPreFilterPlugins(state, pod, List.of());
        assertTrue(out.status().isSuccess());
        assertEquals(Set.of("n2"), out.nodeNames());
        assertEquals(List.of("R1", "R2"), out.pluginsWithNodes());
        assertEquals(Set.of("Skipper"), state.skipFilterPlugins());
        assertTrue(fw.runFilterPlugins(state, pod, new NodeInfo(TestObjects.node("n1", null))).isSuccess(),
                "Skipper's filter would reject");

        var r3 = TestObjects.factory("R3", (a, h) -> new Restrict("R3", Set.of("n1")));
        Framework none = framework(Map.of("multiPoint", "PrioritySort,TestBinder,R2,R3"), r2, r3);
        Framework.PreFilterOutcome empty = none.runPreFilterPlugins(new CycleState(), pod, List.of());
        assertEquals(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, empty.status().code());
        assertEquals("node(s) didn't satisfy plugin(s) [R2 R3] simultaneously", empty.status().message());
    }

    static final class Skipper implements PreFilterPlugin, dev.okube.api.scheduler.FilterPlugin {
        @Override
        public String name() {
            return "Skipper";
        }

        @Override
        public PreFilterResult preFilter(CycleState state, Pod pod, List<NodeInfo> nodes) {
            return PreFilterResult.SKIP;
        }

        @Override
        public Status filter(CycleState state, Pod pod, NodeInfo nodeInfo) {
            return Status.unschedulable("skipped plugins must not run");
        }
    }

    record Restrict(String name, Set<String> nodes) implements PreFilterPlugin {
        @Override
        public PreFilterResult preFilter(CycleState state, Pod pod, List<NodeInfo> all) {
            return PreFilterResult.nodes(nodes);
        }
    }

    @Test
    void filterErrorsAreWrappedAndAttributed() {
        var boom = TestObjects.factory("Boom", (a, h) -> new TestPlugins.FilterFn("Boom", (p, n) -> {
            throw new IllegalStateException("kaputt");
        }));
        Framework fw = framework(Map.of("multiPoint", "PrioritySort,TestBinder,Boom"), boom);
        Status s = fw.runFilterPlugins(new CycleState(), TestObjects.pod("p"), new NodeInfo(TestObjects.node("n", null)));
        assertEquals(Status.Code.ERROR, s.code());
        assertEquals("running \"Boom\" filter plugin: kaputt", s.message());
        assertEquals("Boom", s.plugin());
    }

    @Test
    void preScoreSkipSkipsScoreAndScoresAreWeightedAndRangeChecked() {
        var skip = TestObjects.factory("SkipScore", (a, h) -> new SkipScore());
        var s1 = TestObjects.factory("S1", (a, h) -> new TestPlugins.ScoreFn("S1", (p, n) -> n.name().equals("a") ? 50L : 10L, false));
        Framework fw = framework(Map.of("multiPoint", "PrioritySort,TestBinder,SkipScore,S1:3"), skip, s1);
        CycleState state = new CycleState();
        Pod pod = TestObjects.pod("p");
        List<NodeInfo> nodes = List.of(new NodeInfo(TestObjects.node("a", null)), new NodeInfo(TestObjects.node("b", null)));
        assertTrue(fw.runPreScorePlugins(state, pod, nodes).isSuccess());
        long[] totals = new long[2];
        assertTrue(fw.runScorePlugins(state, pod, nodes, totals).isSuccess());
        assertEquals(150, totals[0]);
        assertEquals(30, totals[1]);

        var bad = TestObjects.factory("Bad", (a, h) -> new TestPlugins.ScoreFn("Bad", (p, n) -> 101L, false));
        Framework fw2 = framework(Map.of("multiPoint", "PrioritySort,TestBinder,Bad"), bad);
        Status s = fw2.runScorePlugins(new CycleState(), pod, nodes, new long[2]);
        assertEquals("plugin \"Bad\" returns an invalid score 101, it should in the range of [0, 100] after normalizing",
                s.message());
    }

    static final class SkipScore implements PreScorePlugin, dev.okube.api.scheduler.ScorePlugin {
        @Override
        public String name() {
            return "SkipScore";
        }

        @Override
        public Status preScore(CycleState state, Pod pod, List<NodeInfo> feasibleNodes) {
            return Status.SKIP;
        }

        @Override
        public long score(CycleState state, Pod pod, NodeInfo nodeInfo) {
            throw new AssertionError("skipped");
        }
    }

    @Test
    void nominatedPodsOfHigherPriorityCountInTheFirstPassOnly() {
        // A filter that admits at most one pod per node.
        var one = TestObjects.factory("One", (a, h) -> new TestPlugins.FilterFn("One",
                (p, n) -> n.pods().isEmpty() ? Status.SUCCESS : Status.unschedulable("Too many pods")));
        Framework fw = framework(Map.of("multiPoint", "PrioritySort,TestBinder,One"), one);
        NodeInfo node = new NodeInfo(TestObjects.node("n", null));
        Pod high = new PodBuilder(TestObjects.bound(TestObjects.pod("high", 10, null), "n")).build();
        ctx.nominated.put("n", List.of(PodInfo.of(high)));
        Status low = fw.runFilterPluginsWithNominatedPods(new CycleState(), TestObjects.pod("low", 1, null), node);
        assertEquals("Too many pods", low.message(), "the nominated pod of higher priority takes the place");
        Status higher = fw.runFilterPluginsWithNominatedPods(new CycleState(), TestObjects.pod("top", 20, null), node);
        assertTrue(higher.isSuccess(), "lower-priority nominations are ignored");
        assertTrue(node.pods().isEmpty(), "the snapshot's NodeInfo is not changed");
    }

    @Test
    void permitWaitsCanBeRejected() {
        var waiter = TestObjects.factory("W", (a, h) -> new dev.okube.api.scheduler.PermitPlugin() {
            @Override
            public String name() {
                return "W";
            }

            @Override
            public dev.okube.api.scheduler.PermitResult permit(CycleState s, Pod p, String n) {
                return dev.okube.api.scheduler.PermitResult.waitFor(java.time.Duration.ofMinutes(20));
            }
        });
        Framework fw = framework(Map.of("multiPoint", "PrioritySort,TestBinder,W"), waiter);
        Pod pod = TestObjects.pod("p");
        Status s = fw.runPermitPlugins(new CycleState(), pod, "n");
        assertEquals(Status.Code.WAIT, s.code());
        assertEquals("one or more plugins asked to wait and no plugin rejected pod \"p\"", s.message());
        var wp = fw.waitingPod(pod.getMetadata().getUid());
        assertEquals(Set.of("W"), wp.pendingPlugins());
        wp.reject("W", "gang incomplete");
        Status r = fw.waitOnPermit(pod);
        assertEquals(Status.unschedulable("gang incomplete").withPlugin("W"), r);
        assertNull(fw.waitingPod(pod.getMetadata().getUid()));
    }

    @Test
    void goDurations() {
        assertEquals("100ms", WaitingPods.goDuration(java.time.Duration.ofMillis(100)));
        assertEquals("10s", WaitingPods.goDuration(java.time.Duration.ofSeconds(10)));
        assertEquals("1m30s", WaitingPods.goDuration(java.time.Duration.ofSeconds(90)));
        assertEquals("15m0s", WaitingPods.goDuration(java.time.Duration.ofMinutes(15)));
        assertEquals("1.5s", WaitingPods.goDuration(java.time.Duration.ofMillis(1500)));
    }

    @Test
    void badProfilesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ProfileConfig.parse(Map.of("pluginConfig", "[1]")));
        assertThrows(IllegalArgumentException.class, () -> ProfileConfig.parse(Map.of("percentageOfNodesToScore", "120")));
        assertThrows(IllegalArgumentException.class, () -> ProfileConfig.parse(Map.of("score", "A:x")));
        assertThrows(IllegalArgumentException.class, () -> ProfileConfig.parse(Map.of("disabled", "nowhere/A")));
    }
}
