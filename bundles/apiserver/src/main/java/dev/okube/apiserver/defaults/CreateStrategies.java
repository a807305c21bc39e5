package dev.okube.apiserver.defaults;

import static dev.okube.apiserver.defaults.Json.empty;
import static dev.okube.apiserver.defaults.Json.isTrue;
import static dev.okube.apiserver.defaults.Json.items;
import static dev.okube.apiserver.defaults.Json.obj;
import static dev.okube.apiserver.defaults.Json.objOrCreate;
import static dev.okube.apiserver.defaults.Json.text;
import static dev.okube.apiserver.defaults.Json.unset;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The spec and status values upstream's registry strategies set when an object is created
 * (PrepareForCreate, and the Job selector generated during create validation). Allocation (Service
 * IPs and node ports) and admission plugins are not strategies and are not here. A strategy may touch
 * metadata where upstream's does (AppArmor annotations); system metadata stays the caller's.
 */
final class CreateStrategies {
    private CreateStrategies() {
    }

    static void pod(ObjectNode pod, Instant now) {
        ObjectNode spec = obj(pod, "spec");
        ObjectNode status = pod.putObject("status");
        status.put("phase", "Pending");
        status.put("qosClass", qosClass(spec));
        if (!empty(spec, "schedulingGates")) {
            // A gated pod says why it is not scheduled yet; Go writes the zero probe time as null.
            ObjectNode condition = status.putArray("conditions").addObject();
            condition.put("type", "PodScheduled");
            condition.put("status", "False");
            condition.putNull("lastProbeTime");
            condition.put("lastTransitionTime", now.truncatedTo(ChronoUnit.SECONDS).toString());
            condition.put("reason", "SchedulingGated");
            condition.put("message", "Scheduling is blocked due to non-empty scheduling gates");
        }
        applyLabelKeysToAffinity(pod, spec);
        syncAppArmor(pod, spec);
    }

    private static final String APPARMOR_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

    /**
     * AppArmor's version skew: a container profile given only as a field (its own or the pod's) is
     * mirrored into the deprecated per-container annotation for older kubelets, and one given only as
     * an annotation into the container's field, unless the pod-level field already says the same.
     */
    private static void syncAppArmor(ObjectNode pod, ObjectNode spec) {
        if (spec == null || text(obj(spec, "os"), "name").equals("windows")) {
            return;
        }
        ObjectNode podProfile = obj(obj(spec, "securityContext"), "appArmorProfile");
        for (String list : new String[] {"initContainers", "containers", "ephemeralContainers"}) {
            for (ObjectNode container : items(spec, list)) {
                String key = APPARMOR_PREFIX + text(container, "name");
                ObjectNode annotations = obj(obj(pod, "metadata"), "annotations");
                JsonNode annotation = annotations == null ? null : annotations.get(key);
                ObjectNode profile = obj(obj(container, "securityContext"), "appArmorProfile");
                if (annotation == null) {
                    String value = annotationFor(profile != null ? profile : podProfile);
                    ObjectNode target = value.isEmpty() ? null : objOrCreate(objOrCreate(pod, "metadata"), "annotations");
                    if (target != null) {
                        target.put(key, value);
                    }
                } else if (profile == null && annotation.isString()) {
                    ObjectNode field = fieldFor(annotation.asString());
                    if (field != null && !field.equals(podProfile)) {
                        ObjectNode securityContext = objOrCreate(container, "securityContext");
                        if (securityContext != null) {
                            securityContext.set("appArmorProfile", field);
                        }
                    }
                }
            }
        }
    }

    private static String annotationFor(ObjectNode profile) {
        switch (text(profile, "type")) {
            case "Unconfined":
                return "unconfined";
            case "RuntimeDefault":
                return "runtime/default";
            case "Localhost":
                JsonNode name = profile.get("localhostProfile");
                return name != null && name.isString() ? "localhost/" + name.asString() : "";
            default:
                return "";
        }
    }

    private static ObjectNode fieldFor(String annotation) {
        ObjectNode field = JsonNodeFactory.instance.objectNode();
        if (annotation.equals("unconfined")) {
            return field.put("type", "Unconfined");
        }
        if (annotation.equals("runtime/default")) {
            return field.put("type", "RuntimeDefault");
        }
        if (annotation.startsWith("localhost/") && annotation.length() > "localhost/".length()) {
            return field.put("type", "Localhost").put("localhostProfile", annotation.substring("localhost/".length()));
        }
        return null;
    }

