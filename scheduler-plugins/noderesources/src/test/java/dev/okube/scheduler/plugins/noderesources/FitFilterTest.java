package dev.okube.scheduler.plugins.noderesources;

import static dev.okube.scheduler.plugins.noderesources.Objects.node;
import static dev.okube.scheduler.plugins.noderesources.Objects.nodeInfo;
import static dev.okube.scheduler.plugins.noderesources.Objects.pod;
import static dev.okube.scheduler.plugins.noderesources.Objects.res;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.Status;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Upstream's TestEnoughRequests and TestNotEnoughRequests (fit_test.go), case by case. */
class FitFilterTest {
    private static final String EXT_A = "example.com/aaa";
    private static final String EXT_B = "example.com/bbb";
    private static final String K8S_RES = "kubernetes.io/something";
    private static final String HUGE = "hugepages-2Mi";

    /** Upstream's makeAllocatableResources(milliCPU, memory, pods, extendedA, storage, hugePageA). */
    static io.fabric8.kubernetes.api.model.Node alloc(long milliCpu, long memory, long pods, long extA, long storage,
                                                      long huge) {
        return node("machine1", res("cpu", milliCpu + "m", "memory", "" + memory, "pods", "" + pods, EXT_A, "" + extA,
                "ephemeral-storage", "" + storage, HUGE, "" + huge));
    }

    static Arguments c(String name, Pod pod, NodeInfo ni, String args, Status want) {
        return Arguments.of(name, pod, ni, args, want);
    }

    static NodeInfo on(Pod... pods) {
        return nodeInfo(alloc(10, 20, 32, 5, 20, 5), pods);
    }

