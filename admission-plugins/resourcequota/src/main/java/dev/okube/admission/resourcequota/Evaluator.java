package dev.okube.admission.resourcequota;

import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.resources.ResourceType;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * How quota measures one resource, as upstream's quota.Evaluator: which writes change usage, which
 * quota resource names it answers for, which scopes an object is in, and the usage of one object.
 */
interface Evaluator {
    ResourceType resource();

    /** Whether this write can change usage. */
    boolean handles(AdmissionRequest request);

    /** The names among {@code names} that this evaluator measures. */
    List<String> matchingResources(Collection<String> names);

    /** Whether the object is in the scope; resources without scopes answer false (a scoped quota ignores them). */
    default boolean matchesScope(ScopeRequirement scope, ObjectNode object) {
        return false;
    }

    /** Why the object cannot be admitted under a quota tracking {@code required}, or null. */
    default String constraints(Collection<String> required, ObjectNode object) {
        return null;
    }

    /** What one object uses at time {@code now}. */
    Map<String, Quantity> usage(ObjectNode object, Instant now);

    /** When the object's usage will change by the passing of time alone (a pod's deletion grace ending), or null. */
    default Instant usageChangesAt(ObjectNode object) {
        return null;
    }

    /** Whether the quota applies to the object: it tracks one of our resources, and every scope matches. */
    default boolean matches(Quota quota, ObjectNode object) {
        if (matchingResources(quota.hard().keySet()).isEmpty()) {
            return false;
        }
        for (ScopeRequirement scope : quota.scopes()) {
            if (!matchesScope(scope, object)) {
                return false;
            }
        }
        return true;
    }
}
