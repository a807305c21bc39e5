package dev.okube.scheduler.plugins.schedulinggates;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.okube.api.scheduler.ClusterEvent;
import dev.okube.api.scheduler.EnqueueExtensions.EventWithHint;
import dev.okube.api.scheduler.QueueingHint;
import dev.okube.api.scheduler.Status;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Upstream's TestPreEnqueue and TestIsSchedulableAfterUpdatePodSchedulingGatesEliminated (schedulinggates). */
class SchedulingGatesTest {

    static Pod pod(String name, String uid, String... gates) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace("ns").withUid(uid).endMetadata()
                .withNewSpec().endSpec();
        for (String g : gates) {
            b.editSpec().addNewSchedulingGate().withName(g).endSchedulingGate().endSpec();
        }
        return b.build();
    }

    static Stream<Arguments> preEnqueueCases() {
        return Stream.of(
                Arguments.of("pod does not carry scheduling gates", pod("p", "u"), Status.SUCCESS),
                Arguments.of("pod carrying scheduling gates", pod("p", "u", "foo", "bar"),
                        Status.of(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, "waiting for scheduling gates: [foo bar]")),
                Arguments.of("pod carrying one scheduling gate", pod("p", "u", "example.com/gate"),
                        Status.of(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, "waiting for scheduling gates: [example.com/gate]")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("preEnqueueCases")
    void preEnqueue(String name, Pod pod, Status want) {
        assertEquals(want, new SchedulingGates().preEnqueue(pod));
    }

    static Stream<Arguments> hintCases() {
        return Stream.of(
                Arguments.of("the gates of the same pod were eliminated", pod("p", "uid-1", "foo"), pod("p", "uid-1"),
                        QueueingHint.QUEUE),
                Arguments.of("the gates of another pod were eliminated", pod("p", "uid-1", "foo"), pod("q", "uid-2"),
                        QueueingHint.SKIP));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hintCases")
    void hint(String name, Pod pod, Pod updated, QueueingHint want) {
        assertEquals(want, SchedulingGates.afterGatesEliminated(pod, pod, updated));
    }

    @Test
    void eventsToRegister() {
        List<EventWithHint> events = new SchedulingGates().eventsToRegister();
        assertEquals(1, events.size());
        assertEquals(new ClusterEvent(ClusterEvent.POD, ClusterEvent.UPDATE_POD_SCHEDULING_GATES_ELIMINATED),
                events.get(0).event());
    }

    @Test
    void factoryCreatesSchedulingGates() {
        SchedulingGatesFactory factory = new SchedulingGatesFactory();
        assertEquals("SchedulingGates", factory.name());
        assertEquals("SchedulingGates", factory.create(null, null).name());
    }
}
