package dev.okube.api.scheduler;

/** Whether an event makes a rejected pod worth retrying, as upstream's QueueingHint. */
public enum QueueingHint {
    /** Move the pod to the active (or backoff) queue. */
    QUEUE,
    /** The event does not help this pod. */
    SKIP
}
