package dev.okube.api.scheduler;

import io.fabric8.kubernetes.api.model.Pod;
import org.osgi.annotation.versioning.ConsumerType;

/** Whether the pod can run on one node. Called in parallel for many nodes: must be thread-safe. */
@ConsumerType
public interface FilterPlugin extends Plugin {
    /** Success, or a rejection whose reasons count in "0/N nodes are available: ..." messages. */
    Status filter(CycleState state, Pod pod, NodeInfo nodeInfo);
}