    static Stream<Arguments> enough() {
        return Stream.of(
                c("no resources requested always fits", pod().obj(), on(pod().req("cpu", "10m", "memory", "20").obj()),
                        null, Status.SUCCESS),
                c("too many resources fails", pod().req("cpu", "1m", "memory", "1").obj(),
                        on(pod().req("cpu", "10m", "memory", "20").obj()), null,
                        Status.unschedulable("Insufficient cpu", "Insufficient memory")),
                c("too many resources fails due to init container cpu",
                        pod().req("cpu", "1m", "memory", "1").init("cpu", "3m", "memory", "1").obj(),
                        on(pod().req("cpu", "8m", "memory", "19").obj()), null, Status.unschedulable("Insufficient cpu")),
                c("too many resources fails due to highest init container cpu",
                        pod().req("cpu", "1m", "memory", "1").init("cpu", "3m", "memory", "1").init("cpu", "2m", "memory", "1").obj(),
                        on(pod().req("cpu", "8m", "memory", "19").obj()), null, Status.unschedulable("Insufficient cpu")),
                c("too many resources fails due to init container memory",
                        pod().req("cpu", "1m", "memory", "1").init("cpu", "1m", "memory", "3").obj(),
                        on(pod().req("cpu", "9m", "memory", "19").obj()), null, Status.unschedulable("Insufficient memory")),
                c("too many resources fails due to highest init container memory",
                        pod().req("cpu", "1m", "memory", "1").init("cpu", "1m", "memory", "3").init("cpu", "1m", "memory", "2").obj(),
                        on(pod().req("cpu", "9m", "memory", "19").obj()), null, Status.unschedulable("Insufficient memory")),
                c("init container fits because it's the max, not sum, of containers and init containers",
                        pod().req("cpu", "1m", "memory", "1").init("cpu", "1m", "memory", "1").obj(),
                        on(pod().req("cpu", "9m", "memory", "19").obj()), null, Status.SUCCESS),
                c("multiple init containers fit because it's the max, not sum, of containers and init containers",
                        pod().req("cpu", "1m", "memory", "1").init("cpu", "1m", "memory", "1").init("cpu", "1m", "memory", "1").obj(),
                        on(pod().req("cpu", "9m", "memory", "19").obj()), null, Status.SUCCESS),
                c("both resources fit", pod().req("cpu", "1m", "memory", "1").obj(),
                        on(pod().req("cpu", "5m", "memory", "5").obj()), null, Status.SUCCESS),
                c("one resource memory fits", pod().req("cpu", "2m", "memory", "1").obj(),
                        on(pod().req("cpu", "9m", "memory", "5").obj()), null, Status.unschedulable("Insufficient cpu")),
                c("one resource cpu fits", pod().req("cpu", "1m", "memory", "2").obj(),
                        on(pod().req("cpu", "5m", "memory", "19").obj()), null, Status.unschedulable("Insufficient memory")),
                c("equal edge case", pod().req("cpu", "5m", "memory", "1").obj(),
                        on(pod().req("cpu", "5m", "memory", "19").obj()), null, Status.SUCCESS),
                c("equal edge case for init container", pod().req("cpu", "4m", "memory", "1").init("cpu", "5m", "memory", "1").obj(),
                        on(pod().req("cpu", "5m", "memory", "19").obj()), null, Status.SUCCESS),
                c("extended resource fits", pod().req(EXT_A, "1").obj(), on(pod().obj()), null, Status.SUCCESS),
                c("extended resource fits for init container", pod().init(EXT_A, "1").obj(), on(pod().obj()), null,
                        Status.SUCCESS),
                c("extended resource capacity enforced", pod().req(EXT_A, "10").obj(), on(pod().req(EXT_A, "0").obj()),
                        null, Status.unschedulable("Insufficient " + EXT_A)),
                c("extended resource capacity enforced for init container", pod().init(EXT_A, "10").obj(),
                        on(pod().req(EXT_A, "0").obj()), null, Status.unschedulable("Insufficient " + EXT_A)),
                c("extended resource allocatable enforced", pod().req(EXT_A, "1").obj(), on(pod().req(EXT_A, "5").obj()),
                        null, Status.unschedulable("Insufficient " + EXT_A)),
                c("extended resource allocatable enforced for init container", pod().init(EXT_A, "1").obj(),
                        on(pod().req(EXT_A, "5").obj()), null, Status.unschedulable("Insufficient " + EXT_A)),
                c("extended resource allocatable enforced for multiple containers",
                        pod().req(EXT_A, "3").req(EXT_A, "3").obj(), on(pod().req(EXT_A, "2").obj()), null,
                        Status.unschedulable("Insufficient " + EXT_A)),
                c("extended resource allocatable admits multiple init containers",
                        pod().init(EXT_A, "3").init(EXT_A, "3").obj(), on(pod().req(EXT_A, "2").obj()), null, Status.SUCCESS),
                c("extended resource allocatable enforced for multiple init containers",
                        pod().init(EXT_A, "6").init(EXT_A, "3").obj(), on(pod().req(EXT_A, "2").obj()), null,
                        Status.unschedulable("Insufficient " + EXT_A)),
                c("extended resource allocatable enforced for unknown resource", pod().req(EXT_B, "1").obj(),
                        on(pod().obj()), null, Status.unschedulable("Insufficient " + EXT_B)),
                c("extended resource allocatable enforced for unknown resource for init container",
                        pod().init(EXT_B, "1").obj(), on(pod().obj()), null, Status.unschedulable("Insufficient " + EXT_B)),
                c("kubernetes.io resource capacity enforced", pod().req(K8S_RES, "10").obj(), on(pod().obj()), null,
                        Status.unschedulable("Insufficient " + K8S_RES)),
                c("kubernetes.io resource capacity enforced for init container", pod().init(K8S_RES, "10").obj(),
                        on(pod().obj()), null, Status.unschedulable("Insufficient " + K8S_RES)),
                c("hugepages resource capacity enforced", pod().req(HUGE, "10").obj(), on(pod().req(HUGE, "0").obj()),
                        null, Status.unschedulable("Insufficient " + HUGE)),
                c("hugepages resource capacity enforced for init container", pod().init(HUGE, "10").obj(),
                        on(pod().req(HUGE, "0").obj()), null, Status.unschedulable("Insufficient " + HUGE)),
                c("hugepages resource allocatable enforced for multiple containers",
                        pod().req(HUGE, "3").req(HUGE, "3").obj(), on(pod().req(HUGE, "2").obj()), null,
                        Status.unschedulable("Insufficient " + HUGE)),
                c("skip checking ignored extended resource", pod().req(EXT_B, "1").obj(), on(pod().obj()),
                        "{\"ignoredResources\":[\"example.com/bbb\"]}", Status.SUCCESS),
                c("resources + pod overhead fits", pod().req("cpu", "1m", "memory", "1").overhead("cpu", "3m", "memory", "13").obj(),
                        on(pod().req("cpu", "5m", "memory", "5").obj()), null, Status.SUCCESS),
                c("requests + overhead does not fit for memory",
                        pod().req("cpu", "1m", "memory", "1").overhead("cpu", "1m", "memory", "15").obj(),
                        on(pod().req("cpu", "5m", "memory", "5").obj()), null, Status.unschedulable("Insufficient memory")),
                c("skip checking ignored extended resource via resource groups",
                        pod().req(EXT_B, "1").req(EXT_A, "1").obj(), on(pod().req(EXT_A, "2").obj()),
                        "{\"ignoredResourceGroups\":[\"example.com\"]}", Status.SUCCESS),
                c("skip checking resource request with quantity zero", pod().req("cpu", "1m", "memory", "1", EXT_A, "0").obj(),
                        on(pod().req(EXT_A, "6").obj()), null, Status.SUCCESS),
                c("ignoredResources do not apply to native resources", pod().req("cpu", "20m").obj(), on(pod().obj()),
                        "{\"ignoredResources\":[\"cpu\"]}", Status.unschedulable("Insufficient cpu")),
                c("storage ephemeral local storage request exceeds allocatable", pod().req("ephemeral-storage", "25").obj(),
                        on(pod().req("cpu", "2m", "memory", "2").obj()), null,
                        Status.unschedulable("Insufficient ephemeral-storage")),
                c("storage ephemeral local storage is sufficient", pod().req("ephemeral-storage", "10").obj(),
                        on(pod().req("cpu", "2m", "memory", "2").obj()), null, Status.SUCCESS));
    }