    /**
     * Upstream's QoS class: BestEffort without any cpu/memory request or limit; Guaranteed when every
     * container limits both and the summed requests equal the summed limits; Burstable otherwise.
     */
    static String qosClass(ObjectNode spec) {
        Map<String, BigDecimal> requests = new HashMap<>();
        Map<String, BigDecimal> limits = new HashMap<>();
        boolean guaranteed = true;
        for (String list : new String[] {"containers", "initContainers"}) {
            for (ObjectNode container : items(spec, list)) {
                ObjectNode resources = obj(container, "resources");
                sumPositive(obj(resources, "requests"), requests);
                Set<String> limited = sumPositive(obj(resources, "limits"), limits);
                if (!limited.contains("cpu") || !limited.contains("memory")) {
                    guaranteed = false;
                }
            }
        }
        if (requests.isEmpty() && limits.isEmpty()) {
            return "BestEffort";
        }
        if (guaranteed) {
            for (Map.Entry<String, BigDecimal> request : requests.entrySet()) {
                BigDecimal limit = limits.get(request.getKey());
                if (limit == null || limit.compareTo(request.getValue()) != 0) {
                    guaranteed = false;
                    break;
                }
            }
        }
        return guaranteed && requests.size() == limits.size() ? "Guaranteed" : "Burstable";
    }

    /** Adds the positive cpu and memory quantities of a list into the sums; returns the names added. */
    private static Set<String> sumPositive(ObjectNode list, Map<String, BigDecimal> sums) {
        Set<String> found = new HashSet<>();
        if (list == null) {
            return found;
        }
        for (String name : new String[] {"cpu", "memory"}) {
            BigDecimal value = Quantity.value(list.get(name));
            if (value != null && value.signum() > 0) {
                found.add(name);
                sums.merge(name, value, BigDecimal::add);
            }
        }
        return found;
    }

    /**
     * MatchLabelKeysInPodAffinity (beta, on at 1.32): matchLabelKeys and mismatchLabelKeys of an
     * affinity term become In / NotIn requirements on the pod's own label values.
     */
    private static void applyLabelKeysToAffinity(ObjectNode pod, ObjectNode spec) {
        ObjectNode labels = obj(obj(pod, "metadata"), "labels");
        ObjectNode affinity = obj(spec, "affinity");
        for (String kind : new String[] {"podAffinity", "podAntiAffinity"}) {
            ObjectNode terms = obj(affinity, kind);
            for (ObjectNode term : items(terms, "requiredDuringSchedulingIgnoredDuringExecution")) {
                applyLabelKeys(term, labels);
            }
            for (ObjectNode weighted : items(terms, "preferredDuringSchedulingIgnoredDuringExecution")) {
                applyLabelKeys(obj(weighted, "podAffinityTerm"), labels);
            }
        }
    }

    private static void applyLabelKeys(ObjectNode term, ObjectNode labels) {
        ObjectNode selector = obj(term, "labelSelector");
        // A nil selector matches nothing, so there is nothing to narrow.
        if (selector == null || labels == null) {
            return;
        }
        addRequirements(selector, term.get("matchLabelKeys"), labels, "In");
        addRequirements(selector, term.get("mismatchLabelKeys"), labels, "NotIn");
    }

    private static void addRequirements(ObjectNode selector, JsonNode keys, ObjectNode labels, String operator) {
        if (keys == null || !keys.isArray()) {
            return;
        }
        for (JsonNode key : keys) {
            JsonNode value = key.isString() ? labels.get(key.asString()) : null;
            if (value == null || !value.isString()) {
                continue;
            }
            JsonNode existing = selector.get("matchExpressions");
            ArrayNode expressions = existing instanceof ArrayNode a ? a
                    : existing == null || existing.isNull() ? selector.putArray("matchExpressions") : null;
            if (expressions == null) {
                return;
            }
            ObjectNode requirement = expressions.addObject();
            requirement.put("key", key.asString());
            requirement.put("operator", operator);
            requirement.putArray("values").add(value.asString());
        }
    }

    static void namespace(ObjectNode namespace) {
        namespace.putObject("status").put("phase", "Active");
        // The kubernetes finalizer is required on create (it may be removed later, hence not defaulting).
        ObjectNode spec = objOrCreate(namespace, "spec");
        if (spec == null) {
            return;
        }
        JsonNode finalizers = spec.get("finalizers");
        if (finalizers == null || finalizers.isNull()) {
            spec.putArray("finalizers").add("kubernetes");
        } else if (finalizers instanceof ArrayNode list) {
            for (JsonNode finalizer : list) {
                if (finalizer.isString() && finalizer.asString().equals("kubernetes")) {
                    return;
                }
            }
            list.add("kubernetes");
        }
    }

    /** Service and Ingress: the load-balancer status is a non-pointer struct, so it shows as {}. */
    static void service(ObjectNode service) {
        service.putObject("status").putObject("loadBalancer");
    }

