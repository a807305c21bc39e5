package dev.okube.api.scheduler;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/** A pod held in the permit phase, as upstream's framework.WaitingPod. */
@ProviderType
public interface WaitingPod {
    Pod pod();

    /** The node the pod is reserved on. */
    String nodeName();

    /** The permit plugins that still have to allow it. */
    Set<String> pendingPlugins();

    /** {@code pluginName} allows the pod; it goes on to binding once no plugin is pending. */
    void allow(String pluginName);

    /** Rejects the pod: it is unreserved and goes back to the queue as unschedulable. */
    void reject(String pluginName, String message);
}
