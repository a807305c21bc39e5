package dev.okube.api.scheduler;

import io.fabric8.kubernetes.api.model.Pod;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Ranks a feasible node; called in parallel for many nodes, so must be thread-safe. After
 * normalization every score is in [{@link #MIN_NODE_SCORE}, {@link #MAX_NODE_SCORE}] and is
 * multiplied by the plugin's weight in the profile.
 */
@ConsumerType
public interface ScorePlugin extends Plugin {
    long MAX_NODE_SCORE = 100;
    long MIN_NODE_SCORE = 0;

    /** The node's raw score. Scoring has no expected failures: a plugin that cannot score throws (an Error). */
    long score(CycleState state, Pod pod, NodeInfo nodeInfo);

    /** Normalizes the scores of all feasible nodes; null when the raw scores are already in range. */
    default ScoreExtensions scoreExtensions() {
        return null;
    }

    interface ScoreExtensions {
        Status normalizeScore(CycleState state, Pod pod, NodeScores scores);
    }
}
