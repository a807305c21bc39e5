package dev.okube.scheduler.plugins.nodeports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.PodInfo;
import dev.okube.api.scheduler.PreFilterResult;
import dev.okube.api.scheduler.QueueingHint;
import dev.okube.api.scheduler.Status;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Upstream's TestNodePorts, TestPreFilterDisabled and TestIsSchedulableAfterPodDeleted (nodeports). */
class NodePortsTest {
    private static final Status CONFLICT = Status.unschedulable("node(s) didn't have free ports for the requested pod ports");

    /** A pod with host ports written "PROTOCOL/hostIP/port", as upstream's newPod helper. */
    static Pod pod(String nodeName, String... hostPorts) {
        List<ContainerPort> ports = new ArrayList<>();
        for (String hp : hostPorts) {
            String[] parts = hp.split("/");
            ContainerPort p = new ContainerPort();
            p.setProtocol(parts[0]);
            p.setHostIP(parts[1]);
            p.setHostPort(Integer.parseInt(parts[2]));
            p.setContainerPort(Integer.parseInt(parts[2]));
            ports.add(p);
        }
        return new PodBuilder().withNewMetadata().withName("pod").withNamespace("ns").withUid("uid-" + String.join(",", hostPorts))
                .endMetadata().withNewSpec().withNodeName(nodeName).addNewContainer().withName("c").withPorts(ports)
                .endContainer().endSpec().build();
    }

    static NodeInfo nodeInfo(Pod... pods) {
        Node node = new NodeBuilder().withNewMetadata().withName("node").endMetadata().build();
        NodeInfo ni = new NodeInfo(node);
        for (Pod p : pods) {
            ni.addPod(PodInfo.of(p));
        }
        return ni;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("same udp port", pod(null, "UDP/127.0.0.1/8080"), nodeInfo(pod("node", "UDP/127.0.0.1/8080")), CONFLICT),
                Arguments.of("same tcp port", pod(null, "TCP/127.0.0.1/8080"), nodeInfo(pod("node", "TCP/127.0.0.1/8080")), CONFLICT),
                Arguments.of("different host ip", pod(null, "TCP/127.0.0.1/8080"), nodeInfo(pod("node", "TCP/127.0.0.2/8080")),
                        Status.SUCCESS),
                Arguments.of("different protocol", pod(null, "UDP/127.0.0.1/8080"), nodeInfo(pod("node", "TCP/127.0.0.1/8080")),
                        Status.SUCCESS),
                Arguments.of("second udp port conflict", pod(null, "UDP/127.0.0.1/8000", "UDP/127.0.0.1/8080"),
                        nodeInfo(pod("node", "UDP/127.0.0.1/8080")), CONFLICT),
                Arguments.of("first tcp port conflict", pod(null, "TCP/127.0.0.1/8001", "UDP/127.0.0.1/8080"),
                        nodeInfo(pod("node", "TCP/127.0.0.1/8001", "UDP/127.0.0.1/8081")), CONFLICT),
                Arguments.of("first tcp port conflict due to 0.0.0.0 hostIP", pod(null, "TCP/0.0.0.0/8001"),
                        nodeInfo(pod("node", "TCP/127.0.0.1/8001")), CONFLICT),
                Arguments.of("TCP hostPort conflict due to 0.0.0.0 hostIP", pod(null, "TCP/10.0.10.10/8001", "TCP/0.0.0.0/8001"),
                        nodeInfo(pod("node", "TCP/127.0.0.1/8001")), CONFLICT),
                Arguments.of("second tcp port conflict to 0.0.0.0 hostIP", pod(null, "TCP/127.0.0.1/8001"),
                        nodeInfo(pod("node", "TCP/0.0.0.0/8001")), CONFLICT),
                Arguments.of("second different protocol", pod(null, "UDP/0.0.0.0/8001"), nodeInfo(pod("node", "TCP/0.0.0.0/8001")),
                        Status.SUCCESS),
                Arguments.of("UDP hostPort conflict due to 0.0.0.0 hostIP", pod(null, "TCP/0.0.0.0/8001", "UDP/0.0.0.0/8001"),
                        nodeInfo(pod("node", "UDP/127.0.0.1/8001")), CONFLICT),
                Arguments.of("empty host ip and protocol mean 0.0.0.0 and TCP", pod(null, "/ /8001".replace(" ", "")),
                        nodeInfo(pod("node", "TCP/127.0.0.1/8001")), CONFLICT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void filter(String name, Pod pod, NodeInfo nodeInfo, Status want) {
        NodePorts pl = new NodePorts();
        CycleState state = new CycleState();
        assertEquals(PreFilterResult.SUCCESS, pl.preFilter(state, pod, List.of(nodeInfo)));
        assertEquals(want, pl.filter(state, pod, nodeInfo));
    }

    @Test
    void noResourcesSkips() {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec().addNewContainer()
                .withName("c").endContainer().endSpec().build();
        assertEquals(PreFilterResult.SKIP, new NodePorts().preFilter(new CycleState(), pod, List.of()));
    }

    @Test
    void filterWithoutPreFilterIsAnError() {
        Status s = new NodePorts().filter(new CycleState(), pod(null, "TCP/127.0.0.1/8080"), nodeInfo());
        assertEquals(Status.Code.ERROR, s.code());
        assertTrue(s.message().contains("PreFilterNodePorts"), s.message());
    }

    static Stream<Arguments> podDeletedCases() {
        Pod pending = pod(null, "TCP/0.0.0.0/8080");
        return Stream.of(
                Arguments.of("backoff-wrong-old-object", pending, "not a pod", QueueingHint.QUEUE),
                Arguments.of("skip-queue-on-unscheduled", pending, pod(null, "TCP/0.0.0.0/8080"), QueueingHint.SKIP),
                Arguments.of("skip-queue-on-non-hostport", pending, pod("node"), QueueingHint.SKIP),
                Arguments.of("skip-queue-on-unrelated-hostport", pending, pod("node", "TCP/0.0.0.0/8081"), QueueingHint.SKIP),
                Arguments.of("queue-on-released-hostport", pending, pod("node", "TCP/0.0.0.0/8080"), QueueingHint.QUEUE),
                Arguments.of("queue-on-released-hostport-on-a-specific-ip", pending, pod("node", "TCP/10.0.0.1/8080"),
                        QueueingHint.QUEUE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("podDeletedCases")
    void afterPodDeleted(String name, Pod pod, Object deleted, QueueingHint want) {
        assertEquals(want, NodePorts.afterPodDeleted(pod, deleted, null));
    }

    @Test
    void factoryCreatesNodePorts() {
        NodePortsFactory factory = new NodePortsFactory();
        assertEquals("NodePorts", factory.name());
        assertEquals("NodePorts", factory.create(null, null).name());
    }
}
