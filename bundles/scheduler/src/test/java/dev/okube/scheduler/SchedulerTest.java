package dev.okube.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.okube.api.scheduler.ClusterEvent;
import dev.okube.api.scheduler.EnqueueExtensions;
import dev.okube.api.scheduler.PluginFactory;
import dev.okube.api.scheduler.PostFilterPlugin;
import dev.okube.api.scheduler.PostFilterResult;
import dev.okube.api.scheduler.Status;
import dev.okube.scheduler.TestObjects.FakeCluster;
import dev.okube.scheduler.framework.PluginRegistry;
import dev.okube.scheduler.framework.ProfileConfig;
import dev.okube.scheduler.status.SchedulerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;

class SchedulerTest {
    private final FakeCluster cluster = new FakeCluster();
    private Scheduler scheduler;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private TestPlugins.Binder binder;

    @AfterEach
    void close() {
        if (scheduler != null) {
            scheduler.close();
        }
    }

    private Scheduler scheduler(Map<String, String> profile, PluginFactory... extra) {
        scheduler = new Scheduler(cluster, new Scheduler.Settings(4, Duration.ofSeconds(1), Duration.ofSeconds(10), 0, 4,
                Duration.ofSeconds(30)), Clock.systemUTC());
        binder = new TestPlugins.Binder(cluster, null);
        List<PluginFactory> fs = new ArrayList<>(List.of(
                TestObjects.factory("PrioritySort", (a, h) -> new TestPlugins.Sort()),
                TestObjects.factory("TestBinder", (a, h) -> binder)));
        fs.addAll(List.of(extra));
        scheduler.setRegistry(TestObjects.registry(fs.toArray(PluginFactory[]::new)));
        Map<String, String> p = new HashMap<>(profile);
        p.putIfAbsent("disabled", "*");
        p.merge("multiPoint", "PrioritySort,TestBinder", (a, b) -> b + "," + a);
        scheduler.setProfiles(List.of(ProfileConfig.parse(p)));
        scheduler.startInformers();
        return scheduler;
    }

    private void drain() throws InterruptedException {
        while (scheduler.scheduleOne(Duration.ofMillis(50))) {
            assertTrue(scheduler.awaitBindings(5000));
        }
        assertTrue(scheduler.awaitBindings(5000));
        assertTrue(scheduler.eventWriter().drain(5000));
        assertTrue(scheduler.statusWriter().drain(5000));
    }

    @Test
    void bindsAPodAndRecordsTheScheduledEvent() throws Exception {
        scheduler(Map.of());
        cluster.add(Node.class, TestObjects.node("n1", null));
        cluster.add(Node.class, TestObjects.node("n2", null));
        cluster.add(Node.class, TestObjects.node("n3", null));
        Pod pod = TestObjects.pod("p1");
        cluster.add(Pod.class, pod);
        drain();
        assertEquals(1, binder.bound.size());
        String node = binder.bound.get(0).substring("p1->".length());
        assertEquals(List.of("Successfully assigned default/p1 to " + node), cluster.notes("Scheduled"));
        Map<String, Object> ev = cluster.events.get(0);
        assertEquals("v1", ev.get("apiVersion"));
        assertEquals("Binding", ev.get("action"));
        assertEquals("Normal", ev.get("type"));
        assertEquals("default-scheduler", ev.get("reportingComponent"));
        assertEquals(Map.of("component", "default-scheduler"), ev.get("source"));
        assertEquals(pod.getMetadata().getUid(), ((Map<?, ?>) ev.get("involvedObject")).get("uid"));
        // The informer showed the binding: the assumed pod is confirmed, not assumed any more.
        assertFalse(scheduler.cache().isAssumedPod(pod.getMetadata().getUid()));
        assertEquals(1, scheduler.profiles().get(0).scheduled());
    }

