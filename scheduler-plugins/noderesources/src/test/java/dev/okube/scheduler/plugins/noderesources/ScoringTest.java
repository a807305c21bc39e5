package dev.okube.scheduler.plugins.noderesources;

import static dev.okube.scheduler.plugins.noderesources.Objects.node;
import static dev.okube.scheduler.plugins.noderesources.Objects.nodeInfo;
import static dev.okube.scheduler.plugins.noderesources.Objects.pod;
import static dev.okube.scheduler.plugins.noderesources.Objects.res;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.ScorePlugin;
import dev.okube.api.scheduler.Status;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Cases of upstream's least_allocated_test.go, most_allocated_test.go, requested_to_capacity_ratio_test.go and
 * balanced_allocation_test.go: each scores a pod on two nodes.
 */
class ScoringTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static NodeInfo n(String name, String cpu, String memory, Pod... pods) {
        return nodeInfo(node(name, res("cpu", cpu, "memory", memory, "pods", "110")), pods);
    }

    static Pod on(String node, String cpu, String memory) {
        return pod().node(node).req("cpu", cpu, "memory", memory).obj();
    }

    /** The two-container pod of upstream's tables: 1000+2000 cpu, 2000+3000 memory. */
    static Pod requested() {
        return pod().req("cpu", "1000", "memory", "2000").req("cpu", "2000", "memory", "3000").obj();
    }

    static Arguments c(String name, String args, Pod pod, List<NodeInfo> nodes, long... want) {
        return Arguments.of(name, args, pod, nodes, want);
    }

    static Stream<Arguments> leastAllocated() {
        return Stream.of(
                c("nothing scheduled, nothing requested", null, pod().obj(),
                        List.of(n("node1", "4000", "10000"), n("node2", "4000", "10000")), 100, 100),
                c("nothing scheduled, resources requested, differently sized nodes", null, requested(),
                        List.of(n("node1", "4000", "10000"), n("node2", "6000", "10000")), 37, 50),
                c("no resources requested, pods scheduled", null, pod().obj(),
                        List.of(n("node1", "4000", "10000", pod().node("node1").obj(), pod().node("node1").obj()),
                                n("node2", "4000", "10000", pod().node("node2").obj(), pod().node("node2").obj())), 100, 100),
                c("no resources requested, pods scheduled with resources", null, pod().obj(),
                        List.of(n("node1", "10000", "20000", on("node1", "3000", "0"), on("node1", "3000", "0")),
                                n("node2", "10000", "20000", on("node2", "3000", "0"), on("node2", "3000", "5000"))), 70, 57),
                c("resources requested, pods scheduled with resources", null, requested(),
                        List.of(n("node1", "10000", "20000", on("node1", "3000", "0")),
                                n("node2", "10000", "20000", on("node2", "3000", "5000"))), 57, 45),
                c("resources requested, pods scheduled with resources, differently sized nodes", null, requested(),
                        List.of(n("node1", "10000", "20000", on("node1", "3000", "0")),
                                n("node2", "10000", "50000", on("node2", "3000", "5000"))), 57, 60),
                c("requested resources exceed node capacity", null, pod().req("cpu", "3000", "memory", "0").obj(),
                        List.of(n("node1", "4000", "10000", on("node1", "3000", "0")),
                                n("node2", "4000", "10000", on("node2", "3000", "5000"))), 50, 25),
                c("zero node resources, pods scheduled with resources", null, pod().obj(),
                        List.of(nodeInfo(node("node1", res()), on("node1", "3000", "0")),
                                nodeInfo(node("node2", res()), on("node2", "3000", "5000"))), 0, 0),
                c("nothing scheduled, resources requested with different weight on CPU and memory, differently sized nodes",
                        strategy("LeastAllocated", "[{\"name\":\"memory\",\"weight\":2},{\"name\":\"cpu\",\"weight\":1}]"),
                        requested(), List.of(n("node1", "4000", "10000"), n("node2", "6000", "10000")), 41, 50),
                c("bypass extended resource if the pod does not request",
                        strategy("LeastAllocated", EXTENDED_SET), requested(),
                        List.of(n("node1", "6000", "10000"),
                                nodeInfo(node("node2", res("cpu", "6000", "memory", "10000", "nvidia.com/gpu", "4")))), 50, 50),
                c("honor extended resource if the pod requests", strategy("LeastAllocated", EXTENDED_SET),
                        pod().req("cpu", "1000", "memory", "2000").req("cpu", "2000", "memory", "3000", "nvidia.com/gpu", "2").obj(),
                        List.of(nodeInfo(node("node1", res("cpu", "6000", "memory", "10000", "nvidia.com/gpu", "4"))),
                                nodeInfo(node("node2", res("cpu", "6000", "memory", "10000", "nvidia.com/gpu", "10")))), 50, 60));
    }

    static final String EXTENDED_SET = "[{\"name\":\"cpu\",\"weight\":1},{\"name\":\"memory\",\"weight\":1},"
            + "{\"name\":\"nvidia.com/gpu\",\"weight\":1}]";

    static String strategy(String type, String resources) {
        return "{\"scoringStrategy\":{\"type\":\"" + type + "\"" + (resources == null ? "" : ",\"resources\":" + resources)
                + "}}";
    }

    static Stream<Arguments> mostAllocated() {
        String most = strategy("MostAllocated", null);
        return Stream.of(
                c("nothing scheduled, nothing requested", most, pod().obj(),
                        List.of(n("node1", "4000", "10000"), n("node2", "4000", "10000")), 0, 0),
                c("nothing scheduled, resources requested, differently sized nodes", most, requested(),
                        List.of(n("node1", "4000", "10000"), n("node2", "6000", "10000")), 62, 50),
                c("no resources requested, pods scheduled with resources", most, pod().obj(),
                        List.of(n("node1", "10000", "20000", on("node1", "3000", "0"), on("node1", "3000", "0")),
                                n("node2", "10000", "20000", on("node2", "3000", "0"), on("node2", "3000", "5000"))), 30, 42),
                c("resources requested, pods scheduled with resources", most, requested(),
                        List.of(n("node1", "10000", "20000", on("node1", "3000", "0")),
                                n("node2", "10000", "20000", on("node2", "3000", "5000"))), 42, 55),
                c("nothing scheduled, resources requested with different weight on CPU and memory, differently sized nodes",
                        strategy("MostAllocated", "[{\"name\":\"memory\",\"weight\":2},{\"name\":\"cpu\",\"weight\":1}]"),
                        requested(), List.of(n("node1", "4000", "10000"), n("node2", "6000", "10000")), 58, 50),
                c("requested more than the node has: capped at capacity", most, pod().req("cpu", "5000", "memory", "20000").obj(),
                        List.of(n("node1", "4000", "10000"), n("node2", "10000", "40000")), 100, 50));
    }

    static Stream<Arguments> requestedToCapacityRatio() {
        String least = "{\"scoringStrategy\":{\"type\":\"RequestedToCapacityRatio\",\"requestedToCapacityRatio\":"
                + "{\"shape\":[{\"utilization\":0,\"score\":10},{\"utilization\":100,\"score\":0}]}}}";
        String most = "{\"scoringStrategy\":{\"type\":\"RequestedToCapacityRatio\",\"requestedToCapacityRatio\":"
                + "{\"shape\":[{\"utilization\":0,\"score\":0},{\"utilization\":100,\"score\":10}]}}}";
        return Stream.of(
                c("nothing scheduled, nothing requested (default - least requested nodes have priority)", least,
                        pod().obj(), List.of(n("node1", "4000", "10000"), n("node2", "4000", "10000")), 100, 100),
                c("nothing scheduled, resources requested, differently sized nodes (default - least requested nodes have priority)",
                        least, requested(), List.of(n("node1", "4000", "10000"), n("node2", "6000", "10000")), 38, 50),
                c("no resources requested, pods scheduled with resources (default - least requested nodes have priority)",
                        least, pod().obj(),
                        List.of(n("node1", "10000", "20000", on("node1", "3000", "0"), on("node1", "3000", "0")),
                                n("node2", "10000", "20000", on("node2", "3000", "0"), on("node2", "3000", "5000"))), 70, 58),
                c("most requested shape; a zero resource score does not count in the average", most, pod().obj(),
                        List.of(n("node1", "10000", "20000", on("node1", "3000", "0"), on("node1", "3000", "0")),
                                n("node2", "10000", "20000", on("node2", "3000", "0"), on("node2", "3000", "5000"))), 60, 43));
    }

    static Stream<Arguments> balancedAllocation() {
        return Stream.of(
                c("nothing scheduled, nothing requested", null, pod().obj(),
                        List.of(n("node1", "4000", "10000"), n("node2", "4000", "10000")), 100, 100),
                c("nothing scheduled, resources requested, differently sized nodes", null, requested(),
                        List.of(n("node1", "4000", "10000"), n("node2", "6000", "10000")), 87, 100),
                c("no resources requested, pods scheduled", null, pod().obj(),
                        List.of(n("node1", "4000", "10000", pod().node("node1").obj()),
                                n("node2", "4000", "10000", pod().node("node2").obj())), 100, 100),
                c("no resources requested, pods scheduled with resources", null, pod().obj(),
                        List.of(n("node1", "10000", "20000", on("node1", "3000", "0"), on("node1", "3000", "0")),
                                n("node2", "10000", "20000", on("node2", "3000", "0"), on("node2", "3000", "5000"))), 70, 82),
                c("resources requested, pods scheduled with resources", null, requested(),
                        List.of(n("node1", "10000", "20000", on("node1", "3000", "0")),
                                n("node2", "10000", "20000", on("node2", "3000", "5000"))), 82, 95),
                c("requested resources exceed node capacity: fractions are capped at 1", null,
                        pod().req("cpu", "3000", "memory", "0").obj(),
                        List.of(n("node1", "4000", "10000", on("node1", "3000", "0")),
                                n("node2", "4000", "10000", on("node2", "3000", "5000"))), 50, 75),
                c("three resources: the std of all fractions",
                        "{\"resources\":" + EXTENDED_SET + "}",
                        pod().req("cpu", "3000", "memory", "5000", "nvidia.com/gpu", "1").obj(),
                        List.of(nodeInfo(node("node1", res("cpu", "6000", "memory", "10000", "nvidia.com/gpu", "4"))),
                                nodeInfo(node("node2", res("cpu", "6000", "memory", "10000", "nvidia.com/gpu", "2")))), 88, 100));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"leastAllocated", "mostAllocated", "requestedToCapacityRatio"})
    void fitScore(String name, String args, Pod pod, List<NodeInfo> nodes, long[] want) {
        Fit fit = new Fit(FitArgs.parse(args == null ? null : JSON.readTree(args)));
        CycleState state = new CycleState();
        assertEquals(Status.SUCCESS, fit.preScore(state, pod, nodes));
        assertArrayEquals(want, scores(fit, state, pod, nodes));
        // Without PreScore (another framework, or PreScore skipped), Score computes the requests itself.
        assertArrayEquals(want, scores(fit, new CycleState(), pod, nodes));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("balancedAllocation")
    void balancedAllocationScore(String name, String args, Pod pod, List<NodeInfo> nodes, long[] want) {
        BalancedAllocation ba = new BalancedAllocation(BalancedAllocation.parseArgs(args == null ? null : JSON.readTree(args)));
        CycleState state = new CycleState();
        assertEquals(Status.SUCCESS, ba.preScore(state, pod, nodes));
        assertArrayEquals(want, scores(ba, state, pod, nodes));
        assertArrayEquals(want, scores(ba, new CycleState(), pod, nodes));
    }

    private static long[] scores(ScorePlugin plugin, CycleState state, Pod pod, List<NodeInfo> nodes) {
        long[] out = new long[nodes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = plugin.score(state, pod, nodes.get(i));
        }
        return out;
    }

    @Test
    void brokenLinearFunction() {
        // Upstream's TestBrokenLinearFunction shape {(10, 1), (90, 9)}, scores scaled by 10 to the node score range.
        ScoringStrategy.RequestedToCapacityRatio f = new ScoringStrategy.RequestedToCapacityRatio(
                new ResourceAllocation(ResourceSpec.DEFAULTS, false), List.of(new long[] {10, 1}, new long[] {90, 9}));
        long[][] cases = {{0, 10}, {5, 10}, {10, 10}, {15, 15}, {20, 20}, {50, 50}, {89, 89}, {90, 90}, {95, 90}, {100, 90}};
        for (long[] c : cases) {
            assertEquals(c[1], f.brokenLinear(c[0]), "utilization " + c[0]);
        }
    }

    @Test
    void scoresAreInRange() {
        assertEquals(ScorePlugin.MAX_NODE_SCORE, new Fit(FitArgs.DEFAULTS).score(new CycleState(), pod().obj(),
                n("node1", "1", "1Gi")));
    }
}
