package dev.okube.scheduler.plugins.nodename;

import dev.okube.api.scheduler.ClusterEvent;
import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.EnqueueExtensions;
import dev.okube.api.scheduler.FilterPlugin;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.QueueingHint;
import dev.okube.api.scheduler.Status;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/** A pod that names its node in {@code spec.nodeName} fits only that node, as upstream's NodeName. */
public final class NodeName implements FilterPlugin, EnqueueExtensions {
    public static final String NAME = "NodeName";
    /** Upstream's ErrReason. */
    public static final String ERR_REASON = "node(s) didn't match the requested node name";

    private static final Status MISMATCH = Status.unresolvable(ERR_REASON);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status filter(CycleState state, Pod pod, NodeInfo nodeInfo) {
        Node node = nodeInfo.node();
        if (node == null) {
            return Status.error("node not found");
        }
        return fits(pod, node) ? Status.SUCCESS : MISMATCH;
    }

    @Override
    public List<EventWithHint> eventsToRegister() {
        return List.of(EventWithHint.of(ClusterEvent.NODE, ClusterEvent.ADD, NodeName::afterNodeAdd));
    }

    /** Only the addition of the node the pod names can help it. */
    static QueueingHint afterNodeAdd(Pod pod, Object oldObject, Object newObject) {
        if (!(newObject instanceof Node added)) {
            return QueueingHint.QUEUE;
        }
        return fits(pod, added) ? QueueingHint.QUEUE : QueueingHint.SKIP;
    }

    /** Upstream's Fits: no requested node, or this one. */
    static boolean fits(Pod pod, Node node) {
        String wanted = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        return wanted == null || wanted.isEmpty() || wanted.equals(node.getMetadata().getName());
    }
}
