package dev.okube.scheduler.framework;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.okube.api.scheduler.Status;

/**
 * Why no node fits a pod, as upstream's FitError with its Diagnosis: the statuses of the nodes that were
 * filtered (explicitly), one status for the nodes a PreFilter result or rejection excluded, and the
 * messages of PreFilter and PostFilter. {@link #message()} is upstream's FitError.Error().
 */
public final class FitError {
    public static final String NO_NODE_AVAILABLE = "0/%d nodes are available";

    private final int numAllNodes;
    private final Map<String, Status> nodeToStatus = new HashMap<>();
    private Status absentNodesStatus;
    private String preFilterMsg = "";
    private String postFilterMsg = "";
    private final Set<String> unschedulablePlugins = new LinkedHashSet<>();
    private final Set<String> pendingPlugins = new LinkedHashSet<>();

    public FitError(int numAllNodes) {
        this.numAllNodes = numAllNodes;
    }

    public int numAllNodes() {
        return numAllNodes;
    }

    /** Records a node's rejection (upstream's NodeToStatus.Set plus AddPluginStatus). */
    public void set(String nodeName, Status status) {
        nodeToStatus.put(nodeName, status);
        addPluginStatus(status);
    }

    public void addPluginStatus(Status status) {
        if (status.plugin() == null) {
            return;
        }
        if (status.isRejected()) {
            unschedulablePlugins.add(status.plugin());
        }
        if (status.code() == Status.Code.PENDING) {
            pendingPlugins.add(status.plugin());
        }
    }

    public void setAbsentNodesStatus(Status status) {
        this.absentNodesStatus = status;
    }

    public Status absentNodesStatus() {
        return absentNodesStatus;
    }

    public void setPreFilterMsg(String msg) {
        this.preFilterMsg = msg == null ? "" : msg;
    }

    public void setPostFilterMsg(String msg) {
        this.postFilterMsg = msg == null ? "" : msg;
    }

    public Map<String, Status> nodeToStatus() {
        return Collections.unmodifiableMap(nodeToStatus);
    }

    public Set<String> unschedulablePlugins() {
        return unschedulablePlugins;
    }

    public Set<String> pendingPlugins() {
        return pendingPlugins;
    }

    /** Every node's status for PostFilter: the explicit ones, and the absent status for the other nodes. */
    public Map<String, Status> allStatuses(List<String> allNodeNames) {
        if (absentNodesStatus == null) {
            return nodeToStatus();
        }
        Map<String, Status> m = new HashMap<>(allNodeNames.size() * 2);
        for (String n : allNodeNames) {
            m.put(n, absentNodesStatus);
        }
        m.putAll(nodeToStatus);
        return m;
    }

    /** "0/N nodes are available: <PreFilterMsg>. <sorted reason histogram>. <PostFilterMsg>", as upstream. */
    public String message() {
        StringBuilder b = new StringBuilder(String.format(NO_NODE_AVAILABLE, numAllNodes)).append(':');
        if (!preFilterMsg.isEmpty()) {
            b.append(' ').append(preFilterMsg).append('.');
        } else {
            Map<String, Integer> reasons = new HashMap<>();
            for (Status s : nodeToStatus.values()) {
                for (String r : s.reasons()) {
                    reasons.merge(r, 1, Integer::sum);
                }
            }
            if (nodeToStatus.size() < numAllNodes && absentNodesStatus != null) {
                for (String r : absentNodesStatus.reasons()) {
                    reasons.merge(r, numAllNodes - nodeToStatus.size(), Integer::sum);
                }
            }
            List<String> histogram = new ArrayList<>(reasons.size());
            reasons.forEach((r, n) -> histogram.add(n + " " + r));
            // Go's sort.Strings: byte-wise order, which String.compareTo matches for these strings.
            Collections.sort(histogram);
            if (!histogram.isEmpty()) {
                b.append(' ').append(String.join(", ", histogram)).append('.');
            }
        }
        if (!postFilterMsg.isEmpty()) {
            b.append(' ').append(postFilterMsg);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return message();
    }
}
