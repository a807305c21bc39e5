package dev.okube.api.scheduler;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Implemented by plugins that reject pods (PreEnqueue, PreFilter, Filter, Reserve, Permit): the
 * events after which a pod they rejected may fit, so the scheduler retries it then and not on every
 * change. A rejecting plugin without this is retried on every event.
 */
@ConsumerType
public interface EnqueueExtensions {
    List<EventWithHint> eventsToRegister();

    /** Decides for one pod and one event; old or new object is null for adds and deletes. */
    @FunctionalInterface
    interface HintFunction {
        QueueingHint hint(Pod pod, Object oldObject, Object newObject);
    }

    /** An event registration; a null hint means always queue. */
    record EventWithHint(ClusterEvent event, HintFunction hint) {
        public static EventWithHint of(String resource, int actions) {
            return new EventWithHint(new ClusterEvent(resource, actions), null);
        }

        public static EventWithHint of(String resource, int actions, HintFunction hint) {
            return new EventWithHint(new ClusterEvent(resource, actions), hint);
        }
    }
}
