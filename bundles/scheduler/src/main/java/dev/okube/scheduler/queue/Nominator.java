package dev.okube.scheduler.queue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.okube.api.scheduler.PodInfo;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * Pods nominated to nodes by preemption and not bound yet, as upstream's nominator: from
 * status.nominatedNodeName, or from a PostFilter result before the status update shows.
 */
public final class Nominator {
    private final Map<String, List<PodInfo>> byNode = new HashMap<>();
    private final Map<String, String> nodeOf = new HashMap<>();
    private volatile int count;

    /** Nominates the pod to {@code nodeName}, or to its status.nominatedNodeName when null; removes it when neither. */
    public synchronized void add(PodInfo pi, String nodeName) {
        remove(pi.pod());
        String node = nodeName;
        if (node == null || node.isEmpty()) {
            node = pi.pod().getStatus() == null ? null : pi.pod().getStatus().getNominatedNodeName();
        }
        if (node == null || node.isEmpty()) {
            return;
        }
        nodeOf.put(pi.uid(), node);
        byNode.computeIfAbsent(node, k -> new ArrayList<>()).add(pi);
        count = nodeOf.size();
    }

    public synchronized void remove(Pod pod) {
        String uid = pod.getMetadata().getUid();
        String node = nodeOf.remove(uid);
        if (node == null) {
            return;
        }
        List<PodInfo> l = byNode.get(node);
        if (l != null) {
            l.removeIf(p -> p.uid().equals(uid));
            if (l.isEmpty()) {
                byNode.remove(node);
            }
        }
        count = nodeOf.size();
    }

    /** On a pod update: keeps a nomination unless the new pod names another node or is bound. */
    public synchronized void update(Pod oldPod, PodInfo newPod) {
        String newNominated = newPod.pod().getStatus() == null ? null : newPod.pod().getStatus().getNominatedNodeName();
        String current = nodeOf.get(newPod.uid());
        String node = newNominated != null && !newNominated.isEmpty() ? newNominated : current;
        if (node == null) {
            remove(newPod.pod());
            return;
        }
        add(newPod, node);
    }

    public List<PodInfo> podsForNode(String nodeName) {
        if (count == 0) {
            return List.of();
        }
        synchronized (this) {
            List<PodInfo> l = byNode.get(nodeName);
            return l == null ? List.of() : List.copyOf(l);
        }
    }

    public synchronized String nominatedNode(String uid) {
        return nodeOf.get(uid);
    }

    public int size() {
        return count;
    }
}
