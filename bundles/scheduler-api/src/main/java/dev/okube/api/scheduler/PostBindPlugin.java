package dev.okube.api.scheduler;

import io.fabric8.kubernetes.api.model.Pod;
import org.osgi.annotation.versioning.ConsumerType;

/** Informational: called after a pod was bound. */
@ConsumerType
public interface PostBindPlugin extends Plugin {
    void postBind(CycleState state, Pod pod, String nodeName);
}
