package dev.okube.admission.priority;

import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionRequest.Operation;
import dev.okube.api.admission.AdmissionResponse;
import dev.okube.api.admission.MutatingAdmission;
import dev.okube.api.admission.ValidatingAdmission;
import dev.okube.api.resources.ClusterResources;
import dev.okube.api.resources.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's Priority admission plugin. Mutating: a new pod's {@code spec.priority} (and
 * {@code spec.preemptionPolicy}) come from the PriorityClass its {@code spec.priorityClassName} names,
 * or from the global default class (then its name is set too), or 0 when there is none; an unknown
 * class is refused, and so is a pod that brings a priority or preemption policy other than its
 * class's. Updates keep what creation set. Validating: only one PriorityClass may be the global default.
 *
 * <p>The apiserver does not validate PriorityClasses itself yet, so the validating phase also applies
 * upstream's PriorityClass field validation (reserved {@code system-} names, the highest user value,
 * the preemption policy, and immutable value and policy), answering 422 Invalid as the registry would.
 */
@Component(service = {MutatingAdmission.class, ValidatingAdmission.class})
public final class Priority implements MutatingAdmission, ValidatingAdmission {
    static final ResourceType PRIORITY_CLASSES = ResourceType.of("scheduling.k8s.io", "priorityclasses");
    static final String PREEMPT_LOWER_PRIORITY = "PreemptLowerPriority";
    static final List<String> PREEMPTION_POLICIES = List.of("Never", PREEMPT_LOWER_PRIORITY);

    private final ClusterResources cluster;

    @Activate
    public Priority(@Reference ClusterResources cluster) {
        this.cluster = cluster;
    }

    @Override
    public String name() {
        return "Priority";
    }

    @Override
    public AdmissionResponse admit(AdmissionRequest a) {
        if (!empty(a.subresource()) || !empty(a.group()) || !"pods".equals(a.resource())) {
            return AdmissionResponse.allow();
        }
        if (a.operation() == Operation.CREATE || a.operation() == Operation.UPDATE) {
            return admitPod(a);
        }
        return AdmissionResponse.allow();
    }

    @Override
    public AdmissionResponse validate(AdmissionRequest a) {
        if (!empty(a.subresource()) || !"scheduling.k8s.io".equals(a.group()) || !"priorityclasses".equals(a.resource())) {
            return AdmissionResponse.allow();
        }
        if (a.operation() == Operation.CREATE || a.operation() == Operation.UPDATE) {
            return validatePriorityClass(a);
        }
        return AdmissionResponse.allow();
    }

    private AdmissionResponse admitPod(AdmissionRequest a) {
        ObjectNode pod = a.object();
        if (!isKind(pod, "Pod")) {
            return AdmissionResponse.deny(400, "BadRequest", "resource was marked with kind Pod but was unable to be converted");
        }
        ObjectNode spec = pod.withObjectProperty("spec");
        if (a.operation() == Operation.UPDATE) {
            ObjectNode oldPod = a.oldObject();
            if (!isKind(oldPod, "Pod")) {
                return AdmissionResponse.deny(400, "BadRequest",
                        "resource was marked with kind Pod but was unable to be converted");
            }
            // Creation set these; keep them on updates that leave them out (validation refuses changing them).
            JsonNode oldSpec = oldPod.path("spec");
            if (absent(spec.get("priority")) && !absent(oldSpec.get("priority"))) {
                spec.set("priority", oldSpec.get("priority").deepCopy());
            }
            if (absent(spec.get("preemptionPolicy")) && !absent(oldSpec.get("preemptionPolicy"))) {
                spec.set("preemptionPolicy", oldSpec.get("preemptionPolicy").deepCopy());
            }
            return AdmissionResponse.allow();
        }

        long priority;
        String preemptionPolicy;
        String className = spec.path("priorityClassName").asString("");
        if (className.isEmpty()) {
            Optional<ObjectNode> defaultClass = defaultClass();
            if (defaultClass.isPresent()) {
                spec.put("priorityClassName", defaultClass.get().path("metadata").path("name").asString(""));
                priority = defaultClass.get().path("value").asLong(0);
                preemptionPolicy = stringOrNull(defaultClass.get().get("preemptionPolicy"));
            } else {
                priority = 0;
                preemptionPolicy = PREEMPT_LOWER_PRIORITY;
            }
        } else {
            Optional<ObjectNode> pc = cluster.get(PRIORITY_CLASSES, "", className);
            if (pc.isPresent()) {
                priority = pc.get().path("value").asLong(0);
                preemptionPolicy = stringOrNull(pc.get().get("preemptionPolicy"));
            } else {
                // The built-in classes are created at start; until they are, their values are known anyway.
                Optional<SystemPriorityClass> system = SystemPriorityClass.named(className);
                if (system.isEmpty()) {
                    return forbidden(a, "no PriorityClass with name " + className + " was found");
                }
                priority = system.get().value();
                preemptionPolicy = PREEMPT_LOWER_PRIORITY;
            }
        }
        JsonNode given = spec.get("priority");
        if (!absent(given) && given.asLong() != priority) {
            return forbidden(a, "the integer value of priority (" + given.asLong() + ") must not be provided in pod spec; "
                    + "priority admission controller computed " + priority + " from the given PriorityClass name");
        }
        spec.put("priority", priority);
        if (preemptionPolicy != null) {
            String givenPolicy = stringOrNull(spec.get("preemptionPolicy"));
            if (givenPolicy != null && !givenPolicy.equals(preemptionPolicy)) {
                return forbidden(a, "the string value of PreemptionPolicy (" + givenPolicy + ") must not be provided in "
                        + "pod spec; priority admission controller computed " + preemptionPolicy
                        + " from the given PriorityClass name");
            }
            spec.put("preemptionPolicy", preemptionPolicy);
        }
        return AdmissionResponse.allow();
    }

