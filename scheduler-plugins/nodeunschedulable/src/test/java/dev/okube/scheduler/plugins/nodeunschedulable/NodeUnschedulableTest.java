package dev.okube.scheduler.plugins.nodeunschedulable;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.QueueingHint;
import dev.okube.api.scheduler.Status;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Upstream's TestNodeUnschedulable, TestIsSchedulableAfterNodeChange and TestIsSchedulableAfterPodTolerationChange. */
class NodeUnschedulableTest {
    private static final Toleration UNSCHEDULABLE = new Toleration("NoSchedule", "node.kubernetes.io/unschedulable", null, null, null);

    static Pod pod(String uid, Toleration... tolerations) {
        return new PodBuilder().withNewMetadata().withName("pod").withNamespace("ns").withUid(uid).endMetadata()
                .withNewSpec().withTolerations(List.of(tolerations)).endSpec().build();
    }

    static Node node(Boolean unschedulable) {
        return new NodeBuilder().withNewMetadata().withName("node").endMetadata()
                .withNewSpec().withUnschedulable(unschedulable).endSpec().build();
    }

    static Stream<Arguments> filterCases() {
        Status rejected = Status.of(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, "node(s) were unschedulable");
        return Stream.of(
                Arguments.of("Does not schedule pod to unschedulable node (node.Spec.Unschedulable==true)",
                        pod("u"), node(true), rejected),
                Arguments.of("Schedule pod to normal node", pod("u"), node(false), Status.SUCCESS),
                Arguments.of("Schedule pod to node without spec.unschedulable", pod("u"), node(null), Status.SUCCESS),
                Arguments.of("Schedule pod with toleration to unschedulable node (node.Spec.Unschedulable==true)",
                        pod("u", UNSCHEDULABLE), node(true), Status.SUCCESS),
                Arguments.of("An Exists toleration without key tolerates the unschedulable node",
                        pod("u", new Toleration(null, null, "Exists", null, null)), node(true), Status.SUCCESS),
                Arguments.of("A NoExecute toleration does not tolerate the unschedulable node",
                        pod("u", new Toleration("NoExecute", "node.kubernetes.io/unschedulable", null, null, null)),
                        node(true), rejected));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filterCases")
    void filter(String name, Pod pod, Node node, Status want) {
        assertEquals(want, new NodeUnschedulable().filter(new CycleState(), pod, new NodeInfo(node)));
    }

    static Stream<Arguments> nodeChangeCases() {
        return Stream.of(
                Arguments.of("backoff-wrong-new-object", null, "not a node", QueueingHint.QUEUE),
                Arguments.of("skip-queue-on-unschedulable-node-added", null, node(true), QueueingHint.SKIP),
                Arguments.of("queue-on-schedulable-node-added", null, node(false), QueueingHint.QUEUE),
                Arguments.of("skip-unrelated-change", node(false), node(false), QueueingHint.SKIP),
                Arguments.of("queue-on-unschedulable-field-change", node(true), node(false), QueueingHint.QUEUE),
                Arguments.of("skip-when-node-becomes-unschedulable", node(false), node(true), QueueingHint.SKIP));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodeChangeCases")
    void afterNodeChange(String name, Object oldObj, Object newObj, QueueingHint want) {
        assertEquals(want, NodeUnschedulable.afterNodeChange(pod("u"), oldObj, newObj));
    }

    static Stream<Arguments> podTolerationCases() {
        return Stream.of(
                Arguments.of("the pod gained the unschedulable toleration", pod("u"), pod("u", UNSCHEDULABLE), QueueingHint.QUEUE),
                Arguments.of("another pod gained the toleration", pod("other"), pod("other", UNSCHEDULABLE), QueueingHint.SKIP),
                Arguments.of("the pod gained an unrelated toleration", pod("u"),
                        pod("u", new Toleration("NoSchedule", "foo", null, null, null)), QueueingHint.SKIP),
                Arguments.of("the pod already tolerated it", pod("u", UNSCHEDULABLE),
                        pod("u", UNSCHEDULABLE, new Toleration("NoSchedule", "foo", null, null, null)), QueueingHint.SKIP));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("podTolerationCases")
    void afterPodTolerationChange(String name, Pod oldPod, Pod newPod, QueueingHint want) {
        assertEquals(want, NodeUnschedulable.afterPodTolerationChange(pod("u"), oldPod, newPod));
    }

    @Test
    void factoryCreatesNodeUnschedulable() {
        NodeUnschedulableFactory factory = new NodeUnschedulableFactory();
        assertEquals("NodeUnschedulable", factory.name());
        assertEquals("NodeUnschedulable", factory.create(null, null).name());
    }
}