    @Test
    void failedSchedulingMessageCountsAndSortsReasons() throws Exception {
        PluginFactory fit = TestObjects.factory("Fit", (a, h) -> new TestPlugins.FilterFn("Fit",
                (p, n) -> n.name().equals("n1") ? Status.unschedulable("Insufficient cpu") : Status.SUCCESS));
        PluginFactory taint = TestObjects.factory("Taints", (a, h) -> new TestPlugins.FilterFn("Taints",
                (p, n) -> n.name().equals("n1") ? Status.SUCCESS
                        : Status.unresolvable("node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }")));
        PluginFactory preempt = TestObjects.factory("Preempt", (a, h) -> new PostFilterPlugin() {
            @Override
            public String name() {
                return "Preempt";
            }

            @Override
            public PostFilterResult postFilter(dev.okube.api.scheduler.CycleState s, Pod p, Map<String, Status> m) {
                return PostFilterResult.of(Status.unschedulable("preemption: 0/" + m.size()
                        + " nodes are available: " + m.size() + " Preemption is not helpful for scheduling."));
            }
        });
        scheduler(Map.of("multiPoint", "Fit,Taints,Preempt"), fit, taint, preempt);
        for (String n : List.of("n1", "n2", "n3")) {
            cluster.add(Node.class, TestObjects.node(n, null));
        }
        Pod pod = TestObjects.pod("p1");
        cluster.add(Pod.class, pod);
        drain();
        String expected = "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint "
                + "{node-role.kubernetes.io/control-plane: }. preemption: 0/3 nodes are available: "
                + "3 Preemption is not helpful for scheduling.";
        assertEquals(List.of(expected), cluster.notes("FailedScheduling"));
        assertEquals(1, cluster.patches.size());
        String patch = cluster.patches.get(0);
        assertTrue(patch.startsWith("default/p1 {\"metadata\":{\"resourceVersion\":\"1\"},\"status\":{\"conditions\":[{\"type\":\"PodScheduled\",\"status\":\"False\","
                + "\"reason\":\"Unschedulable\",\"message\":\"" + expected.replace("\"", "\\\"") + "\""), patch);
        assertEquals("unschedulable", scheduler.queue().where(pod.getMetadata().getUid()));
        assertEquals(1, scheduler.profiles().get(0).failed());
    }

    @Test
    void noNodesIsAnErrorRetriedAfterBackoff() throws Exception {
        scheduler(Map.of());
        Pod pod = TestObjects.pod("p1");
        cluster.add(Pod.class, pod);
        drain();
        assertEquals(List.of("no nodes available to schedule pods"), cluster.notes("FailedScheduling"));
        assertTrue(cluster.patches.get(0).contains("\"reason\":\"SchedulerError\""));
        assertEquals("backoff", scheduler.queue().where(pod.getMetadata().getUid()));
    }

    @Test
    void aMissingPluginKeepsPodsPendingUntilItIsInstalled() throws Exception {
        scheduler(Map.of("schedulerName", "gang", "multiPoint", "Coscheduling"));
        cluster.add(Node.class, TestObjects.node("n1", null));
        Pod pod = TestObjects.pod("p1", 0, "gang");
        cluster.add(Pod.class, pod);
        drain();
        assertEquals(List.of("plugin \"Coscheduling\" of profile \"gang\" is not installed"), cluster.notes("FailedScheduling"));
        assertEquals("unschedulable", scheduler.queue().where(pod.getMetadata().getUid()));
        SchedulerStatus.ProfileStatus st = scheduler.profiles().get(0);
        assertEquals(List.of("plugin \"Coscheduling\" of profile \"gang\" is not installed"), st.problems());
        // A cluster event does not retry it: nothing but the plugin can help.
        cluster.add(Node.class, TestObjects.node("n2", null));
        assertEquals("unschedulable", scheduler.queue().where(pod.getMetadata().getUid()));

        // Hot deployment: the factory appears, the profile is rebuilt and its pods go to activeQ at once.
        PluginFactory cosched = TestObjects.factory("Coscheduling", (a, h) -> new TestPlugins.FilterFn("Coscheduling",
                (p, n) -> Status.SUCCESS));
        scheduler.setRegistry(registryWith(cosched));
        assertEquals("active", scheduler.queue().where(pod.getMetadata().getUid()));
        drain();
        assertEquals(1, binder.bound.size());
        assertTrue(scheduler.profiles().get(0).problems().isEmpty());
    }

    @Test
    void anExplicitQueueSortReplacesTheMultiPointOneAndOrdersItsProfilesPods() throws Exception {
        // Reverse order: the later pod first.
        PluginFactory lifo = TestObjects.factory("Lifo", (a, h) -> new dev.okube.api.scheduler.QueueSortPlugin() {
            @Override
            public String name() {
                return "Lifo";
            }

            @Override
            public boolean less(dev.okube.api.scheduler.QueuedPodInfo a, dev.okube.api.scheduler.QueuedPodInfo b) {
                return a.pod().getMetadata().getName().compareTo(b.pod().getMetadata().getName()) > 0;
            }
        });
        scheduler(Map.of("queueSort", "Lifo"), lifo);
        assertEquals(List.of(), scheduler.profiles().get(0).problems());
        assertEquals("Lifo", scheduler.profiles().get(0).extensionPoints().get("queueSort").get(0).name());
        cluster.add(Node.class, TestObjects.node("n1", null));
        cluster.add(Pod.class, TestObjects.pod("a"));
        cluster.add(Pod.class, TestObjects.pod("b"));
        cluster.add(Pod.class, TestObjects.pod("c"));
        drain();
        assertEquals(List.of("c->n1", "b->n1", "a->n1"), binder.bound);
    }

