package dev.okube.scheduler.plugins.interpodaffinity;

import dev.okube.api.scheduler.AffinityTerm;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts by topology pair (key, value), as upstream's topologyToMatchedTermCount: a pair whose count
 * drops to zero is removed, so {@link #isEmpty()} means "no pair counted". Keyed by topology key first,
 * so a lookup allocates nothing. Safe for concurrent readers once no longer written.
 */
final class TopologyCounts {
    private final HashMap<String, HashMap<String, long[]>> byKey = new HashMap<>();
    private final boolean keepZero;
    private int size;

    /** Counts that drop pairs at zero (Filter's counts). */
    TopologyCounts() {
        this(false);
    }

    /** @param keepZero keep pairs whose count is zero (scores: a pair scored +w and -w still counts as scored) */
    TopologyCounts(boolean keepZero) {
        this.keepZero = keepZero;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    long get(String key, String value) {
        HashMap<String, long[]> values = byKey.get(key);
        if (values == null) {
            return 0;
        }
        long[] cell = values.get(value);
        return cell == null ? 0 : cell[0];
    }

    /** The counted pairs' keys and values by key (read-only). */
    Map<String, HashMap<String, long[]>> byKey() {
        return byKey;
    }

    void add(String key, String value, long delta) {
        HashMap<String, long[]> values = byKey.computeIfAbsent(key, k -> new HashMap<>());
        long[] cell = values.get(value);
        if (cell == null) {
            cell = new long[1];
            values.put(value, cell);
            size++;
        }
        cell[0] += delta;
        if (cell[0] == 0 && !keepZero) {
            values.remove(value);
            size--;
            if (values.isEmpty()) {
                byKey.remove(key);
            }
        }
    }

    /** Adds {@code delta} for the node's value of {@code key}, if the node has that label. */
    void update(Map<String, String> nodeLabels, String key, long delta) {
        String value = nodeLabels == null ? null : nodeLabels.get(key);
        if (value != null) {
            add(key, value, delta);
        }
    }

    /** For each term: when {@code pod} matches ALL terms, every term's pair on the node counts {@code delta}. */
    void updateWithAffinityTerms(List<AffinityTerm> terms, Pod pod, Map<String, String> nodeLabels, long delta) {
        if (InterPodAffinity.matchesAll(terms, pod)) {
            for (int i = 0, n = terms.size(); i < n; i++) {
                update(nodeLabels, terms.get(i).topologyKey(), delta);
            }
        }
    }

    /** For each term {@code pod} matches, the term's pair on the node counts {@code delta}. */
    void updateWithAntiAffinityTerms(List<AffinityTerm> terms, Pod pod, Map<String, String> nsLabels,
            Map<String, String> nodeLabels, long delta) {
        for (int i = 0, n = terms.size(); i < n; i++) {
            AffinityTerm t = terms.get(i);
            if (t.matches(pod, nsLabels)) {
                update(nodeLabels, t.topologyKey(), delta);
            }
        }
    }

    void merge(TopologyCounts other) {
        other.byKey.forEach((k, values) -> values.forEach((v, cell) -> add(k, v, cell[0])));
    }

    TopologyCounts copy() {
        TopologyCounts c = new TopologyCounts(keepZero);
        c.merge(this);
        return c;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("{");
        byKey.forEach((k, values) -> values.forEach((v, cell) -> b.append(k).append('=').append(v).append(':')
                .append(cell[0]).append(' ')));
        return b.append('}').toString();
    }
}
