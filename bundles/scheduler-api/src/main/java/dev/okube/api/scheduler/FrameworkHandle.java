package dev.okube.api.scheduler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What a profile's framework offers its plugins, as upstream's framework.Handle. Writes to the
 * cluster are not here: a plugin that writes (a binder, preemption) uses the API client service
 * itself, like every component.
 */
@ProviderType
public interface FrameworkHandle {
    /** The profile's scheduler name (pods choose it with {@code spec.schedulerName}). */
    String schedulerName();

    /** The snapshot of the cycle in progress. */
    NodeInfoLister snapshot();

    /**
     * A cache of every object of {@code type}, kept by one shared informer per process. The first call
     * for a kind starts its informer and waits for its first list. Events of that kind then reach the
     * plugins' {@link EnqueueExtensions} under the kind's name.
     */
    <T extends HasMetadata> Lister<T> lister(Class<T> type);

    /** Runs {@code work(0..pieces-1)} on the framework's parallel workers and returns when all are done. */
    void parallelize(int pieces, IntConsumer work);

    /** The pods nominated to {@code nodeName} by preemption that are not bound yet. */
    List<PodInfo> nominatedPodsForNode(String nodeName);

    /** Runs the profile's Filter plugins on a node as if the higher-priority nominated pods were on it (preemption). */
    Status runFilterPluginsWithNominatedPods(CycleState state, Pod pod, NodeInfo nodeInfo);

    /** Runs every PreFilter plugin's {@code addPod} extension (preemption). */
    Status runPreFilterExtensionAddPod(CycleState state, Pod podToSchedule, PodInfo podToAdd, NodeInfo nodeInfo);

    /** Runs every PreFilter plugin's {@code removePod} extension (preemption). */
    Status runPreFilterExtensionRemovePod(CycleState state, Pod podToSchedule, PodInfo podToRemove, NodeInfo nodeInfo);

    /** The pod in the permit phase with this uid, or null. */
    WaitingPod waitingPod(String uid);

    void forEachWaitingPod(Consumer<WaitingPod> action);

    /** Moves these pods from the unschedulable or backoff queue to the active queue (e.g. a gang became complete). */
    void activate(Collection<Pod> pods);
}
