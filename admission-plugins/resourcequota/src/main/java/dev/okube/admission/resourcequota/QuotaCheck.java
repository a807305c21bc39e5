package dev.okube.admission.resourcequota;

import dev.okube.api.admission.AdmissionRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.node.ObjectNode;

/**
 * Whether one write fits every quota that applies to it, and what the quotas' usage becomes if it
 * does: upstream's CheckRequest, without side effects.
 */
final class QuotaCheck {
    /**
     * The outcome: a denial message (without the "pods \"x\" is forbidden: " prefix), or the new
     * status.used of each quota the write charges (empty when it charges none).
     */
    record Result(String denial, Map<Quota, TreeMap<String, Quantity>> charges) {
        static Result denied(String message) {
            return new Result(message, Map.of());
        }

        boolean allowed() {
            return denial == null;
        }
    }

    private QuotaCheck() {
    }

    static Result check(List<Quota> quotas, AdmissionRequest request, Evaluator evaluator, Instant now) {
        ObjectNode object = request.object();
        List<Quota> interesting = new ArrayList<>();
        for (Quota quota : quotas) {
            boolean matches;
            try {
                matches = evaluator.matches(quota, object);
            } catch (IllegalArgumentException e) {
                return Result.denied("error matching scopes of quota " + quota.name() + ", err: " + e.getMessage());
            }
            if (!matches) {
                continue;
            }
            List<String> restricted = evaluator.matchingResources(quota.hard().keySet());
            String violation = evaluator.constraints(restricted, object);
            if (violation != null) {
                return Result.denied("failed quota: " + quota.name() + ": " + violation);
            }
            if (!hasUsageStats(quota, restricted)) {
                return Result.denied("status unknown for quota: " + quota.name() + ", resources: "
                        + ResourceList.prettyNames(restricted));
            }
            interesting.add(quota);
        }
        if (interesting.isEmpty()) {
            return new Result(null, Map.of());
        }

        Map<String, Quantity> delta = evaluator.usage(object, now);
        List<String> negative = ResourceList.negative(delta);
        if (!negative.isEmpty()) {
            return Result.denied("quota usage is negative for resource(s): " + ResourceList.prettyNames(negative));
        }
        if (request.operation() == AdmissionRequest.Operation.UPDATE) {
            ObjectNode old = request.oldObject();
            if (old == null) {
                return Result.denied("unable to get previous usage since prior version of object was not found");
            }
            // Charge the difference, unless this is a create-on-update (no stored version): then all of it.
            if (!old.path("metadata").path("resourceVersion").asString("").isEmpty()) {
                delta = ResourceList.subtractNonNegative(delta, evaluator.usage(old, now));
            }
        }
        if (ResourceList.isZero(delta)) {
            return new Result(null, Map.of());
        }

        Map<Quota, TreeMap<String, Quantity>> charges = new LinkedHashMap<>();
        for (Quota quota : interesting) {
            TreeMap<String, Quantity> requested = ResourceList.mask(delta, quota.hard().keySet());
            TreeMap<String, Quantity> newUsage = ResourceList.add(quota.used(), requested);
            TreeMap<String, Quantity> maskedNew = ResourceList.mask(newUsage, requested.keySet());
            List<String> exceeded = ResourceList.exceeding(maskedNew, quota.hard());
            if (!exceeded.isEmpty()) {
                return Result.denied("exceeded quota: " + quota.name()
                        + ", requested: " + ResourceList.pretty(ResourceList.mask(requested, exceeded))
                        + ", used: " + ResourceList.pretty(ResourceList.mask(quota.used(), exceeded))
                        + ", limited: " + ResourceList.pretty(ResourceList.mask(quota.hard(), exceeded)));
            }
            if (!ResourceList.equal(newUsage, quota.used())) {
                charges.put(quota, newUsage);
            }
        }
        return new Result(null, charges);
    }

    /** Every hard resource this evaluator restricts has a used value already (the controller has run). */
    private static boolean hasUsageStats(Quota quota, List<String> restricted) {
        for (String name : quota.hard().keySet()) {
            if (restricted.contains(name) && !quota.used().containsKey(name)) {
                return false;
            }
        }
        return true;
    }

    /** Upstream's admission.NewForbidden: {@code pods "web" is forbidden: <message>}. */
    static String forbidden(AdmissionRequest request, String message) {
        String resource = request.group().isEmpty() ? request.resource() : request.resource() + "." + request.group();
        String name = request.name();
        if (name == null || name.isEmpty()) {
            name = "Unknown";
            if (request.object() != null) {
                String objectName = request.object().path("metadata").path("name").asString("");
                String generateName = request.object().path("metadata").path("generateName").asString("");
                name = !objectName.isEmpty() ? objectName : !generateName.isEmpty() ? generateName : name;
            }
        }
        return resource + " \"" + name + "\" is forbidden: " + message;
    }
}
