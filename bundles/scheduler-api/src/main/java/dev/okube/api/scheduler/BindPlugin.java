package dev.okube.api.scheduler;

import io.fabric8.kubernetes.api.model.Pod;
import org.osgi.annotation.versioning.ConsumerType;

/** Binds the pod to its node. The first binder that does not return Skip decides. */
@ConsumerType
public interface BindPlugin extends Plugin {
    Status bind(CycleState state, Pod pod, String nodeName);
}
