package dev.okube.api.scheduler;

import io.fabric8.kubernetes.api.model.Pod;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The last gate before binding. Wait holds the pod (reserved on its node) until a plugin allows it
 * through {@link WaitingPod#allow}, it is rejected, or the shortest timeout passes (then it is
 * rejected and unreserved). Upstream caps waits at 15 minutes.
 */
@ConsumerType
public interface PermitPlugin extends Plugin {
    PermitResult permit(CycleState state, Pod pod, String nodeName);
}
