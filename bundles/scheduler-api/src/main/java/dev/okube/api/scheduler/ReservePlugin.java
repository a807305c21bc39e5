package dev.okube.api.scheduler;

import io.fabric8.kubernetes.api.model.Pod;
import org.osgi.annotation.versioning.ConsumerType;

/** Claims resources for a pod on its chosen node before binding; unreserve releases them when the pod fails later. */
@ConsumerType
public interface ReservePlugin extends Plugin {
    Status reserve(CycleState state, Pod pod, String nodeName);

    /** Must be idempotent and may be called even when reserve was not (or failed). */
    void unreserve(CycleState state, Pod pod, String nodeName);
}
