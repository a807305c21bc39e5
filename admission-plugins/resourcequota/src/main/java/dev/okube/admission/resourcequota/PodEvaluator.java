package dev.okube.admission.resourcequota;

import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.resources.ResourceType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pods, as upstream's pod evaluator: count, compute requests and limits (the effective pod
 * resources: containers summed, init containers as a maximum with sidecars accumulated, pod-level
 * resources, overhead, and in-place resizes as the larger of spec and status), scopes, and the old
 * rule that a quota on cpu or memory needs every container to state it.
 */
final class PodEvaluator implements Evaluator {
    static final ResourceType PODS = ResourceType.core("pods");

    private static final List<String> POD_RESOURCES = List.of("count/pods", "cpu", "memory", "ephemeral-storage",
            "requests.cpu", "requests.memory", "requests.ephemeral-storage", "limits.cpu", "limits.memory",
            "limits.ephemeral-storage", "pods");
    private static final List<String> POD_RESOURCE_PREFIXES = List.of("hugepages-", "requests.hugepages-");
    /** Quota on these makes every container state them: a mistake upstream keeps for compatibility. */
    private static final Set<String> VALIDATION_SET = Set.of("cpu", "memory", "requests.cpu", "requests.memory",
            "limits.cpu", "limits.memory");

    @Override
    public ResourceType resource() {
        return PODS;
    }

    @Override
    public boolean handles(AdmissionRequest request) {
        String sub = request.subresource();
        if (!sub.isEmpty() && !sub.equals("resize")) {
            return false;
        }
        return request.operation() == AdmissionRequest.Operation.CREATE
                || sub.equals("resize") && request.operation() == AdmissionRequest.Operation.UPDATE;
    }

    @Override
    public List<String> matchingResources(Collection<String> input) {
        List<String> result = new ArrayList<>();
        for (String name : input) {
            if (POD_RESOURCES.contains(name) || POD_RESOURCE_PREFIXES.stream().anyMatch(name::startsWith)
                    || isExtendedResourceNameForQuota(name)) {
                result.add(name);
            }
        }
        return result;
    }

    private static boolean isNative(String name) {
        return !name.contains("/") || name.contains("kubernetes.io/");
    }

    private static boolean isExtendedResourceNameForQuota(String name) {
        return !isNative(name) && name.startsWith("requests.");
    }

    private static boolean isExtendedResourceName(String name) {
        return !isNative(name) && !name.startsWith("requests.");
    }

    @Override
    public boolean matchesScope(ScopeRequirement scope, ObjectNode pod) {
        return switch (scope.scopeName()) {
            case "Terminating" -> isTerminating(pod);
            case "NotTerminating" -> !isTerminating(pod);
            case "BestEffort" -> isBestEffort(pod);
            case "NotBestEffort" -> !isBestEffort(pod);
            case "PriorityClass" -> {
                String priorityClass = pod.path("spec").path("priorityClassName").asString("");
                yield scope.matchesValue(priorityClass.isEmpty() ? null : priorityClass);
            }
            case "CrossNamespacePodAffinity" -> usesCrossNamespacePodAffinity(pod);
            default -> false;
        };
    }

