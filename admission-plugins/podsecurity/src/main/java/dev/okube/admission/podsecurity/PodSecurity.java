package dev.okube.admission.podsecurity;

import dev.okube.admission.podsecurity.CheckResult.Aggregate;
import dev.okube.admission.podsecurity.PodTemplates.PodParts;
import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionRequest.Operation;
import dev.okube.api.admission.AdmissionResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * PodSecurity's decisions, with upstream's semantics (pod-security-admission's Admission): pods
 * are evaluated against their namespace's enforce, audit and warn policies on CREATE and on
 * UPDATEs that change an image; pod controllers' templates against audit and warn only;
 * namespaces have their labels validated, and raising the enforce level warns about the pods
 * already there that would violate it.
 *
 * <p>Audit results come back as audit annotations in the {@link Decision}; the SPI has no audit
 * log, so the plugin logs them.
 */
final class PodSecurity {
    static final String EXEMPT = Policy.PREFIX + "exempt";
    static final String AUDIT_VIOLATIONS = Policy.PREFIX + "audit-violations";
    static final String ENFORCE_POLICY = Policy.PREFIX + "enforce-policy";
    static final String ERROR = Policy.PREFIX + "error";

    static final int MAX_PODS_TO_CHECK = 3000;
    static final Duration POD_CHECK_TIMEOUT = Duration.ofSeconds(1);

    /** Pod subresources that cannot change what a pod runs; every other one is evaluated (fail safe). */
    private static final Set<String> IGNORED_POD_SUBRESOURCES = Set.of("exec", "attach", "binding", "eviction",
            "log", "portforward", "proxy", "status");

    /**
     * What the plugin answers, and the audit annotations upstream would add to the request's audit
     * event (keys prefixed pod-security.kubernetes.io/).
     */
    record Decision(AdmissionResponse response, Map<String, String> auditAnnotations) {
        Decision {
            Objects.requireNonNull(response, "response should not be null");
            auditAnnotations = Collections.unmodifiableMap(new LinkedHashMap<>(auditAnnotations));
        }

        static Decision allow() {
            return new Decision(AdmissionResponse.allow(), Map.of());
        }

        static Decision exempt(String reason) {
            return new Decision(AdmissionResponse.allow(), Map.of(EXEMPT, reason));
        }
    }

    private final Configuration config;
    private final Evaluator evaluator;
    private final Function<String, Optional<ObjectNode>> namespaces;
    private final Function<String, List<ObjectNode>> pods;
    private final LongSupplier nanoTime;

    /**
     * @param namespaces a namespace by name
     * @param pods       the pods of a namespace
     */
    PodSecurity(Configuration config, Evaluator evaluator, Function<String, Optional<ObjectNode>> namespaces,
            Function<String, List<ObjectNode>> pods, LongSupplier nanoTime) {
        this.config = Objects.requireNonNull(config, "config should not be null");
        this.evaluator = Objects.requireNonNull(evaluator, "evaluator should not be null");
        this.namespaces = Objects.requireNonNull(namespaces, "namespaces should not be null");
        this.pods = Objects.requireNonNull(pods, "pods should not be null");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime should not be null");
    }

    Decision validate(AdmissionRequest request) {
        if (request.operation() != Operation.CREATE && request.operation() != Operation.UPDATE) {
            return Decision.allow();
        }
        if (request.group().isEmpty() && "namespaces".equals(request.resource())) {
            return validateNamespace(request);
        }
        if (request.group().isEmpty() && "pods".equals(request.resource())) {
            return validatePod(request);
        }
        if (PodTemplates.hasTemplate(request.group(), request.resource())) {
            return validatePodController(request);
        }
        return Decision.allow();
    }

    // --- Namespaces

    private Decision validateNamespace(AdmissionRequest request) {
        if (!request.subresource().isEmpty() || request.object() == null) {
            return Decision.allow();
        }
        String name = nameOf(request);
        Map<String, String> labels = labels(request.object());
        Policy.Evaluated next = Policy.toEvaluate(labels, config.defaults());
        if (request.operation() == Operation.CREATE) {
            if (!next.valid()) {
                return invalid(request, name, next);
            }
            if (config.exemptNamespace(name)) {
                return exemptNamespaceWarning(name, next.policy(), labels);
            }
            return Decision.allow();
        }
        Policy.Evaluated previous = Policy.toEvaluate(
                request.oldObject() == null ? Map.of() : labels(request.oldObject()), config.defaults());
        // Labels that were invalid already may stay so; a change must leave them valid.
        if (!next.valid() && (previous.valid() || !next.errors().equals(previous.errors()))) {
            return invalid(request, name, next);
        }
        LevelVersion enforce = next.policy().enforce();
        LevelVersion before = previous.policy().enforce();
        if (enforce.equals(before) || enforce.level() == Level.PRIVILEGED
                || (enforce.version().equals(before.version()) && enforce.level().compareTo(before.level()) <= 0)) {
            return Decision.allow();
        }
        if (config.exemptNamespace(name)) {
            return exemptNamespaceWarning(name, next.policy(), labels);
        }
        AdmissionResponse response = AdmissionResponse.allow();
        for (String warning : evaluatePodsInNamespace(name, enforce)) {
            response = response.withWarning(warning);
        }
        return new Decision(response, Map.of());
    }

    private static Decision invalid(AdmissionRequest request, String name, Policy.Evaluated evaluated) {
        String kind = request.kind() == null || request.kind().isEmpty() ? "Namespace" : request.kind();
        return new Decision(AdmissionResponse.deny(422, "Invalid",
                kind + " " + GoText.quote(name) + " is invalid: " + evaluated.errorText()), Map.of());
    }

    /** Upstream warns when an exempt namespace is labelled with a policy that will be ignored. */
    private Decision exemptNamespaceWarning(String name, Policy policy, Map<String, String> labels) {
        if (policy.fullyPrivileged() || policy.equivalent(config.defaults())) {
            return Decision.allow();
        }
        List<String> parts = new ArrayList<>();
        if (policy.enforce().level() != Level.PRIVILEGED
                && (labels.containsKey(Policy.ENFORCE) || labels.containsKey(Policy.ENFORCE_VERSION))) {
            parts.add("enforce=" + policy.enforce());
        }
        if (policy.audit().level() != Level.PRIVILEGED
                && (labels.containsKey(Policy.AUDIT) || labels.containsKey(Policy.AUDIT_VERSION))) {
            parts.add("audit=" + policy.audit());
        }
        if (policy.warn().level() != Level.PRIVILEGED
                && (labels.containsKey(Policy.WARN) || labels.containsKey(Policy.WARN_VERSION))) {
            parts.add("warn=" + policy.warn());
        }
        return new Decision(AdmissionResponse.allow().withWarning("namespace " + GoText.quote(name)
                + " is exempt from Pod Security, and the policy (" + String.join(", ", parts) + ") will be ignored"),
                Map.of());
    }

    /**
     * The warnings for a namespace whose enforce level rises: pods that would violate it, grouped
     * by the reasons they violate it, the first pod of each controller evaluated first, at most
     * {@link #MAX_PODS_TO_CHECK} pods and {@link #POD_CHECK_TIMEOUT}.
     */
    List<String> evaluatePodsInNamespace(String namespace, LevelVersion enforce) {
        long deadline = nanoTime.getAsLong() + POD_CHECK_TIMEOUT.toNanos();
        List<ObjectNode> candidates;
        try {
            candidates = prioritize(pods.apply(namespace));
        } catch (RuntimeException e) {
            return List.of("failed to list pods while checking new PodSecurity enforce level");
        }
        int total = candidates.size();
        List<ObjectNode> toCheck = total > MAX_PODS_TO_CHECK ? candidates.subList(0, MAX_PODS_TO_CHECK) : candidates;
        int checked = toCheck.size();
        List<String> reasons = new ArrayList<>();
        Map<String, String> firstPod = new HashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < toCheck.size(); i++) {
            ObjectNode pod = toCheck.get(i);
            Aggregate result = evaluator.aggregate(enforce, pod.path("metadata"), pod.path("spec"));
            if (!result.allowed()) {
                String reason = result.reasonText();
                String podName = PodJson.str(pod.path("metadata").path("name"));
                if (!counts.containsKey(reason)) {
                    reasons.add(reason);
                    firstPod.put(reason, podName);
                } else if (podName.compareTo(firstPod.get(reason)) < 0) {
                    firstPod.put(reason, podName);
                }
                counts.merge(reason, 1, Integer::sum);
            }
            if (nanoTime.getAsLong() - deadline > 0) {
                checked = i + 1;
                break;
            }
        }
        List<String> warnings = new ArrayList<>();
        if (checked < total) {
            warnings.add("new PodSecurity enforce level only checked against the first " + checked + " of " + total
                    + " existing pods");
        }
        if (!reasons.isEmpty()) {
            warnings.add("existing pods in namespace " + GoText.quote(namespace)
                    + " violate the new PodSecurity enforce level " + GoText.quote(enforce.toString()));
        }
        List<String> podWarnings = new ArrayList<>();
        for (String reason : reasons) {
            int count = counts.get(reason);
            String pod = firstPod.get(reason);
            podWarnings.add(switch (count) {
                case 1 -> pod + ": " + reason;
                case 2 -> pod + " (and 1 other pod): " + reason;
                default -> pod + " (and " + (count - 1) + " other pods): " + reason;
            });
        }
        Collections.sort(podWarnings);
        warnings.addAll(podWarnings);
        return warnings;
    }

    /** Pods of exempt runtime classes dropped; one pod per controller first, the other replicas after. */
    private List<ObjectNode> prioritize(List<ObjectNode> all) {
        List<ObjectNode> first = new ArrayList<>();
        List<ObjectNode> replicas = new ArrayList<>();
        Set<String> controllers = new HashSet<>();
        for (ObjectNode pod : all) {
            if (config.exemptRuntimeClass(PodJson.str(pod.path("spec").path("runtimeClassName")))) {
                continue;
            }
            String controller = controllerUid(pod);
            if (controller == null || controllers.add(controller)) {
                first.add(pod);
            } else {
                replicas.add(pod);
            }
        }
        first.addAll(replicas);
        return first;
    }

    private static String controllerUid(JsonNode pod) {
        for (JsonNode ref : PodJson.array(pod.path("metadata").path("ownerReferences"))) {
            if (PodJson.isTrue(ref.path("controller"))) {
                return PodJson.str(ref.path("uid"));
            }
        }
        return null;
    }

    // --- Pods

    private Decision validatePod(AdmissionRequest request) {
        if (IGNORED_POD_SUBRESOURCES.contains(request.subresource())) {
            return Decision.allow();
        }
        if (config.exemptNamespace(request.namespace())) {
            return Decision.exempt("namespace");
        }
        if (config.exemptUser(request.user().name())) {
            return Decision.exempt("user");
        }
        Optional<ObjectNode> namespace = namespaces.apply(request.namespace());
        if (namespace.isEmpty()) {
            String message = "failed to lookup namespace " + GoText.quote(request.namespace());
            return new Decision(AdmissionResponse.deny(500, "InternalError", "Internal error occurred: " + message),
                    Map.of(ERROR, "Internal error occurred: " + message));
        }
        Policy.Evaluated policy = Policy.toEvaluate(labels(namespace.get()), config.defaults());
        if (policy.valid() && policy.policy().fullyPrivileged()) {
            return new Decision(AdmissionResponse.allow(), Map.of(ENFORCE_POLICY, LevelVersion.PRIVILEGED_LATEST.toString()));
        }
        ObjectNode pod = request.object();
        if (pod == null) {
            return new Decision(AdmissionResponse.deny(400, "BadRequest", "failed to decode pod"),
                    Map.of(ERROR, "failed to decode pod"));
        }
        if (request.operation() == Operation.UPDATE && request.oldObject() != null
                && !significantUpdate(pod, request.oldObject())) {
            return Decision.allow();
        }
        return evaluate(policy, pod.path("metadata"), pod.path("spec"), request, true);
    }

    /**
     * Whether a pod update can change what the pod runs: containers added or removed, an image
     * changed, an ephemeral container added or its image changed. Other pod fields are immutable
     * or harmless, as upstream reasons.
     */
    static boolean significantUpdate(JsonNode pod, JsonNode old) {
        JsonNode spec = pod.path("spec");
        JsonNode oldSpec = old.path("spec");
        for (String field : new String[] {"containers", "initContainers"}) {
            List<JsonNode> now = list(spec.path(field));
            List<JsonNode> before = list(oldSpec.path(field));
            if (now.size() != before.size()) {
                return true;
            }
            for (int i = 0; i < now.size(); i++) {
                if (!image(now.get(i)).equals(image(before.get(i)))) {
                    return true;
                }
            }
        }
        for (JsonNode c : PodJson.array(spec.path("ephemeralContainers"))) {
            JsonNode previous = null;
            for (JsonNode o : PodJson.array(oldSpec.path("ephemeralContainers"))) {
                if (PodJson.name(o).equals(PodJson.name(c))) {
                    previous = o;
                    break;
                }
            }
            if (previous == null || !image(c).equals(image(previous))) {
                return true;
            }
        }
        return false;
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> all = new ArrayList<>();
        PodJson.array(array).forEach(all::add);
        return all;
    }

    private static String image(JsonNode container) {
        return PodJson.str(container.path("image"));
    }

    // --- Pod controllers (templates): warn and audit only

    private Decision validatePodController(AdmissionRequest request) {
        if (!request.subresource().isEmpty()) {
            return Decision.allow();
        }
        if (config.exemptNamespace(request.namespace())) {
            return Decision.exempt("namespace");
        }
        if (config.exemptUser(request.user().name())) {
            return Decision.exempt("user");
        }
        Optional<ObjectNode> namespace = namespaces.apply(request.namespace());
        if (namespace.isEmpty()) {
            return new Decision(AdmissionResponse.allow(), Map.of(ERROR,
                    "failed to lookup namespace " + GoText.quote(request.namespace()) + ": not found"));
        }
        Policy.Evaluated policy = Policy.toEvaluate(labels(namespace.get()), config.defaults());
        if (policy.valid() && policy.policy().warn().level() == Level.PRIVILEGED
                && policy.policy().audit().level() == Level.PRIVILEGED) {
            return Decision.allow();
        }
        if (request.object() == null) {
            return new Decision(AdmissionResponse.allow(), Map.of(ERROR, "failed to decode object"));
        }
        Optional<PodParts> template = PodTemplates.template(request.group(), request.resource(), request.object());
        if (template.isEmpty()) {
            return Decision.allow();
        }
        return evaluate(policy, template.get().metadata(), template.get().spec(), request, false);
    }

    // --- Evaluation

    private Decision evaluate(Policy.Evaluated evaluated, JsonNode metadata, JsonNode spec, AdmissionRequest request,
            boolean enforce) {
        if (config.exemptRuntimeClass(PodJson.str(spec.path("runtimeClassName")))) {
            return Decision.exempt("runtimeClass");
        }
        Policy policy = evaluated.policy();
        Map<String, String> annotations = new LinkedHashMap<>();
        if (!evaluated.valid()) {
            annotations.put(ERROR, "Failed to parse policy: " + evaluated.errorText());
        }
        Map<LevelVersion, Aggregate> cache = new HashMap<>();
        AdmissionResponse response = AdmissionResponse.allow();
        if (enforce) {
            annotations.put(ENFORCE_POLICY, policy.enforce().toString());
            Aggregate result = evaluator.aggregate(policy.enforce(), metadata, spec);
            if (!result.allowed()) {
                response = AdmissionResponse.deny(403, "Forbidden", forbiddenMessage(request,
                        "violates PodSecurity " + GoText.quote(policy.enforce().toString()) + ": "
                                + result.detailText()));
            }
            cache.put(policy.enforce(), result);
        }
        Aggregate audit = cache.computeIfAbsent(policy.audit(), lv -> evaluator.aggregate(lv, metadata, spec));
        if (!audit.allowed()) {
            annotations.put(AUDIT_VIOLATIONS, "would violate PodSecurity " + GoText.quote(policy.audit().toString())
                    + ": " + audit.detailText());
        }
        // No warnings on a request that is denied anyway.
        if (response.allowed()) {
            Aggregate warn = cache.computeIfAbsent(policy.warn(), lv -> evaluator.aggregate(lv, metadata, spec));
            if (!warn.allowed()) {
                response = response.withWarning("would violate PodSecurity " + GoText.quote(policy.warn().toString())
                        + ": " + warn.detailText());
            }
        }
        return new Decision(response, annotations);
    }

    /** Upstream's Forbidden message: {@code pods "name" is forbidden: <why>}, without the name when it has none. */
    private static String forbiddenMessage(AdmissionRequest request, String why) {
        String resource = request.group().isEmpty() ? request.resource() : request.resource() + "." + request.group();
        String name = nameOf(request);
        return name.isEmpty() ? resource + " is forbidden: " + why
                : resource + " " + GoText.quote(name) + " is forbidden: " + why;
    }

    private static String nameOf(AdmissionRequest request) {
        if (request.name() != null && !request.name().isEmpty()) {
            return request.name();
        }
        return request.object() == null ? "" : PodJson.str(request.object().path("metadata").path("name"));
    }

    /** The string labels of an object's metadata. */
    static Map<String, String> labels(JsonNode object) {
        Map<String, String> labels = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : object.path("metadata").path("labels").properties()) {
            if (e.getValue().isString()) {
                labels.put(e.getKey(), e.getValue().stringValue());
            }
        }
        return labels;
    }
}
