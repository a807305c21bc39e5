package dev.okube.api.scheduler;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/** Runs once per cycle before Filter: computes state for Filter, or rejects the pod early. */
@ConsumerType
public interface PreFilterPlugin extends Plugin {
    /**
     * @param nodes every node of the snapshot
     * @return Skip to have this plugin's Filter skipped this cycle; a rejection makes the pod unschedulable
     */
    PreFilterResult preFilter(CycleState state, Pod pod, List<NodeInfo> nodes);

    /** Incremental updates of this plugin's state when preemption adds or removes pods; null when not needed. */
    default PreFilterExtensions preFilterExtensions() {
        return null;
    }

    /** Lets preemption evaluate "what if these pods were (not) on the node" against PreFilter state. */
    interface PreFilterExtensions {
        Status addPod(CycleState state, Pod podToSchedule, PodInfo podToAdd, NodeInfo nodeInfo);

        Status removePod(CycleState state, Pod podToSchedule, PodInfo podToRemove, NodeInfo nodeInfo);
    }
}
