package dev.okube.scheduler.framework;

import java.util.Collection;
import java.util.List;

import dev.okube.api.scheduler.Lister;
import dev.okube.api.scheduler.NodeInfoLister;
import dev.okube.api.scheduler.PodInfo;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;

/** What a profile's framework needs from the scheduler hosting it (shared by every profile). */
public interface FrameworkContext {
    /** The snapshot of the cycle in progress. */
    NodeInfoLister snapshot();

    <T extends HasMetadata> Lister<T> lister(Class<T> type);

    Parallelizer parallelizer();

    /** The pods nominated to the node; an empty list (cheaply) when none. */
    List<PodInfo> nominatedPodsForNode(String nodeName);

    WaitingPods waitingPods();

    void activate(Collection<Pod> pods);
}