    @Test
    void podsWaitUntilTheProfileIsComplete() throws Exception {
        scheduler(Map.of("schedulerName", "gang", "multiPoint", "Coscheduling,Capacity"));
        cluster.add(Node.class, TestObjects.node("n1", null));
        Pod pod = TestObjects.pod("p1", 0, "gang");
        cluster.add(Pod.class, pod);
        drain();
        assertEquals(List.of("plugin \"Coscheduling\" of profile \"gang\" is not installed; "
                + "plugin \"Capacity\" of profile \"gang\" is not installed"), cluster.notes("FailedScheduling"));
        PluginFactory cosched = TestObjects.factory("Coscheduling", (a, h) -> new TestPlugins.FilterFn("Coscheduling",
                (p, n) -> Status.SUCCESS));
        PluginFactory capacity = TestObjects.factory("Capacity", (a, h) -> new TestPlugins.FilterFn("Capacity",
                (p, n) -> Status.SUCCESS));
        scheduler.setRegistry(registryWith(cosched));
        assertEquals("unschedulable", scheduler.queue().where(pod.getMetadata().getUid()), "still incomplete: no retry");
        scheduler.setRegistry(TestObjects.registry(cosched, capacity,
                TestObjects.factory("PrioritySort", (a, h) -> new TestPlugins.Sort()),
                TestObjects.factory("TestBinder", (a, h) -> binder)));
        assertEquals("active", scheduler.queue().where(pod.getMetadata().getUid()));
        drain();
        assertEquals(List.of("p1->n1"), binder.bound);
        assertEquals(1, cluster.notes("FailedScheduling").size());
    }

    @Test
    void aPluginWhoseFactoryThrowsIsReportedWithItsMessage() throws Exception {
        PluginFactory bad = TestObjects.factory("Bad", (a, h) -> {
            throw new IllegalArgumentException("scoringStrategy.type \"Most\" is not supported");
        });
        scheduler(Map.of("multiPoint", "Bad"), bad);
        cluster.add(Node.class, TestObjects.node("n1", null));
        cluster.add(Pod.class, TestObjects.pod("p1"));
        drain();
        assertEquals(List.of("plugin \"Bad\" of profile \"default-scheduler\" could not be created: "
                + "scoringStrategy.type \"Most\" is not supported"), cluster.notes("FailedScheduling"));
    }

    private PluginRegistry registryWith(PluginFactory f) {
        List<PluginFactory> fs = new ArrayList<>(List.of(
                TestObjects.factory("PrioritySort", (a, h) -> new TestPlugins.Sort()),
                TestObjects.factory("TestBinder", (a, h) -> binder), f));
        return TestObjects.registry(fs.toArray(PluginFactory[]::new));
    }

    @Test
    void aNodeEventRegisteredByTheRejectingPluginRetriesThePod() throws Exception {
        List<EnqueueExtensions.EventWithHint> events = List.of(EnqueueExtensions.EventWithHint.of(ClusterEvent.NODE,
                ClusterEvent.ADD, (p, o, n) -> ((Node) n).getMetadata().getName().startsWith("big")
                        ? dev.okube.api.scheduler.QueueingHint.QUEUE : dev.okube.api.scheduler.QueueingHint.SKIP));
        PluginFactory fit = TestObjects.factory("Fit", (a, h) -> new TestPlugins.FilterWithEvents("Fit",
                (p, n) -> n.name().startsWith("big") ? Status.SUCCESS : Status.unschedulable("Insufficient cpu"), events));
        scheduler(Map.of("multiPoint", "Fit"), fit);
        cluster.add(Node.class, TestObjects.node("small1", null));
        Pod pod = TestObjects.pod("p1");
        cluster.add(Pod.class, pod);
        drain();
        assertEquals("unschedulable", scheduler.queue().where(pod.getMetadata().getUid()));
        cluster.add(Node.class, TestObjects.node("small2", null));
        assertEquals("unschedulable", scheduler.queue().where(pod.getMetadata().getUid()), "the hint skipped it");
        cluster.add(Node.class, TestObjects.node("big1", null));
        assertEquals("backoff", scheduler.queue().where(pod.getMetadata().getUid()), "queued, after its backoff");
        scheduler.queue().activate(List.of(pod));
        drain();
        assertEquals(List.of("p1->big1"), binder.bound);
    }

