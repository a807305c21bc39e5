package dev.okube.scheduler.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.okube.api.scheduler.ClusterEvent;
import dev.okube.api.scheduler.EnqueueExtensions;
import dev.okube.api.scheduler.PreEnqueuePlugin;
import dev.okube.api.scheduler.QueueingHint;
import dev.okube.api.scheduler.Status;
import dev.okube.scheduler.TestObjects;
import dev.okube.scheduler.TestPlugins;
import dev.okube.scheduler.framework.Framework;
import dev.okube.scheduler.framework.FrameworkContext;
import dev.okube.scheduler.framework.ProfileConfig;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

class SchedulingQueueTest {
    private static final class MutableClock extends Clock {
        long millis = 1_000_000;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    private final MutableClock clock = new MutableClock();
    private Framework framework;
    private final SchedulingQueue queue = new SchedulingQueue(clock, Duration.ofSeconds(1), Duration.ofSeconds(10),
            name -> framework);

    /** A framework with PrioritySort, a gate on label "gated", and Fit registered for node adds with a hint. */
    private void framework() {
        PreEnqueuePlugin gate = new PreEnqueuePlugin() {
            @Override
            public String name() {
                return "Gate";
            }

            @Override
            public Status preEnqueue(Pod pod) {
                return pod.getMetadata().getLabels() != null && pod.getMetadata().getLabels().containsKey("gated")
                        ? Status.unresolvable("gated") : Status.SUCCESS;
            }
        };
        TestPlugins.FilterWithEvents fit = new TestPlugins.FilterWithEvents("Fit", (p, n) -> Status.SUCCESS,
                List.of(EnqueueExtensions.EventWithHint.of(ClusterEvent.NODE, ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_ALLOCATABLE,
                        (p, o, n) -> ((Node) n).getMetadata().getName().startsWith("big") ? QueueingHint.QUEUE : QueueingHint.SKIP)));
        TestPlugins.FilterWithEvents deaf = new TestPlugins.FilterWithEvents("Deaf", (p, n) -> Status.SUCCESS, List.of());
        var registry = TestObjects.registry(TestObjects.factory("PrioritySort", (a, h) -> new TestPlugins.Sort()),
                TestObjects.factory("Gate", (a, h) -> gate), TestObjects.factory("Fit", (a, h) -> fit),
                TestObjects.factory("Deaf", (a, h) -> deaf),
                TestObjects.factory("TestBinder", (a, h) -> new TestPlugins.Binder(null, null)));
        framework = new Framework(ProfileConfig.parse(Map.of("disabled", "*", "multiPoint", "PrioritySort,Gate,Fit,Deaf,TestBinder")),
                registry, (FrameworkContext) null);
        queue.resort();
    }

    private QueuedPod pop() throws InterruptedException {
        return queue.pop(Duration.ofMillis(10));
    }

    @Test
    void activeQIsOrderedByPriorityThenArrival() throws Exception {
        framework();
        queue.add(TestObjects.pod("low", 1, null));
        clock.millis++;
        queue.add(TestObjects.pod("high", 10, null));
        clock.millis++;
        queue.add(TestObjects.pod("low2", 1, null));
        assertEquals("high", pop().pod().getMetadata().getName());
        assertEquals("low", pop().pod().getMetadata().getName());
        assertEquals("low2", pop().pod().getMetadata().getName());
        assertNull(pop());
    }

    @ParameterizedTest(name = "attempt {0} → {1} ms")
    @CsvSource({"1, 1000", "2, 2000", "3, 4000", "4, 8000", "5, 10000", "30, 10000"})
    void backoffDoublesUpToTheMaximum(int attempts, long millis) {
        assertEquals(millis, queue.backoffMillis(attempts));
    }

    @Test
    void anErrorGoesToBackoffAndBackToActiveWhenItExpires() throws Exception {
        framework();
        Pod pod = TestObjects.pod("p");
        queue.add(pod);
        QueuedPod qp = pop();
        qp.setRejectors(Set.of(), Set.of());
        queue.addUnschedulable(qp, true);
        assertEquals("backoff", queue.where(qp.uid()));
        clock.millis += 999;
        queue.flushBackoffCompleted();
        assertEquals("backoff", queue.where(qp.uid()));
        clock.millis += 1;
        queue.flushBackoffCompleted();
        assertEquals("active", queue.where(qp.uid()));
        QueuedPod again = pop();
        assertEquals(2, again.attempts());
    }

    @Test
    void rejectedPodsWaitForAnEventTheirPluginRegisteredAndItsHint() throws Exception {
        framework();
        queue.add(TestObjects.pod("p"));
        QueuedPod qp = pop();
        qp.setRejectors(Set.of("Fit"), Set.of());
        queue.addUnschedulable(qp, true);
        assertEquals("unschedulable", queue.where(qp.uid()));
        queue.moveAllToActiveOrBackoff(new ClusterEvent(ClusterEvent.POD, ClusterEvent.ADD), null, TestObjects.pod("x"), null);
        assertEquals("unschedulable", queue.where(qp.uid()), "Fit did not register pod events");
        queue.moveAllToActiveOrBackoff(new ClusterEvent(ClusterEvent.NODE, ClusterEvent.ADD), null, TestObjects.node("small", null), null);
        assertEquals("unschedulable", queue.where(qp.uid()), "the hint said skip");
        queue.moveAllToActiveOrBackoff(new ClusterEvent(ClusterEvent.NODE, ClusterEvent.ADD), null, TestObjects.node("big", null), null);
        assertEquals("backoff", queue.where(qp.uid()), "still backing off");
        clock.millis += 1000;
        queue.flushBackoffCompleted();
        assertEquals("active", queue.where(qp.uid()));
    }

