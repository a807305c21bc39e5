package dev.okube.api.scheduler;

import org.osgi.annotation.versioning.ConsumerType;

/** Orders the active queue; a profile has exactly one. */
@ConsumerType
public interface QueueSortPlugin extends Plugin {
    /** Whether {@code a} should be scheduled before {@code b}. */
    boolean less(QueuedPodInfo a, QueuedPodInfo b);
}
