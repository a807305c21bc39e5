package dev.okube.auth.rbac;

import static dev.okube.auth.rbac.Fixtures.ANONYMOUS;
import static dev.okube.auth.rbac.Fixtures.clusterRole;
import static dev.okube.auth.rbac.Fixtures.clusterRoleBinding;
import static dev.okube.auth.rbac.Fixtures.path;
import static dev.okube.auth.rbac.Fixtures.resource;
import static dev.okube.auth.rbac.Fixtures.role;
import static dev.okube.auth.rbac.Fixtures.roleBinding;
import static dev.okube.auth.rbac.Fixtures.serviceAccount;
import static dev.okube.auth.rbac.Fixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.admission.UserInfo;
import dev.okube.api.authorization.AuthorizationRequest;
import dev.okube.api.authorization.Authorizer.Decision;
import dev.okube.api.authorization.Authorizer.Verdict;
import dev.okube.api.authorization.RuleSet;
import dev.okube.testkit.InMemoryClusterResources;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RbacAuthorizerTest {
    private final InMemoryClusterResources cluster = Fixtures.cluster();
    private final RbacPolicy policy = new RbacPolicy(cluster);
    private final RbacAuthorizer rbac = new RbacAuthorizer(policy);
    private final UserInfo alice = user("alice", "devs");

    @AfterEach
    void close() {
        policy.close();
    }

    private boolean allowed(AuthorizationRequest request) {
        Verdict verdict = rbac.authorize(request);
        assertTrue(verdict.decision() != Decision.DENY, "RBAC never denies");
        return verdict.decision() == Decision.ALLOW;
    }

    private boolean can(UserInfo user, String verb, String group, String resource, String namespace) {
        return allowed(resource(user, verb, group, resource, "", namespace, ""));
    }

    @Test
    void clusterRoleBindingToAUserAllowsWithUpstreamsReason() {
        cluster.put(RbacPolicy.CLUSTER_ROLES, clusterRole("pod-reader", "get,list||pods"));
        cluster.put(RbacPolicy.CLUSTER_ROLE_BINDINGS, clusterRoleBinding("read-pods", "pod-reader", "User:alice"));
        Verdict verdict = rbac.authorize(resource(alice, "get", "", "pods", "", "ns1", "p"));
        assertEquals(Decision.ALLOW, verdict.decision());
        assertEquals("RBAC: allowed by ClusterRoleBinding \"read-pods\" of ClusterRole \"pod-reader\" to User \"alice\"",
                verdict.reason());
        assertTrue(can(alice, "list", "", "pods", ""));
        assertFalse(can(alice, "delete", "", "pods", "ns1"));
        assertFalse(can(user("bob"), "get", "", "pods", "ns1"));
        assertEquals("RBAC", rbac.name());
    }

    @Test
    void groupSubjectsGrantToEveryMember() {
        cluster.put(RbacPolicy.CLUSTER_ROLES, clusterRole("deployer", "create|apps|deployments"));
        cluster.put(RbacPolicy.CLUSTER_ROLE_BINDINGS, clusterRoleBinding("devs-deploy", "deployer", "Group:devs"));
        Verdict verdict = rbac.authorize(resource(alice, "create", "apps", "deployments", "", "ns1", ""));
        assertEquals("RBAC: allowed by ClusterRoleBinding \"devs-deploy\" of ClusterRole \"deployer\" to Group \"devs\"",
                verdict.reason());
        assertFalse(can(user("bob", "ops"), "create", "apps", "deployments", "ns1"));
        // the group of the wrong API group does not match
        assertFalse(can(alice, "create", "extensions", "deployments", "ns1"));
    }

    @Test
    void serviceAccountSubjectsNameSystemServiceAccountUsers() {
        cluster.put(RbacPolicy.ROLES, role("ns1", "cm-reader", "get||configmaps"));
        cluster.put(RbacPolicy.ROLE_BINDINGS, roleBinding("ns1", "robot-reads", "Role", "cm-reader",
                "ServiceAccount:ns1:robot"));
        UserInfo robot = serviceAccount("ns1", "robot");
        Verdict verdict = rbac.authorize(resource(robot, "get", "", "configmaps", "", "ns1", "c"));
        assertEquals("RBAC: allowed by RoleBinding \"robot-reads/ns1\" of Role \"cm-reader\" to ServiceAccount "
                + "\"robot/ns1\"", verdict.reason());
        assertFalse(allowed(resource(serviceAccount("ns2", "robot"), "get", "", "configmaps", "", "ns1", "c")));
        // a user of that exact name is the same identity, as upstream
        assertTrue(allowed(resource(user("system:serviceaccount:ns1:robot"), "get", "", "configmaps", "", "ns1", "c")));
    }

    @Test
    void aServiceAccountSubjectWithoutNamespaceIsInTheBindingsNamespace() {
        cluster.put(RbacPolicy.CLUSTER_ROLES, clusterRole("view-pods", "get||pods"));
        cluster.put(RbacPolicy.ROLE_BINDINGS, roleBinding("ns1", "b", "ClusterRole", "view-pods",
                "ServiceAccount::robot"));
        cluster.put(RbacPolicy.CLUSTER_ROLE_BINDINGS, clusterRoleBinding("nowhere", "view-pods",
                "ServiceAccount::robot"));
        Verdict verdict = rbac.authorize(resource(serviceAccount("ns1", "robot"), "get", "", "pods", "", "ns1", "p"));
        assertEquals("RBAC: allowed by RoleBinding \"b/ns1\" of ClusterRole \"view-pods\" to ServiceAccount "
                + "\"robot/ns1\"", verdict.reason());
        // in a ClusterRoleBinding a service account without namespace designates no one
        assertFalse(allowed(resource(serviceAccount("ns2", "robot"), "get", "", "pods", "", "ns2", "p")));
    }

    @Test
    void wildcardsOnVerbsGroupsAndResources() {
        cluster.put(RbacPolicy.CLUSTER_ROLES, clusterRole("any-verb", "*||secrets"));
        cluster.put(RbacPolicy.CLUSTER_ROLES, clusterRole("all-groups", "get|*|widgets"));
        cluster.put(RbacPolicy.CLUSTER_ROLES, clusterRole("all-resources", "list|batch|*"));
        for (String r : List.of("any-verb", "all-groups", "all-resources")) {
            cluster.put(RbacPolicy.CLUSTER_ROLE_BINDINGS, clusterRoleBinding(r, r, "User:alice"));
        }
        assertTrue(can(alice, "escalate", "", "secrets", "ns1"));
        assertTrue(can(alice, "deletecollection", "", "secrets", ""));
        assertFalse(can(alice, "get", "apps", "secrets", "ns1"));
        assertTrue(can(alice, "get", "example.com", "widgets", "ns1"));
        assertFalse(can(alice, "list", "example.com", "widgets", "ns1"));
        assertTrue(can(alice, "list", "batch", "jobs", "ns1"));
        assertTrue(allowed(resource(alice, "list", "batch", "jobs", "status", "ns1", "")));
        assertFalse(can(alice, "list", "apps", "jobs", "ns1"));
    }

    @Test
    void subresourcesNeedTheirOwnRuleOrAWildcardResource() {
        cluster.put(RbacPolicy.CLUSTER_ROLES, clusterRole("r", "get||pods",
                "get||pods/log", "update|*|*/scale", "patch|apps|*/status"));
        cluster.put(RbacPolicy.CLUSTER_ROLE_BINDINGS, clusterRoleBinding("r", "r", "User:alice"));
        assertTrue(allowed(resource(alice, "get", "", "pods", "", "ns1", "p")));
        assertTrue(allowed(resource(alice, "get", "", "pods", "log", "ns1", "p")));
        assertFalse(allowed(resource(alice, "get", "", "pods", "exec", "ns1", "p")));
        assertFalse(allowed(resource(alice, "get", "", "pods", "status", "ns1", "p")));
        assertTrue(allowed(resource(alice, "update", "apps", "deployments", "scale", "ns1", "d")));
        assertTrue(allowed(resource(alice, "update", "", "replicationcontrollers", "scale", "ns1", "d")));
        assertFalse(allowed(resource(alice, "update", "apps", "deployments", "", "ns1", "d")));
        assertTrue(allowed(resource(alice, "patch", "apps", "statefulsets", "status", "ns1", "s")));
        // "*/status" does not match a subresource merely ending in "status"
        assertFalse(allowed(resource(alice, "patch", "apps", "statefulsets", "xstatus", "ns1", "s")));
    }

    @Test
    void resourceNamesGrantOnlyRequestsNamingThem() {
        cluster.put(RbacPolicy.CLUSTER_ROLES,
                clusterRole("one-cm", "get,list,watch,update,create,delete||configmaps|app-config,other"));
        cluster.put(RbacPolicy.CLUSTER_ROLE_BINDINGS, clusterRoleBinding("one-cm", "one-cm", "User:alice"));
        assertTrue(allowed(resource(alice, "get", "", "configmaps", "", "ns1", "app-config")));
        assertTrue(allowed(resource(alice, "update", "", "configmaps", "", "ns1", "other")));
        assertTrue(allowed(resource(alice, "watch", "", "configmaps", "", "ns1", "other")));
        assertFalse(allowed(resource(alice, "get", "", "configmaps", "", "ns1", "secret-config")));
        // collections (no name): list, watch, create never match a rule with resourceNames
        assertFalse(allowed(resource(alice, "list", "", "configmaps", "", "ns1", "")));
        assertFalse(allowed(resource(alice, "watch", "", "configmaps", "", "ns1", "")));
        assertFalse(allowed(resource(alice, "create", "", "configmaps", "", "ns1", "")));
    }

    @Test
    void nonResourceURLsMatchExactlyOrByTrailingStarPrefix() {
        cluster.put(RbacPolicy.CLUSTER_ROLES, clusterRole("urls", "get|url:/healthz,/apis/*", "post|url:/logs*"));
        cluster.put(RbacPolicy.CLUSTER_ROLE_BINDINGS, clusterRoleBinding("urls", "urls", "User:alice"));
        assertTrue(allowed(path(alice, "get", "/healthz")));
        assertFalse(allowed(path(alice, "get", "/healthz/etcd")));
        assertTrue(allowed(path(alice, "get", "/apis/apps/v1")));
        assertTrue(allowed(path(alice, "get", "/apis/")));
        assertFalse(allowed(path(alice, "get", "/apis")));
        assertFalse(allowed(path(alice, "post", "/healthz")));
        assertTrue(allowed(path(alice, "post", "/logs")));
        assertTrue(allowed(path(alice, "post", "/logsxyz/a")));
        // a non-resource rule never grants resources, nor a resource rule paths
        assertFalse(can(alice, "get", "", "pods", "ns1"));
        cluster.put(RbacPolicy.CLUSTER_ROLES, clusterRole("all", "*|url:*"));
        cluster.put(RbacPolicy.CLUSTER_ROLE_BINDINGS, clusterRoleBinding("all", "all", "User:bob"));
        assertTrue(allowed(path(user("bob"), "delete", "/anything/at/all")));
        assertFalse(can(user("bob"), "get", "", "pods", "ns1"));
    }

    @Test
    void aRoleBindingToAClusterRoleGrantsOnlyInItsNamespace() {
        cluster.put(RbacPolicy.CLUSTER_ROLES, clusterRole("pod-admin", "*||pods"));
        cluster.put(RbacPolicy.ROLE_BINDINGS, roleBinding("team-a", "admins", "ClusterRole", "pod-admin",
                "User:alice"));
        assertTrue(can(alice, "delete", "", "pods", "team-a"));
        assertFalse(can(alice, "delete", "", "pods", "team-b"));
        assertFalse(can(alice, "list", "", "pods", ""), "all namespaces needs a ClusterRoleBinding");
    }

    @Test
    void aRoleGrantsInItsNamespaceOnlyAndMustBeInTheBindingsNamespace() {
        cluster.put(RbacPolicy.ROLES, role("team-a", "r", "get||secrets"));
        cluster.put(RbacPolicy.ROLE_BINDINGS, roleBinding("team-a", "b", "Role", "r", "User:alice"));
        cluster.put(RbacPolicy.ROLE_BINDINGS, roleBinding("team-b", "b", "Role", "r", "User:alice"));
        assertTrue(can(alice, "get", "", "secrets", "team-a"));
        assertFalse(can(alice, "get", "", "secrets", "team-b"), "team-b has no Role r");
        RuleSet rules = rbac.rules(alice, "team-b");
        assertTrue(rules.incomplete());
        assertEquals("[role.rbac.authorization.k8s.io \"r\" not found]", rules.evaluationError());
    }

    @Test
    void changesAndDeletionsTakeEffect() {
        cluster.put(RbacPolicy.CLUSTER_ROLES, clusterRole("r", "get||pods"));
        cluster.put(RbacPolicy.CLUSTER_ROLE_BINDINGS, clusterRoleBinding("b", "r", "User:alice"));
        assertTrue(can(alice, "get", "", "pods", "ns1"));
        // the role changes
        cluster.put(RbacPolicy.CLUSTER_ROLES, clusterRole("r", "get||services"));
        assertFalse(can(alice, "get", "", "pods", "ns1"));
        assertTrue(can(alice, "get", "", "services", "ns1"));
        // the binding's subjects change
        cluster.put(RbacPolicy.CLUSTER_ROLE_BINDINGS, clusterRoleBinding("b", "r", "User:bob"));
        assertFalse(can(alice, "get", "", "services", "ns1"));
        assertTrue(can(user("bob"), "get", "", "services", "ns1"));
        // the binding goes
        cluster.delete(RbacPolicy.CLUSTER_ROLE_BINDINGS, "", "b");
        assertFalse(can(user("bob"), "get", "", "services", "ns1"));
        // and a missing role grants nothing
        cluster.put(RbacPolicy.CLUSTER_ROLE_BINDINGS, clusterRoleBinding("b", "r", "User:bob"));
        cluster.delete(RbacPolicy.CLUSTER_ROLES, "", "r");
        assertFalse(can(user("bob"), "get", "", "services", "ns1"));
        assertEquals(new Verdict(Decision.NO_OPINION, "RBAC: clusterrole.rbac.authorization.k8s.io \"r\" not found"),
                rbac.authorize(resource(user("bob"), "get", "", "services", "", "ns1", "")));
        assertEquals(new RuleSet(List.of(), List.of(), true, "[clusterrole.rbac.authorization.k8s.io \"r\" not found]"),
                rbac.rules(user("bob"), "ns1"));
    }

    @Test
    void existingObjectsAreIndexedAtStart() {
        InMemoryClusterResources other = Fixtures.cluster();
        other.put(RbacPolicy.CLUSTER_ROLES, clusterRole("r", "get||pods"));
        other.put(RbacPolicy.CLUSTER_ROLE_BINDINGS, clusterRoleBinding("b", "r", "Group:devs"));
        try (RbacPolicy late = new RbacPolicy(other)) {
            assertTrue(new RbacAuthorizer(late).authorize(resource(alice, "get", "", "pods", "", "x", "p"))
                    .decision() == Decision.ALLOW);
        }
    }

    @Test
    void nothingGrantedIsNoOpinionNeverDeny() {
        Verdict verdict = rbac.authorize(path(ANONYMOUS, "get", "/api"));
        assertEquals(Decision.NO_OPINION, verdict.decision());
        assertEquals("", verdict.reason());
    }

    @Test
    void aBindingMatchingByUserAndGroupIsVisitedOnceAndNamesTheFirstSubject() {
        cluster.put(RbacPolicy.CLUSTER_ROLES, clusterRole("r", "get|url:/x"));
        cluster.put(RbacPolicy.CLUSTER_ROLE_BINDINGS, clusterRoleBinding("b", "r", "Group:devs", "User:alice"));
        assertEquals("RBAC: allowed by ClusterRoleBinding \"b\" of ClusterRole \"r\" to Group \"devs\"",
                rbac.authorize(path(alice, "get", "/x")).reason());
        assertEquals(1, rbac.rules(alice, "").nonResourceRules().size());
    }

    @Test
    void rulesListsClusterThenNamespaceRulesSplitByKind() {
        cluster.put(RbacPolicy.CLUSTER_ROLES, clusterRole("c", "get|url:/healthz", "list|apps|deployments"));
        cluster.put(RbacPolicy.CLUSTER_ROLE_BINDINGS, clusterRoleBinding("c", "c", "Group:system:authenticated"));
        cluster.put(RbacPolicy.ROLES, role("ns1", "r", "get,update||configmaps|cfg"));
        cluster.put(RbacPolicy.ROLE_BINDINGS, roleBinding("ns1", "r", "Role", "r", "User:alice"));
        RuleSet ns1 = rbac.rules(alice, "ns1");
        assertFalse(ns1.incomplete());
        assertEquals(List.of(
                new RuleSet.ResourceRule(List.of("list"), List.of("apps"), List.of("deployments"), List.of()),
                new RuleSet.ResourceRule(List.of("get", "update"), List.of(""), List.of("configmaps"), List.of("cfg"))),
                ns1.resourceRules());
        assertEquals(List.of(new RuleSet.NonResourceRule(List.of("get"), List.of("/healthz"))), ns1.nonResourceRules());
        RuleSet ns2 = rbac.rules(alice, "ns2");
        assertEquals(1, ns2.resourceRules().size());
        assertEquals(new RuleSet(List.of(), List.of(), false, ""), rbac.rules(ANONYMOUS, "ns1"));
    }
}