    @Test
    void phasesRunInUpstreamOrderAndUnreserveInReverseOnBindFailure() throws Exception {
        PluginFactory a = TestObjects.factory("A", (x, h) -> new TestPlugins.Recorder("A", log));
        PluginFactory b = TestObjects.factory("B", (x, h) -> new TestPlugins.Recorder("B", log));
        scheduler(Map.of("multiPoint", "A,B"), a, b);
        cluster.add(Node.class, TestObjects.node("n1", null));
        cluster.add(Node.class, TestObjects.node("n2", null));
        cluster.add(Pod.class, TestObjects.pod("p1"));
        drain();
        assertEquals(List.of("A:preFilter", "B:preFilter", "A:preScore", "B:preScore", "A:reserve", "B:reserve",
                "A:permit", "B:permit", "A:preBind", "B:preBind", "A:postBind", "B:postBind"), log);

        log.clear();
        binder = new TestPlugins.Binder(cluster, p -> Status.error("connection refused"));
        scheduler.setRegistry(registryWith(a));
        scheduler.setRegistry(TestObjects.registry(a, b, TestObjects.factory("PrioritySort", (x, h) -> new TestPlugins.Sort()),
                TestObjects.factory("TestBinder", (x, h) -> binder)));
        Pod p2 = TestObjects.pod("p2");
        cluster.add(Pod.class, p2);
        drain();
        assertEquals(List.of("A:preFilter", "B:preFilter", "A:preScore", "B:preScore", "A:reserve", "B:reserve",
                "A:permit", "B:permit", "A:preBind", "B:preBind", "B:unreserve", "A:unreserve"), log);
        assertFalse(scheduler.cache().isAssumedPod(p2.getMetadata().getUid()), "forgotten");
        assertEquals("backoff", scheduler.queue().where(p2.getMetadata().getUid()));
        assertEquals(List.of("running Bind plugin \"TestBinder\": connection refused"), cluster.notes("FailedScheduling"));
    }

    @Test
    void gatedPodsGetTheSchedulingGatedCondition() throws Exception {
        PluginFactory gates = TestObjects.factory("SchedulingGates", (x, h) -> new dev.okube.api.scheduler.PreEnqueuePlugin() {
            @Override
            public String name() {
                return "SchedulingGates";
            }

            @Override
            public Status preEnqueue(Pod pod) {
                return pod.getSpec().getSchedulingGates() == null || pod.getSpec().getSchedulingGates().isEmpty()
                        ? Status.SUCCESS : Status.unresolvable("waiting for scheduling gates");
            }
        });
        scheduler(Map.of("multiPoint", "SchedulingGates"), gates);
        cluster.add(Node.class, TestObjects.node("n1", null));
        Pod pod = new io.fabric8.kubernetes.api.model.PodBuilder(TestObjects.pod("p1")).editSpec()
                .addNewSchedulingGate("example.com/gate").endSpec().build();
        cluster.add(Pod.class, pod);
        assertEquals("gated", scheduler.queue().where(pod.getMetadata().getUid()));
        drain();
        assertTrue(binder.bound.isEmpty());
        assertEquals(1, cluster.patches.size());
        assertTrue(cluster.patches.get(0).contains("\"reason\":\"SchedulingGated\",\"message\":\"" + Scheduler.GATED_MESSAGE + "\""));
        Pod ungated = new io.fabric8.kubernetes.api.model.PodBuilder(pod).editSpec().withSchedulingGates().endSpec().build();
        cluster.update(Pod.class, pod, ungated);
        assertEquals("active", scheduler.queue().where(pod.getMetadata().getUid()));
        drain();
        assertEquals(List.of("p1->n1"), binder.bound);
    }

    @Test
    void podsOfUnknownSchedulerNamesAreIgnored() throws Exception {
        scheduler(Map.of());
        cluster.add(Node.class, TestObjects.node("n1", null));
        Pod pod = TestObjects.pod("p1", 0, "other-scheduler");
        cluster.add(Pod.class, pod);
        drain();
        assertTrue(binder.bound.isEmpty());
        assertEquals(null, scheduler.queue().where(pod.getMetadata().getUid()));
        assertTrue(cluster.events.isEmpty());
    }

