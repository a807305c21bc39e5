package dev.okube.itests.kubectl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The admission plugins of upstream's default set that okube-all-in-one installs (NamespaceLifecycle,
 * LimitRanger, ServiceAccount, DefaultStorageClass, StorageObjectInUseProtection, DefaultIngressClass)
 * and the controllers that ship with them, seen through the real kubectl.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CorePluginsIT {
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

    private static String pod(String name, String extraSpec) {
        return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\nspec:\n" + extraSpec
                + "  containers:\n  - name: main\n    image: busybox\n";
    }

    /** Runs kubectl until its output satisfies the condition (controllers act asynchronously). */
    private String eventually(Predicate<OkubeCluster.Result> condition, String... args) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        OkubeCluster.Result last;
        do {
            last = cluster.kubectl(args);
            if (condition.test(last)) {
                return last.out();
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("kubectl " + String.join(" ", args) + " never satisfied the condition; last: "
                + last.stderr() + last.stdout());
    }

    private String jsonpath(String kind, String name, String namespace, String path) throws Exception {
        return cluster.kubectl("get", kind, name, "-n", namespace, "-o", "jsonpath=" + path).ok().out();
    }

    // ---- NamespaceLifecycle ----

    @Test
    @Order(1)
    void aPodInAMissingNamespaceIsRefused() throws Exception {
        OkubeCluster.Result result = cluster.kubectlWithInput(pod("lost", ""), "create", "-n", "nowhere", "-f", "-");
        assertNotEquals(0, result.exitCode());
        assertTrue(result.stderr().contains("namespaces \"nowhere\" not found"), result.stderr());
    }

    @Test
    @Order(2)
    void theSystemNamespacesCannotBeDeleted() throws Exception {
        for (String ns : new String[] {"kube-system", "default", "kube-public"}) {
            OkubeCluster.Result result = cluster.kubectl("delete", "namespace", ns);
            assertNotEquals(0, result.exitCode());
            assertTrue(result.stderr().contains("Error from server (Forbidden): namespaces \"" + ns
                    + "\" is forbidden: this namespace may not be deleted"), result.stderr());
        }
        assertTrue(cluster.kubectl("get", "namespace", "kube-system").ok().out().contains("Active"));
    }

    @Test
    @Order(3)
    void nothingNewGoesIntoATerminatingNamespace() throws Exception {
        // A finalizer of its own keeps the namespace Terminating after the delete (okube has no namespace controller yet).
        cluster.kubectlWithInput("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: doomed\n  finalizers: "
                + "[example.com/hold]\n", "create", "-f", "-").ok();
        cluster.kubectl("delete", "namespace", "doomed", "--wait=false").ok();
        assertEquals("Terminating", cluster.kubectl("get", "namespace", "doomed", "-o", "jsonpath={.status.phase}").ok()
                .out());
        OkubeCluster.Result result = cluster.kubectlWithInput(pod("late", ""), "create", "-n", "doomed", "-f", "-");
        assertNotEquals(0, result.exitCode());
        assertTrue(result.stderr().contains("Error from server (Forbidden): error when creating \"STDIN\": pods \"late\" "
                + "is forbidden: unable to create new content in namespace doomed because it is being terminated"),
                result.stderr());
        cluster.kubectl("patch", "namespace", "doomed", "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}")
                .ok();
        eventually(r -> r.exitCode() != 0 && r.stderr().contains("NotFound"), "get", "namespace", "doomed");
    }

    // ---- ServiceAccount and its controllers ----

    @Test
    @Order(10)
    void aNewNamespaceGetsTheDefaultServiceAccountAndTheRootCa() throws Exception {
        cluster.kubectl("create", "namespace", "team").ok();
        eventually(r -> r.exitCode() == 0, "get", "serviceaccount", "default", "-n", "team");
        // Deleted, it comes back.
        cluster.kubectl("delete", "serviceaccount", "default", "-n", "team").ok();
        eventually(r -> r.exitCode() == 0, "get", "serviceaccount", "default", "-n", "team");
        // The cluster CA (data/okube/pki/ca.crt, written by the apiserver's TLS setup) in every namespace.
        String ca = eventually(r -> r.exitCode() == 0 && r.out().contains("BEGIN CERTIFICATE"),
                "get", "configmap", "kube-root-ca.crt", "-n", "team", "-o", "jsonpath={.data.ca\\.crt}");
        assertTrue(ca.contains("END CERTIFICATE"), ca);
    }

    @Test
    @Order(11)
    void aPodGetsTheDefaultServiceAccountAndTheTokenVolume() throws Exception {
        eventually(r -> r.exitCode() == 0, "get", "serviceaccount", "default", "-n", "team");
        cluster.kubectlWithInput(pod("web", ""), "create", "-n", "team", "-f", "-").ok();
        assertEquals("default", jsonpath("pod", "web", "team", "{.spec.serviceAccountName}"));
        String volume = jsonpath("pod", "web", "team", "{.spec.volumes[0].name}");
        assertTrue(volume.matches("kube-api-access-[a-z0-9]{5}"), volume);
        assertEquals("3607 token kube-root-ca.crt metadata.namespace", jsonpath("pod", "web", "team",
                "{.spec.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds} "
                        + "{.spec.volumes[0].projected.sources[0].serviceAccountToken.path} "
                        + "{.spec.volumes[0].projected.sources[1].configMap.name} "
                        + "{.spec.volumes[0].projected.sources[2].downwardAPI.items[0].fieldRef.fieldPath}"));
        assertEquals(volume + " /var/run/secrets/kubernetes.io/serviceaccount true", jsonpath("pod", "web", "team",
                "{.spec.containers[0].volumeMounts[0].name} {.spec.containers[0].volumeMounts[0].mountPath} "
                        + "{.spec.containers[0].volumeMounts[0].readOnly}"));
    }

    @Test
    @Order(12)
    void aPodThatOptsOutGetsNoTokenAndAMissingServiceAccountIsRefused() throws Exception {
        cluster.kubectlWithInput(pod("quiet", "  automountServiceAccountToken: false\n"), "create", "-n", "team", "-f",
                "-").ok();
        assertEquals("", jsonpath("pod", "quiet", "team", "{.spec.volumes}"));
        OkubeCluster.Result result = cluster.kubectlWithInput(pod("ghost", "  serviceAccountName: ghost\n"), "create",
                "-n", "team", "-f", "-");
        assertNotEquals(0, result.exitCode());
        assertTrue(result.stderr().contains("pods \"ghost\" is forbidden: error looking up service account team/ghost: "
                + "serviceaccount \"ghost\" not found"), result.stderr());
    }

    // ---- LimitRanger ----

    @Test
    @Order(20)
    void limitRangeDefaultsAreAppliedAndItsMaximumEnforced() throws Exception {
        cluster.kubectl("create", "namespace", "limited").ok();
        cluster.kubectlWithInput("apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: cpu\nspec:\n  limits:\n"
                + "  - type: Container\n    default:\n      cpu: 500m\n    defaultRequest:\n      cpu: 100m\n"
                + "    max:\n      cpu: \"1\"\n", "create", "-n", "limited", "-f", "-").ok();
        eventually(r -> r.exitCode() == 0, "get", "serviceaccount", "default", "-n", "limited");
        cluster.kubectlWithInput(pod("small", ""), "create", "-n", "limited", "-f", "-").ok();
        assertEquals("500m 100m", jsonpath("pod", "small", "limited",
                "{.spec.containers[0].resources.limits.cpu} {.spec.containers[0].resources.requests.cpu}"));
        assertEquals("LimitRanger plugin set: cpu request for container main; cpu limit for container main",
                jsonpath("pod", "small", "limited", "{.metadata.annotations.kubernetes\\.io/limit-ranger}"));
        // The defaults count for the pod's QoS class, computed after admission as upstream.
        assertEquals("Burstable", jsonpath("pod", "small", "limited", "{.status.qosClass}"));
        OkubeCluster.Result big = cluster.kubectlWithInput("apiVersion: v1\nkind: Pod\nmetadata:\n  name: big\nspec:\n"
                + "  containers:\n  - name: main\n    image: busybox\n    resources:\n      limits:\n        cpu: \"2\"\n",
                "create", "-n", "limited", "-f", "-");
        assertNotEquals(0, big.exitCode());
        assertTrue(big.stderr().contains("pods \"big\" is forbidden: maximum cpu usage per Container is 1, but limit "
                + "is 2"), big.stderr());
    }

    // ---- DefaultStorageClass and StorageObjectInUseProtection ----

    @Test
    @Order(30)
    void aClaimGetsTheDefaultClassAndTheProtectionFinalizer() throws Exception {
        cluster.kubectlWithInput("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: standard\n"
                + "  annotations:\n    storageclass.kubernetes.io/is-default-class: \"true\"\n"
                + "provisioner: okube.dev/hostpath\n", "create", "-f", "-").ok();
        cluster.kubectlWithInput("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n"
                + "  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n",
                "create", "-n", "team", "-f", "-").ok();
        assertEquals("standard", jsonpath("pvc", "data", "team", "{.spec.storageClassName}"));
        assertEquals("kubernetes.io/pvc-protection", jsonpath("pvc", "data", "team", "{.metadata.finalizers[*]}"));
        // Unused, the claim is released by the protection controller and goes away.
        cluster.kubectl("delete", "pvc", "data", "-n", "team", "--timeout=20s").ok();
        eventually(r -> r.exitCode() != 0 && r.stderr().contains("NotFound"), "get", "pvc", "data", "-n", "team");
    }

    @Test
    @Order(31)
    void aVolumeGetsThePvProtectionFinalizer() throws Exception {
        cluster.kubectlWithInput("apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv1\nspec:\n"
                + "  capacity:\n    storage: 1Gi\n  accessModes: [ReadWriteOnce]\n  hostPath:\n    path: /tmp/pv1\n",
                "create", "-f", "-").ok();
        assertEquals("kubernetes.io/pv-protection",
                cluster.kubectl("get", "pv", "pv1", "-o", "jsonpath={.metadata.finalizers[*]}").ok().out());
    }

    // ---- DefaultIngressClass ----

    @Test
    @Order(40)
    void anIngressGetsTheDefaultClass() throws Exception {
        cluster.kubectlWithInput("apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: okube\n"
                + "  annotations:\n    ingressclass.kubernetes.io/is-default-class: \"true\"\n"
                + "spec:\n  controller: okube.dev/ingress\n", "create", "-f", "-").ok();
        cluster.kubectlWithInput("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: site\nspec:\n"
                + "  defaultBackend:\n    service:\n      name: web\n      port:\n        number: 80\n",
                "create", "-n", "team", "-f", "-").ok();
        assertEquals("okube", jsonpath("ingress", "site", "team", "{.spec.ingressClassName}"));
    }

    private static String ingress(String name) {
        return "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: " + name + "\nspec:\n"
                + "  defaultBackend:\n    service:\n      name: web\n      port:\n        number: 80\n";
    }

    /** Waits until kube:admission shows the plugin in the chain, or no longer does. */
    private void awaitInChain(String plugin, boolean present) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        String chain;
        do {
            chain = cluster.shell("kube:admission").ok().out();
            if (chain.contains("| " + plugin + " ") == present) {
                return;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(plugin + (present ? " never joined" : " never left") + " the chain:\n" + chain);
    }

    @Test
    @Order(41)
    void aPluginStoppedAndStartedAtRuntimeTakesEffectEachTime() throws Exception {
        // okube-all-in-one requires the feature, so the bundle itself is stopped and started.
        cluster.shell("bundle:stop dev.okube.defaultingressclass").ok();
        awaitInChain("DefaultIngressClass", false);
        cluster.kubectlWithInput(ingress("plain"), "create", "-n", "team", "-f", "-").ok();
        assertEquals("", jsonpath("ingress", "plain", "team", "{.spec.ingressClassName}"));

        cluster.shell("bundle:start dev.okube.defaultingressclass").ok();
        awaitInChain("DefaultIngressClass", true);
        cluster.kubectlWithInput(ingress("classy"), "create", "-n", "team", "-f", "-").ok();
        assertEquals("okube", jsonpath("ingress", "classy", "team", "{.spec.ingressClassName}"));
    }

    @Test
    @Order(50)
    void theChainRunsThePluginsInUpstreamsOrder() throws Exception {
        String chain = cluster.shell("kube:admission").ok().out();
        int previous = -1;
        for (String plugin : new String[] {"NamespaceLifecycle", "LimitRanger", "ServiceAccount", "DefaultStorageClass",
                "StorageObjectInUseProtection", "DefaultIngressClass"}) {
            int at = chain.indexOf("| mutating   | " + plugin + " ");
            assertTrue(at > previous, plugin + " out of order in\n" + chain);
            previous = at;
        }
        assertTrue(chain.indexOf("| validating | LimitRanger ") < chain.indexOf("| validating | ServiceAccount "),
                chain);
    }
}
