package dev.okube.auth.rbac;

import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionRequest.Operation;
import dev.okube.api.admission.AdmissionResponse;
import dev.okube.api.admission.UserInfo;
import dev.okube.api.admission.ValidatingAdmission;
import dev.okube.api.authorization.AuthorizationRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's RBAC escalation check (pkg/registry/rbac/{role,clusterrole,rolebinding,
 * clusterrolebinding}/policybased and validation.ConfirmNoEscalation), as a validating admission
 * plugin: a user may write a Role or ClusterRole only with rules it holds itself (or with the
 * {@code escalate} verb on it), and a RoleBinding or ClusterRoleBinding only to a role whose rules it
 * holds (or with the {@code bind} verb on that role). Members of system:masters are exempt.
 */
@Component(service = ValidatingAdmission.class, property = "admission.name=RBACEscalationPrevention")
public final class EscalationPrevention implements ValidatingAdmission {
    static final String MASTERS = "system:masters";
    private static final List<PolicyRule> FULL_AUTHORITY = List.of(
            PolicyRule.resource(List.of("*"), List.of("*"), List.of("*"), List.of()),
            PolicyRule.nonResource(List.of("*"), List.of("*")));

    private final RbacPolicy policy;

    @Activate
    public EscalationPrevention(@Reference RbacPolicy policy) {
        this.policy = policy;
    }

    @Override
    public String name() {
        return "RBACEscalationPrevention";
    }

    @Override
    public AdmissionResponse validate(AdmissionRequest request) {
        if (!RbacPolicy.GROUP.equals(request.group()) || !nz(request.subresource()).isEmpty()
                || (request.operation() != Operation.CREATE && request.operation() != Operation.UPDATE)
                || request.object() == null) {
            return AdmissionResponse.allow();
        }
        UserInfo user = request.user();
        if (user.groups().contains(MASTERS)) {
            return AdmissionResponse.allow();
        }
        switch (request.resource()) {
            case "roles":
            case "clusterroles":
                return validateRole(request);
            case "rolebindings":
            case "clusterrolebindings":
                return validateBinding(request);
            default:
                return AdmissionResponse.allow();
        }
    }

    private AdmissionResponse validateRole(AdmissionRequest request) {
        boolean cluster = request.resource().equals("clusterroles");
        String namespace = cluster ? "" : nz(request.namespace());
        String name = nameOf(request);
        if (authorized(request.user(), "escalate", request.resource(), namespace, name)) {
            return AdmissionResponse.allow();
        }
        if (onlyGarbageCollectionFields(request)) {
            return AdmissionResponse.allow();
        }
        String refusal = escalation(request.user(), namespace, PolicyRule.rulesOf(request.object()));
        if (refusal != null) {
            return forbidden(request.resource(), name, refusal);
        }
        JsonNode aggregation = request.object().path("aggregationRule");
        boolean aggregationSet = cluster && !aggregation.isMissingNode() && !aggregation.isNull()
                && (request.oldObject() == null || !aggregation.equals(request.oldObject().path("aggregationRule")));
        if (aggregationSet && escalation(request.user(), "", FULL_AUTHORITY) != null) {
            return forbidden(request.resource(), name, "must have cluster-admin privileges to use the aggregationRule");
        }
        return AdmissionResponse.allow();
    }

    private AdmissionResponse validateBinding(AdmissionRequest request) {
        String namespace = request.resource().equals("clusterrolebindings") ? "" : nz(request.namespace());
        JsonNode ref = request.object().path("roleRef");
        String kind = ref.path("kind").asString("");
        String roleName = ref.path("name").asString("");
        String roleResource = kind.equals("ClusterRole") ? "clusterroles" : kind.equals("Role") ? "roles" : null;
        if (roleResource != null && authorized(request.user(), "bind", roleResource, namespace, roleName)) {
            return AdmissionResponse.allow();
        }
        if (onlyGarbageCollectionFields(request)) {
            return AdmissionResponse.allow();
        }
        List<PolicyRule> rules = roleResource == null ? null : policy.roleRules(kind, roleName, namespace);
        if (rules == null) {
            return AdmissionResponse.deny(404, "NotFound", RbacPolicy.notFound(kind, roleName));
        }
        String refusal = escalation(request.user(), namespace, rules);
        return refusal == null ? AdmissionResponse.allow() : forbidden(request.resource(), nameOf(request), refusal);
    }

    /** Upstream's ConfirmNoEscalation: null when the user holds every rule, else why not. */
    String escalation(UserInfo user, String namespace, List<PolicyRule> rules) {
        List<String> errors = new ArrayList<>();
        List<PolicyRule> owned = policy.rulesFor(user, namespace, errors);
        List<PolicyRule> missing = PolicyRule.uncovered(owned, rules);
        if (missing.isEmpty()) {
            return null;
        }
        TreeSet<String> descriptions = new TreeSet<>();
        for (PolicyRule rule : PolicyRule.compact(missing)) {
            descriptions.add(rule.compactString());
        }
        String msg = "user \"" + user.name() + "\" (groups=" + PolicyRule.quoted(user.groups())
                + ") is attempting to grant RBAC permissions not currently held:\n" + String.join("\n", descriptions);
        if (!errors.isEmpty()) {
            msg += "; resolution errors: [" + String.join(" ", errors) + "]";
        }
        return msg;
    }

    private boolean authorized(UserInfo user, String verb, String resource, String namespace, String name) {
        return policy.allowedBy(new AuthorizationRequest(user, verb, true, RbacPolicy.GROUP, "v1", resource, "",
                namespace, name, "")) != null;
    }

    /** Upstream's IsOnlyMutatingGCFields: an update that changes only ownerReferences or finalizers. */
    private static boolean onlyGarbageCollectionFields(AdmissionRequest request) {
        if (request.operation() != Operation.UPDATE || request.oldObject() == null) {
            return false;
        }
        ObjectNode copy = request.object().deepCopy();
        ObjectNode old = request.oldObject();
        ObjectNode meta = copy.withObjectProperty("metadata");
        JsonNode oldMeta = old.path("metadata");
        for (String field : List.of("ownerReferences", "finalizers", "selfLink", "managedFields", "resourceVersion",
                "generation", "creationTimestamp", "uid")) {
            meta.remove(field);
            if (oldMeta.has(field)) {
                meta.set(field, oldMeta.get(field));
            }
        }
        for (String field : List.of("apiVersion", "kind")) {
            copy.remove(field);
            if (old.has(field)) {
                copy.set(field, old.get(field));
            }
        }
        return copy.equals(old);
    }

    private static AdmissionResponse forbidden(String resource, String name, String why) {
        String qualified = resource + "." + RbacPolicy.GROUP;
        String message = name.isEmpty() ? qualified + " is forbidden: " + why
                : qualified + " \"" + name + "\" is forbidden: " + why;
        return AdmissionResponse.deny(403, "Forbidden", message);
    }

    private static String nameOf(AdmissionRequest request) {
        String name = nz(request.name());
        return name.isEmpty() ? RbacPolicy.name(request.object()) : name;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