    static void persistentVolume(ObjectNode pv, Instant now) {
        // PersistentVolumeLastPhaseTransitionTime is GA at 1.31; phase comes back through defaulting.
        ObjectNode status = pv.putObject("status");
        status.put("phase", "Pending");
        status.put("lastPhaseTransitionTime", now.truncatedTo(ChronoUnit.SECONDS).toString());
    }

    static void persistentVolumeClaim(ObjectNode pvc) {
        pvc.putObject("status");
        ObjectNode spec = obj(pvc, "spec");
        if (spec == null) {
            return;
        }
        // The old dataSource field only ever took claims and snapshots: from a client that does not
        // know dataSourceRef, anything else is dropped as if an empty volume had been asked for.
        ObjectNode source = obj(spec, "dataSource");
        if (source != null && unset(spec, "dataSourceRef")) {
            String group = text(source, "apiGroup");
            String kind = text(source, "kind");
            boolean claim = group.isEmpty() && kind.equals("PersistentVolumeClaim");
            boolean snapshot = group.equals("snapshot.storage.k8s.io") && kind.equals("VolumeSnapshot");
            if (!claim && !snapshot) {
                spec.remove("dataSource");
                source = null;
            }
        }
        // dataSource and dataSourceRef mirror each other when only one is given (AnyVolumeDataSource, GA).
        ObjectNode ref = obj(spec, "dataSourceRef");
        if (source != null && unset(spec, "dataSourceRef")) {
            spec.set("dataSourceRef", source.deepCopy());
        } else if (ref != null && unset(spec, "dataSource") && text(ref, "namespace").isEmpty()) {
            ObjectNode copy = ref.deepCopy();
            copy.remove("namespace");
            spec.set("dataSource", copy);
        }
    }

    /** v2 still writes a nil currentMetrics, as null, next to the desiredReplicas counter. */
    static void horizontalPodAutoscalerV2(ObjectNode hpa) {
        resetStatus(hpa, "desiredReplicas");
        ((ObjectNode) hpa.get("status")).putNull("currentMetrics");
    }

    /** Status reset on create; Go still writes the non-omitempty counters of each status type as 0. */
    static void resetStatus(ObjectNode object, String... zeroCounters) {
        ObjectNode status = object.putObject("status");
        for (String counter : zeroCounters) {
            status.put(counter, 0);
        }
    }

    private static final String TEMPLATE_GENERATION = "deprecated.daemonset.template.generation";

    /**
     * A DaemonSet starts at template generation 1 unless it brings a higher one; apps/v1 carries the
     * internal field as this annotation, so it shows on every DaemonSet.
     */
    static void daemonSet(ObjectNode daemonSet) {
        resetStatus(daemonSet, "currentNumberScheduled", "numberMisscheduled", "desiredNumberScheduled", "numberReady");
        ObjectNode annotations = objOrCreate(objOrCreate(daemonSet, "metadata"), "annotations");
        if (annotations == null) {
            return;
        }
        long generation = 0;
        try {
            generation = Long.parseLong(text(annotations, TEMPLATE_GENERATION));
        } catch (NumberFormatException e) {
            // Missing or not a number: upstream's decoding rejects the latter; either way start at 1.
        }
        if (generation < 1) {
            annotations.put(TEMPLATE_GENERATION, "1");
        }
    }

    static void job(ObjectNode job) {
        resetStatus(job);
        ObjectNode spec = obj(job, "spec");
        ObjectNode metadata = obj(job, "metadata");
        String uid = text(metadata, "uid");
        if (spec == null || isTrue(spec, "manualSelector") || uid.isEmpty()) {
            return;
        }
        // Without a manual selector the job selects its pods by its own uid, and labels them with it and its name.
        ObjectNode template = objOrCreate(spec, "template");
        ObjectNode templateMetadata = objOrCreate(template, "metadata");
        ObjectNode labels = objOrCreate(templateMetadata, "labels");
        if (labels == null) {
            return;
        }
        String name = text(metadata, "name");
        for (String key : new String[] {"job-name", "batch.kubernetes.io/job-name"}) {
            if (!labels.has(key)) {
                labels.put(key, name);
            }
        }
        for (String key : new String[] {"controller-uid", "batch.kubernetes.io/controller-uid"}) {
            if (!labels.has(key)) {
                labels.put(key, uid);
            }
        }
        ObjectNode matchLabels = objOrCreate(objOrCreate(spec, "selector"), "matchLabels");
        if (matchLabels != null && !matchLabels.has("batch.kubernetes.io/controller-uid")) {
            matchLabels.put("batch.kubernetes.io/controller-uid", uid);
        }
    }
}
