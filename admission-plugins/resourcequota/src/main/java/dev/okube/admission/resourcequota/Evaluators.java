package dev.okube.admission.resourcequota;

import dev.okube.api.resources.ResourceType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The evaluators quota knows, as upstream's registry: pods, services and PVCs measure more than a
 * count; configmaps, secrets, resourcequotas and replicationcontrollers keep their legacy names;
 * every other resource is counted as {@code count/<resource>.<group>}, with an evaluator made on
 * first use. Events are never charged (upstream's ignored resources).
 */
final class Evaluators {
    static final Set<ResourceType> IGNORED = Set.of(ResourceType.core("events"), ResourceType.of("events.k8s.io", "events"));

    private final Map<ResourceType, Evaluator> fixed = new LinkedHashMap<>();
    private final Map<ResourceType, Evaluator> counted = new ConcurrentHashMap<>();

    Evaluators() {
        for (Evaluator e : List.of(new PodEvaluator(), new ServiceEvaluator(), new PvcEvaluator())) {
            fixed.put(e.resource(), e);
        }
        for (ResourceType legacy : ObjectCountEvaluator.LEGACY_ALIASES.keySet()) {
            fixed.put(legacy, new ObjectCountEvaluator(legacy));
        }
    }

    /** The evaluator of a resource, or null for resources quota ignores. */
    Evaluator forResource(ResourceType resource) {
        if (IGNORED.contains(resource)) {
            return null;
        }
        Evaluator e = fixed.get(resource);
        return e != null ? e : counted.computeIfAbsent(resource, ObjectCountEvaluator::new);
    }

    /** Every evaluator that measures one of these quota names (what a quota's hard list needs computed). */
    List<Evaluator> forNames(Collection<String> names) {
        List<Evaluator> result = new ArrayList<>();
        for (Evaluator e : fixed.values()) {
            if (!e.matchingResources(names).isEmpty()) {
                result.add(e);
            }
        }
        for (String name : names) {
            ResourceType counted = ObjectCountEvaluator.countedResource(name);
            if (counted != null && !fixed.containsKey(counted) && !IGNORED.contains(counted)) {
                Evaluator e = forResource(counted);
                if (!result.contains(e)) {
                    result.add(e);
                }
            }
        }
        return result;
    }

    /** The resources the controller always watches: those with evaluators of their own. */
    Collection<Evaluator> builtIn() {
        return fixed.values();
    }
}