    @Test
    void higherScoresWinWithWeights() throws Exception {
        PluginFactory s1 = TestObjects.factory("Low", (x, h) -> new TestPlugins.ScoreFn("Low",
                (p, n) -> n.name().equals("n1") ? 100L : 0L, false));
        PluginFactory s2 = TestObjects.factory("High", (x, h) -> new TestPlugins.ScoreFn("High",
                (p, n) -> n.name().equals("n2") ? 10L : 0L, true));
        scheduler(Map.of("multiPoint", "Low:1,High:2"), s1, s2);
        cluster.add(Node.class, TestObjects.node("n1", null));
        cluster.add(Node.class, TestObjects.node("n2", null));
        cluster.add(Pod.class, TestObjects.pod("p1"));
        drain();
        // n1: 100*1 = 100; n2: normalized 100*2 = 200.
        assertEquals(List.of("p1->n2"), binder.bound);
    }

    @Test
    void permitWaitIsAllowedByAnotherPlugin() throws Exception {
        PluginFactory wait = TestObjects.factory("Gang", (x, h) -> new dev.okube.api.scheduler.PermitPlugin() {
            @Override
            public String name() {
                return "Gang";
            }

            @Override
            public dev.okube.api.scheduler.PermitResult permit(dev.okube.api.scheduler.CycleState s, Pod p, String n) {
                if (p.getMetadata().getName().equals("p2")) {
                    h.forEachWaitingPod(wp -> wp.allow("Gang"));
                    return dev.okube.api.scheduler.PermitResult.ALLOW;
                }
                return dev.okube.api.scheduler.PermitResult.waitFor(Duration.ofSeconds(30));
            }
        });
        scheduler(Map.of("multiPoint", "Gang"), wait);
        cluster.add(Node.class, TestObjects.node("n1", null));
        cluster.add(Pod.class, TestObjects.pod("p1"));
        assertTrue(scheduler.scheduleOne(Duration.ofMillis(100)));
        Thread.sleep(50);
        assertTrue(binder.bound.isEmpty(), "p1 waits in permit");
        cluster.add(Pod.class, TestObjects.pod("p2"));
        drain();
        assertEquals(2, binder.bound.size());
    }

    @Test
    void permitTimeoutRejectsWithUpstreamsMessage() throws Exception {
        PluginFactory wait = TestObjects.factory("Gang", (x, h) -> new dev.okube.api.scheduler.PermitPlugin() {
            @Override
            public String name() {
                return "Gang";
            }

            @Override
            public dev.okube.api.scheduler.PermitResult permit(dev.okube.api.scheduler.CycleState s, Pod p, String n) {
                return dev.okube.api.scheduler.PermitResult.waitFor(Duration.ofMillis(100));
            }
        });
        scheduler(Map.of("multiPoint", "Gang"), wait);
        cluster.add(Node.class, TestObjects.node("n1", null));
        Pod pod = TestObjects.pod("p1");
        cluster.add(Pod.class, pod);
        drain();
        assertTrue(binder.bound.isEmpty());
        assertEquals(List.of("rejected due to timeout after waiting 100ms at plugin Gang"), cluster.notes("FailedScheduling"));
        assertFalse(scheduler.cache().isAssumedPod(pod.getMetadata().getUid()));
        // Its unreserve freed a place while it was in flight, an event Gang (registered for every event) may use.
        assertEquals("backoff", scheduler.queue().where(pod.getMetadata().getUid()));
    }

    @ParameterizedTest(name = "{0} nodes, percentage {1} → {2}")
    @CsvSource({
        "10, 0, 10",
        "99, 0, 99",
        "100, 0, 100",
        "1000, 0, 420",
        "5000, 0, 500",
        "6000, 0, 300",
        "10000, 0, 500",
        "5000, 50, 2500",
        "1000, 1, 100",
        "1000, 100, 1000",
    })
    void numFeasibleNodesToFind(int nodes, int percentage, int expected) {
        assertEquals(expected, Scheduler.numFeasibleNodesToFind(null, percentage, nodes));
    }

    @Test
    void profilePercentageWinsOverTheGlobalOne() {
        assertEquals(200, Scheduler.numFeasibleNodesToFind(20, 50, 1000));
    }

    @Test
    void selectHostPicksTheMaximumAndSpreadsTies() {
        assertEquals(2, Scheduler.selectHost(new long[] {1, 5, 9, 3}));
        int[] counts = new int[3];
        for (int i = 0; i < 3000; i++) {
            counts[Scheduler.selectHost(new long[] {7, 7, 7})]++;
        }
        for (int c : counts) {
            assertTrue(c > 800, "ties are sampled uniformly: " + java.util.Arrays.toString(counts));
        }
    }

    @Test
    void messagesAreTruncatedAsUpstream() {
        String s = "x".repeat(2000);
        String t = Scheduler.truncate(s);
        assertEquals(1024, t.length());
        assertTrue(t.endsWith(" ..."));
    }
}
