package dev.okube.scheduler.plugins.tainttoleration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.NodeScores;
import dev.okube.api.scheduler.QueueingHint;
import dev.okube.api.scheduler.Status;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Upstream's TestTaintTolerationScore, TestTaintTolerationFilter and the queueing hint tests (tainttoleration). */
class TaintTolerationTest {

    static Taint taint(String key, String value, String effect) {
        return new Taint(effect, key, null, value);
    }

    static Toleration toleration(String key, String operator, String value, String effect) {
        return new Toleration(effect, key, operator, null, value);
    }

    static Pod pod(String uid, Toleration... tolerations) {
        return new PodBuilder().withNewMetadata().withName("pod1").withNamespace("ns").withUid(uid).endMetadata()
                .withNewSpec().withTolerations(List.of(tolerations)).endSpec().build();
    }

    static Pod pod(Toleration... tolerations) {
        return pod("uid", tolerations);
    }

    static Node node(String name, Taint... taints) {
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withTaints(List.of(taints)).endSpec().build();
    }

    // ---- Score

    static Stream<Arguments> scoreCases() {
        return Stream.of(
                Arguments.of("node with taints tolerated by the pod, gets a higher score than those node with intolerable taints",
                        pod(toleration("foo", "Equal", "bar", "PreferNoSchedule")),
                        List.of(node("nodeA", taint("foo", "bar", "PreferNoSchedule")),
                                node("nodeB", taint("foo", "blah", "PreferNoSchedule"))),
                        new long[] {100, 0}),
                Arguments.of("the nodes that all of their taints are tolerated by the pod, get the same score, no matter how many tolerable taints a node has",
                        pod(toleration("cpu-type", "Equal", "arm64", "PreferNoSchedule"),
                                toleration("disk-type", "Equal", "ssd", "PreferNoSchedule")),
                        List.of(node("nodeA"), node("nodeB", taint("cpu-type", "arm64", "PreferNoSchedule")),
                                node("nodeC", taint("cpu-type", "arm64", "PreferNoSchedule"),
                                        taint("disk-type", "ssd", "PreferNoSchedule"))),
                        new long[] {100, 100, 100}),
                Arguments.of("the more intolerable taints a node has, the lower score it gets",
                        pod(toleration("foo", "Equal", "bar", "PreferNoSchedule")),
                        List.of(node("nodeA"), node("nodeB", taint("cpu-type", "arm64", "PreferNoSchedule")),
                                node("nodeC", taint("cpu-type", "arm64", "PreferNoSchedule"),
                                        taint("disk-type", "ssd", "PreferNoSchedule"))),
                        new long[] {100, 50, 0}),
                Arguments.of("only taints and tolerations that have effect PreferNoSchedule are checked by prioritizer",
                        pod(toleration("cpu-type", "Equal", "arm64", "NoSchedule"),
                                toleration("disk-type", "Equal", "ssd", "NoSchedule")),
                        List.of(node("nodeA"), node("nodeB", taint("cpu-type", "arm64", "NoSchedule")),
                                node("nodeC", taint("cpu-type", "arm64", "PreferNoSchedule"),
                                        taint("disk-type", "ssd", "PreferNoSchedule"))),
                        new long[] {100, 100, 0}),
                Arguments.of("Default behaviour No taints and tolerations, lands on node with no taints",
                        pod(), List.of(node("nodeA"), node("nodeB", taint("cpu-type", "arm64", "PreferNoSchedule"))),
                        new long[] {100, 0}),
                Arguments.of("a toleration without effect tolerates PreferNoSchedule taints",
                        pod(toleration("foo", "Exists", null, null)),
                        List.of(node("nodeA", taint("foo", "bar", "PreferNoSchedule")),
                                node("nodeB", taint("baz", "bar", "PreferNoSchedule"))),
                        new long[] {100, 0}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scoreCases")
    void score(String name, Pod pod, List<Node> nodes, long[] want) {
        TaintToleration pl = new TaintToleration();
        CycleState state = new CycleState();
        List<NodeInfo> infos = new ArrayList<>();
        for (Node n : nodes) {
            infos.add(new NodeInfo(n));
        }
        assertEquals(Status.SUCCESS, pl.preScore(state, pod, infos));
        String[] names = new String[nodes.size()];
        long[] scores = new long[nodes.size()];
        for (int i = 0; i < infos.size(); i++) {
            names[i] = infos.get(i).name();
            scores[i] = pl.score(state, pod, infos.get(i));
        }
        NodeScores ns = new NodeScores(names, scores);
        assertEquals(Status.SUCCESS, pl.scoreExtensions().normalizeScore(state, pod, ns));
        assertArrayEquals(want, scores);
    }

    // ---- Filter

    static Stream<Arguments> filterCases() {
        return Stream.of(
                Arguments.of("A pod having no tolerations can't be scheduled onto a node with nonempty taints",
                        pod(), node("nodeA", taint("dedicated", "user1", "NoSchedule")),
                        Status.unresolvable("node(s) had untolerated taint {dedicated: user1}")),
                Arguments.of("A pod which can be scheduled on a dedicated node assigned to user1 with effect NoSchedule",
                        pod(toleration("dedicated", "Equal", "user1", "NoSchedule")),
                        node("nodeA", taint("dedicated", "user1", "NoSchedule")), Status.SUCCESS),
                Arguments.of("A pod which can't be scheduled on a dedicated node assigned to user2 with effect NoSchedule",
                        pod(toleration("dedicated", "Equal", "user2", "NoSchedule")),
                        node("nodeA", taint("dedicated", "user1", "NoSchedule")),
                        Status.unresolvable("node(s) had untolerated taint {dedicated: user1}")),
                Arguments.of("A pod can be scheduled onto the node, with a toleration uses operator Exists that tolerates the taints on the node",
                        pod(toleration("foo", "Exists", null, "NoSchedule")),
                        node("nodeA", taint("foo", "bar", "NoSchedule")), Status.SUCCESS),
                Arguments.of("A pod has multiple tolerations, node has multiple taints, all the taints are tolerated, pod can be scheduled onto the node",
                        pod(toleration("dedicated", "Equal", "user2", "NoSchedule"), toleration("foo", "Exists", null, "NoSchedule")),
                        node("nodeA", taint("dedicated", "user2", "NoSchedule"), taint("foo", "bar", "NoSchedule")),
                        Status.SUCCESS),
                Arguments.of("A pod has a toleration that keys and values match the taint on the node, but (non-empty) effect doesn't match, can't be scheduled onto the node",
                        pod(toleration("foo", "Equal", "bar", "PreferNoSchedule")),
                        node("nodeA", taint("foo", "bar", "NoSchedule")),
                        Status.unresolvable("node(s) had untolerated taint {foo: bar}")),
                Arguments.of("The pod has a toleration that keys and values match the taint on the node, the effect of toleration is empty, and the effect of taint is NoSchedule. Pod can be scheduled onto the node",
                        pod(toleration("foo", "Equal", "bar", null)),
                        node("nodeA", taint("foo", "bar", "NoSchedule")), Status.SUCCESS),
                Arguments.of("The pod has a toleration that key and value don't match the taint on the node, but the effect of taint on node is PreferNoSchedule. Pod can be scheduled onto the node",
                        pod(toleration("dedicated", "Equal", "user2", "NoSchedule")),
                        node("nodeA", taint("dedicated", "user1", "PreferNoSchedule")), Status.SUCCESS),
                Arguments.of("The pod has no toleration, but the effect of taint on node is PreferNoSchedule. Pod can be scheduled onto the node",
                        pod(), node("nodeA", taint("dedicated", "user1", "PreferNoSchedule")), Status.SUCCESS),
                Arguments.of("A NoExecute taint the pod does not tolerate rejects the node",
                        pod(), node("nodeA", taint("node.kubernetes.io/not-ready", null, "NoExecute")),
                        Status.unresolvable("node(s) had untolerated taint {node.kubernetes.io/not-ready: }")),
                Arguments.of("The first untolerated taint is reported",
                        pod(toleration("a", "Exists", null, null)),
                        node("nodeA", taint("a", "1", "NoSchedule"), taint("b", "2", "NoExecute"), taint("c", "3", "NoSchedule")),
                        Status.unresolvable("node(s) had untolerated taint {b: 2}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filterCases")
    void filter(String name, Pod pod, Node node, Status want) {
        assertEquals(want, new TaintToleration().filter(new CycleState(), pod, new NodeInfo(node)));
    }

    // ---- Queueing hints

    static Stream<Arguments> nodeChangeCases() {
        Pod tolerating = pod(toleration("foo", "Equal", "bar", "NoSchedule"));
        return Stream.of(
                Arguments.of("backoff-wrong-new-object", pod(), null, "not a node", QueueingHint.QUEUE),
                Arguments.of("node-add-with-tolerated-taint", tolerating, null,
                        node("n", taint("foo", "bar", "NoSchedule")), QueueingHint.QUEUE),
                Arguments.of("node-add-without-taints", pod(), null, node("n"), QueueingHint.QUEUE),
                Arguments.of("skip-node-add-with-untolerated-taint", tolerating, null,
                        node("n", taint("foo", "baz", "NoSchedule")), QueueingHint.SKIP),
                Arguments.of("queue-when-untolerated-taint-removed", pod(),
                        node("n", taint("foo", "bar", "NoSchedule")), node("n"), QueueingHint.QUEUE),
                Arguments.of("skip-when-taint-still-untolerated", pod(),
                        node("n", taint("foo", "bar", "NoSchedule")), node("n", taint("foo", "baz", "NoSchedule")),
                        QueueingHint.SKIP),
                Arguments.of("skip-when-node-was-already-tolerated", pod(), node("n"),
                        node("n", taint("foo", "bar", "PreferNoSchedule")), QueueingHint.SKIP));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodeChangeCases")
    void afterNodeChange(String name, Pod pod, Object oldObj, Object newObj, QueueingHint want) {
        assertEquals(want, TaintToleration.afterNodeChange(pod, oldObj, newObj));
    }

    @Test
    void afterPodTolerationChange() {
        Pod pod = pod("uid-1");
        Pod updated = pod("uid-1", toleration("foo", "Exists", null, null));
        assertEquals(QueueingHint.QUEUE, TaintToleration.afterPodTolerationChange(pod, pod, updated));
        Pod other = pod("uid-2", toleration("foo", "Exists", null, null));
        assertEquals(QueueingHint.SKIP, TaintToleration.afterPodTolerationChange(pod, pod("uid-2"), other));
    }

    @Test
    void factoryCreatesTaintToleration() {
        TaintTolerationFactory factory = new TaintTolerationFactory();
        assertEquals("TaintToleration", factory.name());
        assertEquals("TaintToleration", factory.create(null, null).name());
    }
}
