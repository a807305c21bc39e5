package dev.okube.api.scheduler;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/** Runs when no node passed the filters (e.g. preemption); the first success ends the phase. */
@ConsumerType
public interface PostFilterPlugin extends Plugin {
    /** @param filteredNodeStatuses why each node was rejected, by node name */
    PostFilterResult postFilter(CycleState state, Pod pod, Map<String, Status> filteredNodeStatuses);
}
