package dev.okube.admission.noderestriction;

import static dev.okube.testkit.Admission.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionRequest.Operation;
import dev.okube.api.admission.AdmissionResponse;
import dev.okube.api.admission.UserInfo;
import dev.okube.api.resources.ResourceType;
import dev.okube.testkit.Admission;
import dev.okube.testkit.InMemoryClusterResources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class NodeRestrictionTest {
    private static final ResourceType PODS = ResourceType.core("pods");
    private static final ResourceType NODES = ResourceType.core("nodes");
    private static final UserInfo N1 = node("n1");

    private InMemoryClusterResources cluster;
    private NodeRestriction plugin;
    private String n1Uid;

    static UserInfo node(String name) {
        return new UserInfo("system:node:" + name, "", List.of("system:nodes", "system:authenticated"), Map.of());
    }

    @BeforeEach
    void setUp() {
        cluster = new InMemoryClusterResources().serve(PODS, NODES);
        n1Uid = cluster.put(NODES, json("{'kind':'Node','metadata':{'name':'n1','uid':'uid-n1'}}"))
                .path("metadata").path("uid").asString();
        cluster.put(PODS, json("{'kind':'Pod','metadata':{'namespace':'ns','name':'mine','uid':'uid-mine'},"
                + "'spec':{'nodeName':'n1','serviceAccountName':'sa'}}"));
        cluster.put(PODS, json("{'kind':'Pod','metadata':{'namespace':'ns','name':'theirs','uid':'uid-theirs'},"
                + "'spec':{'nodeName':'n2'}}"));
        plugin = new NodeRestriction(cluster);
    }

    private static AdmissionRequest request(Operation op, String group, String resource, String subresource,
            String namespace, String name, ObjectNode object, ObjectNode oldObject, UserInfo user) {
        return new AdmissionRequest(op, group, "v1", object == null ? "" : object.path("kind").asString(""), resource,
                subresource, namespace, name, object, oldObject, user, false);
    }

    /** Checks both phases answer alike, and returns the answer. */
    private AdmissionResponse check(AdmissionRequest request) {
        AdmissionResponse mutating = plugin.admit(request);
        AdmissionResponse validating = plugin.validate(request);
        assertEquals(mutating, validating);
        return mutating;
    }

    private static void allowed(AdmissionResponse response) {
        assertTrue(response.allowed(), response.message());
    }

    private static void forbidden(AdmissionResponse response, String message) {
        assertFalse(response.allowed());
        assertEquals(403, response.code());
        assertEquals("Forbidden", response.reason());
        assertEquals(message, response.message());
    }

    private ObjectNode mirrorPod(String spec) {
        return json("{'kind':'Pod','metadata':{'namespace':'ns','name':'static-n1',"
                + "'annotations':{'kubernetes.io/config.mirror':'hash'},"
                + "'ownerReferences':[{'apiVersion':'v1','kind':'Node','name':'n1','uid':'" + n1Uid
                + "','controller':true}]},'spec':" + spec + "}");
    }

    private AdmissionResponse createPod(ObjectNode pod, UserInfo user) {
        return check(request(Operation.CREATE, "", "pods", "", "ns", pod.path("metadata").path("name").asString(""),
                pod, null, user));
    }

    @Test
    void othersThanNodesAreNotRestricted() {
        allowed(createPod(json("{'kind':'Pod','metadata':{'namespace':'ns','name':'p'},'spec':{'nodeName':'n2'}}"),
                Admission.ADMIN));
        UserInfo notInGroup = new UserInfo("system:node:n1", "", List.of("system:authenticated"), Map.of());
        allowed(check(request(Operation.UPDATE, "", "nodes", "", "", "n2", json("{'kind':'Node','metadata':{'name':'n2'}}"),
                json("{'kind':'Node','metadata':{'name':'n2'}}"), notInGroup)));
        assertEquals("NodeRestriction", plugin.name());
    }

    @Test
    void aNodeWithoutANameIsRefused() {
        forbidden(check(request(Operation.UPDATE, "", "nodes", "", "", "n1", json("{'kind':'Node','metadata':{'name':'n1'}}"),
                json("{'kind':'Node','metadata':{'name':'n1'}}"), node(""))),
                "nodes \"n1\" is forbidden: could not determine node from user \"system:node:\"");
    }

    @Test
    void aNodeCreatesMirrorPodsBoundToItself() {
        allowed(createPod(mirrorPod("{'nodeName':'n1','containers':[{'name':'c','image':'i'}]}"), N1));
    }

    @Test
    void aNodeCreatesNothingButMirrorPods() {
        forbidden(createPod(json("{'kind':'Pod','metadata':{'namespace':'ns','name':'p'},'spec':{'nodeName':'n1'}}"), N1),
                "pods \"p\" is forbidden: pod does not have \"kubernetes.io/config.mirror\" annotation, node \"n1\" "
                        + "can only create mirror pods");
        forbidden(createPod(mirrorPod("{'nodeName':'n2'}"), N1),
                "pods \"static-n1\" is forbidden: node \"n1\" can only create pods with spec.nodeName set to itself");
    }

    @Test
    void mirrorPodsMustBeOwnedByTheirNode() {
        ObjectNode none = mirrorPod("{'nodeName':'n1'}");
        none.withObjectProperty("metadata").remove("ownerReferences");
        forbidden(createPod(none, N1),
                "pods \"static-n1\" is forbidden: node \"n1\" can only create pods with an owner reference set to itself");
        ObjectNode two = mirrorPod("{'nodeName':'n1'}");
        two.withObjectProperty("metadata").withArrayProperty("ownerReferences").addObject().put("kind", "Node");
        forbidden(createPod(two, N1), "pods \"static-n1\" is forbidden: node \"n1\" can only create pods with a single "
                + "owner reference set to itself");
        ObjectNode otherNode = mirrorPod("{'nodeName':'n1'}");
        ((ObjectNode) otherNode.path("metadata").path("ownerReferences").get(0)).put("name", "n2");
        forbidden(createPod(otherNode, N1),
                "pods \"static-n1\" is forbidden: node \"n1\" can only create pods with an owner reference set to itself");
        ObjectNode notController = mirrorPod("{'nodeName':'n1'}");
        ((ObjectNode) notController.path("metadata").path("ownerReferences").get(0)).remove("controller");
        forbidden(createPod(notController, N1), "pods \"static-n1\" is forbidden: node \"n1\" can only create pods "
                + "with a controller owner reference set to itself");
        ObjectNode blocking = mirrorPod("{'nodeName':'n1'}");
        ((ObjectNode) blocking.path("metadata").path("ownerReferences").get(0)).put("blockOwnerDeletion", true);
        forbidden(createPod(blocking, N1),
                "pods \"static-n1\" is forbidden: node \"n1\" must not set blockOwnerDeletion on an owner reference");
        ObjectNode wrongUid = mirrorPod("{'nodeName':'n1'}");
        ((ObjectNode) wrongUid.path("metadata").path("ownerReferences").get(0)).put("uid", "stale");
        forbidden(createPod(wrongUid, N1),
                "pods \"static-n1\" is forbidden: node n1 UID mismatch: expected stale got " + n1Uid);
    }

    @Test
    void aMirrorPodOfANodeThatDoesNotExistIsNotFound() {
        cluster.delete(NODES, "", "n1");
        AdmissionResponse response = createPod(mirrorPod("{'nodeName':'n1'}"), N1);
        assertEquals(404, response.code());
        assertEquals("NotFound", response.reason());
        assertEquals("nodes \"n1\" not found", response.message());
    }

    @Test
    void mirrorPodsReferenceNoOtherObjects() {
        forbidden(createPod(mirrorPod("{'nodeName':'n1','serviceAccountName':'sa'}"), N1),
                "pods \"static-n1\" is forbidden: node \"n1\" can not create pods that reference a service account");
        forbidden(createPod(mirrorPod("{'nodeName':'n1','imagePullSecrets':[{'name':'pull'}]}"), N1),
                "pods \"static-n1\" is forbidden: node \"n1\" can not create pods that reference secrets");
        forbidden(createPod(mirrorPod("{'nodeName':'n1','containers':[{'name':'c','env':[{'name':'A',"
                + "'valueFrom':{'secretKeyRef':{'name':'s','key':'k'}}}]}]}"), N1),
                "pods \"static-n1\" is forbidden: node \"n1\" can not create pods that reference secrets");
        forbidden(createPod(mirrorPod("{'nodeName':'n1','volumes':[{'name':'v','configMap':{'name':'c'}}]}"), N1),
                "pods \"static-n1\" is forbidden: node \"n1\" can not create pods that reference configmaps");
        forbidden(createPod(mirrorPod("{'nodeName':'n1','volumes':[{'name':'v','projected':{'sources':["
                + "{'clusterTrustBundle':{'name':'b','path':'p'}}]}}]}"), N1),
                "pods \"static-n1\" is forbidden: node \"n1\" can not create pods that reference clustertrustbundles");
        forbidden(createPod(mirrorPod("{'nodeName':'n1','volumes':[{'name':'v','persistentVolumeClaim':"
                + "{'claimName':'c'}}]}"), N1),
                "pods \"static-n1\" is forbidden: node \"n1\" can not create pods that reference persistentvolumeclaims");
        allowed(createPod(mirrorPod("{'nodeName':'n1','volumes':[{'name':'v','hostPath':{'path':'/etc'}},"
                + "{'name':'w','emptyDir':{}}]}"), N1));
    }

    @Test
    void aNodeDeletesOnlyPodsBoundToItself() {
        ObjectNode mine = cluster.get(PODS, "ns", "mine").orElseThrow();
        ObjectNode theirs = cluster.get(PODS, "ns", "theirs").orElseThrow();
        allowed(check(request(Operation.DELETE, "", "pods", "", "ns", "mine", null, mine, N1)));
        forbidden(check(request(Operation.DELETE, "", "pods", "", "ns", "theirs", null, theirs, N1)),
                "pods \"theirs\" is forbidden: node \"n1\" can only delete pods with spec.nodeName set to itself");
        // Without the old object, the stored pod decides.
        forbidden(check(request(Operation.DELETE, "", "pods", "", "ns", "theirs", null, null, N1)),
                "pods \"theirs\" is forbidden: node \"n1\" can only delete pods with spec.nodeName set to itself");
        AdmissionResponse missing = check(request(Operation.DELETE, "", "pods", "", "ns", "gone", null, null, N1));
        assertEquals(404, missing.code());
        assertEquals("pods \"gone\" not found", missing.message());
    }

    @Test
    void aNodeDoesNotUpdatePods() {
        ObjectNode mine = cluster.get(PODS, "ns", "mine").orElseThrow();
        forbidden(check(request(Operation.UPDATE, "", "pods", "", "ns", "mine", mine.deepCopy(), mine, N1)),
                "pods \"mine\" is forbidden: unexpected operation \"UPDATE\", node \"n1\" can only create and delete "
                        + "mirror pods");
    }

    @Test
    void aNodeUpdatesTheStatusOfItsPodsOnly() {
        ObjectNode mine = cluster.get(PODS, "ns", "mine").orElseThrow();
        ObjectNode updated = mine.deepCopy();
        updated.withObjectProperty("status").put("phase", "Running");
        allowed(check(request(Operation.UPDATE, "", "pods", "status", "ns", "mine", updated, mine, N1)));

        ObjectNode theirs = cluster.get(PODS, "ns", "theirs").orElseThrow();
        forbidden(check(request(Operation.UPDATE, "", "pods", "status", "ns", "theirs", theirs.deepCopy(), theirs, N1)),
                "pods \"theirs\" is forbidden: node \"n1\" can only update pod status for pods with spec.nodeName set "
                        + "to itself");

        ObjectNode relabelled = mine.deepCopy();
        relabelled.withObjectProperty("metadata").withObjectProperty("labels").put("app", "x");
        forbidden(check(request(Operation.UPDATE, "", "pods", "status", "ns", "mine", relabelled, mine, N1)),
                "pods \"mine\" is forbidden: node \"n1\" cannot update labels through pod status");

        ObjectNode claims = mine.deepCopy();
        claims.withObjectProperty("status").withArrayProperty("resourceClaimStatuses").addObject().put("name", "gpu")
                .put("resourceClaimName", "mine-gpu");
        forbidden(check(request(Operation.UPDATE, "", "pods", "status", "ns", "mine", claims, mine, N1)),
                "pods \"mine\" is forbidden: node \"n1\" cannot update resource claim statues");

        forbidden(check(request(Operation.CREATE, "", "pods", "status", "ns", "mine", mine.deepCopy(), null, N1)),
                "pods \"mine\" is forbidden: unexpected operation \"CREATE\"");
    }

    @Test
    void otherPodSubresourcesAreRefused() {
        forbidden(check(request(Operation.CREATE, "", "pods", "binding", "ns", "mine",
                json("{'kind':'Binding','metadata':{'name':'mine'},'target':{'name':'n1'}}"), null, N1)),
                "pods \"mine\" is forbidden: unexpected pod subresource \"binding\", only 'status' and 'eviction' are "
                        + "allowed");
    }

    @Test
    void aNodeEvictsOnlyItsPods() {
        ObjectNode eviction = json("{'apiVersion':'policy/v1','kind':'Eviction','metadata':{'namespace':'ns','name':'mine'}}");
        allowed(check(request(Operation.CREATE, "", "pods", "eviction", "ns", "mine", eviction, null, N1)));
        // The name from the URL wins over the body's.
        forbidden(check(request(Operation.CREATE, "", "pods", "eviction", "ns", "theirs", eviction, null, N1)),
                "pods \"theirs\" is forbidden: node n1 can only evict pods with spec.nodeName set to itself");
        allowed(check(request(Operation.CREATE, "", "pods", "eviction", "ns", "", eviction, null, N1)));
        ObjectNode anonymous = json("{'kind':'Eviction','metadata':{'namespace':'ns'}}");
        forbidden(check(request(Operation.CREATE, "", "pods", "eviction", "ns", "", anonymous, null, N1)),
                "pods \"Unknown\" is forbidden: could not determine pod from request data");
        AdmissionResponse missing = check(request(Operation.CREATE, "", "pods", "eviction", "ns", "gone", eviction, null, N1));
        assertEquals(404, missing.code());
    }

    private ObjectNode nodeObject(String name, String labels, String taints) {
        return json("{'apiVersion':'v1','kind':'Node','metadata':{'name':'" + name + "','labels':" + labels + "},"
                + "'spec':{'taints':" + taints + "}}");
    }

    private AdmissionResponse updateNode(ObjectNode node, ObjectNode old) {
        return check(request(Operation.UPDATE, "", "nodes", "", "", node.path("metadata").path("name").asString(), node,
                old, N1));
    }

    @Test
    void aNodeUpdatesOnlyItsOwnNode() {
        ObjectNode n1 = nodeObject("n1", "{}", "[]");
        allowed(updateNode(n1.deepCopy(), n1));
        ObjectNode n2 = nodeObject("n2", "{}", "[]");
        forbidden(updateNode(n2.deepCopy(), n2), "nodes \"n2\" is forbidden: node \"n1\" is not allowed to modify node \"n2\"");
        forbidden(check(request(Operation.UPDATE, "", "nodes", "status", "", "n2", n2.deepCopy(), n2, N1)),
                "nodes \"n2\" is forbidden: node \"n1\" is not allowed to modify node \"n2\"");
        allowed(check(request(Operation.UPDATE, "", "nodes", "status", "", "n1", n1.deepCopy(), n1, N1)));
        forbidden(check(request(Operation.DELETE, "", "nodes", "", "", "n2", null, n2, N1)),
                "nodes \"n2\" is forbidden: node \"n1\" is not allowed to modify node \"n2\"");
        allowed(check(request(Operation.DELETE, "", "nodes", "", "", "n1", null, n1, N1)));
    }

    @Test
    void aNodeRegistersItselfWithKubeletLabelsOnly() {
        ObjectNode fine = nodeObject("n1", "{'kubernetes.io/hostname':'n1','kubernetes.io/os':'linux',"
                + "'topology.kubernetes.io/zone':'z','node.kubernetes.io/instance-type':'big',"
                + "'example.com/rack':'r1','foo.kubelet.kubernetes.io/x':'y','node.kubernetes.io/exclude':'true'}", "[]");
        allowed(check(request(Operation.CREATE, "", "nodes", "", "", "", fine, null, N1)));
        ObjectNode other = nodeObject("n2", "{}", "[]");
        forbidden(check(request(Operation.CREATE, "", "nodes", "", "", "", other, null, N1)),
                "nodes \"n2\" is forbidden: node \"n1\" is not allowed to modify node \"n2\"");
        ObjectNode steering = nodeObject("n1", "{'node-role.kubernetes.io/control-plane':'','kubernetes.io/role':'x',"
                + "'node-restriction.kubernetes.io/trusted':'true','a.node-restriction.kubernetes.io/b':'c',"
                + "'k8s.io/x':'y'}", "[]");
        forbidden(check(request(Operation.CREATE, "", "nodes", "", "", "n1", steering, null, N1)),
                "nodes \"n1\" is forbidden: node \"n1\" is not allowed to set the following labels: "
                        + "a.node-restriction.kubernetes.io/b, k8s.io/x, kubernetes.io/role, "
                        + "node-restriction.kubernetes.io/trusted, node-role.kubernetes.io/control-plane");
        ObjectNode configured = nodeObject("n1", "{}", "[]");
        configured.withObjectProperty("spec").putObject("configSource").putObject("configMap").put("name", "c");
        forbidden(check(request(Operation.CREATE, "", "nodes", "", "", "n1", configured, null, N1)),
                "nodes \"n1\" is forbidden: node \"n1\" is not allowed to create pods with a non-nil configSource");
    }

    @Test
    void aNodeDoesNotChangeItsTaints() {
        ObjectNode old = nodeObject("n1", "{}", "[{'key':'node.kubernetes.io/not-ready','effect':'NoSchedule'}]");
        forbidden(updateNode(nodeObject("n1", "{}", "[]"), old),
                "nodes \"n1\" is forbidden: node \"n1\" is not allowed to modify taints");
        forbidden(updateNode(nodeObject("n1", "{}", "[{'key':'node.kubernetes.io/not-ready','effect':'NoExecute'}]"), old),
                "nodes \"n1\" is forbidden: node \"n1\" is not allowed to modify taints");
        // No taints and an empty list are the same.
        ObjectNode bare = json("{'kind':'Node','metadata':{'name':'n1'},'spec':{}}");
        allowed(updateNode(nodeObject("n1", "{}", "[]"), bare));
    }

    @Test
    void aNodeChangesOnlyKubeletLabels() {
        ObjectNode old = nodeObject("n1", "{'kubernetes.io/hostname':'n1','node-role.kubernetes.io/worker':''}", "[]");
        allowed(updateNode(nodeObject("n1", "{'kubernetes.io/hostname':'n1b','node-role.kubernetes.io/worker':'',"
                + "'team':'a','beta.kubernetes.io/arch':'amd64'}", "[]"), old));
        forbidden(updateNode(nodeObject("n1", "{'kubernetes.io/hostname':'n1'}", "[]"), old),
                "nodes \"n1\" is forbidden: is not allowed to modify labels: node-role.kubernetes.io/worker");
        forbidden(updateNode(nodeObject("n1", "{'kubernetes.io/hostname':'n1','node-role.kubernetes.io/worker':'',"
                + "'node-restriction.kubernetes.io/x':'y'}", "[]"), old),
                "nodes \"n1\" is forbidden: is not allowed to modify labels: node-restriction.kubernetes.io/x");
    }

    @Test
    void aNodeDoesNotSetANewConfigSource() {
        ObjectNode old = nodeObject("n1", "{}", "[]");
        ObjectNode configured = nodeObject("n1", "{}", "[]");
        configured.withObjectProperty("spec").putObject("configSource").putObject("configMap").put("name", "c");
        forbidden(updateNode(configured, old),
                "nodes \"n1\" is forbidden: node \"n1\" is not allowed to update configSource to a new non-nil "
                        + "configSource");
        allowed(updateNode(configured.deepCopy(), configured));
        // Dropping it (an old kubelet's status update) is allowed.
        allowed(updateNode(old.deepCopy(), configured));
    }

    @Test
    void kubeletLabelsAreUpstreams() {
        assertTrue(NodeRestriction.isKubeletLabel("kubernetes.io/hostname"));
        assertTrue(NodeRestriction.isKubeletLabel("failure-domain.beta.kubernetes.io/region"));
        assertTrue(NodeRestriction.isKubeletLabel("kubelet.kubernetes.io/anything"));
        assertTrue(NodeRestriction.isKubeletLabel("x.y.node.kubernetes.io/anything"));
        assertFalse(NodeRestriction.isKubeletLabel("kubernetes.io/role"));
        assertFalse(NodeRestriction.isKubeletLabel("node-role.kubernetes.io/master"));
        assertFalse(NodeRestriction.isKubeletLabel("xnode.kubernetes.io/a"));
        assertTrue(NodeRestriction.isKubernetesLabel("xnode.kubernetes.io/a"));
        assertFalse(NodeRestriction.isKubernetesLabel("kubernetes.io"));
        assertFalse(NodeRestriction.isKubernetesLabel("example.com/kubernetes.io"));
    }

    private ObjectNode pvc(String status) {
        return json("{'apiVersion':'v1','kind':'PersistentVolumeClaim','metadata':{'namespace':'ns','name':'c',"
                + "'resourceVersion':'5','labels':{'a':'b'}},'spec':{'resources':{'requests':{'storage':'1Gi'}}},"
                + "'status':" + status + "}");
    }

    @Test
    void aNodeUpdatesOnlyCapacityAndConditionsOfClaims() {
        ObjectNode old = pvc("{'phase':'Bound','capacity':{'storage':'1Gi'}}");
        ObjectNode resized = pvc("{'phase':'Bound','capacity':{'storage':'2Gi'},'conditions':[{'type':'Resizing','status':'True'}],"
                + "'allocatedResources':{'storage':'2Gi'}}");
        resized.withObjectProperty("metadata").remove("resourceVersion");
        allowed(check(request(Operation.UPDATE, "", "persistentvolumeclaims", "status", "ns", "c", resized, old, N1)));

        ObjectNode phase = pvc("{'phase':'Lost','capacity':{'storage':'1Gi'}}");
        forbidden(check(request(Operation.UPDATE, "", "persistentvolumeclaims", "status", "ns", "c", phase, old, N1)),
                "persistentvolumeclaims \"c\" is forbidden: node \"n1\" is not allowed to update fields other than "
                        + "status.capacity and status.conditions: changed status.phase");
        ObjectNode relabelled = pvc("{'phase':'Bound','capacity':{'storage':'1Gi'}}");
        relabelled.withObjectProperty("metadata").withObjectProperty("labels").put("a", "c");
        forbidden(check(request(Operation.UPDATE, "", "persistentvolumeclaims", "status", "ns", "c", relabelled, old, N1)),
                "persistentvolumeclaims \"c\" is forbidden: node \"n1\" is not allowed to update fields other than "
                        + "status.capacity and status.conditions: changed metadata.labels.a");
        forbidden(check(request(Operation.UPDATE, "", "persistentvolumeclaims", "", "ns", "c", old.deepCopy(), old, N1)),
                "persistentvolumeclaims \"c\" is forbidden: may only update PVC status");
        forbidden(check(request(Operation.CREATE, "", "persistentvolumeclaims", "", "ns", "c", old.deepCopy(), null, N1)),
                "persistentvolumeclaims \"c\" is forbidden: may only update PVC status");
    }

    private AdmissionResponse token(String boundObjectRef) {
        ObjectNode request = json("{'apiVersion':'authentication.k8s.io/v1','kind':'TokenRequest','spec':{'audiences':['a']"
                + (boundObjectRef == null ? "" : ",'boundObjectRef':" + boundObjectRef) + "}}");
        return check(request(Operation.CREATE, "", "serviceaccounts", "token", "ns", "sa", request, null, N1));
    }

    @Test
    void aNodeRequestsTokensBoundToItsPodsOnly() {
        allowed(token("{'apiVersion':'v1','kind':'Pod','name':'mine','uid':'uid-mine'}"));
        forbidden(token(null), "serviceaccounts \"sa\" is forbidden: node requested token not bound to a pod");
        forbidden(token("{'apiVersion':'v1','kind':'Secret','name':'mine','uid':'uid-mine'}"),
                "serviceaccounts \"sa\" is forbidden: node requested token not bound to a pod");
        forbidden(token("{'apiVersion':'v1','kind':'Pod','name':'mine'}"),
                "serviceaccounts \"sa\" is forbidden: node requested token with a pod binding without a uid");
        forbidden(token("{'apiVersion':'v1','kind':'Pod','name':'mine','uid':'old'}"),
                "serviceaccounts \"sa\" is forbidden: the UID in the bound object reference (old) does not match the "
                        + "UID in record. The object might have been deleted and then recreated");
        forbidden(token("{'apiVersion':'v1','kind':'Pod','name':'theirs','uid':'uid-theirs'}"),
                "serviceaccounts \"sa\" is forbidden: node requested token bound to a pod scheduled on a different node");
        assertEquals(404, token("{'apiVersion':'v1','kind':'Pod','name':'gone','uid':'u'}").code());
        // Other service account requests are not the plugin's business.
        allowed(check(request(Operation.UPDATE, "", "serviceaccounts", "", "ns", "sa",
                json("{'kind':'ServiceAccount','metadata':{'name':'sa'}}"), json("{'kind':'ServiceAccount'}"), N1)));
    }

    private AdmissionResponse lease(Operation op, String namespace, String name, String objectName) {
        ObjectNode lease = objectName == null ? null
                : json("{'apiVersion':'coordination.k8s.io/v1','kind':'Lease','metadata':{'namespace':'" + namespace
                        + "','name':'" + objectName + "'}}");
        return check(request(op, "coordination.k8s.io", "leases", "", namespace, name, lease, null, N1));
    }

    @Test
    void aNodeUsesOnlyItsOwnLease() {
        allowed(lease(Operation.CREATE, "kube-node-lease", "", "n1"));
        allowed(lease(Operation.UPDATE, "kube-node-lease", "n1", "n1"));
        allowed(lease(Operation.DELETE, "kube-node-lease", "n1", null));
        forbidden(lease(Operation.CREATE, "kube-node-lease", "", "n2"), "leases.coordination.k8s.io \"n2\" is forbidden: "
                + "can only access node lease with the same name as the requesting node");
        forbidden(lease(Operation.UPDATE, "kube-node-lease", "n2", "n2"), "leases.coordination.k8s.io \"n2\" is forbidden: "
                + "can only access node lease with the same name as the requesting node");
        forbidden(lease(Operation.UPDATE, "default", "n1", "n1"), "leases.coordination.k8s.io \"n1\" is forbidden: "
                + "can only access leases in the \"kube-node-lease\" system namespace");
    }

    @Test
    void aNodeUsesOnlyItsOwnCsiNode() {
        ObjectNode csiNode = json("{'apiVersion':'storage.k8s.io/v1','kind':'CSINode','metadata':{'name':'n1'}}");
        allowed(check(request(Operation.CREATE, "storage.k8s.io", "csinodes", "", "", "", csiNode, null, N1)));
        ObjectNode other = json("{'apiVersion':'storage.k8s.io/v1','kind':'CSINode','metadata':{'name':'n2'}}");
        forbidden(check(request(Operation.CREATE, "storage.k8s.io", "csinodes", "", "", "", other, null, N1)),
                "csinodes.storage.k8s.io \"n2\" is forbidden: can only access CSINode with the same name as the "
                        + "requesting node");
        forbidden(check(request(Operation.DELETE, "storage.k8s.io", "csinodes", "", "", "n2", null, other, N1)),
                "csinodes.storage.k8s.io \"n2\" is forbidden: can only access CSINode with the same name as the "
                        + "requesting node");
    }

    @Test
    void otherResourcesAndConnectAreNotRestricted() {
        allowed(check(request(Operation.CREATE, "", "events", "", "ns", "e",
                json("{'kind':'Event','metadata':{'name':'e'}}"), null, N1)));
        allowed(check(request(Operation.CONNECT, "", "pods", "exec", "ns", "theirs", null, null, N1)));
        allowed(check(request(Operation.CREATE, "apps", "deployments", "", "ns", "d",
                json("{'kind':'Deployment','metadata':{'name':'d'}}"), null, N1)));
    }

    @Test
    void goQuoting() {
        assertEquals("\"a\\\"b\\\\c\"", NodeRestriction.quote("a\"b\\c"));
    }
}