    @Test
    void aPluginRegisteringNoEventsLeavesThePodToTheFlush() throws Exception {
        framework();
        queue.add(TestObjects.pod("p"));
        QueuedPod qp = pop();
        qp.setRejectors(Set.of("Deaf"), Set.of());
        queue.addUnschedulable(qp, true);
        queue.moveAllToActiveOrBackoff(new ClusterEvent(ClusterEvent.NODE, ClusterEvent.ADD), null, TestObjects.node("big", null), null);
        assertEquals("unschedulable", queue.where(qp.uid()));
        clock.millis += SchedulingQueue.MAX_IN_UNSCHEDULABLE.toMillis();
        queue.flushUnschedulableLeftover();
        assertEquals("unschedulable", queue.where(qp.uid()));
        clock.millis += 1;
        queue.flushUnschedulableLeftover();
        assertEquals("active", queue.where(qp.uid()), "5 minutes passed and its backoff too");
    }

    @Test
    void eventsDuringTheAttemptAreReplayed() throws Exception {
        framework();
        queue.add(TestObjects.pod("p"));
        QueuedPod qp = pop();
        queue.moveAllToActiveOrBackoff(new ClusterEvent(ClusterEvent.NODE, ClusterEvent.ADD), null, TestObjects.node("big", null), null);
        qp.setRejectors(Set.of("Fit"), Set.of());
        queue.addUnschedulable(qp, true);
        assertEquals("backoff", queue.where(qp.uid()));
    }

    @Test
    void pendingPluginsQueueImmediately() throws Exception {
        framework();
        queue.add(TestObjects.pod("p"));
        QueuedPod qp = pop();
        qp.setRejectors(Set.of(), Set.of("Fit"));
        queue.addUnschedulable(qp, true);
        assertEquals("unschedulable", queue.where(qp.uid()));
        queue.moveAllToActiveOrBackoff(new ClusterEvent(ClusterEvent.NODE, ClusterEvent.ADD), null, TestObjects.node("big", null), null);
        assertEquals("active", queue.where(qp.uid()));
    }

    @Test
    void preEnqueueGatesPodsUntilAnUpdateLetsThemIn() throws Exception {
        framework();
        Pod gated = new PodBuilder(TestObjects.pod("g")).editMetadata().addToLabels("gated", "yes").endMetadata().build();
        queue.add(gated);
        assertEquals("gated", queue.where(gated.getMetadata().getUid()));
        assertNull(pop());
        Pod free = new PodBuilder(gated).editMetadata().removeFromLabels("gated").endMetadata().build();
        queue.update(gated, free);
        assertEquals("active", queue.where(gated.getMetadata().getUid()));
        assertEquals("g", pop().pod().getMetadata().getName());
    }

    @Test
    void deletedPodsLeaveEveryQueueAndAreNotRequeued() throws Exception {
        framework();
        Pod a = TestObjects.pod("a");
        Pod b = TestObjects.pod("b");
        queue.add(a);
        queue.add(b);
        queue.delete(a);
        assertNull(queue.where(a.getMetadata().getUid()));
        QueuedPod qb = pop();
        queue.delete(b);
        assertTrue(qb.deleted());
        queue.addUnschedulable(qb, !qb.deleted());
        assertNull(queue.where(b.getMetadata().getUid()));
    }

    @Test
    void activateMovesUnschedulablePods() throws Exception {
        framework();
        Pod p = TestObjects.pod("p");
        queue.add(p);
        QueuedPod qp = pop();
        qp.setRejectors(Set.of("Deaf"), Set.of());
        queue.addUnschedulable(qp, true);
        queue.activate(List.of(p));
        assertEquals("active", queue.where(qp.uid()));
    }

    @Test
    void nominatedPodsAreListedByNode() {
        framework();
        Pod p = new PodBuilder(TestObjects.pod("p")).editStatus().withNominatedNodeName("n1").endStatus().build();
        queue.add(p);
        assertEquals(1, queue.nominator().podsForNode("n1").size());
        assertTrue(queue.nominator().podsForNode("n2").isEmpty());
        queue.delete(p);
        assertTrue(queue.nominator().podsForNode("n1").isEmpty());
    }

    @Test
    void podUpdateEventsAsUpstream() {
        Pod p = TestObjects.pod("p");
        Pod labelled = new PodBuilder(p).editMetadata().addToLabels("a", "b").endMetadata().build();
        assertEquals(List.of(new ClusterEvent(ClusterEvent.POD, ClusterEvent.UPDATE_POD_LABEL)), PodEvents.updateEvents(p, labelled));
        Pod gated = new PodBuilder(p).editSpec().addNewSchedulingGate("x").endSpec().build();
        assertEquals(List.of(new ClusterEvent(ClusterEvent.POD, ClusterEvent.UPDATE_POD_SCHEDULING_GATES_ELIMINATED)),
                PodEvents.updateEvents(gated, p));
        Node n = TestObjects.node("n", null);
        Node tainted = new io.fabric8.kubernetes.api.model.NodeBuilder(n).editOrNewSpec().addNewTaint().withKey("k")
                .withEffect("NoSchedule").endTaint().endSpec().build();
        assertEquals(new ClusterEvent(ClusterEvent.NODE, ClusterEvent.UPDATE_NODE_TAINT), PodEvents.nodeUpdate(n, tainted));
        assertNull(PodEvents.nodeUpdate(n, n));
    }
}
