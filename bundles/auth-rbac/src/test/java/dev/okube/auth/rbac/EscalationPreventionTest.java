package dev.okube.auth.rbac;

import static dev.okube.auth.rbac.Fixtures.clusterRole;
import static dev.okube.auth.rbac.Fixtures.clusterRoleBinding;
import static dev.okube.auth.rbac.Fixtures.role;
import static dev.okube.auth.rbac.Fixtures.roleBinding;
import static dev.okube.auth.rbac.Fixtures.user;
import static dev.okube.testkit.Admission.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionResponse;
import dev.okube.api.admission.UserInfo;
import dev.okube.testkit.Admission;
import dev.okube.testkit.InMemoryClusterResources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class EscalationPreventionTest {
    private final InMemoryClusterResources cluster = Fixtures.cluster();
    private final RbacPolicy policy = new RbacPolicy(cluster);
    private final EscalationPrevention plugin = new EscalationPrevention(policy);
    private final UserInfo alice = user("alice");

    @BeforeEach
    void aliceMayManagePodsAndRolesInTeamA() {
        cluster.put(RbacPolicy.CLUSTER_ROLES, clusterRole("pods-and-rbac", "get,list,watch,create||pods",
                "get,list,watch,create,update,patch,delete|rbac.authorization.k8s.io|roles,rolebindings"));
        cluster.put(RbacPolicy.ROLE_BINDINGS, roleBinding("team-a", "alice", "ClusterRole", "pods-and-rbac",
                "User:alice"));
    }

    @AfterEach
    void close() {
        policy.close();
    }

    private AdmissionResponse create(String resource, String kind, ObjectNode object, UserInfo user) {
        return plugin.validate(Admission.create(RbacPolicy.GROUP, "v1", resource, kind, object, user));
    }

    @Test
    void aRoleWithinTheUsersOwnRulesIsAllowed() {
        assertTrue(create("roles", "Role", role("team-a", "readers", "get,list||pods"), alice).allowed());
        assertTrue(create("roles", "Role", role("team-a", "named", "get||pods|p1,p2"), alice).allowed());
    }

    @Test
    void aRoleGrantingMoreIsForbiddenWithUpstreamsMessage() {
        AdmissionResponse response = create("roles", "Role",
                role("team-a", "too-much", "get,delete||pods", "get||secrets", "get|url:/metrics"), alice);
        assertFalse(response.allowed());
        assertEquals(403, response.code());
        assertEquals("Forbidden", response.reason());
        assertEquals("roles.rbac.authorization.k8s.io \"too-much\" is forbidden: user \"alice\" "
                + "(groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n"
                + "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"delete\"]}\n"
                + "{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\"]}\n"
                + "{NonResourceURLs:[\"/metrics\"], Verbs:[\"get\"]}", response.message());
        // the same rules in another namespace: nothing held there
        assertFalse(create("roles", "Role", role("team-b", "readers", "get||pods"), alice).allowed());
    }

    @Test
    void missingPermissionsWithTheSameResourceAreMergedAcrossVerbs() {
        AdmissionResponse response = create("roles", "Role", role("team-a", "r", "update,patch||pods"), alice);
        assertTrue(response.message().endsWith("{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"update\" \"patch\"]}"),
                response.message());
    }

    @Test
    void aClusterRoleNeedsClusterWideRules() {
        AdmissionResponse response = create("clusterroles", "ClusterRole", clusterRole("readers", "get||pods"), alice);
        assertFalse(response.allowed());
        assertTrue(response.message().startsWith("clusterroles.rbac.authorization.k8s.io \"readers\" is forbidden: "),
                response.message());
        cluster.put(RbacPolicy.CLUSTER_ROLE_BINDINGS, clusterRoleBinding("alice-global", "pods-and-rbac", "User:alice"));
        assertTrue(create("clusterroles", "ClusterRole", clusterRole("readers", "get||pods"), alice).allowed());
    }

    @Test
    void subresourcesAndResourceNamesAreCoveredAsUpstream() {
        cluster.put(RbacPolicy.CLUSTER_ROLES, clusterRole("scaler", "get,update|apps|*/scale", "get||configmaps|c1"));
        cluster.put(RbacPolicy.ROLE_BINDINGS, roleBinding("team-a", "scaler", "ClusterRole", "scaler", "User:alice"));
        assertTrue(create("roles", "Role", role("team-a", "s", "update|apps|deployments/scale"), alice).allowed());
        assertFalse(create("roles", "Role", role("team-a", "s", "update|apps|deployments"), alice).allowed());
        assertTrue(create("roles", "Role", role("team-a", "c", "get||configmaps|c1"), alice).allowed());
        // a rule without names grants all names: not covered by a rule naming c1
        assertFalse(create("roles", "Role", role("team-a", "c", "get||configmaps"), alice).allowed());
    }

    @Test
    void theEscalateVerbAllowsAnyRules() {
        cluster.put(RbacPolicy.CLUSTER_ROLES, clusterRole("escalator", "escalate|rbac.authorization.k8s.io|roles"));
        cluster.put(RbacPolicy.ROLE_BINDINGS, roleBinding("team-a", "esc", "ClusterRole", "escalator", "User:alice"));
        assertTrue(create("roles", "Role", role("team-a", "big", "*|*|*"), alice).allowed());
        assertFalse(create("roles", "Role", role("team-b", "big", "*|*|*"), alice).allowed());
    }

    @Test
    void bindingARoleTheUserHoldsIsAllowedAndAnotherIsForbidden() {
        cluster.put(RbacPolicy.ROLES, role("team-a", "pod-reader", "get||pods"));
        cluster.put(RbacPolicy.ROLES, role("team-a", "secret-reader", "get||secrets"));
        assertTrue(create("rolebindings", "RoleBinding",
                roleBinding("team-a", "bob-reads", "Role", "pod-reader", "User:bob"), alice).allowed());
        AdmissionResponse response = create("rolebindings", "RoleBinding",
                roleBinding("team-a", "bob-secrets", "Role", "secret-reader", "User:bob"), alice);
        assertEquals(403, response.code());
        assertEquals("rolebindings.rbac.authorization.k8s.io \"bob-secrets\" is forbidden: user \"alice\" "
                + "(groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n"
                + "{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\"]}", response.message());
    }

    @Test
    void theBindVerbAllowsBindingTheNamedRolesOnly() {
        cluster.put(RbacPolicy.CLUSTER_ROLES, clusterRole("view", "get,list,watch||secrets"));
        cluster.put(RbacPolicy.CLUSTER_ROLES, clusterRole("admin", "*|*|*"));
        cluster.put(RbacPolicy.CLUSTER_ROLES, clusterRole("binder", "bind|rbac.authorization.k8s.io|clusterroles|view"));
        cluster.put(RbacPolicy.ROLE_BINDINGS, roleBinding("team-a", "binder", "ClusterRole", "binder", "User:alice"));
        assertTrue(create("rolebindings", "RoleBinding",
                roleBinding("team-a", "b", "ClusterRole", "view", "User:bob"), alice).allowed());
        assertFalse(create("rolebindings", "RoleBinding",
                roleBinding("team-a", "b", "ClusterRole", "admin", "User:bob"), alice).allowed());
        // bind granted in team-a does not reach team-b nor ClusterRoleBindings
        assertFalse(create("rolebindings", "RoleBinding",
                roleBinding("team-b", "b", "ClusterRole", "view", "User:bob"), alice).allowed());
        assertFalse(create("clusterrolebindings", "ClusterRoleBinding",
                clusterRoleBinding("b", "view", "User:bob"), alice).allowed());
    }

    @Test
    void bindingAMissingRoleIsNotFound() {
        AdmissionResponse response = create("rolebindings", "RoleBinding",
                roleBinding("team-a", "b", "Role", "nope", "User:bob"), alice);
        assertEquals(404, response.code());
        assertEquals("role.rbac.authorization.k8s.io \"nope\" not found", response.message());
    }

    @Test
    void systemMastersAreExempt() {
        UserInfo root = new UserInfo("root", "", List.of("system:masters"), Map.of());
        assertTrue(create("clusterroles", "ClusterRole", clusterRole("all", "*|*|*"), root).allowed());
        assertTrue(create("clusterrolebindings", "ClusterRoleBinding",
                clusterRoleBinding("x", "missing", "User:bob"), root).allowed());
    }

    @Test
    void anAggregationRuleNeedsFullAuthority() {
        // everything but escalate (which would skip every check, as upstream) and non-resource URLs
        cluster.put(RbacPolicy.CLUSTER_ROLES, clusterRole("most", "get,list,watch,create,update,patch,delete|*|*"));
        cluster.put(RbacPolicy.CLUSTER_ROLE_BINDINGS, clusterRoleBinding("most", "most", "User:carol"));
        ObjectNode aggregated = json("{'metadata':{'name':'agg'},'aggregationRule':{'clusterRoleSelectors':"
                + "[{'matchLabels':{'x':'y'}}]}}");
        AdmissionResponse response = create("clusterroles", "ClusterRole", aggregated, user("carol"));
        assertEquals("clusterroles.rbac.authorization.k8s.io \"agg\" is forbidden: must have cluster-admin "
                + "privileges to use the aggregationRule", response.message());
        cluster.put(RbacPolicy.CLUSTER_ROLES, clusterRole("most", "*|*|*", "*|url:*"));
        assertTrue(create("clusterroles", "ClusterRole", aggregated, user("carol")).allowed());
        // an update that leaves the aggregation rule as it was is not checked for it
        cluster.put(RbacPolicy.CLUSTER_ROLES, clusterRole("most", "get,list,watch,create,update,patch,delete|*|*"));
        ObjectNode stored = cluster.put(RbacPolicy.CLUSTER_ROLES, aggregated);
        ObjectNode relabelled = stored.deepCopy();
        relabelled.withObjectProperty("metadata").putObject("labels").put("team", "a");
        assertTrue(plugin.validate(Admission.update(RbacPolicy.GROUP, "v1", "clusterroles", "ClusterRole", relabelled,
                stored, user("carol"))).allowed());
    }

    @Test
    void anUpdateChangingOnlyGarbageCollectionFieldsIsAllowed() {
        ObjectNode old = cluster.put(RbacPolicy.ROLES, role("team-a", "big", "*|*|*"));
        ObjectNode changed = old.deepCopy();
        changed.withObjectProperty("metadata").putArray("finalizers").add("example.com/keep");
        assertTrue(plugin.validate(Admission.update(RbacPolicy.GROUP, "v1", "roles", "Role", changed, old, alice))
                .allowed());
        ObjectNode more = old.deepCopy();
        more.withArray("rules").add(json(Fixtures.rule("get||nodes")));
        assertFalse(plugin.validate(Admission.update(RbacPolicy.GROUP, "v1", "roles", "Role", more, old, alice))
                .allowed());
    }

    @Test
    void otherResourcesAndDeletesAreNotItsBusiness() {
        assertTrue(plugin.validate(Admission.create("pods", "Pod", json("{'metadata':{'name':'p','namespace':'x'}}")))
                .allowed());
        assertEquals("RBACEscalationPrevention", plugin.name());
    }
}
