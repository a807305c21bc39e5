package dev.okube.scheduler.plugins.nodeports;

import dev.okube.api.scheduler.ClusterEvent;
import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.EnqueueExtensions;
import dev.okube.api.scheduler.FilterPlugin;
import dev.okube.api.scheduler.HostPorts;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.PreFilterPlugin;
import dev.okube.api.scheduler.PreFilterResult;
import dev.okube.api.scheduler.QueueingHint;
import dev.okube.api.scheduler.Status;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/**
 * The host ports a pod asks for must be free on the node, as upstream's NodePorts: PreFilter collects
 * them (Skip when there are none), Filter checks them against the node's ports in use (a port on
 * 0.0.0.0 conflicts with the same protocol and port on any address).
 */
public final class NodePorts implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
    public static final String NAME = "NodePorts";
    static final String PRE_FILTER_STATE_KEY = "PreFilter" + NAME;
    /** Upstream's ErrReason. */
    public static final String ERR_REASON = "node(s) didn't have free ports for the requested pod ports";

    private static final Status CONFLICT = Status.unschedulable(ERR_REASON);

    /** The pod's host ports, as an array for an allocation-free Filter. */
    record PreFilterState(HostPorts.HostPort[] ports) implements CycleState.StateData {
        @Override
        public CycleState.StateData copy() {
            return this;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PreFilterResult preFilter(CycleState state, Pod pod, List<NodeInfo> nodes) {
        List<HostPorts.HostPort> ports = HostPorts.of(pod);
        if (ports.isEmpty()) {
            return PreFilterResult.SKIP;
        }
        state.write(PRE_FILTER_STATE_KEY, new PreFilterState(ports.toArray(new HostPorts.HostPort[0])));
        return PreFilterResult.SUCCESS;
    }

    @Override
    public Status filter(CycleState state, Pod pod, NodeInfo nodeInfo) {
        PreFilterState s = state.read(PRE_FILTER_STATE_KEY, PreFilterState.class);
        if (s == null) {
            return Status.error("reading \"" + PRE_FILTER_STATE_KEY + "\" from cycleState: not found");
        }
        return fits(s.ports(), nodeInfo.usedPorts()) ? Status.SUCCESS : CONFLICT;
    }

    static boolean fits(HostPorts.HostPort[] wanted, HostPorts used) {
        if (used.size() == 0) {
            return true;
        }
        for (HostPorts.HostPort p : wanted) {
            if (used.conflicts(p)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public List<EventWithHint> eventsToRegister() {
        return List.of(
                // Container ports are immutable, so pod updates never free a port: only deletions do.
                EventWithHint.of(ClusterEvent.POD, ClusterEvent.DELETE, NodePorts::afterPodDeleted),
                // A new node has all its ports free; no hint needed (always queue).
                EventWithHint.of(ClusterEvent.NODE, ClusterEvent.ADD));
    }

    /** Queue when the deleted pod was bound and held a host port this pod conflicts with. */
    static QueueingHint afterPodDeleted(Pod pod, Object oldObject, Object newObject) {
        if (!(oldObject instanceof Pod deleted)) {
            return QueueingHint.QUEUE;
        }
        if (deleted.getSpec() == null || deleted.getSpec().getNodeName() == null || deleted.getSpec().getNodeName().isEmpty()) {
            return QueueingHint.SKIP;
        }
        List<HostPorts.HostPort> freed = HostPorts.of(deleted);
        if (freed.isEmpty()) {
            return QueueingHint.SKIP;
        }
        HostPorts used = new HostPorts();
        freed.forEach(used::add);
        return fits(HostPorts.of(pod).toArray(new HostPorts.HostPort[0]), used) ? QueueingHint.SKIP : QueueingHint.QUEUE;
    }
}
