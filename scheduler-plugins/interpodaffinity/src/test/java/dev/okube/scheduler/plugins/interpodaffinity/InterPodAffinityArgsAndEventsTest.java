package dev.okube.scheduler.plugins.interpodaffinity;

import dev.okube.api.scheduler.testing.SnapshotHandle;

import static dev.okube.scheduler.plugins.interpodaffinity.Objs.in;
import static dev.okube.scheduler.plugins.interpodaffinity.Objs.node;
import static dev.okube.scheduler.plugins.interpodaffinity.Objs.pod;
import static dev.okube.scheduler.plugins.interpodaffinity.Objs.term;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import tools.jackson.databind.json.JsonMapper;

/** Args defaulting and validation, and the queueing hints of upstream's plugin_test.go. */
class InterPodAffinityArgsAndEventsTest {
    static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void argsDefaults() {
        assertEquals(new InterPodAffinityArgs(1, false), InterPodAffinityArgs.parse(JSON.readTree("{}")));
        assertEquals(new InterPodAffinityArgs(1, false), InterPodAffinityArgs.parse(null));
        assertEquals(new InterPodAffinityArgs(7, true), InterPodAffinityArgs.parse(
                JSON.readTree("{\"hardPodAffinityWeight\":7,\"ignorePreferredTermsOfExistingPods\":true}")));
        assertEquals(0, InterPodAffinityArgs.parse(JSON.readTree("{\"hardPodAffinityWeight\":0}")).hardPodAffinityWeight());
    }

    static Stream<Arguments> invalidArgs() {
        return Stream.of(
                Arguments.of("{\"hardPodAffinityWeight\":-1}", "hardPodAffinityWeight: Invalid value: -1: not in valid range [0-100]"),
                Arguments.of("{\"hardPodAffinityWeight\":101}", "hardPodAffinityWeight: Invalid value: 101: not in valid range [0-100]"),
                Arguments.of("{\"hardPodAffinityWeight\":\"x\"}", "must be an integer"),
                Arguments.of("{\"ignorePreferredTermsOfExistingPods\":\"yes\"}", "must be a boolean"),
                Arguments.of("[]", "must be an object"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidArgs")
    void invalidArgsAreRefused(String args, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new InterPodAffinityFactory().create(JSON.readTree(args), new SnapshotHandle(List.of(), List.of())));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void nameAndEvents() {
        InterPodAffinity pl = (InterPodAffinity) new InterPodAffinityFactory().create(JSON.readTree("{}"),
                new SnapshotHandle(List.of(), List.of()));
        assertEquals("InterPodAffinity", pl.name());
        assertEquals("InterPodAffinity", new InterPodAffinityFactory().name());
        List<EventWithHint> events = pl.eventsToRegister();
        assertEquals(new ClusterEvent("Pod", ClusterEvent.ADD | ClusterEvent.UPDATE_POD_LABEL | ClusterEvent.DELETE),
                events.get(0).event());
        assertEquals(new ClusterEvent("Node", ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_LABEL | ClusterEvent.UPDATE_NODE_TAINT),
                events.get(1).event());
    }

    static final Pod TARGET = pod("p").affinity(term("region", in("service", "securityscan", "value2")))
            .anti(term("zone", in("aaa", "a"))).obj();

    static Pod scheduled(String name, String... labels) {
        Objs.P p = pod(name).node("node-a");
        for (int i = 0; i < labels.length; i += 2) {
            p.label(labels[i], labels[i + 1]);
        }
        return p.obj();
    }

    static Stream<Arguments> podHints() {
        return Stream.of(
                Arguments.of("add a pod which matches the pod's affinity", null, scheduled("p2", "service", "securityscan"),
                        QueueingHint.QUEUE),
                Arguments.of("add an unscheduled pod", null, pod("p2").label("service", "securityscan").obj(),
                        QueueingHint.SKIP),
                Arguments.of("add a pod which doesn't match the pod's affinity", null, scheduled("p2", "service", "other"),
                        QueueingHint.SKIP),
                Arguments.of("update a pod so that it matches the affinity", scheduled("p2", "service", "other"),
                        scheduled("p2", "service", "securityscan"), QueueingHint.QUEUE),
                Arguments.of("update a pod so that it no longer matches the anti-affinity", scheduled("p2", "aaa", "a"),
                        scheduled("p2", "aaa", "b"), QueueingHint.QUEUE),
                Arguments.of("update a pod's unrelated labels", scheduled("p2", "service", "securityscan"),
                        scheduled("p2", "service", "securityscan", "x", "y"), QueueingHint.SKIP),
                Arguments.of("delete a pod which matches the anti-affinity", scheduled("p2", "aaa", "a"), null,
                        QueueingHint.QUEUE),
                Arguments.of("delete a pod which doesn't match the anti-affinity", scheduled("p2", "aaa", "b"), null,
                        QueueingHint.SKIP));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("podHints")
    void podHint(String name, Pod oldPod, Pod newPod, QueueingHint want) {
        assertEquals(want, InterPodAffinity.afterPodChange(TARGET, oldPod, newPod));
    }

    static Stream<Arguments> nodeHints() {
        return Stream.of(
                Arguments.of("add a node with the affinity's topology key", null, node("n", "region", "r1"), QueueingHint.QUEUE),
                Arguments.of("add a node with the anti-affinity's topology key", null, node("n", "zone", "z1"),
                        QueueingHint.QUEUE),
                Arguments.of("add a node without any topology key", null, node("n", "rack", "1"), QueueingHint.SKIP),
                Arguments.of("update a node to gain the topology key", node("n"), node("n", "region", "r1"),
                        QueueingHint.QUEUE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodeHints")
    void nodeHint(String name, Node oldNode, Node newNode, QueueingHint want) {
        assertEquals(want, InterPodAffinity.afterNodeChange(TARGET, oldNode, newNode));
    }
}