    @Override
    public String constraints(Collection<String> required, ObjectNode pod) {
        Set<String> requiredSet = new TreeSet<>(required);
        requiredSet.retainAll(VALIDATION_SET);
        if (requiredSet.isEmpty()) {
            return null;
        }
        TreeMap<String, TreeSet<String>> missing = new TreeMap<>();
        for (String field : List.of("containers", "initContainers")) {
            for (JsonNode container : pod.path("spec").path(field)) {
                JsonNode resources = container.path("resources");
                Map<String, Quantity> stated = computeUsage(ResourceList.read(resources.get("requests")),
                        ResourceList.read(resources.get("limits")));
                for (String name : requiredSet) {
                    if (!stated.containsKey(name)) {
                        missing.computeIfAbsent(name, n -> new TreeSet<>()).add(container.path("name").asString(""));
                    }
                }
            }
        }
        if (missing.isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        missing.forEach((name, containers) -> parts.add(name + " for: " + String.join(",", containers)));
        return "must specify " + String.join("; ", parts);
    }

    @Override
    public Map<String, Quantity> usage(ObjectNode pod, Instant now) {
        TreeMap<String, Quantity> usage = new TreeMap<>();
        // count/pods is every pod in storage; "pods" and compute resources only those not at end of life.
        usage.put("count/pods", Quantity.ONE);
        if (!countsForQuota(pod, now)) {
            return usage;
        }
        return ResourceList.add(usage, computeUsage(podRequests(pod), podLimits(pod)));
    }

    @Override
    public Instant usageChangesAt(ObjectNode pod) {
        Instant end = deletionGraceEnd(pod);
        return end == null ? null : end.plusSeconds(1);
    }

    /** Not terminal, and not past its deletion grace (upstream's QuotaV1Pod). */
    static boolean countsForQuota(ObjectNode pod, Instant now) {
        String phase = pod.path("status").path("phase").asString("");
        if (phase.equals("Succeeded") || phase.equals("Failed")) {
            return false;
        }
        Instant end = deletionGraceEnd(pod);
        return end == null || !now.isAfter(end);
    }

    private static Instant deletionGraceEnd(ObjectNode pod) {
        JsonNode meta = pod.path("metadata");
        String deletion = meta.path("deletionTimestamp").asString("");
        JsonNode grace = meta.get("deletionGracePeriodSeconds");
        if (deletion.isEmpty() || grace == null || !grace.isNumber()) {
            return null;
        }
        try {
            return Instant.parse(deletion).plusSeconds(grace.asLong());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The quota names a set of requests and limits stand for (upstream's podComputeUsageHelper). */
    static TreeMap<String, Quantity> computeUsage(Map<String, Quantity> requests, Map<String, Quantity> limits) {
        TreeMap<String, Quantity> result = new TreeMap<>();
        result.put("pods", Quantity.ONE);
        for (String r : List.of("cpu", "memory", "ephemeral-storage")) {
            Quantity request = requests.get(r);
            if (request != null) {
                result.put(r, request);
                result.put("requests." + r, request);
            }
            Quantity limit = limits.get(r);
            if (limit != null) {
                result.put("limits." + r, limit);
            }
        }
        for (Map.Entry<String, Quantity> e : requests.entrySet()) {
            if (e.getKey().startsWith("hugepages-")) {
                result.put(e.getKey(), e.getValue());
                result.put("requests." + e.getKey(), e.getValue());
            }
            if (isExtendedResourceName(e.getKey())) {
                result.put("requests." + e.getKey(), e.getValue());
            }
        }
        return result;
    }

    // ---- effective pod resources (upstream's component-helpers PodRequests / PodLimits) ----

    private interface ContainerResources {
        Map<String, Quantity> of(JsonNode container, JsonNode status, boolean resizeInfeasible);
    }

    static TreeMap<String, Quantity> podRequests(ObjectNode pod) {
        boolean infeasible = resizeInfeasible(pod);
        TreeMap<String, Quantity> spec = aggregate(pod, (c, s, i) -> list(c, "resources", "requests"));
        TreeMap<String, Quantity> allocated = aggregate(pod, (c, s, i) -> {
            if (s != null && s.path("allocatedResources").isObject()) {
                return ResourceList.read(s.get("allocatedResources"));
            }
            return i ? Map.of() : list(c, "resources", "requests");
        });
        TreeMap<String, Quantity> actuated = aggregate(pod, (c, s, i) -> {
            if (s != null && s.path("resources").path("requests").isObject()) {
                return ResourceList.read(s.path("resources").get("requests"));
            }
            if (s != null && s.path("allocatedResources").isObject()) {
                return ResourceList.read(s.get("allocatedResources"));
            }
            return i ? Map.of() : list(c, "resources", "requests");
        });
        TreeMap<String, Quantity> requests = infeasible ? ResourceList.max(actuated, allocated)
                : ResourceList.max(ResourceList.max(spec, actuated), allocated);
        applyPodLevel(requests, pod.path("spec").path("resources").get("requests"));
        JsonNode overhead = pod.path("spec").get("overhead");
        if (overhead != null && overhead.isObject()) {
            requests = ResourceList.add(requests, ResourceList.read(overhead));
        }
        return requests;
    }

    static TreeMap<String, Quantity> podLimits(ObjectNode pod) {
        boolean infeasible = resizeInfeasible(pod);
        TreeMap<String, Quantity> spec = aggregate(pod, (c, s, i) -> list(c, "resources", "limits"));
        TreeMap<String, Quantity> actuated = aggregate(pod, (c, s, i) -> {
            if (s != null && s.path("resources").path("limits").isObject()) {
                return ResourceList.read(s.path("resources").get("limits"));
            }
            return i ? Map.of() : list(c, "resources", "limits");
        });
        TreeMap<String, Quantity> limits = infeasible ? actuated : ResourceList.max(spec, actuated);
        applyPodLevel(limits, pod.path("spec").path("resources").get("limits"));
        JsonNode overhead = pod.path("spec").get("overhead");
        if (overhead != null && overhead.isObject()) {
            for (Map.Entry<String, Quantity> e : ResourceList.read(overhead).entrySet()) {
                Quantity limit = limits.get(e.getKey());
                if (limit != null && !limit.isZero()) {
                    limits.put(e.getKey(), limit.add(e.getValue()));
                }
            }
        }
        return limits;
    }

    /** Pod-level cpu, memory and hugepages replace the containers' sum. */
    private static void applyPodLevel(TreeMap<String, Quantity> result, JsonNode podLevel) {
        if (podLevel == null || !podLevel.isObject()) {
            return;
        }
        for (Map.Entry<String, Quantity> e : ResourceList.read(podLevel).entrySet()) {
            String name = e.getKey();
            if (name.equals("cpu") || name.equals("memory") || name.startsWith("hugepages-")) {
                result.put(name, e.getValue());
            }
        }
    }

    /**
     * Containers summed; each init container's need is its own plus the sidecars (restartable init
     * containers) started before it; the pod needs the larger of the two.
     */
    private static TreeMap<String, Quantity> aggregate(ObjectNode pod, ContainerResources fn) {
        boolean infeasible = resizeInfeasible(pod);
        TreeMap<String, Quantity> result = new TreeMap<>();
        for (JsonNode c : pod.path("spec").path("containers")) {
            result = ResourceList.add(result, fn.of(c, status(pod, c), infeasible));
        }
        TreeMap<String, Quantity> sidecars = new TreeMap<>();
        TreeMap<String, Quantity> init = new TreeMap<>();
        for (JsonNode c : pod.path("spec").path("initContainers")) {
            Map<String, Quantity> resources = fn.of(c, status(pod, c), infeasible);
            Map<String, Quantity> need;
            if (c.path("restartPolicy").asString("").equals("Always")) {
                result = ResourceList.add(result, resources);
                sidecars = ResourceList.add(sidecars, resources);
                need = sidecars;
            } else {
                need = ResourceList.add(resources, sidecars);
            }
            init = ResourceList.max(init, need);
        }
        return ResourceList.max(result, init);
    }

    private static JsonNode status(ObjectNode pod, JsonNode container) {
        String name = container.path("name").asString("");
        for (String field : List.of("containerStatuses", "initContainerStatuses")) {
            for (JsonNode s : pod.path("status").path(field)) {
                if (s.path("name").asString("").equals(name)) {
                    return s;
                }
            }
        }
        return null;
    }

    private static boolean resizeInfeasible(ObjectNode pod) {
        for (JsonNode condition : pod.path("status").path("conditions")) {
            if (condition.path("type").asString("").equals("PodResizePending")) {
                return condition.path("reason").asString("").equals("Infeasible");
            }
        }
        return false;
    }

    private static Map<String, Quantity> list(JsonNode container, String a, String b) {
        return ResourceList.read(container.path(a).get(b));
    }

    // ---- scopes ----

    static boolean isTerminating(ObjectNode pod) {
        JsonNode deadline = pod.path("spec").get("activeDeadlineSeconds");
        return deadline != null && deadline.isNumber() && deadline.asLong() >= 0;
    }

    /** The QoS class: status.qosClass when set, else BestEffort when no cpu or memory is requested or limited. */
    static boolean isBestEffort(ObjectNode pod) {
        String qos = pod.path("status").path("qosClass").asString("");
        if (!qos.isEmpty()) {
            return qos.equals("BestEffort");
        }
        List<JsonNode> resources = new ArrayList<>();
        for (String field : List.of("containers", "initContainers")) {
            for (JsonNode c : pod.path("spec").path(field)) {
                resources.add(c.path("resources"));
            }
        }
        resources.add(pod.path("spec").path("resources"));
        for (JsonNode r : resources) {
            for (String kind : List.of("requests", "limits")) {
                Map<String, Quantity> list = ResourceList.read(r.get(kind));
                for (String name : List.of("cpu", "memory")) {
                    Quantity q = list.get(name);
                    if (q != null && q.signum() > 0) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    static boolean usesCrossNamespacePodAffinity(ObjectNode pod) {
        JsonNode affinity = pod.path("spec").path("affinity");
        for (String kind : List.of("podAffinity", "podAntiAffinity")) {
            JsonNode a = affinity.path(kind);
            for (JsonNode term : a.path("requiredDuringSchedulingIgnoredDuringExecution")) {
                if (crossNamespace(term)) {
                    return true;
                }
            }
            for (JsonNode weighted : a.path("preferredDuringSchedulingIgnoredDuringExecution")) {
                if (crossNamespace(weighted.path("podAffinityTerm"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean crossNamespace(JsonNode term) {
        return term.path("namespaces").size() > 0
                || term.has("namespaceSelector") && !term.get("namespaceSelector").isNull();
    }
}