    /**
     * The global default class; should a race have made several, the one with the lowest value, as
     * upstream.
     */
    private Optional<ObjectNode> defaultClass() {
        ObjectNode found = null;
        for (ObjectNode pc : cluster.list(PRIORITY_CLASSES, "")) {
            if (pc.path("globalDefault").asBoolean(false)
                    && (found == null || found.path("value").asLong(0) > pc.path("value").asLong(0))) {
                found = pc;
            }
        }
        return Optional.ofNullable(found);
    }

    private AdmissionResponse validatePriorityClass(AdmissionRequest a) {
        ObjectNode pc = a.object();
        if (!isKind(pc, "PriorityClass")) {
            return AdmissionResponse.deny(400, "BadRequest",
                    "resource was marked with kind PriorityClass but was unable to be converted");
        }
        String name = pc.path("metadata").path("name").asString(nz(a.name()));
        List<String> errors = fieldErrors(name, pc, a.operation() == Operation.UPDATE ? a.oldObject() : null);
        if (!errors.isEmpty()) {
            String detail = errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]";
            return AdmissionResponse.deny(422, "Invalid",
                    "PriorityClass.scheduling.k8s.io \"" + name + "\" is invalid: " + detail);
        }
        if (pc.path("globalDefault").asBoolean(false)) {
            Optional<ObjectNode> current = defaultClass();
            if (current.isPresent()) {
                String currentName = current.get().path("metadata").path("name").asString("");
                if (a.operation() == Operation.CREATE || !currentName.equals(name)) {
                    return forbidden(a, "PriorityClass " + currentName
                            + " is already marked as default. Only one default can exist");
                }
            }
        }
        return AdmissionResponse.allow();
    }

    /** Upstream's ValidatePriorityClass and ValidatePriorityClassUpdate field errors. */
    static List<String> fieldErrors(String name, ObjectNode pc, ObjectNode old) {
        List<String> errors = new ArrayList<>();
        long value = pc.path("value").asLong(0);
        boolean globalDefault = pc.path("globalDefault").asBoolean(false);
        if (name.startsWith(SystemPriorityClass.PREFIX)) {
            String problem = null;
            Optional<SystemPriorityClass> system = SystemPriorityClass.named(name);
            if (system.isEmpty()) {
                problem = name + " is not a known system priority class";
            } else if (system.get().value() != value) {
                problem = "value of " + name + " PriorityClass must be " + system.get().value();
            } else if (globalDefault) {
                problem = "globalDefault of " + name + " PriorityClass must be false";
            }
            if (problem != null) {
                errors.add("metadata.name: Forbidden: priority class names with '" + SystemPriorityClass.PREFIX
                        + "' prefix are reserved for system use only. error: " + problem);
            }
        } else if (value > SystemPriorityClass.HIGHEST_USER_DEFINABLE_PRIORITY) {
            errors.add("value: Forbidden: maximum allowed value of a user defined priority is "
                    + SystemPriorityClass.HIGHEST_USER_DEFINABLE_PRIORITY);
        }
        String policy = stringOrNull(pc.get("preemptionPolicy"));
        if (policy != null && !PREEMPTION_POLICIES.contains(policy)) {
            errors.add("preemptionPolicy: Unsupported value: \"" + policy + "\": supported values: \"Never\", "
                    + "\"PreemptLowerPriority\"");
        }
        if (old != null) {
            if (value != old.path("value").asLong(0)) {
                errors.add("value: Forbidden: may not be changed in an update.");
            }
            String oldPolicy = stringOrNull(old.get("preemptionPolicy"));
            if (!java.util.Objects.equals(policy, oldPolicy)) {
                errors.add("preemptionPolicy: Invalid value: " + (policy == null ? "\"null\"" : "\"" + policy + "\"")
                        + ": field is immutable");
            }
        }
        return errors;
    }

    /** A 403 as upstream's admission.NewForbidden. */
    private static AdmissionResponse forbidden(AdmissionRequest a, String message) {
        String resource = empty(a.group()) ? a.resource() : a.resource() + "." + a.group();
        String name = nz(a.name());
        if (name.isEmpty() && a.object() != null) {
            name = a.object().path("metadata").path("name").asString("");
            if (name.isEmpty()) {
                name = a.object().path("metadata").path("generateName").asString("");
            }
        }
        if (name.isEmpty()) {
            name = "Unknown";
        }
        return AdmissionResponse.deny(403, "Forbidden", resource + " \"" + name + "\" is forbidden: " + message);
    }

    private static boolean isKind(ObjectNode object, String kind) {
        return object != null && kind.equals(object.path("kind").asString(kind));
    }

    private static boolean absent(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode();
    }

    private static String stringOrNull(JsonNode n) {
        return n == null || !n.isString() ? null : n.asString();
    }

    private static boolean empty(String s) {
        return s == null || s.isEmpty();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
