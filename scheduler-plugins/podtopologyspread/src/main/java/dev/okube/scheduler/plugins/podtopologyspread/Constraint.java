package dev.okube.scheduler.plugins.podtopologyspread;

import dev.okube.api.scheduler.NodeSelectors;
import dev.okube.api.scheduler.Selector;
import dev.okube.api.scheduler.Tolerations;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/**
 * A topology spread constraint with its selector compiled and its defaults applied, as upstream's
 * internal topologySpreadConstraint: minDomains 1, nodeAffinityPolicy Honor, nodeTaintsPolicy Ignore.
 */
record Constraint(int maxSkew, String topologyKey, Selector selector, int minDomains,
        boolean honorNodeAffinity, boolean honorNodeTaints) {

    static final String HONOR = "Honor";
    static final String IGNORE = "Ignore";

    /** The same constraint with another selector (the default constraints take the pod's owners' selector). */
    Constraint withSelector(Selector s) {
        return new Constraint(maxSkew, topologyKey, s, minDomains, honorNodeAffinity, honorNodeTaints);
    }

    /**
     * Whether {@code node} counts as a domain of this constraint for {@code pod}: it passes the pod's
     * required node affinity (policy Honor) and has no NoSchedule/NoExecute taint the pod does not
     * tolerate (policy Honor). {@code nodeAffinityMatch} is the precomputed node affinity result.
     */
    boolean includes(Pod pod, Node node, boolean nodeAffinityMatch) {
        if (honorNodeAffinity && !nodeAffinityMatch) {
            return false;
        }
        return !honorNodeTaints || !hasUntoleratedTaint(pod, node);
    }

    static boolean hasUntoleratedTaint(Pod pod, Node node) {
        List<Taint> taints = node.getSpec() == null ? null : node.getSpec().getTaints();
        if (taints == null || taints.isEmpty()) {
            return false;
        }
        List<Toleration> tolerations = pod.getSpec() == null ? null : pod.getSpec().getTolerations();
        for (Taint t : taints) {
            if (("NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect()))
                    && !Tolerations.tolerated(tolerations, t)) {
                return true;
            }
        }
        return false;
    }

    /** Whether every constraint's topology key is a label of the node (upstream's nodeLabelsMatchSpreadConstraints). */
    static boolean nodeHasAllKeys(Map<String, String> nodeLabels, Constraint[] constraints) {
        for (Constraint c : constraints) {
            if (nodeLabels == null || !nodeLabels.containsKey(c.topologyKey)) {
                return false;
            }
        }
        return true;
    }

    static boolean nodeAffinityMatches(Pod pod, Node node) {
        return NodeSelectors.matchesRequiredNodeAffinity(pod, node);
    }
}
