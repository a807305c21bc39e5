package dev.okube.scheduler.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.okube.api.scheduler.ClusterEvent;
import dev.okube.api.scheduler.PodInfo;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;

/** Which cluster events an update is, as upstream's PodSchedulingPropertiesChange and nodeSchedulingPropertiesChange. */
public final class PodEvents {
    private PodEvents() {
    }

    /** The pod update events between two versions of a pod (UPDATE_OTHER when nothing specific changed). */
    public static List<ClusterEvent> updateEvents(Pod oldPod, Pod newPod) {
        List<ClusterEvent> out = new ArrayList<>(2);
        if (oldPod == null) {
            out.add(new ClusterEvent(ClusterEvent.POD, ClusterEvent.UPDATE_OTHER));
            return out;
        }
        if (!Objects.equals(oldPod.getMetadata().getLabels(), newPod.getMetadata().getLabels())) {
            out.add(new ClusterEvent(ClusterEvent.POD, ClusterEvent.UPDATE_POD_LABEL));
        }
        if (scaledDown(oldPod, newPod)) {
            out.add(new ClusterEvent(ClusterEvent.POD, ClusterEvent.UPDATE_POD_SCALE_DOWN));
        }
        if (!Objects.equals(oldPod.getSpec().getTolerations(), newPod.getSpec().getTolerations())) {
            out.add(new ClusterEvent(ClusterEvent.POD, ClusterEvent.UPDATE_POD_TOLERATION));
        }
        boolean oldGates = oldPod.getSpec().getSchedulingGates() != null && !oldPod.getSpec().getSchedulingGates().isEmpty();
        boolean newGates = newPod.getSpec().getSchedulingGates() != null && !newPod.getSpec().getSchedulingGates().isEmpty();
        if (oldGates && !newGates) {
            out.add(new ClusterEvent(ClusterEvent.POD, ClusterEvent.UPDATE_POD_SCHEDULING_GATES_ELIMINATED));
        }
        if (out.isEmpty()) {
            out.add(new ClusterEvent(ClusterEvent.POD, ClusterEvent.UPDATE_OTHER));
        }
        return out;
    }

    /** One event whose mask has every update kind between two versions of an assigned pod. */
    public static ClusterEvent assignedPodUpdate(Pod oldPod, Pod newPod) {
        int mask = 0;
        for (ClusterEvent e : updateEvents(oldPod, newPod)) {
            mask |= e.actions();
        }
        return new ClusterEvent(ClusterEvent.POD, mask);
    }

    private static boolean scaledDown(Pod oldPod, Pod newPod) {
        if (Objects.equals(oldPod.getSpec().getContainers(), newPod.getSpec().getContainers())
                && Objects.equals(oldPod.getSpec().getInitContainers(), newPod.getSpec().getInitContainers())) {
            return false;
        }
        var o = PodInfo.of(oldPod).requests();
        var n = PodInfo.of(newPod).requests();
        return n.milliCpu() < o.milliCpu() || n.memory() < o.memory() || n.ephemeralStorage() < o.ephemeralStorage();
    }

    /** The node update event between two versions, or null when nothing the scheduler looks at changed. */
    public static ClusterEvent nodeUpdate(Node oldNode, Node newNode) {
        int mask = 0;
        var os = oldNode.getStatus();
        var ns = newNode.getStatus();
        if (!Objects.equals(os == null ? null : os.getAllocatable(), ns == null ? null : ns.getAllocatable())) {
            mask |= ClusterEvent.UPDATE_NODE_ALLOCATABLE;
        }
        if (!Objects.equals(oldNode.getMetadata().getLabels(), newNode.getMetadata().getLabels())) {
            mask |= ClusterEvent.UPDATE_NODE_LABEL;
        }
        if (!Objects.equals(oldNode.getSpec() == null ? null : oldNode.getSpec().getTaints(),
                newNode.getSpec() == null ? null : newNode.getSpec().getTaints())
                || !Objects.equals(oldNode.getSpec() == null ? null : oldNode.getSpec().getUnschedulable(),
                        newNode.getSpec() == null ? null : newNode.getSpec().getUnschedulable())) {
            mask |= ClusterEvent.UPDATE_NODE_TAINT;
        }
        if (!conditionsEqual(os == null ? null : os.getConditions(), ns == null ? null : ns.getConditions())) {
            mask |= ClusterEvent.UPDATE_NODE_CONDITION;
        }
        if (!Objects.equals(oldNode.getMetadata().getAnnotations(), newNode.getMetadata().getAnnotations())) {
            mask |= ClusterEvent.UPDATE_NODE_ANNOTATION;
        }
        return mask == 0 ? null : new ClusterEvent(ClusterEvent.NODE, mask);
    }

    /** Conditions compared by type and status only (heartbeats change every few seconds). */
    private static boolean conditionsEqual(List<io.fabric8.kubernetes.api.model.NodeCondition> a,
                                           List<io.fabric8.kubernetes.api.model.NodeCondition> b) {
        int na = a == null ? 0 : a.size();
        int nb = b == null ? 0 : b.size();
        if (na != nb) {
            return false;
        }
        for (int i = 0; i < na; i++) {
            if (!Objects.equals(a.get(i).getType(), b.get(i).getType())
                    || !Objects.equals(a.get(i).getStatus(), b.get(i).getStatus())) {
                return false;
            }
        }
        return true;
    }
}
