package dev.okube.admission.noderestriction;

import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionRequest.Operation;
import dev.okube.api.admission.AdmissionResponse;
import dev.okube.api.admission.MutatingAdmission;
import dev.okube.api.admission.UserInfo;
import dev.okube.api.admission.ValidatingAdmission;
import dev.okube.api.resources.ClusterResources;
import dev.okube.api.resources.PodReferences;
import dev.okube.api.resources.ResourceType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's NodeRestriction: a node (user {@code system:node:<name>} in group {@code system:nodes})
 * may change only its own Node object (not its taints, not labels outside the kubelet's set), the
 * status of pods bound to it, mirror pods bound to it, evictions of its pods, the status of claims,
 * tokens bound to its pods, and its own lease and CSINode. The Node authorizer and the static node
 * rules let nodes make these requests at all; this plugin narrows them to the node's own objects.
 *
 * <p>Upstream runs it in the mutating phase; here it also runs in the validating phase, so what a
 * later mutating plugin changed is checked as well. It changes nothing.
 */
@Component(service = {MutatingAdmission.class, ValidatingAdmission.class})
public final class NodeRestriction implements MutatingAdmission, ValidatingAdmission {
    static final String NODES_GROUP = "system:nodes";
    static final String NODE_USER_PREFIX = "system:node:";
    static final String MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror";
    static final String NODE_LEASE_NAMESPACE = "kube-node-lease";
    static final String NODE_RESTRICTION_LABEL_NAMESPACE = "node-restriction.kubernetes.io";

    /** Labels a kubelet may set on its own Node object, as upstream's kubelet well-known labels. */
    static final Set<String> KUBELET_LABELS = Set.of("kubernetes.io/hostname", "topology.kubernetes.io/zone",
            "topology.kubernetes.io/region", "failure-domain.beta.kubernetes.io/zone",
            "failure-domain.beta.kubernetes.io/region", "beta.kubernetes.io/instance-type",
            "node.kubernetes.io/instance-type", "kubernetes.io/os", "kubernetes.io/arch", "beta.kubernetes.io/os",
            "beta.kubernetes.io/arch");
    /** Label namespaces (and their subdomains) a kubelet may set. */
    static final List<String> KUBELET_LABEL_NAMESPACES = List.of("kubelet.kubernetes.io", "node.kubernetes.io");

    private static final ResourceType PODS = ResourceType.core("pods");
    private static final ResourceType NODES = ResourceType.core("nodes");

    private final ClusterResources cluster;

    @Activate
    public NodeRestriction(@Reference ClusterResources cluster) {
        this.cluster = cluster;
    }

    @Override
    public String name() {
        return "NodeRestriction";
    }

    @Override
    public AdmissionResponse admit(AdmissionRequest request) {
        return check(request);
    }

    @Override
    public AdmissionResponse validate(AdmissionRequest request) {
        return check(request);
    }

    /** The node's name when the user is a node, "" for a node without a name, null otherwise. */
    static String nodeIdentity(UserInfo user) {
        if (user == null || user.name() == null || !user.name().startsWith(NODE_USER_PREFIX)
                || !user.groups().contains(NODES_GROUP)) {
            return null;
        }
        return user.name().substring(NODE_USER_PREFIX.length());
    }

    AdmissionResponse check(AdmissionRequest a) {
        if (a.operation() == Operation.CONNECT) {
            return AdmissionResponse.allow();
        }
        String nodeName = nodeIdentity(a.user());
        if (nodeName == null) {
            return AdmissionResponse.allow();
        }
        if (nodeName.isEmpty()) {
            return forbidden(a, "could not determine node from user " + quote(a.user().name()));
        }
        String group = nz(a.group());
        String resource = a.resource();
        String subresource = nz(a.subresource());
        if (group.isEmpty()) {
            switch (resource) {
                case "pods":
                    switch (subresource) {
                        case "":
                            return admitPod(nodeName, a);
                        case "status":
                            return admitPodStatus(nodeName, a);
                        case "eviction":
                            return admitPodEviction(nodeName, a);
                        default:
                            return forbidden(a, "unexpected pod subresource " + quote(subresource)
                                    + ", only 'status' and 'eviction' are allowed");
                    }
                case "nodes":
                    return admitNode(nodeName, a);
                case "persistentvolumeclaims":
                    if (subresource.equals("status")) {
                        return admitPvcStatus(nodeName, a);
                    }
                    return forbidden(a, "may only update PVC status");
                case "serviceaccounts":
                    return admitServiceAccount(nodeName, a);
                default:
                    return AdmissionResponse.allow();
            }
        }
        if (group.equals("coordination.k8s.io") && resource.equals("leases")) {
            return admitLease(nodeName, a);
        }
        if (group.equals("storage.k8s.io") && resource.equals("csinodes")) {
            return admitCsiNode(nodeName, a);
        }
        return AdmissionResponse.allow();
    }

    // ---- pods

    private AdmissionResponse admitPod(String nodeName, AdmissionRequest a) {
        switch (a.operation()) {
            case CREATE:
                return admitPodCreate(nodeName, a);
            case DELETE: {
                Optional<ObjectNode> existing = existingPod(a, a.name());
                if (existing.isEmpty()) {
                    return notFound("pods", a.name());
                }
                if (!nodeName.equals(existing.get().path("spec").path("nodeName").asString(""))) {
                    return forbidden(a, "node " + quote(nodeName) + " can only delete pods with spec.nodeName set to itself");
                }
                return AdmissionResponse.allow();
            }
            default:
                return forbidden(a, "unexpected operation " + quote(a.operation().name()) + ", node " + quote(nodeName)
                        + " can only create and delete mirror pods");
        }
    }

    private AdmissionResponse admitPodCreate(String nodeName, AdmissionRequest a) {
        ObjectNode pod = a.object();
        if (!isKind(pod, "Pod")) {
            return forbidden(a, "unexpected type " + kindOf(pod));
        }
        if (!pod.path("metadata").path("annotations").has(MIRROR_POD_ANNOTATION)) {
            return forbidden(a, "pod does not have " + quote(MIRROR_POD_ANNOTATION) + " annotation, node "
                    + quote(nodeName) + " can only create mirror pods");
        }
        JsonNode spec = pod.path("spec");
        if (!nodeName.equals(spec.path("nodeName").asString(""))) {
            return forbidden(a, "node " + quote(nodeName) + " can only create pods with spec.nodeName set to itself");
        }
        JsonNode owners = pod.path("metadata").path("ownerReferences");
        if (owners.size() > 1) {
            return forbidden(a, "node " + quote(nodeName)
                    + " can only create pods with a single owner reference set to itself");
        }
        if (owners.size() == 0) {
            return forbidden(a, "node " + quote(nodeName) + " can only create pods with an owner reference set to itself");
        }
        JsonNode owner = owners.get(0);
        if (!"v1".equals(owner.path("apiVersion").asString("")) || !"Node".equals(owner.path("kind").asString(""))
                || !nodeName.equals(owner.path("name").asString(""))) {
            return forbidden(a, "node " + quote(nodeName) + " can only create pods with an owner reference set to itself");
        }
        if (!owner.path("controller").asBoolean(false)) {
            return forbidden(a, "node " + quote(nodeName)
                    + " can only create pods with a controller owner reference set to itself");
        }
        if (owner.path("blockOwnerDeletion").asBoolean(false)) {
            return forbidden(a, "node " + quote(nodeName) + " must not set blockOwnerDeletion on an owner reference");
        }
        Optional<ObjectNode> node = cluster.get(NODES, "", nodeName);
        if (node.isEmpty()) {
            return notFound("nodes", nodeName);
        }
        String ownerUid = owner.path("uid").asString("");
        String nodeUid = node.get().path("metadata").path("uid").asString("");
        if (!ownerUid.equals(nodeUid)) {
            return forbidden(a, "node " + nodeName + " UID mismatch: expected " + ownerUid + " got " + nodeUid);
        }
        if (!spec.path("serviceAccountName").asString("").isEmpty()) {
            return forbidden(a, "node " + quote(nodeName) + " can not create pods that reference a service account");
        }
        if (!PodReferences.secrets(pod).isEmpty()) {
            return forbidden(a, "node " + quote(nodeName) + " can not create pods that reference secrets");
        }
        if (!PodReferences.configMaps(pod).isEmpty()) {
            return forbidden(a, "node " + quote(nodeName) + " can not create pods that reference configmaps");
        }
        for (JsonNode volume : spec.path("volumes")) {
            for (JsonNode source : volume.path("projected").path("sources")) {
                if (source.has("clusterTrustBundle")) {
                    return forbidden(a, "node " + quote(nodeName)
                            + " can not create pods that reference clustertrustbundles");
                }
            }
        }
        for (JsonNode volume : spec.path("volumes")) {
            if (volume.path("persistentVolumeClaim").isObject()) {
                return forbidden(a, "node " + quote(nodeName)
                        + " can not create pods that reference persistentvolumeclaims");
            }
        }
        return AdmissionResponse.allow();
    }

    private AdmissionResponse admitPodStatus(String nodeName, AdmissionRequest a) {
        if (a.operation() != Operation.UPDATE) {
            return forbidden(a, "unexpected operation " + quote(a.operation().name()));
        }
        ObjectNode oldPod = a.oldObject();
        if (!isKind(oldPod, "Pod")) {
            return forbidden(a, "unexpected type " + kindOf(oldPod));
        }
        if (!nodeName.equals(oldPod.path("spec").path("nodeName").asString(""))) {
            return forbidden(a, "node " + quote(nodeName)
                    + " can only update pod status for pods with spec.nodeName set to itself");
        }
        ObjectNode newPod = a.object();
        if (!isKind(newPod, "Pod")) {
            return forbidden(a, "unexpected type " + kindOf(newPod));
        }
        if (!sameMap(oldPod.path("metadata").path("labels"), newPod.path("metadata").path("labels"))) {
            return forbidden(a, "node " + quote(nodeName) + " cannot update labels through pod status");
        }
        if (!sameClaimStatuses(oldPod.path("status").path("resourceClaimStatuses"),
                newPod.path("status").path("resourceClaimStatuses"))) {
            return forbidden(a, "node " + quote(nodeName) + " cannot update resource claim statues");
        }
        return AdmissionResponse.allow();
    }

    private static boolean sameClaimStatuses(JsonNode a, JsonNode b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).path("name").asString("").equals(b.get(i).path("name").asString(""))) {
                return false;
            }
            JsonNode claimA = a.get(i).path("resourceClaimName");
            JsonNode claimB = b.get(i).path("resourceClaimName");
            if (claimA.isString() != claimB.isString()
                    || claimA.isString() && !claimA.asString().equals(claimB.asString())) {
                return false;
            }
        }
        return true;
    }

    private AdmissionResponse admitPodEviction(String nodeName, AdmissionRequest a) {
        if (a.operation() != Operation.CREATE) {
            return forbidden(a, "unexpected operation " + a.operation().name());
        }
        ObjectNode eviction = a.object();
        if (eviction == null || !eviction.isObject()) {
            return forbidden(a, "unexpected type " + kindOf(eviction));
        }
        String podName = nz(a.name());
        if (podName.isEmpty()) {
            podName = eviction.path("metadata").path("name").asString("");
            if (podName.isEmpty()) {
                return forbidden(a, "could not determine pod from request data");
            }
        }
        Optional<ObjectNode> existing = cluster.get(PODS, nz(a.namespace()), podName);
        if (existing.isEmpty()) {
            return notFound("pods", podName);
        }
        if (!nodeName.equals(existing.get().path("spec").path("nodeName").asString(""))) {
            return forbidden(a, "node " + nodeName + " can only evict pods with spec.nodeName set to itself");
        }
        return AdmissionResponse.allow();
    }

    private Optional<ObjectNode> existingPod(AdmissionRequest a, String name) {
        if (a.oldObject() != null && isKind(a.oldObject(), "Pod")) {
            return Optional.of(a.oldObject());
        }
        return cluster.get(PODS, nz(a.namespace()), nz(name));
    }

    // ---- persistent volume claims

    private AdmissionResponse admitPvcStatus(String nodeName, AdmissionRequest a) {
        if (a.operation() != Operation.UPDATE) {
            return forbidden(a, "unexpected operation " + quote(a.operation().name()));
        }
        ObjectNode oldPvc = a.oldObject();
        if (!isKind(oldPvc, "PersistentVolumeClaim")) {
            return forbidden(a, "unexpected type " + kindOf(oldPvc));
        }
        ObjectNode newPvc = a.object();
        if (!isKind(newPvc, "PersistentVolumeClaim")) {
            return forbidden(a, "unexpected type " + kindOf(newPvc));
        }
        ObjectNode before = withoutNodeWritableFields(oldPvc);
        ObjectNode after = withoutNodeWritableFields(newPvc);
        List<String> changed = new ArrayList<>();
        diff("", before, after, changed);
        if (!changed.isEmpty()) {
            return forbidden(a, "node " + quote(nodeName)
                    + " is not allowed to update fields other than status.capacity and status.conditions: changed "
                    + String.join(", ", changed));
        }
        return AdmissionResponse.allow();
    }

    /** A copy without what a node may change (and what a client may leave out) in a claim's status update. */
    private static ObjectNode withoutNodeWritableFields(ObjectNode pvc) {
        ObjectNode copy = pvc.deepCopy();
        ObjectNode meta = copy.withObjectProperty("metadata");
        meta.remove("resourceVersion");
        meta.remove("managedFields");
        if (copy.path("status").isObject()) {
            ObjectNode status = (ObjectNode) copy.get("status");
            status.remove(List.of("capacity", "conditions", "allocatedResourceStatuses", "allocatedResources"));
        }
        copy.remove("apiVersion");
        return copy;
    }

    /** Collects the paths at which two trees differ; a missing member equals an empty map, list or string. */
    private static void diff(String path, JsonNode a, JsonNode b, List<String> out) {
        if (isEmptyValue(a) && isEmptyValue(b)) {
            return;
        }
        if (a.isObject() && b.isObject()) {
            Set<String> names = new TreeSet<>();
            a.propertyNames().forEach(names::add);
            b.propertyNames().forEach(names::add);
            for (String name : names) {
                diff(path.isEmpty() ? name : path + "." + name, a.path(name), b.path(name), out);
            }
            return;
        }
        if (!a.equals(b)) {
            out.add(path.isEmpty() ? "<object>" : path);
        }
    }

    private static boolean isEmptyValue(JsonNode n) {
        return n.isMissingNode() || n.isNull() || (n.isContainer() && n.size() == 0)
                || (n.isString() && n.asString().isEmpty());
    }

    // ---- nodes

    private AdmissionResponse admitNode(String nodeName, AdmissionRequest a) {
        String requestedName = nz(a.name());
        if (requestedName.isEmpty() && a.operation() == Operation.CREATE && a.object() != null) {
            requestedName = a.object().path("metadata").path("name").asString("");
        }
        if (!requestedName.equals(nodeName)) {
            return forbidden(a, "node " + quote(nodeName) + " is not allowed to modify node " + quote(requestedName));
        }
        if (a.operation() == Operation.CREATE) {
            ObjectNode node = a.object();
            if (!isKind(node, "Node")) {
                return forbidden(a, "unexpected type " + kindOf(node));
            }
            if (!isEmptyValue(node.path("spec").path("configSource"))) {
                return forbidden(a, "node " + quote(nodeName)
                        + " is not allowed to create pods with a non-nil configSource");
            }
            Set<String> forbiddenLabels = forbiddenLabels(modifiedLabels(node.path("metadata").path("labels"),
                    tools.jackson.databind.node.MissingNode.getInstance()));
            if (!forbiddenLabels.isEmpty()) {
                return forbidden(a, "node " + quote(nodeName) + " is not allowed to set the following labels: "
                        + String.join(", ", forbiddenLabels));
            }
        }
        if (a.operation() == Operation.UPDATE) {
            ObjectNode node = a.object();
            if (!isKind(node, "Node")) {
                return forbidden(a, "unexpected type " + kindOf(node));
            }
            ObjectNode oldNode = a.oldObject();
            if (!isKind(oldNode, "Node")) {
                return forbidden(a, "unexpected type " + kindOf(node));
            }
            JsonNode configSource = node.path("spec").path("configSource");
            if (!isEmptyValue(configSource) && !configSource.equals(oldNode.path("spec").path("configSource"))) {
                return forbidden(a, "node " + quote(nodeName)
                        + " is not allowed to update configSource to a new non-nil configSource");
            }
            List<String> taintChanges = new ArrayList<>();
            diff("taints", oldNode.path("spec").path("taints"), node.path("spec").path("taints"), taintChanges);
            if (!taintChanges.isEmpty()) {
                return forbidden(a, "node " + quote(nodeName) + " is not allowed to modify taints");
            }
            Set<String> forbiddenLabels = forbiddenLabels(modifiedLabels(node.path("metadata").path("labels"),
                    oldNode.path("metadata").path("labels")));
            if (!forbiddenLabels.isEmpty()) {
                return forbidden(a, "is not allowed to modify labels: " + String.join(", ", forbiddenLabels));
            }
        }
        return AdmissionResponse.allow();
    }

    /** Label keys added, removed or changed between two label maps. */
    static Set<String> modifiedLabels(JsonNode a, JsonNode b) {
        Set<String> modified = new TreeSet<>();
        for (Map.Entry<String, JsonNode> e : a.properties()) {
            if (!b.has(e.getKey()) || !b.get(e.getKey()).equals(e.getValue())) {
                modified.add(e.getKey());
            }
        }
        for (Map.Entry<String, JsonNode> e : b.properties()) {
            if (!a.has(e.getKey()) || !a.get(e.getKey()).equals(e.getValue())) {
                modified.add(e.getKey());
            }
        }
        return modified;
    }

    /** Of the modified labels, those a node may not set: node-restriction ones and unknown kubernetes ones. */
    static Set<String> forbiddenLabels(Set<String> modified) {
        Set<String> forbidden = new TreeSet<>();
        for (String label : modified) {
            String namespace = labelNamespace(label);
            if (namespace.equals(NODE_RESTRICTION_LABEL_NAMESPACE)
                    || namespace.endsWith("." + NODE_RESTRICTION_LABEL_NAMESPACE)) {
                forbidden.add(label);
            }
            if (isKubernetesLabel(label) && !isKubeletLabel(label)) {
                forbidden.add(label);
            }
        }
        return forbidden;
    }

    static boolean isKubernetesLabel(String key) {
        String namespace = labelNamespace(key);
        return namespace.equals("kubernetes.io") || namespace.endsWith(".kubernetes.io") || namespace.equals("k8s.io")
                || namespace.endsWith(".k8s.io");
    }

    static boolean isKubeletLabel(String key) {
        if (KUBELET_LABELS.contains(key)) {
            return true;
        }
        String namespace = labelNamespace(key);
        for (String allowed : KUBELET_LABEL_NAMESPACES) {
            if (namespace.equals(allowed) || namespace.endsWith("." + allowed)) {
                return true;
            }
        }
        return false;
    }

    private static String labelNamespace(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? "" : key.substring(0, slash);
    }

    // ---- service account tokens, leases, CSI nodes

    private AdmissionResponse admitServiceAccount(String nodeName, AdmissionRequest a) {
        if (a.operation() != Operation.CREATE || !"token".equals(a.subresource())) {
            return AdmissionResponse.allow();
        }
        ObjectNode tokenRequest = a.object();
        if (!isKind(tokenRequest, "TokenRequest")) {
            return forbidden(a, "unexpected type " + kindOf(tokenRequest));
        }
        JsonNode ref = tokenRequest.path("spec").path("boundObjectRef");
        if (!ref.isObject() || !"v1".equals(ref.path("apiVersion").asString(""))
                || !"Pod".equals(ref.path("kind").asString("")) || ref.path("name").asString("").isEmpty()) {
            return forbidden(a, "node requested token not bound to a pod");
        }
        String uid = ref.path("uid").asString("");
        if (uid.isEmpty()) {
            return forbidden(a, "node requested token with a pod binding without a uid");
        }
        String podName = ref.path("name").asString("");
        Optional<ObjectNode> pod = cluster.get(PODS, nz(a.namespace()), podName);
        if (pod.isEmpty()) {
            return notFound("pods", podName);
        }
        if (!uid.equals(pod.get().path("metadata").path("uid").asString(""))) {
            return forbidden(a, "the UID in the bound object reference (" + uid + ") does not match the UID in record. "
                    + "The object might have been deleted and then recreated");
        }
        if (!nodeName.equals(pod.get().path("spec").path("nodeName").asString(""))) {
            return forbidden(a, "node requested token bound to a pod scheduled on a different node");
        }
        return AdmissionResponse.allow();
    }

    private AdmissionResponse admitLease(String nodeName, AdmissionRequest a) {
        if (!NODE_LEASE_NAMESPACE.equals(a.namespace())) {
            return forbidden(a, "can only access leases in the " + quote(NODE_LEASE_NAMESPACE) + " system namespace");
        }
        return sameNameAsNode(nodeName, a, "can only access node lease with the same name as the requesting node");
    }

    private AdmissionResponse admitCsiNode(String nodeName, AdmissionRequest a) {
        return sameNameAsNode(nodeName, a, "can only access CSINode with the same name as the requesting node");
    }

    private AdmissionResponse sameNameAsNode(String nodeName, AdmissionRequest a, String message) {
        String name;
        if (a.operation() == Operation.CREATE) {
            // The name of an object being created is in the object.
            if (a.object() == null) {
                return forbidden(a, "unable to access the object name");
            }
            name = a.object().path("metadata").path("name").asString("");
        } else {
            name = nz(a.name());
        }
        return name.equals(nodeName) ? AdmissionResponse.allow() : forbidden(a, message);
    }

    // ---- answers

    /** A 403 as upstream's admission.NewForbidden: {@code <resource> "<name>" is forbidden: <message>}. */
    static AdmissionResponse forbidden(AdmissionRequest a, String message) {
        String resource = nz(a.group()).isEmpty() ? a.resource() : a.resource() + "." + a.group();
        String name = nz(a.name());
        if (name.isEmpty()) {
            name = "Unknown";
            if (a.object() != null) {
                String objectName = a.object().path("metadata").path("name").asString("");
                String generateName = a.object().path("metadata").path("generateName").asString("");
                if (!objectName.isEmpty()) {
                    name = objectName;
                } else if (!generateName.isEmpty()) {
                    name = generateName;
                }
            }
        }
        return AdmissionResponse.deny(403, "Forbidden", resource + " " + quote(name) + " is forbidden: " + message);
    }

    private static AdmissionResponse notFound(String resource, String name) {
        return AdmissionResponse.deny(404, "NotFound", resource + " " + quote(name) + " not found");
    }

    private static boolean isKind(ObjectNode object, String kind) {
        return object != null && kind.equals(object.path("kind").asString(kind));
    }

    private static String kindOf(ObjectNode object) {
        return object == null ? "<nil>" : object.path("kind").asString("<unknown>");
    }

    private static boolean sameMap(JsonNode a, JsonNode b) {
        return modifiedLabels(a, b).isEmpty();
    }

    /** Go's %q for the strings these messages carry. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (Iterator<Integer> it = s.codePoints().iterator(); it.hasNext();) {
            int c = it.next();
            if (c == '"' || c == '\\') {
                out.append('\\').appendCodePoint(c);
            } else if (c < 0x20) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.appendCodePoint(c);
            }
        }
        return out.append('"').toString();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
