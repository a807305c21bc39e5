package dev.okube.itests.kubectl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The real kubectl (1.32, picked by the dispatcher from /version) against a real okube started
 * with bin/start. OpenAPI comes with the next issue, so commands that validate pass --validate=false.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubectlIT {
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

    private static String pod(String name, String labels) {
        return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\n  labels: {" + labels + "}\n"
                + "spec:\n  containers:\n  - name: main\n    image: busybox\n";
    }

    @Test
    @Order(1)
    void versionAndApiResources() throws Exception {
        assertTrue(cluster.kubectl("version").ok().out().contains("Server Version: v1.32.0+okube"));
        String resources = cluster.kubectl("api-resources").ok().out();
        assertTrue(resources.matches("(?s).*\\npods\\s+po\\s+v1\\s+true\\s+Pod\\n.*"), resources);
        assertTrue(resources.matches("(?s).*\\ndeployments\\s+deploy\\s+apps/v1\\s+true\\s+Deployment\\n.*"), resources);
        String namespaces = cluster.kubectl("get", "namespaces").ok().out();
        for (String ns : List.of("default", "kube-system", "kube-public", "kube-node-lease")) {
            assertTrue(namespaces.matches("(?s).*\\n" + ns + "\\s+Active\\s+.*"), namespaces);
        }
    }

    @Test
    @Order(2)
    void createGetAsTableYamlJsonAndDelete() throws Exception {
        assertEquals("pod/p1 created\n",
                cluster.kubectlWithInput(pod("p1", "app: web"), "create", "--validate=false", "-f", "-").ok().out());
        String table = cluster.kubectl("get", "pods").ok().out();
        assertTrue(table.startsWith("NAME   READY   STATUS    RESTARTS   AGE\np1     0/1     Pending   0 "), table);
        String wide = cluster.kubectl("get", "pods", "-o", "wide").ok().out();
        assertTrue(wide.contains("IP       NODE     NOMINATED NODE   READINESS GATES"), wide);
        String yaml = cluster.kubectl("get", "pod", "p1", "-o", "yaml").ok().out();
        // Defaulted and system-filled as upstream.
        for (String expected : List.of("restartPolicy: Always", "dnsPolicy: ClusterFirst", "imagePullPolicy: Always",
                "terminationGracePeriodSeconds: 30", "schedulerName: default-scheduler", "phase: Pending", "uid: ",
                "creationTimestamp: ", "resourceVersion: ")) {
            assertTrue(yaml.contains(expected), expected + " in\n" + yaml);
        }
        String json = cluster.kubectl("get", "pods", "-o", "json").ok().out();
        assertTrue(json.contains("\"kind\": \"List\"") && json.contains("\"name\": \"p1\""), json);
        assertEquals("pod \"p1\" deleted\n", cluster.kubectl("delete", "pod", "p1").ok().out());
        OkubeCluster.Result gone = cluster.kubectl("get", "pod", "p1");
        assertEquals(1, gone.exitCode());
        assertEquals("Error from server (NotFound): pods \"p1\" not found\n", gone.stderr());
    }

    @Test
    @Order(3)
    void imperativeCreatesPostProtobuf() throws Exception {
        assertEquals("namespace/proto created\n", cluster.kubectl("create", "namespace", "proto").ok().out());
        assertEquals("configmap/cm1 created\n",
                cluster.kubectl("create", "configmap", "cm1", "-n", "proto", "--from-literal=a=b").ok().out());
        assertEquals("secret/s1 created\n",
                cluster.kubectl("create", "secret", "generic", "s1", "-n", "proto", "--from-literal=x=y").ok().out());
        assertEquals("deployment.apps/web created\n",
                cluster.kubectl("create", "deployment", "web", "-n", "proto", "--image=nginx:1.25", "--replicas=3").ok().out());
        assertEquals("b", cluster.kubectl("get", "cm", "cm1", "-n", "proto", "-o", "jsonpath={.data.a}").ok().out());
        assertEquals("eQ==", cluster.kubectl("get", "secret", "s1", "-n", "proto", "-o", "jsonpath={.data.x}").ok().out());
        String deployments = cluster.kubectl("get", "deploy", "-n", "proto").ok().out();
        assertTrue(deployments.startsWith("NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    0/3     0            0 "),
                deployments);
        // Defaulted deployment: strategy and revision history as upstream.
        String strategy = cluster.kubectl("get", "deploy", "web", "-n", "proto", "-o",
                "jsonpath={.spec.strategy.rollingUpdate.maxSurge} {.spec.revisionHistoryLimit} {.metadata.generation}").ok().out();
        assertEquals("25% 10 1", strategy);
    }

    @Test
    @Order(4)
    void labelsAndSelectors() throws Exception {
        cluster.kubectlWithInput(pod("a", "app: web, tier: fe") + "---\n" + pod("b", "app: web, tier: be") + "---\n"
                + pod("c", "app: db"), "create", "--validate=false", "-f", "-").ok();
        assertEquals("pod/c labeled\n", cluster.kubectl("label", "pod", "c", "env=prod").ok().out());
        assertEquals(List.of("a", "b"), names("-l", "app=web"));
        assertEquals(List.of("a"), names("-l", "tier in (fe),app"));
        assertEquals(List.of("a", "b"), names("-l", "!env"));
        assertEquals(List.of("c"), names("-l", "env=prod,app!=web"));
        assertEquals(List.of("b"), names("--field-selector", "metadata.name=b"));
        assertEquals(List.of("a", "b", "c"), names("--field-selector", "status.phase=Pending"));
        OkubeCluster.Result bad = cluster.kubectl("get", "pods", "--field-selector", "spec.nosuch=x");
        assertEquals(1, bad.exitCode());
        assertTrue(bad.stderr().contains("field label not supported: spec.nosuch"), bad.stderr());
        cluster.kubectl("delete", "pods", "--all").ok();
        assertEquals(List.of(), names());
    }

    private List<String> names(String... selector) throws Exception {
        String[] args = new String[selector.length + 4];
        args[0] = "get";
        args[1] = "pods";
        args[2] = "-o";
        args[3] = "jsonpath={.items[*].metadata.name}";
        System.arraycopy(selector, 0, args, 4, selector.length);
        String out = cluster.kubectl(args).ok().out().trim();
        return out.isEmpty() ? List.of() : List.of(out.split(" "));
    }

    @Test
    @Order(5)
    void replaceWithAStaleResourceVersionConflicts() throws Exception {
        cluster.kubectl("create", "configmap", "r1", "--from-literal=a=1").ok();
        String stale = cluster.kubectl("get", "cm", "r1", "-o", "json").ok().out();
        cluster.kubectl("label", "cm", "r1", "changed=yes").ok();
        OkubeCluster.Result conflict = cluster.kubectlWithInput(stale, "replace", "--validate=false", "-f", "-");
        assertEquals(1, conflict.exitCode());
        assertTrue(conflict.stderr().contains("Error from server (Conflict): error when replacing \"STDIN\": "
                + "Operation cannot be fulfilled on configmaps \"r1\": the object has been modified; please apply "
                + "your changes to the latest version and try again"), conflict.stderr());
        String fresh = cluster.kubectl("get", "cm", "r1", "-o", "json").ok().out().replace("\"a\": \"1\"", "\"a\": \"2\"");
        assertEquals("configmap/r1 replaced\n",
                cluster.kubectlWithInput(fresh, "replace", "--validate=false", "-f", "-").ok().out());
        assertEquals("2", cluster.kubectl("get", "cm", "r1", "-o", "jsonpath={.data.a}").ok().out());
    }

    @Test
    @Order(6)
    void invalidNamesAreRejectedWithUpstreamsMessage() throws Exception {
        OkubeCluster.Result invalid = cluster.kubectlWithInput(pod("Bad_Name", "a: b"), "create", "--validate=false", "-f", "-");
        assertEquals(1, invalid.exitCode());
        assertTrue(invalid.stderr().contains("The Pod \"Bad_Name\" is invalid: metadata.name: Invalid value: "
                + "\"Bad_Name\": a lowercase RFC 1123 subdomain must consist of"), invalid.stderr());
    }

    @Test
    @Order(7)
    void deleteWaitsForFinalizersToGo() throws Exception {
        cluster.kubectlWithInput("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: held\n  finalizers: [example.com/hold]\n",
                "create", "--validate=false", "-f", "-").ok();
        Path out = Files.createTempFile("delete", ".out");
        Process delete = cluster.kubectlBackground(out, "delete", "configmap", "held");
        awaitTrue(() -> !cluster.kubectl("get", "cm", "held", "-o", "jsonpath={.metadata.deletionTimestamp}").ok().out()
                .isEmpty());
        assertTrue(delete.isAlive(), "kubectl delete must wait while a finalizer holds the object");
        cluster.kubectl("patch", "configmap", "held", "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}").ok();
        assertTrue(delete.waitFor(30, TimeUnit.SECONDS), "kubectl delete returns once the object is gone");
        assertEquals(0, delete.exitValue());
        assertEquals("configmap \"held\" deleted\n", Files.readString(out));
        assertEquals(1, cluster.kubectl("get", "cm", "held").exitCode());
    }

    @Test
    @Order(8)
    void describeShowsTheObjectsEvents() throws Exception {
        cluster.kubectlWithInput(pod("described", "app: x"), "create", "--validate=false", "-f", "-").ok();
        String uid = cluster.kubectl("get", "pod", "described", "-o", "jsonpath={.metadata.uid}").ok().out();
        String event = "apiVersion: v1\nkind: Event\nmetadata:\n  name: described.1\ninvolvedObject:\n  kind: Pod\n"
                + "  namespace: default\n  name: described\n  uid: " + uid + "\nreason: Testing\nmessage: hello from the test\n"
                + "type: Normal\nsource:\n  component: itest\ncount: 1\nfirstTimestamp: \"2026-01-01T00:00:00Z\"\n"
                + "lastTimestamp: \"2026-01-01T00:00:00Z\"\n";
        cluster.kubectlWithInput(event, "create", "--validate=false", "-f", "-").ok();
        String describe = cluster.kubectl("describe", "pod", "described").ok().out();
        assertTrue(describe.matches("(?s).*Events:.*Normal\\s+Testing\\s+.*itest\\s+hello from the test.*"), describe);
    }

    @Test
    @Order(9)
    void chunkedListsPageThroughEverything() throws Exception {
        cluster.kubectl("create", "namespace", "paged").ok();
        // As upstream, every namespace gets the kube-root-ca.crt ConfigMap (okube-admission-serviceaccount's publisher).
        awaitTrue(() -> cluster.kubectl("get", "configmap", "kube-root-ca.crt", "-n", "paged").exitCode() == 0);
        for (int i = 0; i < 7; i++) {
            cluster.kubectl("create", "configmap", "c" + i, "-n", "paged", "--from-literal=i=" + i).ok();
        }
        String out = cluster.kubectl("get", "configmaps", "-n", "paged", "--chunk-size=2", "-o", "name").ok().out();
        assertEquals(8, out.lines().count(), out);
        String page = cluster.kubectl("get", "--raw", "/api/v1/namespaces/paged/configmaps?limit=3").ok().out();
        assertTrue(page.contains("\"continue\":") && page.contains("\"remainingItemCount\":5"), page);
    }

    @Test
    @Order(10)
    void watchPrintsChangesAsTheyHappen() throws Exception {
        Path out = Files.createTempFile("watch", ".out");
        Process watch = cluster.kubectlBackground(out, "get", "pods", "-w");
        try {
            Thread.sleep(1500);
            cluster.kubectlWithInput(pod("watched", "app: w"), "create", "--validate=false", "-f", "-").ok();
            cluster.kubectl("label", "pod", "watched", "step=2").ok();
            cluster.kubectl("delete", "pod", "watched").ok();
            awaitTrue(() -> Files.readString(out).lines().filter(l -> l.startsWith("watched ")).count() >= 3);
        } finally {
            watch.destroy();
        }
        assertTrue(Files.readString(out).startsWith("NAME"), Files.readString(out));
    }

    @Test
    @Order(11)
    void stateSurvivesARestart() throws Exception {
        cluster.kubectl("create", "configmap", "kept", "--from-literal=k=v").ok();
        String rv = cluster.kubectl("get", "cm", "kept", "-o", "jsonpath={.metadata.resourceVersion}").ok().out();
        cluster.restart();
        assertEquals("v", cluster.kubectl("get", "cm", "kept", "-o", "jsonpath={.data.k}").ok().out());
        cluster.kubectl("label", "cm", "kept", "after=restart").ok();
        String after = cluster.kubectl("get", "cm", "kept", "-o", "jsonpath={.metadata.resourceVersion}").ok().out();
        assertNotEquals(rv, after);
        assertTrue(Long.parseLong(after) > Long.parseLong(rv), "resourceVersions keep increasing across restarts");
        assertFalse(cluster.kubectl("get", "ns", "proto").out().isEmpty());
    }

    /** Every namespace's CA bundle, published as upstream by okube-admission-serviceaccount; not the test's. */
    private static final String ROOT_CA = "kube-root-ca.crt";

    @Test
    @Order(12)
    void fabric8InformerListsWatchesAndResyncs() throws Exception {
        Config config = Config.fromKubeconfig(Files.readString(cluster.kubeconfig()));
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("informed").endMetadata()
                    .build()).create();
            client.configMaps().inNamespace("informed").resource(new ConfigMapBuilder().withNewMetadata()
                    .withName("before").endMetadata().addToData("a", "1").build()).create();
            List<String> seen = new CopyOnWriteArrayList<>();
            AtomicInteger resyncs = new AtomicInteger();
            SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace("informed").inform(
                    new ResourceEventHandler<>() {
                        @Override
                        public void onAdd(ConfigMap cm) {
                            if (!cm.getMetadata().getName().equals(ROOT_CA)) {
                                seen.add("add " + cm.getMetadata().getName());
                            }
                        }

                        @Override
                        public void onUpdate(ConfigMap old, ConfigMap cm) {
                            if (old.getMetadata().getResourceVersion().equals(cm.getMetadata().getResourceVersion())) {
                                resyncs.incrementAndGet();
                            } else {
                                seen.add("update " + cm.getMetadata().getName() + " " + cm.getData().get("a"));
                            }
                        }

                        @Override
                        public void onDelete(ConfigMap cm, boolean unknownFinalState) {
                            seen.add("delete " + cm.getMetadata().getName());
                        }
                    }, 1000);
            try {
                awaitTrue(informer::hasSynced);
                client.configMaps().inNamespace("informed").resource(new ConfigMapBuilder().withNewMetadata()
                        .withName("after").endMetadata().addToData("a", "1").build()).create();
                client.configMaps().inNamespace("informed").withName("after")
                        .edit(cm -> new ConfigMapBuilder(cm).addToData("a", "2").build());
                client.configMaps().inNamespace("informed").withName("before").delete();
                awaitTrue(() -> seen.contains("delete before") && resyncs.get() > 0);
                assertEquals(List.of("add before", "add after", "update after 2", "delete before"), seen);
                assertEquals(List.of("after"), informer.getStore().list().stream().map(cm -> cm.getMetadata().getName())
                        .filter(name -> !name.equals(ROOT_CA)).toList());
            } finally {
                informer.close();
            }
        }
    }

    /** The admin kubeconfig works with the oldest and newest kubectl builds on these machines alike. */
    @Test
    @Order(13)
    void kubectl127And133() throws Exception {
        for (String version : List.of("1.27", "1.33")) {
            String kubectl = OkubeCluster.kubectlBuild(version).toString();
            String cm = "v" + version.replace(".", "");
            assertEquals("configmap/" + cm + " created\n",
                    cluster.run(kubectl, "create", "configmap", cm, "--from-literal=a=b").ok().out(), version);
            String table = cluster.run(kubectl, "get", "configmap", cm).ok().out();
            assertTrue(table.startsWith("NAME   DATA   AGE\n" + cm + "   1      "), version + ": " + table);
            assertEquals("pod/" + cm + " created\n", cluster.runWithInput(pod(cm, "v: x"), kubectl, "create",
                    "--validate=false", "-f", "-").ok().out(), version);
            assertTrue(cluster.run(kubectl, "get", "pods", "-o", "wide").ok().out().contains("READINESS GATES"), version);
            assertEquals("pod \"" + cm + "\" deleted\n", cluster.run(kubectl, "delete", "pod", cm).ok().out(), version);
        }
    }

    @Test
    @Order(14)
    void scaleGoesThroughTheScaleSubresource() throws Exception {
        cluster.kubectl("create", "deployment", "scaled", "--image=nginx", "--replicas=2").ok();
        assertEquals("deployment.apps/scaled scaled\n",
                cluster.kubectl("scale", "deployment", "scaled", "--replicas=5").ok().out());
        assertEquals("5 2", cluster.kubectl("get", "deploy", "scaled", "-o",
                "jsonpath={.spec.replicas} {.metadata.generation}").ok().out());
        String scale = cluster.kubectl("get", "--raw", "/apis/apps/v1/namespaces/default/deployments/scaled/scale").ok().out();
        assertTrue(scale.contains("\"kind\":\"Scale\",\"apiVersion\":\"autoscaling/v1\"")
                && scale.contains("\"spec\":{\"replicas\":5}") && scale.contains("\"selector\":\"app=scaled\""), scale);
    }

    @Test
    @Order(15)
    void authCanIAnswersFromTheAuthorizerChain() throws Exception {
        // kubectl posts SelfSubjectAccessReview and SelfSubjectRulesReview as protobuf only.
        assertEquals("yes\n", cluster.kubectl("auth", "can-i", "create", "pods").ok().out());
        assertEquals("yes\n", cluster.kubectl("auth", "can-i", "delete", "nodes").ok().out());
        String list = cluster.kubectl("auth", "can-i", "--list").ok().out();
        assertTrue(list.matches("(?s)Resources\\s+Non-Resource URLs.*\\*\\.\\*\\s+\\[\\]\\s+\\[\\]\\s+\\[\\*\\].*"), list);
    }

    @Test
    @Order(16)
    void applyWithDefaultValidationCreatesConfiguresThenLeavesUnchanged() throws Exception {
        String deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: applied\nspec:\n  replicas: 2\n"
                + "  selector: {matchLabels: {app: applied}}\n  template:\n    metadata: {labels: {app: applied}}\n"
                + "    spec:\n      containers:\n      - name: main\n        image: nginx:1.25\n"
                + "        env: [{name: A, value: \"1\"}]\n";
        assertEquals("deployment.apps/applied created\n", cluster.kubectlWithInput(deployment, "apply", "-f", "-").ok().out());
        String four = deployment.replace("replicas: 2", "replicas: 4");
        assertEquals("deployment.apps/applied configured\n", cluster.kubectlWithInput(four, "apply", "-f", "-").ok().out());
        assertEquals("deployment.apps/applied unchanged\n", cluster.kubectlWithInput(four, "apply", "-f", "-").ok().out());
        assertEquals("4 2", cluster.kubectl("get", "deploy", "applied", "-o",
                "jsonpath={.spec.replicas} {.metadata.generation}").ok().out());
        // Strategic merge of env by name keeps A and adds B.
        cluster.kubectl("patch", "deploy", "applied", "-p",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"main\",\"env\":[{\"name\":\"B\",\"value\":\"2\"}]}]}}}}").ok();
        assertEquals("B A", cluster.kubectl("get", "deploy", "applied", "-o",
                "jsonpath={.spec.template.spec.containers[0].env[*].name}").ok().out());
    }

    @Test
    @Order(17)
    void explainAndStrictValidation() throws Exception {
        String explain = cluster.kubectl("explain", "pod.spec.containers").ok().out();
        assertTrue(explain.contains("FIELD: containers <[]Container>") && explain.contains("-required-"), explain);
        String unknown = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: strict\nnosuchfield: 1\n";
        OkubeCluster.Result rejected = cluster.kubectlWithInput(unknown, "create", "-f", "-");
        assertEquals(1, rejected.exitCode(), rejected.out());
        assertTrue(rejected.stderr().contains("strict decoding error: unknown field \"nosuchfield\""), rejected.stderr());
    }

    @Test
    @Order(18)
    void serverSideApplyConflictsAndForce() throws Exception {
        String deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ssa\nspec:\n  replicas: 2\n"
                + "  selector: {matchLabels: {app: ssa}}\n  template:\n    metadata: {labels: {app: ssa}}\n"
                + "    spec:\n      containers:\n      - name: main\n        image: nginx:1.25\n";
        assertEquals("deployment.apps/ssa serverside-applied\n",
                cluster.kubectlWithInput(deployment, "apply", "--server-side", "-f", "-").ok().out());
        cluster.kubectl("scale", "deployment", "ssa", "--replicas=3").ok();
        String five = deployment.replace("replicas: 2", "replicas: 5");
        OkubeCluster.Result conflict = cluster.kubectlWithInput(five, "apply", "--server-side", "-f", "-");
        assertEquals(1, conflict.exitCode(), conflict.out());
        assertTrue(conflict.stderr().contains("Apply failed with 1 conflict: conflict with \"kubectl\" using apps/v1: "
                + ".spec.replicas"), conflict.stderr());
        assertEquals("deployment.apps/ssa serverside-applied\n", cluster.kubectlWithInput(five, "apply", "--server-side",
                "--force-conflicts", "-f", "-").ok().out());
        assertEquals("5", cluster.kubectl("get", "deploy", "ssa", "-o", "jsonpath={.spec.replicas}").ok().out());
    }

    @Test
    @Order(19)
    void customResourcesFromACrd() throws Exception {
        String crd = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n"
                + "  name: crontabs.stable.example.com\nspec:\n  group: stable.example.com\n  scope: Namespaced\n"
                + "  names: {plural: crontabs, singular: crontab, kind: CronTab, shortNames: [ct]}\n  versions:\n"
                + "  - name: v1\n    served: true\n    storage: true\n    additionalPrinterColumns:\n"
                + "    - {name: Spec, type: string, jsonPath: .spec.cronSpec}\n"
                + "    - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}\n    schema:\n"
                + "      openAPIV3Schema:\n        type: object\n        properties:\n          spec:\n"
                + "            type: object\n            properties:\n              cronSpec: {type: string}\n"
                + "              replicas: {type: integer, default: 1}\n";
        cluster.kubectlWithInput(crd, "apply", "-f", "-").ok();
        cluster.kubectl("wait", "--for=condition=Established", "crd/crontabs.stable.example.com", "--timeout=30s").ok();
        String cr = "apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata:\n  name: c1\nspec:\n"
                + "  cronSpec: \"* * * * */5\"\n";
        assertEquals("crontab.stable.example.com/c1 created\n", cluster.kubectlWithInput(cr, "apply", "-f", "-").ok().out());
        String table = cluster.kubectl("get", "ct").ok().out();
        assertTrue(table.startsWith("NAME   SPEC          AGE\nc1     * * * * */5   "), table);
        assertEquals("1", cluster.kubectl("get", "ct", "c1", "-o", "jsonpath={.spec.replicas}").ok().out(), "schema default");
        OkubeCluster.Result invalid = cluster.kubectlWithInput(cr.replace("cronSpec: \"* * * * */5\"", "replicas: many"),
                "apply", "--validate=false", "-f", "-");
        assertEquals(1, invalid.exitCode(), invalid.out());
        assertTrue(invalid.stderr().contains("spec.replicas in body must be of type integer"), invalid.stderr());
        cluster.kubectl("delete", "crd", "crontabs.stable.example.com").ok();
        awaitTrue(() -> cluster.kubectl("get", "ct").exitCode() != 0);
    }

    @Test
    @Order(20)
    void jsonPatchStatusPatchAndServerDryRun() throws Exception {
        cluster.kubectl("create", "configmap", "patched", "--from-literal=a=1").ok();
        assertEquals("configmap/patched patched\n", cluster.kubectl("patch", "configmap", "patched", "--type=json", "-p",
                "[{\"op\":\"replace\",\"path\":\"/data/a\",\"value\":\"2\"},{\"op\":\"add\",\"path\":\"/data/b\","
                        + "\"value\":\"3\"}]").ok().out());
        assertEquals("2 3", cluster.kubectl("get", "cm", "patched", "-o", "jsonpath={.data.a} {.data.b}").ok().out());

        cluster.kubectl("create", "deployment", "status-patched", "--image=nginx").ok();
        cluster.kubectl("patch", "deployment", "status-patched", "--subresource=status", "--type=merge", "-p",
                "{\"status\":{\"replicas\":7},\"spec\":{\"replicas\":9}}").ok();
        // A status write changes status only.
        assertEquals("1 7", cluster.kubectl("get", "deploy", "status-patched", "-o",
                "jsonpath={.spec.replicas} {.status.replicas}").ok().out());

        assertEquals("configmap/dry created (server dry run)\n",
                cluster.kubectl("create", "configmap", "dry", "--from-literal=x=y", "--dry-run=server").ok().out());
        assertEquals(1, cluster.kubectl("get", "cm", "dry").exitCode());
        cluster.kubectl("delete", "configmap", "patched", "--dry-run=server").ok();
        assertEquals(0, cluster.kubectl("get", "cm", "patched").exitCode());
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void awaitTrue(Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30 s");
            }
            Thread.sleep(200);
        }
    }
}
