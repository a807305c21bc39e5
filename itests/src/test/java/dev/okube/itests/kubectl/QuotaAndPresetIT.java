package dev.okube.itests.kubectl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * ResourceQuota end to end (admission charges, the controller releases) and PodPreset with the
 * real kubectl, including the PodPreset feature uninstalled and reinstalled in the running cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuotaAndPresetIT {
    private OkubeCluster cluster;

    @BeforeAll
    void start() throws Exception {
        cluster = OkubeCluster.start();
        cluster.kubectl("create", "namespace", "quota-it").ok();
        cluster.kubectl("create", "namespace", "preset-it").ok();
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String pod(String name, String namespace, String labels) {
        return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\n  namespace: " + namespace
                + "\n  labels: {" + labels + "}\nspec:\n  containers:\n  - name: main\n    image: busybox\n";
    }

    private OkubeCluster.Result createPod(String name, String namespace, String labels) throws Exception {
        return cluster.kubectlWithInput(pod(name, namespace, labels), "create", "--validate=false", "-f", "-");
    }

    /** Runs a kubectl command until its outcome satisfies the predicate (30 s at most). */
    private OkubeCluster.Result await(Predicate<OkubeCluster.Result> done, String... args) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        OkubeCluster.Result last;
        do {
            last = cluster.kubectl(args);
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("kubectl " + String.join(" ", args) + " never got there; last: " + last);
    }

    private void awaitUsedPods(String value) throws Exception {
        await(r -> r.exitCode() == 0 && r.out().equals(value),
                "get", "quota", "q", "-n", "quota-it", "-o", "jsonpath={.status.used.pods}");
    }

    @Test
    @Order(1)
    void aQuotaAdmitsTwoPodsAndRefusesTheThird() throws Exception {
        assertEquals("resourcequota/q created\n",
                cluster.kubectl("create", "quota", "q", "--hard=pods=2", "-n", "quota-it").ok().out());
        awaitUsedPods("0"); // the controller has computed the status
        createPod("p1", "quota-it", "app: web").ok();
        createPod("p2", "quota-it", "app: web").ok();
        OkubeCluster.Result third = createPod("p3", "quota-it", "app: web");
        assertNotEquals(0, third.exitCode());
        assertTrue(third.stderr().contains("Error from server (Forbidden)"), third.stderr());
        assertTrue(third.stderr().contains(
                "pods \"p3\" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2"),
                third.stderr());
        String described = cluster.kubectl("describe", "quota", "q", "-n", "quota-it").ok().out();
        assertTrue(described.matches("(?s).*Resource\\s+Used\\s+Hard\\n.*\\npods\\s+2\\s+2\\n.*"), described);
    }

    @Test
    @Order(2)
    void deletingAPodReleasesItsUsage() throws Exception {
        cluster.kubectl("delete", "pod", "p1", "-n", "quota-it").ok();
        awaitUsedPods("1");
        createPod("p3", "quota-it", "app: web").ok();
        awaitUsedPods("2");
        assertNotEquals(0, createPod("p4", "quota-it", "app: web").exitCode());
        String described = cluster.kubectl("describe", "quota", "q", "-n", "quota-it").ok().out();
        assertTrue(described.matches("(?s).*\\npods\\s+2\\s+2\\n.*"), described);
    }

    private static final String PRESET = """
            apiVersion: settings.k8s.io/v1alpha1
            kind: PodPreset
            metadata:
              name: allow-database
              namespace: preset-it
            spec:
              selector:
                matchLabels:
                  role: frontend
              env:
              - name: DB_PORT
                value: "6379"
              volumeMounts:
              - mountPath: /cache
                name: cache-volume
              volumes:
              - name: cache-volume
                emptyDir: {}
            """;

    private String env(String pod) throws Exception {
        return cluster.kubectl("get", "pod", pod, "-n", "preset-it", "-o",
                "jsonpath={.spec.containers[0].env[*].name}={.spec.containers[0].env[*].value}").ok().out();
    }

    @Test
    @Order(3)
    void aPodPresetAppliedWithKubectlInjectsMatchingPods() throws Exception {
        // The kind is served while the plugin's bundle is active.
        await(r -> r.exitCode() == 0 && r.out().contains("podpresets"), "api-resources", "--api-group=settings.k8s.io");
        assertEquals("podpreset.settings.k8s.io/allow-database created\n",
                cluster.kubectlWithInput(PRESET, "apply", "--validate=false", "-f", "-").ok().out());
        assertTrue(cluster.kubectl("get", "podpresets", "-n", "preset-it").ok().out().contains("allow-database"));
        createPod("web1", "preset-it", "role: frontend").ok();
        assertEquals("DB_PORT=6379", env("web1"));
        String yaml = cluster.kubectl("get", "pod", "web1", "-n", "preset-it", "-o", "yaml").ok().out();
        assertTrue(yaml.contains("podpreset.admission.kubernetes.io/podpreset-allow-database:"), yaml);
        assertTrue(yaml.contains("mountPath: /cache"), yaml);
        createPod("backend1", "preset-it", "role: backend").ok();
        assertEquals("=", env("backend1"));
        // A preset that injects nothing is refused by the kind's validation.
        OkubeCluster.Result invalid = cluster.kubectlWithInput("""
                apiVersion: settings.k8s.io/v1alpha1
                kind: PodPreset
                metadata:
                  name: empty
                  namespace: preset-it
                spec:
                  selector: {}
                """, "apply", "--validate=false", "-f", "-");
        assertNotEquals(0, invalid.exitCode());
        assertTrue(invalid.stderr().contains("must specify at least one"), invalid.stderr());
    }

    @Test
    @Order(4)
    void uninstalledAtRuntimeThePresetNoLongerAppliesAndTheKindIsGone() throws Exception {
        OkubeCluster.Result uninstall = cluster.shell("feature:uninstall okube-admission-podpreset");
        assertEquals(0, uninstall.exitCode(), uninstall.stderr() + uninstall.stdout());
        Path freshCache = Files.createTempDirectory("kubectl-cache");
        OkubeCluster.Result gone = await(r -> r.exitCode() != 0
                        && r.stderr().contains("the server doesn't have a resource type \"podpresets\""),
                "get", "podpresets", "-n", "preset-it", "--cache-dir=" + freshCache);
        assertTrue(gone.out().isEmpty(), gone.out());
        createPod("web2", "preset-it", "role: frontend").ok();
        assertEquals("=", env("web2"));
    }

    @Test
    @Order(5)
    void reinstalledThePresetAppliesAgain() throws Exception {
        OkubeCluster.Result install = cluster.shell("feature:install okube-admission-podpreset");
        assertEquals(0, install.exitCode(), install.stderr() + install.stdout());
        Path freshCache = Files.createTempDirectory("kubectl-cache");
        // The stored preset is still there once the kind is served again.
        await(r -> r.exitCode() == 0 && r.out().contains("allow-database"),
                "get", "podpresets", "-n", "preset-it", "--cache-dir=" + freshCache);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int n = 3;
        String injected;
        do {
            String name = "web" + n++;
            createPod(name, "preset-it", "role: frontend").ok();
            injected = env(name);
        } while (!injected.equals("DB_PORT=6379") && System.nanoTime() < deadline);
        assertEquals("DB_PORT=6379", injected);
    }
}
