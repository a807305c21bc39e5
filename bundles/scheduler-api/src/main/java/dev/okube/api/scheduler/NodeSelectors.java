package dev.okube.api.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;

/**
 * Node selector matching, as upstream's component-helpers nodeaffinity: terms are ORed; within a
 * term, matchExpressions (on labels) and matchFields (only {@code metadata.name}) are ANDed; an
 * empty or invalid term matches nothing. Operators: In, NotIn, Exists, DoesNotExist, Gt, Lt.
 */
public final class NodeSelectors {
    private NodeSelectors() {
    }

    /** Whether {@code node} matches any term of {@code selector}; a null selector matches every node. */
    public static boolean matches(NodeSelector selector, Node node) {
        if (selector == null) {
            return true;
        }
        return matchesAnyTerm(selector.getNodeSelectorTerms(), node);
    }

    public static boolean matchesAnyTerm(List<NodeSelectorTerm> terms, Node node) {
        if (terms == null) {
            return false;
        }
        for (NodeSelectorTerm term : terms) {
            if (matches(term, node)) {
                return true;
            }
        }
        return false;
    }

    public static boolean matches(NodeSelectorTerm term, Node node) {
        List<NodeSelectorRequirement> exprs = term.getMatchExpressions();
        List<NodeSelectorRequirement> fields = term.getMatchFields();
        boolean noExprs = exprs == null || exprs.isEmpty();
        boolean noFields = fields == null || fields.isEmpty();
        if (noExprs && noFields) {
            return false;
        }
        Map<String, String> labels = node.getMetadata().getLabels();
        if (!noExprs) {
            for (NodeSelectorRequirement r : exprs) {
                if (!matches(r, labels == null ? null : labels.get(r.getKey()), labels != null && labels.containsKey(r.getKey()))) {
                    return false;
                }
            }
        }
        if (!noFields) {
            for (NodeSelectorRequirement r : fields) {
                if (!"metadata.name".equals(r.getKey())) {
                    return false;
                }
                // Upstream allows only In and NotIn with exactly one value on fields.
                if (!("In".equals(r.getOperator()) || "NotIn".equals(r.getOperator()))
                        || r.getValues() == null || r.getValues().size() != 1) {
                    return false;
                }
                if (!matches(r, node.getMetadata().getName(), true)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean matches(NodeSelectorRequirement r, String value, boolean present) {
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        switch (r.getOperator()) {
            case "In":
                return present && values.contains(value);
            case "NotIn":
                return !present || !values.contains(value);
            case "Exists":
                return present;
            case "DoesNotExist":
                return !present;
            case "Gt":
            case "Lt":
                if (!present || values.size() != 1) {
                    return false;
                }
                try {
                    long have = Long.parseLong(value);
                    long want = Long.parseLong(values.get(0));
                    return "Gt".equals(r.getOperator()) ? have > want : have < want;
                } catch (NumberFormatException e) {
                    return false;
                }
            default:
                return false;
        }
    }

    /**
     * Whether {@code node} satisfies the pod's {@code spec.nodeSelector} and its required node affinity,
     * as upstream's GetRequiredNodeAffinity(pod).Match(node).
     */
    public static boolean matchesRequiredNodeAffinity(Pod pod, Node node) {
        Map<String, String> nodeSelector = pod.getSpec().getNodeSelector();
        if (nodeSelector != null && !nodeSelector.isEmpty()) {
            Map<String, String> labels = node.getMetadata().getLabels();
            for (Map.Entry<String, String> e : nodeSelector.entrySet()) {
                if (labels == null || !e.getValue().equals(labels.get(e.getKey()))) {
                    return false;
                }
            }
        }
        var affinity = pod.getSpec().getAffinity();
        if (affinity != null && affinity.getNodeAffinity() != null) {
            NodeSelector required = affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
            if (required != null) {
                return matchesAnyTerm(required.getNodeSelectorTerms(), node);
            }
        }
        return true;
    }
}
