package dev.okube.api.scheduler;

import java.util.Set;

/**
 * What a PreFilter plugin returns: its status, and optionally the only nodes worth filtering
 * (null for all nodes), as upstream's (*PreFilterResult, *Status).
 */
public record PreFilterResult(Status status, Set<String> nodeNames) {
    public static final PreFilterResult SUCCESS = new PreFilterResult(Status.SUCCESS, null);
    public static final PreFilterResult SKIP = new PreFilterResult(Status.SKIP, null);

    public static PreFilterResult of(Status status) {
        return status.isSuccess() ? SUCCESS : new PreFilterResult(status, null);
    }

    /** Success, restricting the cycle to {@code nodeNames}. */
    public static PreFilterResult nodes(Set<String> nodeNames) {
        return new PreFilterResult(Status.SUCCESS, Set.copyOf(nodeNames));
    }

    public boolean allNodes() {
        return nodeNames == null;
    }
}
