package dev.okube.api.scheduler;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compiled label selector, as upstream's labels.Selector from metav1.LabelSelectorAsSelector:
 * matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist) ANDed. An absent selector
 * matches nothing, an empty one everything.
 */
public final class Selector {
    /** Matches every label set. */
    public static final Selector EVERYTHING = new Selector(List.of(), false);
    /** Matches no label set. */
    public static final Selector NOTHING = new Selector(List.of(), true);

    /** One requirement: key, operator, values. */
    public record Requirement(String key, String operator, Set<String> values) {
        public boolean matches(Map<String, String> labels) {
            String v = labels == null ? null : labels.get(key);
            return switch (operator) {
                case "In" -> v != null && values.contains(v);
                case "NotIn" -> v == null || !values.contains(v);
                case "Exists" -> v != null;
                case "DoesNotExist" -> v == null;
                default -> false;
            };
        }
    }

    private final List<Requirement> requirements;
    private final boolean nothing;

    private Selector(List<Requirement> requirements, boolean nothing) {
        this.requirements = requirements;
        this.nothing = nothing;
    }

    /** Compiles {@code selector}; null is {@link #NOTHING}. Unknown operators match nothing. */
    public static Selector of(LabelSelector selector) {
        if (selector == null) {
            return NOTHING;
        }
        List<Requirement> reqs = new ArrayList<>();
        if (selector.getMatchLabels() != null) {
            selector.getMatchLabels().forEach((k, v) -> reqs.add(new Requirement(k, "In", Set.of(v))));
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                Set<String> values = r.getValues() == null ? Set.of() : new HashSet<>(r.getValues());
                String op = r.getOperator();
                if (!Set.of("In", "NotIn", "Exists", "DoesNotExist").contains(op)) {
                    return NOTHING;
                }
                reqs.add(new Requirement(r.getKey(), op, values));
            }
        }
        return reqs.isEmpty() ? EVERYTHING : new Selector(List.copyOf(reqs), false);
    }

    /** Selects exactly the given labels (a Service's or ReplicaSet's map selector). */
    public static Selector ofLabels(Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            return EVERYTHING;
        }
        List<Requirement> reqs = new ArrayList<>();
        labels.forEach((k, v) -> reqs.add(new Requirement(k, "In", Set.of(v))));
        return new Selector(List.copyOf(reqs), false);
    }

    /** This selector with one more requirement ANDed (matchLabelKeys / mismatchLabelKeys). */
    public Selector and(Requirement requirement) {
        if (nothing) {
            return this;
        }
        List<Requirement> reqs = new ArrayList<>(requirements);
        reqs.add(requirement);
        return new Selector(List.copyOf(reqs), false);
    }

    public boolean matches(Map<String, String> labels) {
        if (nothing) {
            return false;
        }
        for (Requirement r : requirements) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    public boolean isEverything() {
        return !nothing && requirements.isEmpty();
    }

    public boolean isNothing() {
        return nothing;
    }

    public List<Requirement> requirements() {
        return requirements;
    }

    @Override
    public String toString() {
        return nothing ? "<nothing>" : requirements.toString();
    }
}
