package dev.okube.api.scheduler;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/** Runs once per cycle before Score, with the nodes that passed filtering. */
@ConsumerType
public interface PreScorePlugin extends Plugin {
    /** Skip to have this plugin's Score skipped this cycle. */
    Status preScore(CycleState state, Pod pod, List<NodeInfo> feasibleNodes);
}
