package dev.okube.itests.kubectl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The PodSecurity admission plugin (in okube-all-in-one, as in upstream's default plugin set)
 * driven by the real kubectl: namespace labels choose the level, enforce refuses with upstream's
 * message, warn and templates answer warnings kubectl prints as "Warning: ...".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PodSecurityIT {
    private OkubeCluster cluster;

    @BeforeAll
    void start() throws Exception {
        cluster = OkubeCluster.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A shell command that must succeed; the shell may accept logins a little later than the API. */
    private OkubeCluster.Result shell(String command) throws Exception {
        OkubeCluster.Result result = cluster.shell(command);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (result.exitCode() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            result = cluster.shell(command);
        }
        return result.ok();
    }

    private void namespace(String name, String... labels) throws Exception {
        cluster.kubectl("create", "namespace", name).ok();
        if (labels.length > 0) {
            String[] args = new String[labels.length + 3];
            args[0] = "label";
            args[1] = "namespace";
            args[2] = name;
            for (int i = 0; i < labels.length; i++) {
                args[i + 3] = "pod-security.kubernetes.io/" + labels[i];
            }
            cluster.kubectl(args).ok();
        }
    }

    private static String pod(String name, String spec) {
        return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\nspec:\n" + spec;
    }

    private static final String PRIVILEGED = "  containers:\n  - name: main\n    image: busybox\n"
            + "    securityContext:\n      privileged: true\n";
    private static final String RESTRICTED = "  securityContext:\n    runAsNonRoot: true\n"
            + "    seccompProfile:\n      type: RuntimeDefault\n"
            + "  containers:\n  - name: main\n    image: busybox\n    securityContext:\n"
            + "      allowPrivilegeEscalation: false\n      capabilities:\n        drop: [\"ALL\"]\n";
    private static final String HOST_NETWORK = "  hostNetwork: true\n  containers:\n  - name: main\n    image: busybox\n";

    @Test
    void enforceRestrictedRefusesAPrivilegedPodAndAcceptsACompliantOne() throws Exception {
        namespace("psa-restricted", "enforce=restricted");
        OkubeCluster.Result refused = cluster.kubectlWithInput(pod("priv", PRIVILEGED),
                "create", "--validate=false", "-n", "psa-restricted", "-f", "-");
        assertNotEquals(0, refused.exitCode());
        assertTrue(refused.stderr().contains("Error from server (Forbidden): error when creating \"STDIN\": "
                + "pods \"priv\" is forbidden: violates PodSecurity \"restricted:latest\": privileged (container \"main\" "
                + "must not set securityContext.privileged=true), allowPrivilegeEscalation != false (container \"main\" "
                + "must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "
                + "\"main\" must set securityContext.capabilities.drop=[\"ALL\"]), runAsNonRoot != true (pod or "
                + "container \"main\" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "
                + "\"main\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")"),
                refused.stderr());
        assertFalse(cluster.kubectl("get", "pod", "priv", "-n", "psa-restricted").exitCode() == 0);

        OkubeCluster.Result accepted = cluster.kubectlWithInput(pod("ok", RESTRICTED),
                "create", "--validate=false", "-n", "psa-restricted", "-f", "-").ok();
        assertEquals("pod/ok created\n", accepted.out());
        assertFalse(accepted.stderr().contains("Warning"), accepted.stderr());
    }

    @Test
    void warnBaselinePrintsAWarningButCreatesTheHostNetworkPod() throws Exception {
        namespace("psa-warn", "warn=baseline");
        OkubeCluster.Result r = cluster.kubectlWithInput(pod("net", HOST_NETWORK),
                "create", "--validate=false", "-n", "psa-warn", "-f", "-").ok();
        assertEquals("pod/net created\n", r.out());
        assertTrue(r.stderr().contains("Warning: would violate PodSecurity \"baseline:latest\": host namespaces "
                + "(hostNetwork=true)"), r.stderr());
        cluster.kubectl("get", "pod", "net", "-n", "psa-warn").ok();
    }

    @Test
    void aDeploymentWithAViolatingTemplateIsCreatedWithAWarning() throws Exception {
        namespace("psa-deploy", "enforce=restricted");
        String deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n"
                + "  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n"
                + "    spec:\n      hostNetwork: true\n      containers:\n      - name: main\n        image: busybox\n";
        OkubeCluster.Result r = cluster.kubectlWithInput(deployment,
                "create", "--validate=false", "-n", "psa-deploy", "-f", "-").ok();
        assertEquals("deployment.apps/web created\n", r.out());
        assertTrue(r.stderr().contains("Warning: would violate PodSecurity \"restricted:latest\": host namespaces "
                + "(hostNetwork=true), allowPrivilegeEscalation != false"), r.stderr());
    }

    @Test
    void anInvalidLevelLabelIsRefused() throws Exception {
        cluster.kubectl("create", "namespace", "psa-invalid").ok();
        OkubeCluster.Result r = cluster.kubectl("label", "namespace", "psa-invalid",
                "pod-security.kubernetes.io/enforce=strict");
        assertNotEquals(0, r.exitCode());
        assertTrue(r.stderr().contains("Namespace \"psa-invalid\" is invalid: metadata.labels"
                + "[pod-security.kubernetes.io/enforce]: Invalid value: \"strict\": must be one of privileged, "
                + "baseline, restricted"), r.stderr());
    }

    @Test
    void raisingEnforceWarnsAboutExistingPods() throws Exception {
        namespace("psa-raise");
        cluster.kubectlWithInput(pod("old-priv", PRIVILEGED), "create", "--validate=false", "-n", "psa-raise", "-f", "-")
                .ok();
        OkubeCluster.Result r = cluster.kubectl("label", "namespace", "psa-raise",
                "pod-security.kubernetes.io/enforce=baseline").ok();
        assertTrue(r.stderr().contains("Warning: existing pods in namespace \"psa-raise\" violate the new "
                + "PodSecurity enforce level \"baseline:latest\""), r.stderr());
        assertTrue(r.stderr().contains("Warning: old-priv: privileged"), r.stderr());
        assertTrue(r.out().contains("namespace/psa-raise labeled"), r.out());
    }

    @Test
    @Order(100)
    void stoppingThePluginBundleLiftsEnforcementAndStartingItRestoresIt() throws Exception {
        namespace("psa-swap", "enforce=baseline");
        String chain = shell("kube:admission").out();
        assertTrue(chain.contains("PodSecurity") && chain.contains("dev.okube.podsecurity"), chain);

        shell("bundle:stop dev.okube.podsecurity");
        try {
            cluster.kubectlWithInput(pod("while-stopped", PRIVILEGED), "create", "--validate=false", "-n", "psa-swap",
                    "-f", "-").ok();
        } finally {
            shell("bundle:start dev.okube.podsecurity");
        }
        OkubeCluster.Result refused = cluster.kubectlWithInput(pod("after-restart", PRIVILEGED),
                "create", "--validate=false", "-n", "psa-swap", "-f", "-");
        assertNotEquals(0, refused.exitCode());
        assertTrue(refused.stderr().contains("pods \"after-restart\" is forbidden: violates PodSecurity "
                + "\"baseline:latest\": privileged"), refused.stderr());
    }
}
