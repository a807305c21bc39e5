package dev.okube.auth.rbac;

import static dev.okube.auth.rbac.Fixtures.ANONYMOUS;
import static dev.okube.auth.rbac.Fixtures.path;
import static dev.okube.auth.rbac.Fixtures.resource;
import static dev.okube.auth.rbac.Fixtures.roleBinding;
import static dev.okube.auth.rbac.Fixtures.serviceAccount;
import static dev.okube.auth.rbac.Fixtures.user;
import static dev.okube.testkit.Admission.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.admission.UserInfo;
import dev.okube.api.authorization.AuthorizationRequest;
import dev.okube.api.authorization.Authorizer.Decision;
import dev.okube.testkit.InMemoryClusterResources;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class BootstrapPolicyTest {
    private final BootstrapPolicy policy = BootstrapPolicy.load();
    private final InMemoryClusterResources cluster = Fixtures.cluster();
    private final BootstrapReconciler reconciler = new BootstrapReconciler(cluster, policy);

    private ObjectNode stored(String type, String name) {
        return cluster.get(type.equals("role") ? RbacPolicy.CLUSTER_ROLES : RbacPolicy.CLUSTER_ROLE_BINDINGS, "", name)
                .orElseThrow(() -> new AssertionError(type + " " + name + " missing"));
    }

    private static Set<String> names(List<ObjectNode> objects) {
        return objects.stream().map(RbacPolicy::name).collect(Collectors.toSet());
    }

    @Test
    void theShippedPolicyHasUpstreamsRolesAndBindings() {
        Set<String> roles = names(policy.clusterRoles());
        for (String name : List.of("cluster-admin", "admin", "edit", "view", "system:discovery", "system:basic-user",
                "system:public-info-viewer", "system:monitoring", "system:node", "system:node-proxier",
                "system:kube-scheduler", "system:kube-controller-manager", "system:kube-dns", "system:volume-scheduler",
                "system:auth-delegator", "system:heapster", "system:node-bootstrapper",
                "system:certificates.k8s.io:certificatesigningrequests:nodeclient",
                "system:certificates.k8s.io:kube-apiserver-client-approver", "system:service-account-issuer-discovery",
                "system:aggregate-to-admin", "system:aggregate-to-edit", "system:aggregate-to-view",
                "system:controller:deployment-controller", "system:controller:replicaset-controller",
                "system:controller:clusterrole-aggregation-controller", "system:controller:namespace-controller")) {
            assertTrue(roles.contains(name), name);
        }
        Set<String> bindings = names(policy.clusterRoleBindings());
        for (String name : List.of("cluster-admin", "system:discovery", "system:basic-user", "system:public-info-viewer",
                "system:kube-scheduler", "system:kube-controller-manager", "system:node-proxier", "system:kube-dns",
                "system:monitoring", "system:service-account-issuer-discovery", "system:volume-scheduler",
                "system:controller:job-controller")) {
            assertTrue(bindings.contains(name), name);
        }
        for (ObjectNode o : concat(policy.clusterRoles(), policy.clusterRoleBindings())) {
            assertEquals("rbac-defaults", o.path("metadata").path("labels").path("kubernetes.io/bootstrapping")
                    .asString(""), RbacPolicy.name(o));
            assertEquals("true", o.path("metadata").path("annotations")
                    .path("rbac.authorization.kubernetes.io/autoupdate").asString(""), RbacPolicy.name(o));
        }
        ObjectNode controllerBinding = find(policy.clusterRoleBindings(), "system:controller:job-controller");
        assertEquals(array("[{'kind':'ServiceAccount','name':'job-controller','namespace':'kube-system'}]"),
                controllerBinding.path("subjects"));
        assertEquals(array("[{'kind':'Group','apiGroup':'rbac.authorization.k8s.io','name':'system:authenticated'},"
                + "{'kind':'Group','apiGroup':'rbac.authorization.k8s.io','name':'system:unauthenticated'}]"),
                find(policy.clusterRoleBindings(), "system:public-info-viewer").path("subjects"));
        assertEquals(json("{'clusterRoleSelectors':[{'matchLabels':{'rbac.authorization.k8s.io/aggregate-to-edit':'true'}}]}"),
                find(policy.clusterRoles(), "edit").path("aggregationRule"));
        assertEquals("true", find(policy.clusterRoles(), "edit").path("metadata").path("labels")
                .path("rbac.authorization.k8s.io/aggregate-to-admin").asString(""));
        assertEquals(List.of(PolicyRule.resource(List.of("*"), List.of("*"), List.of("*"), List.of()),
                PolicyRule.nonResource(List.of("*"), List.of("*"))),
                PolicyRule.rulesOf(find(policy.clusterRoles(), "cluster-admin")));
        assertEquals(List.of(PolicyRule.resource(List.of("get", "update"), List.of("coordination.k8s.io"),
                List.of("leases"), List.of("kube-scheduler"))),
                PolicyRule.rulesOf(find(policy.clusterRoles(), "system:kube-scheduler")).subList(2, 3));
    }

    @Test
    void reconcileCreatesEverythingOnceThenChangesNothing() {
        BootstrapReconciler.Result first = reconciler.reconcile();
        int total = policy.clusterRoles().size() + policy.clusterRoleBindings().size();
        assertEquals(new BootstrapReconciler.Result(total, 0, 0, 0), first);
        assertEquals(policy.clusterRoles().size(), cluster.list(RbacPolicy.CLUSTER_ROLES, "").size());
        assertEquals(new BootstrapReconciler.Result(0, 0, total, 0), reconciler.reconcile());
    }

    @Test
    void reconcileKeepsUserAdditionsAndRestoresWhatWasRemoved() {
        reconciler.reconcile();
        // a user adds a rule, a subject, a label, and removes a shipped rule and subject
        ObjectNode discovery = stored("role", "system:discovery").deepCopy();
        discovery.withArray("rules").removeAll();
        discovery.withArray("rules").add(json(Fixtures.rule("get|url:/custom")));
        discovery.withObjectProperty("metadata").withObjectProperty("labels").put("kubernetes.io/bootstrapping", "mine");
        cluster.update(RbacPolicy.CLUSTER_ROLES, discovery);
        ObjectNode viewer = stored("binding", "system:public-info-viewer").deepCopy();
        viewer.withArray("subjects").remove(1);
        viewer.withArray("subjects").add(json("{'kind':'User','apiGroup':'rbac.authorization.k8s.io','name':'eve'}"));
        cluster.update(RbacPolicy.CLUSTER_ROLE_BINDINGS, viewer);

        BootstrapReconciler.Result result = reconciler.reconcile();
        assertEquals(2, result.updated());

        List<PolicyRule> rules = PolicyRule.rulesOf(stored("role", "system:discovery"));
        assertEquals(PolicyRule.nonResource(List.of("get"), List.of("/custom")), rules.get(0), "the user's rule stays");
        assertTrue(PolicyRule.uncovered(rules, PolicyRule.rulesOf(find(policy.clusterRoles(), "system:discovery")))
                .isEmpty(), "the shipped rules are back");
        assertEquals("mine", stored("role", "system:discovery").path("metadata").path("labels")
                .path("kubernetes.io/bootstrapping").asString(""), "existing label values win");
        List<String> subjects = stored("binding", "system:public-info-viewer").path("subjects").valueStream()
                .map(s -> s.path("name").asString("")).toList();
        assertEquals(List.of("system:authenticated", "eve", "system:unauthenticated"), subjects);
    }

    @Test
    void autoupdateFalseIsLeftAlone() {
        reconciler.reconcile();
        ObjectNode admin = stored("role", "cluster-admin").deepCopy();
        admin.withArray("rules").removeAll();
        admin.withObjectProperty("metadata").withObjectProperty("annotations")
                .put("rbac.authorization.kubernetes.io/autoupdate", "false");
        cluster.update(RbacPolicy.CLUSTER_ROLES, admin);
        BootstrapReconciler.Result result = reconciler.reconcile();
        assertEquals(1, result.skipped());
        assertEquals(0, result.updated());
        assertEquals(List.of(), PolicyRule.rulesOf(stored("role", "cluster-admin")));
    }

    @Test
    void aBindingWithAnotherRoleRefIsRecreated() {
        reconciler.reconcile();
        cluster.delete(RbacPolicy.CLUSTER_ROLE_BINDINGS, "", "system:basic-user");
        cluster.put(RbacPolicy.CLUSTER_ROLE_BINDINGS, Fixtures.clusterRoleBinding("system:basic-user", "cluster-admin",
                "Group:system:authenticated"));
        assertEquals(1, reconciler.reconcile().updated());
        assertEquals("system:basic-user", stored("binding", "system:basic-user").path("roleRef").path("name")
                .asString(""));
    }

    @Test
    void theDefaultPolicyAuthorizesAsUpstreams() {
        try (RbacPolicy rbac = new RbacPolicy(cluster);
                ClusterRoleAggregator aggregator = new ClusterRoleAggregator(cluster, Runnable::run)) {
            reconciler.reconcile();
            RbacAuthorizer authorizer = new RbacAuthorizer(rbac);
            UserInfo dev = user("dev");
            java.util.function.Predicate<AuthorizationRequest> allowed =
                    r -> authorizer.authorize(r).decision() == Decision.ALLOW;

            for (String p : List.of("/healthz", "/livez", "/readyz", "/version", "/version/")) {
                assertTrue(allowed.test(path(ANONYMOUS, "get", p)), p);
            }
            assertFalse(allowed.test(path(ANONYMOUS, "get", "/api")));
            assertFalse(allowed.test(path(ANONYMOUS, "get", "/metrics")));
            assertFalse(allowed.test(resource(ANONYMOUS, "list", "", "pods", "", "default", "")));
            assertTrue(allowed.test(path(dev, "get", "/apis/apps/v1")));
            assertTrue(allowed.test(resource(dev, "create", "authorization.k8s.io", "selfsubjectaccessreviews", "", "",
                    "")));
            assertFalse(allowed.test(resource(dev, "list", "", "pods", "", "default", "")));

            // admin, edit and view are aggregated from the system:aggregate-to-* roles
            assertTrue(PolicyRule.rulesOf(stored("role", "view")).size() >= 10);
            cluster.put(RbacPolicy.ROLE_BINDINGS, roleBinding("team", "viewers", "ClusterRole", "view", "User:dev"));
            assertTrue(allowed.test(resource(dev, "list", "", "pods", "", "team", "")));
            assertTrue(allowed.test(resource(dev, "get", "apps", "deployments", "scale", "team", "d")));
            assertFalse(allowed.test(resource(dev, "get", "", "secrets", "", "team", "s")), "view never shows secrets");
            assertFalse(allowed.test(resource(dev, "list", "", "pods", "", "other", "")));
            cluster.put(RbacPolicy.ROLE_BINDINGS, roleBinding("team", "editors", "ClusterRole", "edit", "User:dev"));
            assertTrue(allowed.test(resource(dev, "create", "apps", "deployments", "", "team", "")));
            assertTrue(allowed.test(resource(dev, "get", "", "secrets", "", "team", "s")));
            assertFalse(allowed.test(resource(dev, "create", "rbac.authorization.k8s.io", "roles", "", "team", "")));
            cluster.put(RbacPolicy.ROLE_BINDINGS, roleBinding("team", "admins", "ClusterRole", "admin", "User:dev"));
            assertTrue(allowed.test(resource(dev, "create", "rbac.authorization.k8s.io", "roles", "", "team", "")));

            // a CRD's aggregate-to-view role extends view at once
            ObjectNode widgets = Fixtures.clusterRole("widget-viewer", "get,list|example.com|widgets");
            widgets.withObjectProperty("metadata").putObject("labels")
                    .put("rbac.authorization.k8s.io/aggregate-to-view", "true");
            cluster.put(RbacPolicy.CLUSTER_ROLES, widgets);
            assertTrue(allowed.test(resource(dev, "list", "example.com", "widgets", "", "team", "")));
            assertFalse(allowed.test(resource(user("v"), "list", "example.com", "widgets", "", "team", "")));

            // system components and controllers
            assertTrue(allowed.test(resource(user("system:kube-scheduler"), "create", "", "pods", "binding", "ns",
                    "p")));
            assertTrue(allowed.test(resource(user("system:kube-proxy"), "watch", "discovery.k8s.io",
                    "endpointslices", "", "", "")));
            assertTrue(allowed.test(resource(serviceAccount("kube-system", "replicaset-controller"), "create", "",
                    "pods", "", "ns", "")));
            assertFalse(allowed.test(resource(serviceAccount("default", "replicaset-controller"), "create", "",
                    "pods", "", "ns", "")));
            assertTrue(allowed.test(path(serviceAccount("default", "x"), "get", "/openid/v1/jwks")));
            assertEquals("RBAC: allowed by ClusterRoleBinding \"system:public-info-viewer\" of ClusterRole "
                    + "\"system:public-info-viewer\" to Group \"system:unauthenticated\"",
                    authorizer.authorize(path(ANONYMOUS, "get", "/healthz")).reason());
        }
    }

    @Test
    void malformedPolicyTextIsRefusedWithItsLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BootstrapPolicy.parse("role a\n  rule get pods\n"));
        assertEquals("bootstrap-policy.txt line 2: expected rule VERBS GROUPS RESOURCES [NAMES]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BootstrapPolicy.parse("  rule get \"\" pods\n"));
        assertThrows(IllegalArgumentException.class, () -> BootstrapPolicy.parse("role a\n  rule @all \"\" pods\n"));
        e = assertThrows(IllegalArgumentException.class, () -> BootstrapPolicy.parse("binding b missing user:x\n"));
        assertEquals("bootstrap-policy.txt: ClusterRoleBinding b refers to ClusterRole missing, which it does not define",
                e.getMessage());
    }

    private static tools.jackson.databind.JsonNode array(String text) {
        return dev.okube.testkit.Admission.JSON.readTree(text.replace('\'', '"'));
    }

    private static ObjectNode find(List<ObjectNode> objects, String name) {
        return objects.stream().filter(o -> RbacPolicy.name(o).equals(name)).findFirst().orElseThrow();
    }

    private static List<ObjectNode> concat(List<ObjectNode> a, List<ObjectNode> b) {
        List<ObjectNode> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

}
