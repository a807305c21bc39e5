package dev.okube.scheduler.plugins.queuesort;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.okube.api.scheduler.PodInfo;
import dev.okube.api.scheduler.QueuedPodInfo;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Upstream's TestLess (queuesort/priority_sort_test.go). */
class PrioritySortTest {
    private static final Integer LOW = 0;
    private static final Integer HIGH = 10;

    record Queued(PodInfo podInfo, long timestamp) implements QueuedPodInfo {
        @Override
        public long initialAttemptTimestamp() {
            return timestamp;
        }

        @Override
        public int attempts() {
            return 0;
        }

        @Override
        public Set<String> unschedulablePlugins() {
            return Set.of();
        }
    }

    static Queued queued(String name, Integer priority, long timestamp) {
        Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace("namespace1").endMetadata()
                .withNewSpec().withPriority(priority).endSpec().build();
        return new Queued(PodInfo.of(pod), timestamp);
    }

    static Stream<Arguments> cases() {
        long t = 1_700_000_000_000L;
        return Stream.of(
                Arguments.of("p1.priority less than p2.priority", queued("t-1", LOW, t), queued("t-2", HIGH, t), false),
                Arguments.of("p1.priority greater than p2.priority", queued("t-1", HIGH, t), queued("t-2", LOW, t), true),
                Arguments.of("equal priority. p1 is added to schedulingQ earlier than p2",
                        queued("t-1", HIGH, t), queued("t-2", HIGH, t + 1000), true),
                Arguments.of("equal priority. p2 is added to schedulingQ earlier than p1",
                        queued("t-1", HIGH, t + 1000), queued("t-2", HIGH, t), false),
                Arguments.of("equal priority and timestamp: neither is less", queued("t-1", HIGH, t), queued("t-2", HIGH, t), false),
                Arguments.of("no priority counts as 0", queued("t-1", null, t), queued("t-2", -1, t), true),
                Arguments.of("no priority is below a positive one", queued("t-1", null, t), queued("t-2", 1, t + 1000), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void less(String name, Queued p1, Queued p2, boolean expected) {
        assertEquals(expected, new PrioritySort().less(p1, p2));
    }

    @org.junit.jupiter.api.Test
    void factoryCreatesPrioritySort() {
        PrioritySortFactory factory = new PrioritySortFactory();
        assertEquals("PrioritySort", factory.name());
        assertEquals("PrioritySort", factory.create(null, null).name());
    }
}
