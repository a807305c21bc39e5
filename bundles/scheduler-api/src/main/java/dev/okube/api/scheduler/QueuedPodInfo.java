package dev.okube.api.scheduler;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/** A pod waiting in the scheduling queue, as upstream's framework.QueuedPodInfo. */
@ProviderType
public interface QueuedPodInfo {
    PodInfo podInfo();

    default Pod pod() {
        return podInfo().pod();
    }

    /** When the pod was last added to the queue (epoch milliseconds). */
    long timestamp();

    /** When the pod was first added to the queue (epoch milliseconds). */
    long initialAttemptTimestamp();

    /** How many scheduling attempts the pod has had. */
    int attempts();

    /** The plugins that rejected the pod in its last attempt. */
    Set<String> unschedulablePlugins();
}
