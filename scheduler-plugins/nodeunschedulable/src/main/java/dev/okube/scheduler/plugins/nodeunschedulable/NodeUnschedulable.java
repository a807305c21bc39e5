package dev.okube.scheduler.plugins.nodeunschedulable;

import dev.okube.api.scheduler.ClusterEvent;
import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.EnqueueExtensions;
import dev.okube.api.scheduler.FilterPlugin;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.QueueingHint;
import dev.okube.api.scheduler.Status;
import dev.okube.api.scheduler.Tolerations;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Objects;

/**
 * Rejects nodes with {@code spec.unschedulable} (cordoned) unless the pod tolerates the
 * {@code node.kubernetes.io/unschedulable:NoSchedule} taint, as upstream's NodeUnschedulable.
 */
public final class NodeUnschedulable implements FilterPlugin, EnqueueExtensions {
    public static final String NAME = "NodeUnschedulable";
    /** Upstream's ErrReasonUnschedulable. */
    public static final String ERR_REASON_UNSCHEDULABLE = "node(s) were unschedulable";
    static final String ERR_REASON_UNKNOWN_CONDITION = "node(s) had unknown conditions";

    private static final Taint UNSCHEDULABLE_TAINT = new Taint("NoSchedule", "node.kubernetes.io/unschedulable", null, null);
    private static final Status UNSCHEDULABLE = Status.unresolvable(ERR_REASON_UNSCHEDULABLE);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status filter(CycleState state, Pod pod, NodeInfo nodeInfo) {
        Node node = nodeInfo.node();
        if (node == null) {
            return Status.unresolvable(ERR_REASON_UNKNOWN_CONDITION);
        }
        if (!unschedulable(node)) {
            return Status.SUCCESS;
        }
        // A pod that tolerates the unschedulable taint also tolerates spec.unschedulable.
        return toleratesUnschedulable(pod.getSpec().getTolerations()) ? Status.SUCCESS : UNSCHEDULABLE;
    }

    @Override
    public List<EventWithHint> eventsToRegister() {
        // spec.unschedulable changes count as UpdateNodeTaint, as upstream's node event detection.
        return List.of(
                EventWithHint.of(ClusterEvent.NODE, ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_TAINT,
                        NodeUnschedulable::afterNodeChange),
                EventWithHint.of(ClusterEvent.POD, ClusterEvent.UPDATE_POD_TOLERATION,
                        NodeUnschedulable::afterPodTolerationChange));
    }

    /** Queue when a node became schedulable (or was added schedulable). */
    static QueueingHint afterNodeChange(Pod pod, Object oldObject, Object newObject) {
        if (!(newObject instanceof Node modified)) {
            return QueueingHint.QUEUE;
        }
        boolean wasSchedulable = oldObject instanceof Node original && !unschedulable(original);
        return !wasSchedulable && !unschedulable(modified) ? QueueingHint.QUEUE : QueueingHint.SKIP;
    }

    /** Queue when this pod gained a toleration of the unschedulable taint. */
    static QueueingHint afterPodTolerationChange(Pod pod, Object oldObject, Object newObject) {
        if (!(oldObject instanceof Pod original) || !(newObject instanceof Pod modified)) {
            return QueueingHint.QUEUE;
        }
        if (Objects.equals(pod.getMetadata().getUid(), modified.getMetadata().getUid())
                && !toleratesUnschedulable(original.getSpec().getTolerations())
                && toleratesUnschedulable(modified.getSpec().getTolerations())) {
            return QueueingHint.QUEUE;
        }
        return QueueingHint.SKIP;
    }

    private static boolean unschedulable(Node node) {
        return node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
    }

    private static boolean toleratesUnschedulable(List<Toleration> tolerations) {
        return Tolerations.tolerated(tolerations, UNSCHEDULABLE_TAINT);
    }
}
