package dev.okube.api.scheduler;

import io.fabric8.kubernetes.api.model.Pod;
import org.osgi.annotation.versioning.ConsumerType;

/** Decides whether a pod may enter the active queue at all (e.g. scheduling gates). Must be cheap. */
@ConsumerType
public interface PreEnqueuePlugin extends Plugin {
    /** Success lets the pod in; anything else keeps it out until an event re-checks it. */
    Status preEnqueue(Pod pod);
}
