package dev.okube.scheduler.queue;

import java.util.Set;

import dev.okube.api.scheduler.PodInfo;
import dev.okube.api.scheduler.QueuedPodInfo;
import io.fabric8.kubernetes.api.model.Pod;

/** A pod in the scheduling queue with its attempt bookkeeping, as upstream's QueuedPodInfo. */
public final class QueuedPod implements QueuedPodInfo {
    enum Where { ACTIVE, BACKOFF, UNSCHEDULABLE, IN_FLIGHT }

    volatile PodInfo podInfo;
    long timestamp;
    final long initialAttemptTimestamp;
    int attempts;
    volatile Set<String> unschedulablePlugins = Set.of();
    volatile Set<String> pendingPlugins = Set.of();
    boolean gated;
    Where where;
    long backoffExpiry;
    long popSeq;
    /** The status message of a pending reason (e.g. a gate), for the status command. */
    String gatedBy;
    /** Set when the pod was deleted (or bound by someone else) while in flight. */
    volatile boolean deleted;

    QueuedPod(PodInfo podInfo, long now) {
        this.podInfo = podInfo;
        this.timestamp = now;
        this.initialAttemptTimestamp = now;
    }

    @Override
    public PodInfo podInfo() {
        return podInfo;
    }

    @Override
    public Pod pod() {
        return podInfo.pod();
    }

    @Override
    public long timestamp() {
        return timestamp;
    }

    @Override
    public long initialAttemptTimestamp() {
        return initialAttemptTimestamp;
    }

    @Override
    public int attempts() {
        return attempts;
    }

    @Override
    public Set<String> unschedulablePlugins() {
        return unschedulablePlugins;
    }

    public Set<String> pendingPlugins() {
        return pendingPlugins;
    }

    /** Sets the plugins that rejected the pod in its last attempt (and those it waits for). */
    public void setRejectors(Set<String> unschedulable, Set<String> pending) {
        this.unschedulablePlugins = unschedulable == null ? Set.of() : Set.copyOf(unschedulable);
        this.pendingPlugins = pending == null ? Set.of() : Set.copyOf(pending);
    }

    public String uid() {
        return podInfo.uid();
    }

    public String schedulerName() {
        Pod p = podInfo.pod();
        String n = p.getSpec() == null ? null : p.getSpec().getSchedulerName();
        return n == null || n.isEmpty() ? "default-scheduler" : n;
    }

    public boolean deleted() {
        return deleted;
    }

    public boolean gated() {
        return gated;
    }

    @Override
    public String toString() {
        return "QueuedPod{" + podInfo.key() + ", attempts=" + attempts + ", " + where + "}";
    }
}
