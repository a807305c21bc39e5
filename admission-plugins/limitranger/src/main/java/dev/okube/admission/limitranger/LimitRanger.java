package dev.okube.admission.limitranger;

import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionRequest.Operation;
import dev.okube.api.admission.AdmissionResponse;
import dev.okube.api.admission.MutatingAdmission;
import dev.okube.api.admission.ValidatingAdmission;
import dev.okube.api.resources.ClusterResources;
import dev.okube.api.resources.Quantity;
import dev.okube.api.resources.ResourceType;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's LimitRanger. Mutating: a pod's containers and init containers get the LimitRange
 * defaults ({@code default} limits, {@code defaultRequest} requests) of every LimitRange in the
 * namespace for the resources they do not name, and the pod is annotated with what was set.
 * Validating: the {@code min}, {@code max} and {@code maxLimitRequestRatio} of {@code Container} and
 * {@code Pod} limits are enforced on pods, {@code min} and {@code max} of {@code PersistentVolumeClaim}
 * limits on claims' storage requests; a violation is 403 Forbidden with upstream's messages.
 *
 * <p>Pods are judged on create only (their containers' resources are immutable afterwards); claims
 * on create and update. Objects being deleted are left alone.
 */
@Component(service = {MutatingAdmission.class, ValidatingAdmission.class})
public final class LimitRanger implements MutatingAdmission, ValidatingAdmission {
    static final String NAME = "LimitRanger";
    static final String ANNOTATION = "kubernetes.io/limit-ranger";
    static final ResourceType LIMIT_RANGES = ResourceType.core("limitranges");

    private final ClusterResources resources;

    @Activate
    public LimitRanger(@Reference ClusterResources resources) {
        this.resources = Objects.requireNonNull(resources, "resources should not be null");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AdmissionResponse admit(AdmissionRequest request) {
        if (!supports(request) || !isPod(request)) {
            return AdmissionResponse.allow(); // only pods get defaults
        }
        for (ObjectNode limitRange : limitRanges(request)) {
            mutatePod(limitRange, request.object());
        }
        return AdmissionResponse.allow();
    }

    @Override
    public AdmissionResponse validate(AdmissionRequest request) {
        if (!supports(request)) {
            return AdmissionResponse.allow();
        }
        for (ObjectNode limitRange : limitRanges(request)) {
            List<String> errors = isPod(request) ? validatePod(limitRange, request.object())
                    : validateClaim(limitRange, request.object());
            if (!errors.isEmpty()) {
                return AdmissionResponse.deny(403, "Forbidden", forbidden(request, aggregate(errors)));
            }
        }
        return AdmissionResponse.allow();
    }

    private List<ObjectNode> limitRanges(AdmissionRequest request) {
        return resources.list(LIMIT_RANGES, request.namespace());
    }

    private static boolean isPod(AdmissionRequest request) {
        return request.group().isEmpty() && "pods".equals(request.resource());
    }

    /** Pods on create and claims on create or update, main resource only, not while being deleted. */
    static boolean supports(AdmissionRequest request) {
        if (!request.subresource().isEmpty() || request.object() == null || !request.group().isEmpty()) {
            return false;
        }
        Operation op = request.operation();
        boolean applies = switch (request.resource()) {
            case "pods" -> op == Operation.CREATE;
            case "persistentvolumeclaims" -> op == Operation.CREATE || op == Operation.UPDATE;
            default -> false;
        };
        if (!applies) {
            return false;
        }
        ObjectNode old = request.oldObject();
        return old == null || !old.path("metadata").has("deletionTimestamp")
                || old.path("metadata").get("deletionTimestamp").isNull();
    }

    // ---- defaults ----

    /** Sets the LimitRange's container defaults on every container and init container that lacks them. */
    static void mutatePod(ObjectNode limitRange, ObjectNode pod) {
        Map<String, JsonNode> defaultRequests = new LinkedHashMap<>();
        Map<String, JsonNode> defaultLimits = new LinkedHashMap<>();
        for (JsonNode item : limitRange.path("spec").path("limits")) {
            if ("Container".equals(item.path("type").asString(""))) {
                putAll(defaultRequests, item.path("defaultRequest"));
                putAll(defaultLimits, item.path("default"));
            }
        }
        if (defaultRequests.isEmpty() && defaultLimits.isEmpty()) {
            return;
        }
        List<String> annotations = new ArrayList<>();
        for (JsonNode container : pod.path("spec").path("containers")) {
            merge(container, defaultRequests, defaultLimits, "container", annotations);
        }
        for (JsonNode container : pod.path("spec").path("initContainers")) {
            merge(container, defaultRequests, defaultLimits, "init container", annotations);
        }
        if (!annotations.isEmpty()) {
            pod.withObjectProperty("metadata").withObjectProperty("annotations").put(ANNOTATION,
                    "LimitRanger plugin set: " + String.join("; ", annotations));
        }
    }

    private static void putAll(Map<String, JsonNode> target, JsonNode resourceList) {
        if (resourceList.isObject()) {
            for (Map.Entry<String, JsonNode> e : resourceList.properties()) {
                target.put(e.getKey(), e.getValue());
            }
        }
    }

    private static void merge(JsonNode containerNode, Map<String, JsonNode> defaultRequests,
            Map<String, JsonNode> defaultLimits, String prefix, List<String> annotations) {
        if (!(containerNode instanceof ObjectNode container)) {
            return;
        }
        List<String> setLimits = fill(container, "limits", defaultLimits);
        List<String> setRequests = fill(container, "requests", defaultRequests);
        String name = container.path("name").asString("");
        if (!setRequests.isEmpty()) {
            annotations.add(String.join(", ", setRequests) + " request for " + prefix + " " + name);
        }
        if (!setLimits.isEmpty()) {
            annotations.add(String.join(", ", setLimits) + " limit for " + prefix + " " + name);
        }
    }

    /** Adds the defaults a container's resource list lacks; returns the names set, sorted. */
    private static List<String> fill(ObjectNode container, String field, Map<String, JsonNode> defaults) {
        List<String> set = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : defaults.entrySet()) {
            JsonNode list = container.path("resources").path(field);
            if (list.has(e.getKey())) {
                continue;
            }
            Quantity q = Quantity.of(e.getValue());
            ObjectNode target = container.withObjectProperty("resources").withObjectProperty(field);
            if (q != null) {
                target.put(e.getKey(), q.toString());
            } else {
                target.set(e.getKey(), e.getValue().deepCopy());
            }
            set.add(e.getKey());
        }
        set.sort(null);
        return set;
    }

    // ---- constraints ----

    static List<String> validatePod(ObjectNode limitRange, ObjectNode pod) {
        List<String> errors = new ArrayList<>();
        for (JsonNode item : limitRange.path("spec").path("limits")) {
            String type = item.path("type").asString("");
            if ("Container".equals(type)) {
                List<JsonNode> containers = new ArrayList<>();
                pod.path("spec").path("containers").forEach(containers::add);
                pod.path("spec").path("initContainers").forEach(containers::add);
                for (JsonNode container : containers) {
                    check(type, item, resourceList(container.path("resources").path("requests")),
                            resourceList(container.path("resources").path("limits")), errors);
                }
            } else if ("Pod".equals(type)) {
                check(type, item, podTotal(pod, "requests"), podTotal(pod, "limits"), errors);
            }
        }
        return errors;
    }

    private static void check(String type, JsonNode item, Map<String, Quantity> requests,
            Map<String, Quantity> limits, List<String> errors) {
        for (Map.Entry<String, Quantity> e : resourceList(item.path("min")).entrySet()) {
            addIfPresent(errors, minConstraint(type, e.getKey(), e.getValue(), requests, limits));
        }
        for (Map.Entry<String, Quantity> e : resourceList(item.path("max")).entrySet()) {
            addIfPresent(errors, maxConstraint(type, e.getKey(), e.getValue(), requests, limits));
        }
        for (Map.Entry<String, Quantity> e : resourceList(item.path("maxLimitRequestRatio")).entrySet()) {
            addIfPresent(errors, ratioConstraint(type, e.getKey(), e.getValue(), requests, limits));
        }
    }

    static List<String> validateClaim(ObjectNode limitRange, ObjectNode claim) {
        List<String> errors = new ArrayList<>();
        Map<String, Quantity> requests = resourceList(claim.path("spec").path("resources").path("requests"));
        for (JsonNode item : limitRange.path("spec").path("limits")) {
            String type = item.path("type").asString("");
            if (!"PersistentVolumeClaim".equals(type)) {
                continue;
            }
            // A claim's limits are not user input here: min looks at requests only, max at requests only.
            for (Map.Entry<String, Quantity> e : resourceList(item.path("min")).entrySet()) {
                addIfPresent(errors, minConstraint(type, e.getKey(), e.getValue(), requests, Map.of()));
            }
            for (Map.Entry<String, Quantity> e : resourceList(item.path("max")).entrySet()) {
                addIfPresent(errors, maxRequestConstraint(type, e.getKey(), e.getValue(), requests));
            }
        }
        return errors;
    }

    private static void addIfPresent(List<String> errors, String error) {
        if (error != null) {
            errors.add(error);
        }
    }

    /** The three values at a common precision: milli-units unless one would overflow an int64 there. */
    private static BigInteger[] comparable(Quantity request, Quantity limit, Quantity enforced) {
        boolean milli = request.value().compareTo(Quantity.MAX_MILLI_VALUE) <= 0
                && limit.value().compareTo(Quantity.MAX_MILLI_VALUE) <= 0
                && enforced.value().compareTo(Quantity.MAX_MILLI_VALUE) <= 0;
        return milli ? new BigInteger[] {request.milliValue(), limit.milliValue(), enforced.milliValue()}
                : new BigInteger[] {request.value(), limit.value(), enforced.value()};
    }

    static String minConstraint(String type, String resource, Quantity enforced, Map<String, Quantity> requests,
            Map<String, Quantity> limits) {
        Quantity req = requests.get(resource);
        Quantity lim = limits.get(resource);
        BigInteger[] v = comparable(orZero(req), orZero(lim), enforced);
        if (req == null) {
            return "minimum " + resource + " usage per " + type + " is " + enforced + ".  No request is specified";
        }
        if (v[0].compareTo(v[2]) < 0) {
            return "minimum " + resource + " usage per " + type + " is " + enforced + ", but request is " + req;
        }
        if (lim != null && v[1].compareTo(v[2]) < 0) {
            return "minimum " + resource + " usage per " + type + " is " + enforced + ", but limit is " + lim;
        }
        return null;
    }

    static String maxConstraint(String type, String resource, Quantity enforced, Map<String, Quantity> requests,
            Map<String, Quantity> limits) {
        Quantity req = requests.get(resource);
        Quantity lim = limits.get(resource);
        BigInteger[] v = comparable(orZero(req), orZero(lim), enforced);
        if (lim == null) {
            return "maximum " + resource + " usage per " + type + " is " + enforced + ".  No limit is specified";
        }
        if (v[1].compareTo(v[2]) > 0) {
            return "maximum " + resource + " usage per " + type + " is " + enforced + ", but limit is " + lim;
        }
        if (req != null && v[0].compareTo(v[2]) > 0) {
            return "maximum " + resource + " usage per " + type + " is " + enforced + ", but request is " + req;
        }
        return null;
    }

    static String maxRequestConstraint(String type, String resource, Quantity enforced,
            Map<String, Quantity> requests) {
        Quantity req = requests.get(resource);
        BigInteger[] v = comparable(orZero(req), Quantity.ZERO, enforced);
        if (req == null) {
            return "maximum " + resource + " usage per " + type + " is " + enforced + ".  No request is specified";
        }
        if (v[0].compareTo(v[2]) > 0) {
            return "maximum " + resource + " usage per " + type + " is " + enforced + ", but request is " + req;
        }
        return null;
    }

    static String ratioConstraint(String type, String resource, Quantity enforced, Map<String, Quantity> requests,
            Map<String, Quantity> limits) {
        Quantity req = requests.get(resource);
        Quantity lim = limits.get(resource);
        BigInteger[] v = comparable(orZero(req), orZero(lim), enforced);
        if (req == null || v[0].signum() == 0) {
            return resource + " max limit to request ratio per " + type + " is " + enforced
                    + ", but no request is specified or request is 0";
        }
        if (lim == null || v[1].signum() == 0) {
            return resource + " max limit to request ratio per " + type + " is " + enforced
                    + ", but no limit is specified or limit is 0";
        }
        double observed = v[1].doubleValue() / v[0].doubleValue();
        double display = observed;
        double max = enforced.value().doubleValue();
        if (enforced.value().compareTo(Quantity.MAX_MILLI_VALUE) <= 0) {
            observed = observed * 1000;
            max = enforced.milliValue().doubleValue();
        }
        if (observed > max) {
            return resource + " max limit to request ratio per " + type + " is " + enforced
                    + ", but provided ratio is " + String.format(Locale.ROOT, "%f", display);
        }
        return null;
    }

    private static Quantity orZero(Quantity q) {
        return q == null ? Quantity.ZERO : q;
    }

    // ---- pod totals (upstream's podRequests/podLimits, sidecars included) ----

    /**
     * The pod's effective requests or limits: the sum over its containers and restartable (sidecar)
     * init containers, or the largest init container (plus the sidecars started before it) when that
     * is more.
     */
    static Map<String, Quantity> podTotal(ObjectNode pod, String field) {
        Map<String, Quantity> total = new LinkedHashMap<>();
        for (JsonNode container : pod.path("spec").path("containers")) {
            add(total, resourceList(container.path("resources").path(field)));
        }
        Map<String, Quantity> sidecars = new LinkedHashMap<>();
        Map<String, Quantity> initMax = new LinkedHashMap<>();
        for (JsonNode container : pod.path("spec").path("initContainers")) {
            Map<String, Quantity> own = resourceList(container.path("resources").path(field));
            Map<String, Quantity> effective;
            if ("Always".equals(container.path("restartPolicy").asString(""))) {
                add(total, own);
                add(sidecars, own);
                effective = new LinkedHashMap<>(sidecars);
            } else {
                effective = new LinkedHashMap<>();
                add(effective, own);
                add(effective, sidecars);
            }
            max(initMax, effective);
        }
        max(total, initMax);
        return total;
    }

    private static void add(Map<String, Quantity> list, Map<String, Quantity> more) {
        for (Map.Entry<String, Quantity> e : more.entrySet()) {
            list.merge(e.getKey(), e.getValue(), Quantity::add);
        }
    }

    private static void max(Map<String, Quantity> list, Map<String, Quantity> other) {
        for (Map.Entry<String, Quantity> e : other.entrySet()) {
            Quantity current = list.get(e.getKey());
            if (current == null || e.getValue().compareTo(current) > 0) {
                list.put(e.getKey(), e.getValue());
            }
        }
    }

    /** A ResourceList as quantities, in document order; entries that are not quantities are skipped. */
    static Map<String, Quantity> resourceList(JsonNode node) {
        Map<String, Quantity> list = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                Quantity q = Quantity.of(e.getValue());
                if (q != null) {
                    list.put(e.getKey(), q);
                }
            }
        }
        return list;
    }

    // ---- messages ----

    /** Upstream's utilerrors aggregate: one message as is, several deduplicated in brackets. */
    static String aggregate(List<String> errors) {
        Set<String> unique = new LinkedHashSet<>(errors);
        String joined = String.join(", ", unique);
        return unique.size() == 1 ? joined : "[" + joined + "]";
    }

    /** Upstream's admission.NewForbidden: {@code <resource> "<name>" is forbidden: <reason>}. */
    static String forbidden(AdmissionRequest request, String reason) {
        String resource = request.group().isEmpty() ? request.resource() : request.resource() + "." + request.group();
        String name = request.name();
        if (name == null || name.isEmpty()) {
            JsonNode meta = request.object() == null ? null : request.object().path("metadata");
            name = meta == null ? "" : meta.path("name").asString("");
            if (name.isEmpty() && meta != null) {
                name = meta.path("generateName").asString("");
            }
            if (name.isEmpty()) {
                name = "Unknown";
            }
        }
        return resource + " \"" + name + "\" is forbidden: " + reason;
    }
}
