package dev.okube.scheduler.plugins.schedulinggates;

import dev.okube.api.scheduler.ClusterEvent;
import dev.okube.api.scheduler.EnqueueExtensions;
import dev.okube.api.scheduler.PreEnqueuePlugin;
import dev.okube.api.scheduler.QueueingHint;
import dev.okube.api.scheduler.Status;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSchedulingGate;
import java.util.List;
import java.util.Objects;

/**
 * Keeps pods with {@code spec.schedulingGates} out of the active queue, as upstream's SchedulingGates:
 * rejected as unschedulable-and-unresolvable with "waiting for scheduling gates: [a b]" until an
 * update removes the last gate.
 */
public final class SchedulingGates implements PreEnqueuePlugin, EnqueueExtensions {
    public static final String NAME = "SchedulingGates";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preEnqueue(Pod pod) {
        List<PodSchedulingGate> gates = pod.getSpec() == null ? null : pod.getSpec().getSchedulingGates();
        if (gates == null || gates.isEmpty()) {
            return Status.SUCCESS;
        }
        // Go's %v of a []string: the elements space-separated in brackets.
        StringBuilder names = new StringBuilder("waiting for scheduling gates: [");
        for (int i = 0; i < gates.size(); i++) {
            if (i > 0) {
                names.append(' ');
            }
            names.append(gates.get(i).getName());
        }
        return Status.unresolvable(names.append(']').toString());
    }

    @Override
    public List<EventWithHint> eventsToRegister() {
        // Only an update that removes the pod's last gate lets it in; the hint narrows that to the pod itself.
        return List.of(EventWithHint.of(ClusterEvent.POD, ClusterEvent.UPDATE_POD_SCHEDULING_GATES_ELIMINATED,
                SchedulingGates::afterGatesEliminated));
    }

    static QueueingHint afterGatesEliminated(Pod pod, Object oldObject, Object newObject) {
        if (!(newObject instanceof Pod modified)) {
            return QueueingHint.QUEUE;
        }
        return Objects.equals(pod.getMetadata().getUid(), modified.getMetadata().getUid())
                ? QueueingHint.QUEUE : QueueingHint.SKIP;
    }
}
