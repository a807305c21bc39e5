package dev.okube.api.scheduler;

import io.fabric8.kubernetes.api.model.Pod;
import org.osgi.annotation.versioning.ConsumerType;

/** Work before binding, in the binding cycle (e.g. binding volumes); a failure unreserves the pod and retries it. */
@ConsumerType
public interface PreBindPlugin extends Plugin {
    Status preBind(CycleState state, Pod pod, String nodeName);
}
