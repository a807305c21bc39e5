package dev.okube.scheduler.plugins.nodename;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.okube.api.scheduler.ClusterEvent;
import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.QueueingHint;
import dev.okube.api.scheduler.Status;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Upstream's TestNodeName and Test_isSchedulableAfterNodeAdd (nodename). */
class NodeNameTest {
    static Pod pod(String nodeName) {
        return new PodBuilder().withNewMetadata().withName("pod1").withNamespace("ns").endMetadata()
                .withNewSpec().withNodeName(nodeName).endSpec().build();
    }

    static Node node(String name) {
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata().build();
    }

    static Stream<Arguments> filterCases() {
        return Stream.of(
                Arguments.of("no host specified", pod(null), node("foo"), Status.SUCCESS),
                Arguments.of("empty host specified", pod(""), node("foo"), Status.SUCCESS),
                Arguments.of("host matches", pod("foo"), node("foo"), Status.SUCCESS),
                Arguments.of("host doesn't match", pod("bar"), node("foo"),
                        Status.of(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, "node(s) didn't match the requested node name")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filterCases")
    void filter(String name, Pod pod, Node node, Status want) {
        assertEquals(want, new NodeName().filter(new CycleState(), pod, new NodeInfo(node)));
    }

    static Stream<Arguments> hintCases() {
        return Stream.of(
                Arguments.of("backoff-wrong-new-object", pod("foo"), "not a node", QueueingHint.QUEUE),
                Arguments.of("skip-queue-on-unmatched-node", pod("foo"), node("bar"), QueueingHint.SKIP),
                Arguments.of("queue-on-matched-node", pod("foo"), node("foo"), QueueingHint.QUEUE),
                Arguments.of("queue-on-pod-without-node-name", pod(null), node("bar"), QueueingHint.QUEUE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hintCases")
    void afterNodeAdd(String name, Pod pod, Object newObj, QueueingHint want) {
        assertEquals(want, NodeName.afterNodeAdd(pod, null, newObj));
    }

    @Test
    void registersNodeAdd() {
        assertEquals(new ClusterEvent(ClusterEvent.NODE, ClusterEvent.ADD), new NodeName().eventsToRegister().get(0).event());
    }

    @Test
    void factoryCreatesNodeName() {
        NodeNameFactory factory = new NodeNameFactory();
        assertEquals("NodeName", factory.name());
        assertEquals("NodeName", factory.create(null, null).name());
    }
}
