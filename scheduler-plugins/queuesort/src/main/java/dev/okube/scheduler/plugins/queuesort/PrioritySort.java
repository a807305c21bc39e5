package dev.okube.scheduler.plugins.queuesort;

import dev.okube.api.scheduler.QueueSortPlugin;
import dev.okube.api.scheduler.QueuedPodInfo;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * Orders the active queue as upstream's PrioritySort: the higher {@code spec.priority} first (a pod
 * without one counts as 0), and among equal priorities the pod queued earlier.
 */
public final class PrioritySort implements QueueSortPlugin {
    public static final String NAME = "PrioritySort";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean less(QueuedPodInfo a, QueuedPodInfo b) {
        int p1 = priority(a.pod());
        int p2 = priority(b.pod());
        return p1 > p2 || (p1 == p2 && a.timestamp() < b.timestamp());
    }

    /** Upstream's corev1helpers.PodPriority: spec.priority, or 0 when unset. */
    static int priority(Pod pod) {
        Integer p = pod.getSpec() == null ? null : pod.getSpec().getPriority();
        return p == null ? 0 : p;
    }
}
