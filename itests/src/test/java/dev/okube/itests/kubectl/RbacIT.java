package dev.okube.itests.kubectl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * RBAC end to end with the real kubectl: the bootstrap policy, anonymous access to the health and
 * version endpoints only, the admin, a service account limited by a Role, {@code auth can-i}
 * (also {@code --list}) and escalation prevention for a non-admin user.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RbacIT {
    private static final String SA = "system:serviceaccount:rbac-a:robot";
    private OkubeCluster cluster;

    @BeforeAll
    void start() throws Exception {
        cluster = OkubeCluster.start();
        // The bootstrap policy is written shortly after the apiserver is ready.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (cluster.kubectl("get", "clusterrolebinding", "system:public-info-viewer").exitCode() != 0
                || !cluster.kubectl("get", "clusterrole", "view", "-o", "jsonpath={.rules}").out().contains("pods")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the bootstrap policy did not appear: "
                        + cluster.kubectl("get", "clusterroles").stderr());
            }
            Thread.sleep(250);
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void theBootstrapPolicyIsCreatedWithUpstreamsLabels() throws Exception {
        String roles = cluster.kubectl("get", "clusterroles", "-o", "name").ok().out();
        for (String role : List.of("cluster-admin", "admin", "edit", "view", "system:discovery", "system:basic-user",
                "system:public-info-viewer", "system:node", "system:kube-scheduler", "system:kube-controller-manager",
                "system:controller:deployment-controller", "system:aggregate-to-view")) {
            assertTrue(roles.contains("clusterrole.rbac.authorization.k8s.io/" + role + "\n"), role);
        }
        assertEquals("system:masters", cluster.kubectl("get", "clusterrolebinding", "cluster-admin", "-o",
                "jsonpath={.subjects[0].name}").ok().out());
        assertEquals("rbac-defaults", cluster.kubectl("get", "clusterrole", "admin", "-o",
                "jsonpath={.metadata.labels.kubernetes\\.io/bootstrapping}").ok().out());
        assertEquals("true", cluster.kubectl("get", "clusterrole", "admin", "-o",
                "jsonpath={.metadata.annotations.rbac\\.authorization\\.kubernetes\\.io/autoupdate}").ok().out());
        // admin aggregates edit, which aggregates view
        String admin = cluster.kubectl("get", "clusterrole", "admin", "-o", "jsonpath={.rules[*].resources}").ok().out();
        assertTrue(admin.contains("rolebindings") && admin.contains("deployments") && admin.contains("pods/log"), admin);
    }

    @Test
    @Order(2)
    void anonymousMayReadOnlyHealthAndVersion() throws Exception {
        HttpClient http = insecureClient();
        for (String path : List.of("/healthz", "/livez", "/readyz", "/version")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(cluster.url() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), path + ": " + r.body());
        }
        for (String path : List.of("/api", "/apis", "/api/v1/namespaces/default/pods", "/metrics")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(cluster.url() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, r.statusCode(), path + ": " + r.body());
            assertTrue(r.body().contains("system:anonymous"), r.body());
        }
    }

    @Test
    @Order(3)
    void theAdminMayDoAnything() throws Exception {
        assertEquals("yes", cluster.kubectl("auth", "can-i", "*", "*").ok().out().trim());
        cluster.kubectl("get", "pods", "-A").ok();
        cluster.kubectl("create", "namespace", "rbac-a").ok();
        cluster.kubectl("create", "namespace", "rbac-b").ok();
    }

    @Test
    @Order(4)
    void aServiceAccountIsLimitedByItsRole() throws Exception {
        cluster.kubectl("create", "serviceaccount", "robot", "-n", "rbac-a").ok();
        cluster.kubectl("create", "role", "pod-reader", "--verb=get,list,watch", "--resource=pods", "-n", "rbac-a")
                .ok();
        cluster.kubectl("create", "rolebinding", "robot-reads", "--role=pod-reader",
                "--serviceaccount=rbac-a:robot", "-n", "rbac-a").ok();
        cluster.kubectl("create", "configmap", "c", "--from-literal=a=b", "-n", "rbac-a").ok();

        List<String> asRobot = robotCredentials();
        assertEquals(0, robot(asRobot, "get", "pods", "-n", "rbac-a").exitCode());
        OkubeCluster.Result configmaps = robot(asRobot, "get", "configmaps", "-n", "rbac-a");
        assertNotEquals(0, configmaps.exitCode());
        assertTrue(configmaps.stderr().contains("configmaps is forbidden: User \"" + SA
                + "\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"rbac-a\""),
                configmaps.stderr());
        OkubeCluster.Result other = robot(asRobot, "get", "pods", "-n", "rbac-b");
        assertNotEquals(0, other.exitCode());
        assertTrue(other.stderr().contains("in the namespace \"rbac-b\""), other.stderr());
        OkubeCluster.Result delete = robot(asRobot, "delete", "configmap", "c", "-n", "rbac-a");
        assertNotEquals(0, delete.exitCode());
        assertTrue(delete.stderr().contains("Forbidden") || delete.stderr().contains("forbidden"), delete.stderr());
    }

    @Test
    @Order(5)
    void authCanIAsTheServiceAccount() throws Exception {
        assertEquals("yes", cluster.kubectl("auth", "can-i", "list", "pods", "-n", "rbac-a", "--as=" + SA).ok()
                .out().trim());
        OkubeCluster.Result no = cluster.kubectl("auth", "can-i", "list", "secrets", "-n", "rbac-a", "--as=" + SA);
        assertEquals(1, no.exitCode(), no.stderr());
        assertEquals("no", no.out().trim());
        assertEquals("no", cluster.kubectl("auth", "can-i", "list", "pods", "-n", "rbac-b", "--as=" + SA).out().trim());
        assertEquals("yes", cluster.kubectl("auth", "can-i", "get", "/healthz", "--as=" + SA).ok().out().trim());

        String list = cluster.kubectl("auth", "can-i", "--list", "-n", "rbac-a", "--as=" + SA).ok().out();
        assertTrue(list.lines().anyMatch(l -> l.startsWith("pods ") && l.contains("[get list watch]")), list);
        assertTrue(list.lines().anyMatch(l -> l.startsWith("selfsubjectaccessreviews.authorization.k8s.io")), list);
        assertTrue(list.contains("[/healthz]"), list);
        String elsewhere = cluster.kubectl("auth", "can-i", "--list", "-n", "rbac-b", "--as=" + SA).ok().out();
        assertTrue(elsewhere.lines().noneMatch(l -> l.startsWith("pods ")), elsewhere);
    }

    @Test
    @Order(6)
    void aNamespaceAdminCannotEscalate() throws Exception {
        cluster.kubectl("create", "rolebinding", "dana-admin", "--clusterrole=admin", "--user=dana", "-n", "rbac-a")
                .ok();
        // within admin's own rules: allowed
        cluster.kubectl("create", "role", "cm-reader", "--verb=get", "--resource=configmaps", "-n", "rbac-a",
                "--as=dana").ok();
        cluster.kubectl("create", "rolebinding", "bob-view", "--clusterrole=view", "--user=bob", "-n", "rbac-a",
                "--as=dana").ok();
        // more than admin holds: forbidden with upstream's message
        OkubeCluster.Result role = cluster.kubectl("create", "role", "node-reader", "--verb=get", "--resource=nodes",
                "-n", "rbac-a", "--as=dana");
        assertNotEquals(0, role.exitCode());
        assertTrue(role.stderr().contains("roles.rbac.authorization.k8s.io \"node-reader\" is forbidden: user \"dana\""
                + " (groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:"),
                role.stderr());
        assertTrue(role.stderr().contains("{APIGroups:[\"\"], Resources:[\"nodes\"], Verbs:[\"get\"]}"), role.stderr());
        OkubeCluster.Result binding = cluster.kubectl("create", "rolebinding", "bob-root", "--clusterrole=cluster-admin",
                "--user=bob", "-n", "rbac-a", "--as=dana");
        assertNotEquals(0, binding.exitCode());
        assertTrue(binding.stderr().contains("is attempting to grant RBAC permissions not currently held"),
                binding.stderr());
        // and nothing was written
        assertNotEquals(0, cluster.kubectl("get", "rolebinding", "bob-root", "-n", "rbac-a").exitCode());
        // the bind verb on cluster-admin lets her bind it (in her namespace)
        cluster.kubectl("create", "role", "bind-root", "--verb=bind", "--resource=clusterroles.rbac.authorization.k8s.io",
                "--resource-name=cluster-admin", "-n", "rbac-a").ok();
        cluster.kubectl("create", "rolebinding", "dana-binds", "--role=bind-root", "--user=dana", "-n", "rbac-a").ok();
        cluster.kubectl("create", "rolebinding", "bob-root", "--clusterrole=cluster-admin", "--user=bob", "-n",
                "rbac-a", "--as=dana").ok();
    }

    /** kubectl arguments authenticating as the service account: its token, else impersonation. */
    private List<String> robotCredentials() throws Exception {
        OkubeCluster.Result token = cluster.kubectl("create", "token", "robot", "-n", "rbac-a");
        if (token.exitCode() != 0) {
            // Without the TokenRequest subresource, impersonate it (as the admin may).
            System.out.println("RbacIT: no kubectl create token (" + token.stderr().trim() + "); impersonating " + SA);
            return List.of("--as=" + SA);
        }
        System.out.println("RbacIT: acting as " + SA + " with a token from kubectl create token");
        String server = cluster.kubectl("config", "view", "--raw", "-o", "jsonpath={.clusters[0].cluster.server}")
                .ok().out();
        String ca = cluster.kubectl("config", "view", "--raw", "-o",
                "jsonpath={.clusters[0].cluster.certificate-authority-data}").ok().out();
        Path kubeconfig = Files.createTempFile("robot", ".kubeconfig");
        Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\nclusters:\n- name: okube\n  cluster:\n"
                + "    server: " + server + "\n" + (ca.isEmpty() ? "" : "    certificate-authority-data: " + ca + "\n")
                + "users:\n- name: robot\n  user:\n    token: " + token.out().trim() + "\n"
                + "contexts:\n- name: robot\n  context: {cluster: okube, user: robot}\ncurrent-context: robot\n");
        kubeconfig.toFile().deleteOnExit();
        // a later --kubeconfig wins over the admin's
        return List.of("--kubeconfig=" + kubeconfig);
    }

    private OkubeCluster.Result robot(List<String> credentials, String... args) throws Exception {
        List<String> all = new java.util.ArrayList<>(credentials);
        all.addAll(List.of(args));
        return cluster.kubectl(all.toArray(String[]::new));
    }

    /** A client without a client certificate (anonymous) that trusts the cluster's serving certificate. */
    private static HttpClient insecureClient() throws Exception {
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
    }
}