    static NodeInfo onePod(Pod... pods) {
        return nodeInfo(alloc(10, 20, 1, 0, 0, 0), pods);
    }

    static Stream<Arguments> notEnoughPods() {
        return Stream.of(
                c("even without specified resources, predicate fails when there's no space for additional pod",
                        pod().obj(), onePod(pod().req("cpu", "10m", "memory", "20").obj()), null,
                        Status.unschedulable("Too many pods")),
                c("even if both resources fit, predicate fails when there's no space for additional pod",
                        pod().req("cpu", "1m", "memory", "1").obj(), onePod(pod().req("cpu", "5m", "memory", "5").obj()),
                        null, Status.unschedulable("Too many pods")),
                c("even for equal edge case, predicate fails when there's no space for additional pod",
                        pod().req("cpu", "5m", "memory", "1").obj(), onePod(pod().req("cpu", "5m", "memory", "19").obj()),
                        null, Status.unschedulable("Too many pods")),
                c("even for equal edge case, predicate fails when there's no space for additional pod due to init container",
                        pod().req("cpu", "5m", "memory", "1").init("cpu", "5m", "memory", "1").obj(),
                        onePod(pod().req("cpu", "5m", "memory", "19").obj()), null, Status.unschedulable("Too many pods")),
                c("too many pods and insufficient resources are all reported",
                        pod().req("cpu", "6m", "memory", "1").obj(), onePod(pod().req("cpu", "5m", "memory", "19").obj()),
                        null, Status.unschedulable("Too many pods", "Insufficient cpu")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"enough", "notEnoughPods"})
    void filter(String name, Pod pod, NodeInfo nodeInfo, String args, Status want) {
        JsonNode json = args == null ? null : JsonMapper.builder().build().readTree(args);
        Fit fit = new Fit(FitArgs.parse(json));
        CycleState state = new CycleState();
        assertEquals(Status.SUCCESS, fit.preFilter(state, pod, List.of(nodeInfo)).status());
        assertEquals(want, fit.filter(state, pod, nodeInfo));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("enough")
    void filterOnACopiedStateGivesTheSameAnswer(String name, Pod pod, NodeInfo nodeInfo, String args, Status want) {
        JsonNode json = args == null ? null : JsonMapper.builder().build().readTree(args);
        Fit fit = new Fit(FitArgs.parse(json));
        CycleState state = new CycleState();
        fit.preFilter(state, pod, List.of(nodeInfo));
        assertEquals(want, fit.filter(state.copy(), pod, nodeInfo.copy()));
    }

    @org.junit.jupiter.api.Test
    void filterWithoutPreFilterIsAnError() {
        Fit fit = new Fit(FitArgs.DEFAULTS);
        assertEquals(Status.Code.ERROR, fit.filter(new CycleState(), pod().obj(), on()).code());
    }
}
