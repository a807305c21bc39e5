package dev.okube.auth.node;

import static dev.okube.testkit.Admission.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.admission.UserInfo;
import dev.okube.api.authorization.AuthorizationRequest;
import dev.okube.api.authorization.Authorizer.Decision;
import dev.okube.api.authorization.Authorizer.Verdict;
import dev.okube.api.authorization.RuleSet;
import dev.okube.api.resources.ResourceType;
import dev.okube.testkit.InMemoryClusterResources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class NodeAuthorizerTest {
    private static final ResourceType PODS = ResourceType.core("pods");
    private static final ResourceType PVS = ResourceType.core("persistentvolumes");
    private static final ResourceType VAS = ResourceType.of("storage.k8s.io", "volumeattachments");
    private static final UserInfo N1 = node("n1");
    private static final UserInfo N2 = node("n2");

    private InMemoryClusterResources cluster;
    private NodeAuthorizer authorizer;

    static UserInfo node(String name) {
        return new UserInfo("system:node:" + name, "", List.of("system:nodes", "system:authenticated"), Map.of());
    }

    @BeforeEach
    void setUp() {
        cluster = new InMemoryClusterResources().serve(PODS, PVS, VAS);
        authorizer = new NodeAuthorizer(cluster, true);
    }

    @AfterEach
    void tearDown() {
        authorizer.deactivate();
    }

    private static AuthorizationRequest req(UserInfo user, String verb, String group, String resource,
            String subresource, String namespace, String name) {
        return new AuthorizationRequest(user, verb, true, group, "v1", resource, subresource, namespace, name, "");
    }

    private Verdict core(UserInfo user, String verb, String resource, String namespace, String name) {
        return authorizer.authorize(req(user, verb, "", resource, "", namespace, name));
    }

    private static void allowed(Verdict verdict) {
        assertEquals(Decision.ALLOW, verdict.decision(), verdict.reason());
    }

    private static void noOpinion(Verdict verdict, String reason) {
        assertEquals(Decision.NO_OPINION, verdict.decision());
        assertEquals(reason, verdict.reason());
    }

    private static void noRelation(Verdict verdict, String node) {
        noOpinion(verdict, "no relationship found between node '" + node + "' and this object");
    }

    private void pod(String namespace, String name, String node, String spec) {
        ObjectNode pod = json("{'metadata':{'namespace':'" + namespace + "','name':'" + name + "'},'spec':" + spec + "}");
        if (node != null) {
            pod.withObjectProperty("spec").put("nodeName", node);
        }
        cluster.put(PODS, pod);
    }

    @Test
    void requestsOfOthersThanNodesGetNoOpinion() {
        pod("ns", "p", "n1", "{'volumes':[{'name':'v','secret':{'secretName':'s'}}]}");
        UserInfo admin = new UserInfo("admin", "", List.of("system:masters"), Map.of());
        noOpinion(core(admin, "get", "secrets", "ns", "s"), "");
        UserInfo nameOnly = new UserInfo("system:node:n1", "", List.of("system:authenticated"), Map.of());
        noOpinion(core(nameOnly, "get", "secrets", "ns", "s"), "");
        UserInfo groupOnly = new UserInfo("kubelet-n1", "", List.of("system:nodes"), Map.of());
        noOpinion(core(groupOnly, "get", "secrets", "ns", "s"), "");
        noOpinion(core(admin, "list", "services", "", ""), "");
    }

    @Test
    void aNodeWithoutANameGetsNoOpinion() {
        noOpinion(core(node(""), "list", "services", "", ""), "unknown node for user \"system:node:\"");
    }

    @Test
    void secretOfAPodOnTheNodeIsReadableByThatNodeOnly() {
        pod("ns", "p", "n1", "{'volumes':[{'name':'v','secret':{'secretName':'s'}}]}");
        allowed(core(N1, "get", "secrets", "ns", "s"));
        allowed(core(N1, "list", "secrets", "ns", "s"));
        allowed(core(N1, "watch", "secrets", "ns", "s"));
        noRelation(core(N2, "get", "secrets", "ns", "s"), "n2");
        noRelation(core(N1, "get", "secrets", "ns", "other"), "n1");
        noRelation(core(N1, "get", "secrets", "other-ns", "s"), "n1");
    }

    @Test
    void everyWayAPodNamesASecretCounts() {
        pod("ns", "p", "n1", "{'imagePullSecrets':[{'name':'pull'}],"
                + "'initContainers':[{'name':'i','env':[{'name':'A','valueFrom':{'secretKeyRef':{'name':'init-env','key':'k'}}}]}],"
                + "'containers':[{'name':'c','envFrom':[{'secretRef':{'name':'env-from'}}],"
                + "'env':[{'name':'B','valueFrom':{'secretKeyRef':{'name':'env','key':'k'}}}]}],"
                + "'ephemeralContainers':[{'name':'e','envFrom':[{'secretRef':{'name':'ephemeral'}}]}],"
                + "'volumes':[{'name':'a','projected':{'sources':[{'secret':{'name':'projected'}}]}},"
                + "{'name':'b','csi':{'driver':'d','nodePublishSecretRef':{'name':'csi'}}},"
                + "{'name':'c','azureFile':{'secretName':'azure','shareName':'x'}},"
                + "{'name':'d','cephfs':{'monitors':['m'],'secretRef':{'name':'ceph'}}},"
                + "{'name':'e','rbd':{'monitors':['m'],'image':'i','secretRef':{'name':'rbd'}}},"
                + "{'name':'f','iscsi':{'targetPortal':'t','iqn':'q','lun':0,'secretRef':{'name':'iscsi'}}},"
                + "{'name':'g','flexVolume':{'driver':'d','secretRef':{'name':'flex'}}}]}");
        for (String secret : List.of("pull", "init-env", "env-from", "env", "ephemeral", "projected", "csi", "azure",
                "ceph", "rbd", "iscsi", "flex")) {
            allowed(core(N1, "get", "secrets", "ns", secret));
            noRelation(core(N2, "get", "secrets", "ns", secret), "n2");
        }
    }

    @Test
    void configMapsOfThePodsAreReadable() {
        pod("ns", "p", "n1", "{'containers':[{'name':'c','envFrom':[{'configMapRef':{'name':'from'}}],"
                + "'env':[{'name':'A','valueFrom':{'configMapKeyRef':{'name':'key','key':'k'}}}]}],"
                + "'volumes':[{'name':'v','configMap':{'name':'vol'}},"
                + "{'name':'p','projected':{'sources':[{'configMap':{'name':'proj'}}]}}]}");
        for (String name : List.of("from", "key", "vol", "proj")) {
            allowed(core(N1, "get", "configmaps", "ns", name));
            noRelation(core(N2, "get", "configmaps", "ns", name), "n2");
        }
        // A secret of the same name is another object.
        noRelation(core(N1, "get", "secrets", "ns", "vol"), "n1");
    }

    @Test
    void readsOfSecretsAreOnlyNamedNamespacedReads() {
        pod("ns", "p", "n1", "{'volumes':[{'name':'v','secret':{'secretName':'s'}}]}");
        noOpinion(core(N1, "update", "secrets", "ns", "s"), "can only read resources of this type");
        noOpinion(core(N1, "delete", "configmaps", "ns", "s"), "can only read resources of this type");
        noOpinion(authorizer.authorize(req(N1, "get", "", "secrets", "status", "ns", "s")), "cannot read subresource");
        noOpinion(core(N1, "list", "secrets", "", ""), "can only read namespaced object of this type");
        noOpinion(core(N1, "list", "secrets", "ns", ""), "No Object name found");
    }

    @Test
    void claimsVolumesAndTheVolumesSecretsFollowThePods() {
        pod("ns", "p", "n1", "{'volumes':[{'name':'data','persistentVolumeClaim':{'claimName':'claim'}}]}");
        cluster.put(PVS, json("{'metadata':{'name':'pv1'},'spec':{'claimRef':{'namespace':'ns','name':'claim'},"
                + "'csi':{'driver':'d','volumeHandle':'h','nodeStageSecretRef':{'namespace':'secrets','name':'stage'}},"
                + "'cephfs':{'monitors':['m'],'secretRef':{'name':'ceph'}}}}"));
        cluster.put(PVS, json("{'metadata':{'name':'pv2'},'spec':{'claimRef':{'namespace':'ns','name':'other'}}}"));
        allowed(core(N1, "get", "persistentvolumeclaims", "ns", "claim"));
        allowed(core(N1, "get", "persistentvolumes", "", "pv1"));
        allowed(core(N1, "get", "secrets", "secrets", "stage"));
        allowed(core(N1, "get", "secrets", "ns", "ceph"));
        noRelation(core(N2, "get", "persistentvolumeclaims", "ns", "claim"), "n2");
        noRelation(core(N2, "get", "persistentvolumes", "", "pv1"), "n2");
        noRelation(core(N2, "get", "secrets", "secrets", "stage"), "n2");
        noRelation(core(N1, "get", "persistentvolumes", "", "pv2"), "n1");
        noOpinion(core(N1, "list", "persistentvolumes", "", ""), "can only get individual resources of this type");
        noOpinion(core(N1, "get", "persistentvolumeclaims", "ns", ""), "No Object name found");
        noOpinion(authorizer.authorize(req(N1, "get", "", "persistentvolumes", "status", "", "pv1")),
                "cannot get subresource");

        cluster.delete(PVS, "", "pv1");
        noRelation(core(N1, "get", "persistentvolumes", "", "pv1"), "n1");
        noRelation(core(N1, "get", "secrets", "secrets", "stage"), "n1");
    }

    @Test
    void claimStatusMayBeUpdatedByTheNodeUsingIt() {
        pod("ns", "p", "n1", "{'volumes':[{'name':'data','persistentVolumeClaim':{'claimName':'claim'}}]}");
        allowed(authorizer.authorize(req(N1, "update", "", "persistentvolumeclaims", "status", "ns", "claim")));
        allowed(authorizer.authorize(req(N1, "patch", "", "persistentvolumeclaims", "status", "ns", "claim")));
        noRelation(authorizer.authorize(req(N2, "patch", "", "persistentvolumeclaims", "status", "ns", "claim")), "n2");
        noOpinion(authorizer.authorize(req(N1, "get", "", "persistentvolumeclaims", "status", "ns", "claim")),
                "can only get/update/patch this type");
    }

    @Test
    void genericEphemeralVolumesNameTheirClaimAfterPodAndVolume() {
        pod("ns", "web", "n1", "{'volumes':[{'name':'scratch','ephemeral':{'volumeClaimTemplate':{'spec':{}}}}]}");
        allowed(core(N1, "get", "persistentvolumeclaims", "ns", "web-scratch"));
        noRelation(core(N1, "get", "persistentvolumeclaims", "ns", "scratch"), "n1");
    }

    @Test
    void tokensMayBeCreatedForServiceAccountsOfThePods() {
        pod("ns", "p", "n1", "{'serviceAccountName':'builder'}");
        allowed(authorizer.authorize(req(N1, "create", "", "serviceaccounts", "token", "ns", "builder")));
        noRelation(authorizer.authorize(req(N2, "create", "", "serviceaccounts", "token", "ns", "builder")), "n2");
        noRelation(authorizer.authorize(req(N1, "create", "", "serviceaccounts", "token", "ns", "default")), "n1");
        noOpinion(core(N1, "get", "serviceaccounts", "ns", "builder"),
                "can only create tokens for individual service accounts");
        noOpinion(authorizer.authorize(req(N1, "create", "", "serviceaccounts", "token", "ns", "")),
                "can only create tokens for individual service accounts");
        noOpinion(core(N1, "create", "serviceaccounts", "ns", "builder"),
                "can only create token subresource of serviceaccount");
    }

    @Test
    void leasesOnlyTheNodesOwnInKubeNodeLease() {
        for (String verb : List.of("get", "update", "patch", "delete")) {
            allowed(authorizer.authorize(req(N1, verb, "coordination.k8s.io", "leases", "", "kube-node-lease", "n1")));
            noOpinion(authorizer.authorize(req(N1, verb, "coordination.k8s.io", "leases", "", "kube-node-lease", "n2")),
                    "can only access node lease with the same name as the requesting node");
        }
        // The name of a lease being created is checked by NodeRestriction.
        allowed(authorizer.authorize(req(N1, "create", "coordination.k8s.io", "leases", "", "kube-node-lease", "")));
        noOpinion(authorizer.authorize(req(N1, "get", "coordination.k8s.io", "leases", "", "default", "n1")),
                "can only access leases in the \"kube-node-lease\" system namespace");
        noOpinion(authorizer.authorize(req(N1, "list", "coordination.k8s.io", "leases", "", "kube-node-lease", "")),
                "can only get, create, update, patch, or delete a node lease");
    }

    @Test
    void csiNodesOnlyTheNodesOwn() {
        allowed(authorizer.authorize(req(N1, "get", "storage.k8s.io", "csinodes", "", "", "n1")));
        allowed(authorizer.authorize(req(N1, "create", "storage.k8s.io", "csinodes", "", "", "")));
        noOpinion(authorizer.authorize(req(N1, "update", "storage.k8s.io", "csinodes", "", "", "n2")),
                "can only access CSINode with the same name as the requesting node");
        noOpinion(authorizer.authorize(req(N1, "watch", "storage.k8s.io", "csinodes", "", "", "n1")),
                "can only get, create, update, patch, or delete a CSINode");
        noOpinion(authorizer.authorize(req(N1, "get", "storage.k8s.io", "csinodes", "status", "", "n1")),
                "cannot authorize CSINode subresources");
    }

    @Test
    void aNodeReadsItsOwnNodeObjectOnly() {
        allowed(core(N1, "get", "nodes", "", "n1"));
        allowed(core(N1, "watch", "nodes", "", "n1"));
        noOpinion(core(N1, "get", "nodes", "", "n2"), "node 'n1' cannot read 'n2', only its own Node object");
        noOpinion(core(N1, "list", "nodes", "", ""), "node 'n1' cannot read all nodes, only its own Node object");
        // Writes are narrowed by NodeRestriction.
        allowed(core(N1, "create", "nodes", "", "n1"));
        allowed(core(N1, "update", "nodes", "", "n2"));
        allowed(authorizer.authorize(req(N1, "patch", "", "nodes", "status", "", "n1")));
        noOpinion(core(N1, "delete", "nodes", "", "n1"), "");
        noOpinion(authorizer.authorize(req(N1, "get", "", "nodes", "proxy", "", "n1")), "");
    }

    @Test
    void withoutSelectorsNodeReadsFollowTheStaticRules() {
        NodeAuthorizer broad = new NodeAuthorizer(cluster, false);
        try {
            allowed(broad.authorize(req(N1, "get", "", "nodes", "", "", "n2")));
            allowed(broad.authorize(req(N1, "list", "", "nodes", "", "", "")));
            allowed(broad.authorize(req(N1, "get", "", "pods", "", "ns", "anything")));
            noOpinion(broad.authorize(req(N1, "delete", "", "nodes", "", "", "n1")), "");
        } finally {
            broad.deactivate();
        }
    }

    @Test
    void podsBoundToTheNodeAreReadable() {
        pod("ns", "mine", "n1", "{}");
        pod("ns", "theirs", "n2", "{}");
        pod("ns", "pending", null, "{}");
        allowed(core(N1, "get", "pods", "ns", "mine"));
        allowed(core(N1, "watch", "pods", "ns", "mine"));
        noRelation(core(N1, "get", "pods", "ns", "theirs"), "n1");
        noRelation(core(N1, "get", "pods", "ns", "pending"), "n1");
        // Collections: the field selector is not known here, so the static rules decide.
        allowed(core(N1, "list", "pods", "", ""));
        allowed(core(N1, "watch", "pods", "ns", ""));
        // Mirror pods, status and evictions are narrowed by NodeRestriction.
        allowed(core(N1, "create", "pods", "ns", ""));
        allowed(core(N1, "delete", "pods", "ns", "theirs"));
        allowed(authorizer.authorize(req(N1, "update", "", "pods", "status", "ns", "mine")));
        allowed(authorizer.authorize(req(N1, "create", "", "pods", "eviction", "ns", "mine")));
        noOpinion(core(N1, "update", "pods", "ns", "mine"), "");
        noOpinion(authorizer.authorize(req(N1, "create", "", "pods", "exec", "ns", "mine")), "");
        noOpinion(authorizer.authorize(req(N1, "get", "", "pods", "log", "ns", "mine")), "");
    }

    @Test
    void staticRulesCoverWhatTheGraphDoesNotSubdivide() {
        allowed(core(N1, "list", "services", "", ""));
        allowed(core(N1, "watch", "services", "ns", ""));
        allowed(core(N1, "get", "endpoints", "ns", "svc"));
        allowed(core(N1, "create", "events", "ns", ""));
        allowed(core(N1, "patch", "events", "ns", "e"));
        allowed(authorizer.authorize(req(N1, "create", "authentication.k8s.io", "tokenreviews", "", "", "")));
        allowed(authorizer.authorize(req(N1, "create", "authorization.k8s.io", "subjectaccessreviews", "", "", "")));
        allowed(authorizer.authorize(req(N1, "create", "certificates.k8s.io", "certificatesigningrequests", "", "", "")));
        allowed(authorizer.authorize(req(N1, "list", "node.k8s.io", "runtimeclasses", "", "", "")));
        allowed(authorizer.authorize(req(N1, "watch", "storage.k8s.io", "csidrivers", "", "", "")));
        noOpinion(core(N1, "delete", "services", "ns", "svc"), "");
        noOpinion(core(N1, "list", "endpoints", "ns", ""), "");
        noOpinion(authorizer.authorize(req(N1, "list", "apps", "deployments", "", "", "")), "");
        noOpinion(core(N1, "get", "namespaces", "", "ns"), "");
        noOpinion(authorizer.authorize(new AuthorizationRequest(N1, "get", false, "", "", "", "", "", "", "/healthz")),
                "");
    }

    @Test
    void theGraphFollowsPodChanges() {
        pod("ns", "p", "n1", "{'volumes':[{'name':'v','secret':{'secretName':'s'}}]}");
        pod("ns", "q", "n1", "{'volumes':[{'name':'v','secret':{'secretName':'s'}}]}");
        allowed(core(N1, "get", "secrets", "ns", "s"));
        cluster.delete(PODS, "ns", "p");
        allowed(core(N1, "get", "secrets", "ns", "s"));
        // Rebinding the other pod moves what it references to the other node.
        pod("ns", "q", "n2", "{'volumes':[{'name':'v','secret':{'secretName':'s'}}]}");
        noRelation(core(N1, "get", "secrets", "ns", "s"), "n1");
        allowed(core(N2, "get", "secrets", "ns", "s"));
        // A pod that no longer references the secret.
        pod("ns", "q", "n2", "{'volumes':[{'name':'v','configMap':{'name':'c'}}]}");
        noRelation(core(N2, "get", "secrets", "ns", "s"), "n2");
        allowed(core(N2, "get", "configmaps", "ns", "c"));
        cluster.delete(PODS, "ns", "q");
        noRelation(core(N2, "get", "configmaps", "ns", "c"), "n2");
        assertEquals(0, authorizer.graph().podCount());
    }

    @Test
    void podsThatExistedBeforeTheAuthorizerStartedAreKnown() {
        pod("ns", "early", "n1", "{'volumes':[{'name':'v','secret':{'secretName':'s'}}]}");
        NodeAuthorizer late = new NodeAuthorizer(cluster, true);
        try {
            allowed(late.authorize(req(N1, "get", "", "secrets", "", "ns", "s")));
        } finally {
            late.deactivate();
        }
    }

    @Test
    void afterDeactivationTheGraphNoLongerChanges() {
        authorizer.deactivate();
        pod("ns", "p", "n1", "{'volumes':[{'name':'v','secret':{'secretName':'s'}}]}");
        noRelation(core(N1, "get", "secrets", "ns", "s"), "n1");
    }

    @Test
    void resourceClaimsNamedDirectlyOrGeneratedFromATemplate() {
        cluster.put(PODS, json("{'metadata':{'namespace':'ns','name':'p'},'spec':{'nodeName':'n1','resourceClaims':["
                + "{'name':'gpu','resourceClaimName':'shared-gpu'},{'name':'tmpl','resourceClaimTemplateName':'t'},"
                + "{'name':'pending','resourceClaimTemplateName':'t'}]},"
                + "'status':{'resourceClaimStatuses':[{'name':'tmpl','resourceClaimName':'p-tmpl-abcde'}]}}"));
        allowed(authorizer.authorize(req(N1, "get", "resource.k8s.io", "resourceclaims", "", "ns", "shared-gpu")));
        allowed(authorizer.authorize(req(N1, "get", "resource.k8s.io", "resourceclaims", "", "ns", "p-tmpl-abcde")));
        noRelation(authorizer.authorize(req(N1, "get", "resource.k8s.io", "resourceclaims", "", "ns", "t")), "n1");
        noRelation(authorizer.authorize(req(N2, "get", "resource.k8s.io", "resourceclaims", "", "ns", "shared-gpu")),
                "n2");
        noOpinion(authorizer.authorize(req(N1, "list", "resource.k8s.io", "resourceclaims", "", "ns", "")),
                "can only get individual resources of this type");
    }

    @Test
    void volumeAttachmentsOfTheNode() {
        cluster.put(VAS, json("{'metadata':{'name':'va1'},'spec':{'nodeName':'n1','attacher':'a','source':{}}}"));
        allowed(authorizer.authorize(req(N1, "get", "storage.k8s.io", "volumeattachments", "", "", "va1")));
        noRelation(authorizer.authorize(req(N2, "get", "storage.k8s.io", "volumeattachments", "", "", "va1")), "n2");
        cluster.delete(VAS, "", "va1");
        noRelation(authorizer.authorize(req(N1, "get", "storage.k8s.io", "volumeattachments", "", "", "va1")), "n1");
    }

    @Test
    void resourcesThatAreNotServedAreSkipped() {
        InMemoryClusterResources podsOnly = new InMemoryClusterResources().serve(PODS);
        NodeAuthorizer partial = new NodeAuthorizer(podsOnly, true);
        try {
            podsOnly.put(PODS, json("{'metadata':{'namespace':'ns','name':'p'},'spec':{'nodeName':'n1',"
                    + "'volumes':[{'name':'v','secret':{'secretName':'s'}}]}}"));
            allowed(partial.authorize(req(N1, "get", "", "secrets", "", "ns", "s")));
        } finally {
            partial.deactivate();
        }
    }

    @Test
    void nodesCannotEnumerateTheirRules() {
        RuleSet forNode = authorizer.rules(N1, "ns");
        assertTrue(forNode.incomplete());
        assertEquals("node authorizer does not support user rule resolution", forNode.evaluationError());
        RuleSet forOthers = authorizer.rules(new UserInfo("alice", "", List.of(), Map.of()), "ns");
        assertFalse(forOthers.incomplete());
        assertTrue(forOthers.resourceRules().isEmpty());
        assertEquals("Node", authorizer.name());
    }
}
