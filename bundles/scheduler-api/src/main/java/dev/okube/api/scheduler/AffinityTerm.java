package dev.okube.api.scheduler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import java.util.Map;
import java.util.Set;

/**
 * A compiled pod (anti-)affinity term, as upstream's framework.AffinityTerm: a pod matches when it is
 * in one of the namespaces (or its namespace's labels match the namespace selector) and its labels
 * match the selector.
 *
 * @param namespaces        the listed namespaces; the owning pod's own when neither namespaces nor a namespace selector is given
 * @param selector          the label selector
 * @param topologyKey       the node label that defines the topology domain
 * @param namespaceSelector the namespace selector ({@link Selector#NOTHING} when absent)
 */
public record AffinityTerm(Set<String> namespaces, Selector selector, String topologyKey, Selector namespaceSelector) {

    /** Compiles {@code term} of a pod in namespace {@code podNamespace}. */
    public static AffinityTerm of(String podNamespace, PodAffinityTerm term) {
        Set<String> namespaces;
        if ((term.getNamespaces() == null || term.getNamespaces().isEmpty()) && term.getNamespaceSelector() == null) {
            namespaces = Set.of(podNamespace);
        } else {
            namespaces = term.getNamespaces() == null ? Set.of() : Set.copyOf(term.getNamespaces());
        }
        return new AffinityTerm(namespaces, Selector.of(term.getLabelSelector()), term.getTopologyKey(),
                Selector.of(term.getNamespaceSelector()));
    }

    /** Whether {@code pod}, whose namespace carries {@code namespaceLabels}, matches this term. */
    public boolean matches(Pod pod, Map<String, String> namespaceLabels) {
        if (namespaces.contains(pod.getMetadata().getNamespace()) || namespaceSelector.matches(namespaceLabels)) {
            return selector.matches(pod.getMetadata().getLabels());
        }
        return false;
    }

    /** A preferred term with its weight (1-100). */
    public record Weighted(AffinityTerm term, int weight) {
    }
}
