package dev.okube.scheduler.plugins.noderesources;

import static dev.okube.scheduler.plugins.noderesources.Objects.node;
import static dev.okube.scheduler.plugins.noderesources.Objects.pod;
import static dev.okube.scheduler.plugins.noderesources.Objects.res;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.okube.api.scheduler.ClusterEvent;
import dev.okube.api.scheduler.EnqueueExtensions.EventWithHint;
import dev.okube.api.scheduler.QueueingHint;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Upstream's TestEventsToRegister, Test_isSchedulableAfterPodEvent and Test_isSchedulableAfterNodeChange (fit_test.go). */
class FitHintsTest {
    private final Fit fit = new Fit(FitArgs.DEFAULTS);

    @Test
    void events() {
        List<EventWithHint> events = fit.eventsToRegister();
        assertEquals(new ClusterEvent(ClusterEvent.POD, ClusterEvent.DELETE | ClusterEvent.UPDATE_POD_SCALE_DOWN),
                events.get(0).event());
        assertEquals(new ClusterEvent(ClusterEvent.NODE, ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_ALLOCATABLE),
                events.get(1).event());
    }

    static Stream<Arguments> podEvents() {
        Pod target = pod().uid("target").req("cpu", "1").obj();
        return Stream.of(
                Arguments.of("backoff-wrong-old-object: deleted unscheduled pod is skipped", target,
                        pod().req("cpu", "1").obj(), null, QueueingHint.SKIP),
                Arguments.of("queue-on-deleted: a scheduled pod was deleted", target,
                        pod().node("fake").req("cpu", "1").obj(), null, QueueingHint.QUEUE),
                Arguments.of("skip-queue-on-unscheduled-pod-scaled-down", target,
                        pod().uid("u1").req("cpu", "2").obj(), pod().uid("u1").req("cpu", "1").obj(), QueueingHint.SKIP),
                Arguments.of("skip-queue-on-disable-inplace-pod-vertical-scaling (unrelated resource scaled down)", target,
                        pod().uid("u2").node("fake").req("memory", "2").obj(),
                        pod().uid("u2").node("fake").req("memory", "1").obj(), QueueingHint.SKIP),
                Arguments.of("queue-on-other-pod-scaled-down", target,
                        pod().uid("u3").node("fake").req("cpu", "2").obj(),
                        pod().uid("u3").node("fake").req("cpu", "1").obj(), QueueingHint.QUEUE),
                Arguments.of("skip-queue-on-other-pod-scaled-up", target,
                        pod().uid("u4").node("fake").req("cpu", "1").obj(),
                        pod().uid("u4").node("fake").req("cpu", "2").obj(), QueueingHint.SKIP),
                Arguments.of("queue-on-target-pod-scaled-down", target,
                        pod().uid("target").req("cpu", "2").obj(), pod().uid("target").req("cpu", "1").obj(),
                        QueueingHint.QUEUE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("podEvents")
    void afterPodEvent(String name, Pod pod, Pod oldObj, Pod newObj, QueueingHint want) {
        assertEquals(want, fit.eventsToRegister().get(0).hint().hint(pod, oldObj, newObj));
    }

    static Node n(String cpu, String pods) {
        return node("fake", res("cpu", cpu, "pods", pods));
    }

    static Stream<Arguments> nodeEvents() {
        Pod pod = pod().req("cpu", "1").obj();
        return Stream.of(
                Arguments.of("queue-on-node-add", pod, null, n("1", "110"), QueueingHint.QUEUE),
                Arguments.of("skip-queue-on-node-add-insufficient-resources", pod, null, n("500m", "110"), QueueingHint.SKIP),
                Arguments.of("skip-queue-on-node-add-no-pod-slot", pod, null, n("2", "0"), QueueingHint.SKIP),
                Arguments.of("queue-on-node-changes", pod, n("500m", "110"), n("1", "110"), QueueingHint.QUEUE),
                Arguments.of("skip-queue-on-node-unrelated-changes", pod, n("1", "110"), n("1", "110"), QueueingHint.SKIP),
                Arguments.of("skip-queue-on-node-changes-from-suitable-to-unsuitable", pod, n("2", "110"), n("500m", "110"),
                        QueueingHint.SKIP),
                Arguments.of("queue-on-node-changes-pod-slot-increased", pod, n("2", "10"), n("2", "11"), QueueingHint.QUEUE),
                Arguments.of("skip-queue-on-node-changes-resource-the-pod-does-not-request", pod().obj(),
                        node("fake", res("cpu", "1", "pods", "110")), node("fake", res("cpu", "2", "pods", "110")),
                        QueueingHint.SKIP));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodeEvents")
    void afterNodeChange(String name, Pod pod, Node oldObj, Node newObj, QueueingHint want) {
        assertEquals(want, fit.eventsToRegister().get(1).hint().hint(pod, oldObj, newObj));
    }
}
