package dev.okube.itests.kubectl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Node authorizer and the NodeRestriction, TaintNodesByCondition, DefaultTolerationSeconds and
 * Priority admission plugins, installed as features into a running okube and driven with the real
 * kubectl: the admin from the generated kubeconfig, kubelets by impersonation
 * ({@code --as=system:node:NAME --as-group=system:nodes}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodePluginsIT {
    private static final List<String> FEATURES = List.of("okube-auth-node", "okube-admission-noderestriction",
            "okube-admission-taintnodesbycondition", "okube-admission-defaulttolerationseconds",
            "okube-admission-priority");

    private OkubeCluster cluster;

    @BeforeAll
    void start() throws Exception {
        cluster = OkubeCluster.start();
        // okube-all-in-one installs them; should a distribution leave them out, install them now.
        OkubeCluster.Result listed = shell("feature:list -i");
        for (String feature : FEATURES) {
            if (!listed.stdout().contains(feature)) {
                shell("feature:install " + feature);
            }
        }
        // In effect once the built-in priority classes exist and the Node authorizer refuses a node.
        awaitTrue(() -> cluster.kubectl("get", "priorityclass", "system-node-critical").exitCode() == 0,
                "system-node-critical to be created");
        awaitTrue(() -> asNode("n1", "get", "secret", "probe").stderr().contains("forbidden"),
                "the Node authorizer to be in effect");
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (check.holds()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    /** A shell command that must succeed; the shell may take a while longer than the API to accept logins. */
    private OkubeCluster.Result shell(String command) throws Exception {
        OkubeCluster.Result result = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            result = cluster.shell(command);
            if (result.exitCode() == 0) {
                return result;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(command + " failed (" + result.exitCode() + "): " + result.stderr() + result.stdout());
    }

    /** kubectl as the kubelet of a node. */
    private OkubeCluster.Result asNode(String node, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--as=system:node:" + node, "--as-group=system:nodes"));
        all.addAll(List.of(args));
        return cluster.kubectl(all.toArray(String[]::new));
    }

    private OkubeCluster.Result asNodeWithInput(String node, String input, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--as=system:node:" + node, "--as-group=system:nodes"));
        all.addAll(List.of(args));
        return cluster.kubectlWithInput(input, all.toArray(String[]::new));
    }

    private OkubeCluster.Result create(String yaml) throws Exception {
        return cluster.kubectlWithInput(yaml, "create", "--validate=false", "-f", "-");
    }

    private static String node(String name) {
        return "apiVersion: v1\nkind: Node\nmetadata:\n  name: " + name + "\n  labels:\n    kubernetes.io/hostname: "
                + name + "\n";
    }

    private static String pod(String name, String extraSpec) {
        return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\nspec:\n" + extraSpec
                + "  containers:\n  - name: main\n    image: busybox\n";
    }

    private static void refused(OkubeCluster.Result result, String message) {
        assertNotEquals(0, result.exitCode(), result.stdout());
        assertTrue(result.stderr().contains(message), result.stderr());
    }

    @Test
    @Order(1)
    void aNodeRegistersItselfAndGetsTheNotReadyTaint() throws Exception {
        assertEquals("node/n1 created\n", asNodeWithInput("n1", node("n1"), "create", "--validate=false", "-f", "-")
                .ok().out());
        String taints = cluster.kubectl("get", "node", "n1", "-o", "jsonpath={.spec.taints}").ok().out();
        assertTrue(taints.contains("\"key\":\"node.kubernetes.io/not-ready\"") && taints.contains("\"effect\":\"NoSchedule\""),
                taints);
        // The admin's node gets it too.
        create(node("n2")).ok();
        assertTrue(cluster.kubectl("get", "node", "n2", "-o", "jsonpath={.spec.taints[*].key}").ok().out()
                .contains("node.kubernetes.io/not-ready"));
    }

    @Test
    @Order(2)
    void aNodeCannotRegisterAnother() throws Exception {
        refused(asNodeWithInput("n1", node("n3"), "create", "--validate=false", "-f", "-"),
                "nodes \"n3\" is forbidden: node \"n1\" is not allowed to modify node \"n3\"");
    }

    @Test
    @Order(3)
    void aNodeUpdatesItsOwnNodeButNotAnothers() throws Exception {
        assertEquals("node/n1 labeled\n", asNode("n1", "label", "node", "n1", "topology.kubernetes.io/zone=z1")
                .ok().out());
        assertEquals("z1", cluster.kubectl("get", "node", "n1", "-o",
                "jsonpath={.metadata.labels.topology\\.kubernetes\\.io/zone}").ok().out());
        // Another node's object: the Node authorizer lets it neither read nor (through NodeRestriction) write it.
        refused(asNode("n1", "label", "node", "n2", "team=a"),
                "User \"system:node:n1\" cannot get resource \"nodes\" in API group \"\" at the cluster scope: "
                        + "node 'n1' cannot read 'n2', only its own Node object");
        // A write that needs no read first (a raw PUT) gets past the authorizer, and NodeRestriction refuses it.
        String n2 = cluster.kubectl("get", "node", "n2", "-o", "json").ok().out()
                .replace("\"labels\": {", "\"labels\": {\n            \"team\": \"a\",");
        assertTrue(n2.contains("\"team\": \"a\""), n2);
        refused(asNodeWithInput("n1", n2, "replace", "--raw", "/api/v1/nodes/n2", "-f", "-"),
                "nodes \"n2\" is forbidden: node \"n1\" is not allowed to modify node \"n2\"");
        assertEquals("", cluster.kubectl("get", "node", "n2", "-o", "jsonpath={.metadata.labels.team}").ok().out());
        // Its own node, but labels that would steer workloads, or its taints.
        refused(asNode("n1", "label", "node", "n1", "node-role.kubernetes.io/control-plane="),
                "is not allowed to modify labels: node-role.kubernetes.io/control-plane");
        refused(asNode("n1", "taint", "node", "n1", "node.kubernetes.io/not-ready:NoSchedule-"),
                "node \"n1\" is not allowed to modify taints");
        // The admin may do both.
        cluster.kubectl("label", "node", "n2", "team=a").ok();
    }

    @Test
    @Order(4)
    void aPodGetsThePriorityOfItsClass() throws Exception {
        create("apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: high\nvalue: 1000\n"
                + "preemptionPolicy: Never\n").ok();
        create(pod("prio", "  priorityClassName: high\n")).ok();
        assertEquals("1000 Never", cluster.kubectl("get", "pod", "prio", "-o",
                "jsonpath={.spec.priority} {.spec.preemptionPolicy}").ok().out());
        create(pod("critical", "  priorityClassName: system-node-critical\n")).ok();
        assertEquals("2000001000", cluster.kubectl("get", "pod", "critical", "-o", "jsonpath={.spec.priority}").ok().out());
        create(pod("plain", "")).ok();
        assertEquals("0", cluster.kubectl("get", "pod", "plain", "-o", "jsonpath={.spec.priority}").ok().out());
    }

    @Test
    @Order(5)
    void anUnknownClassOrAForeignPriorityIsRefused() throws Exception {
        refused(create(pod("lost", "  priorityClassName: nope\n")),
                "pods \"lost\" is forbidden: no PriorityClass with name nope was found");
        refused(create(pod("bold", "  priorityClassName: high\n  priority: 5\n")),
                "pods \"bold\" is forbidden: the integer value of priority (5) must not be provided in pod spec; "
                        + "priority admission controller computed 1000 from the given PriorityClass name");
    }

    @Test
    @Order(6)
    void onlyOneGlobalDefault() throws Exception {
        create("apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: normal\nvalue: 10\n"
                + "globalDefault: true\n").ok();
        refused(create("apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: other\nvalue: 20\n"
                + "globalDefault: true\n"),
                "priorityclasses.scheduling.k8s.io \"other\" is forbidden: PriorityClass normal is already marked as "
                        + "default. Only one default can exist");
        create(pod("defaulted", "")).ok();
        assertEquals("normal 10", cluster.kubectl("get", "pod", "defaulted", "-o",
                "jsonpath={.spec.priorityClassName} {.spec.priority}").ok().out());
        cluster.kubectl("delete", "priorityclass", "normal").ok();
    }

    @Test
    @Order(7)
    void podsGetDefaultTolerations() throws Exception {
        create(pod("tolerant", "")).ok();
        String tolerations = cluster.kubectl("get", "pod", "tolerant", "-o",
                "jsonpath={range .spec.tolerations[*]}{.key}:{.effect}:{.tolerationSeconds} {end}").ok().out();
        assertEquals("node.kubernetes.io/not-ready:NoExecute:300 node.kubernetes.io/unreachable:NoExecute:300 ",
                tolerations);
        create(pod("patient", "  tolerations:\n  - key: node.kubernetes.io/unreachable\n    operator: Exists\n"
                + "    effect: NoExecute\n    tolerationSeconds: 3600\n")).ok();
        assertEquals("node.kubernetes.io/unreachable:3600 node.kubernetes.io/not-ready:300 ", cluster.kubectl("get",
                "pod", "patient", "-o", "jsonpath={range .spec.tolerations[*]}{.key}:{.tolerationSeconds} {end}")
                .ok().out());
    }

    @Test
    @Order(8)
    void aNodeReadsTheSecretItsPodUsesButNoOther() throws Exception {
        cluster.kubectl("create", "secret", "generic", "used", "--from-literal=k=v").ok();
        cluster.kubectl("create", "secret", "generic", "unused", "--from-literal=k=v").ok();
        create(pod("consumer", "  nodeName: n1\n  volumes:\n  - name: s\n    secret:\n      secretName: used\n")).ok();
        awaitTrue(() -> asNode("n1", "get", "secret", "used").exitCode() == 0, "node n1 to read secret used");
        assertTrue(asNode("n1", "get", "secret", "used", "-o", "jsonpath={.data.k}").ok().out().equals("dg=="));
        refused(asNode("n1", "get", "secret", "unused"),
                "secrets \"unused\" is forbidden: User \"system:node:n1\" cannot get resource \"secrets\" in API group "
                        + "\"\" in the namespace \"default\": no relationship found between node 'n1' and this object");
        refused(asNode("n2", "get", "secret", "used"), "no relationship found between node 'n2' and this object");
        // A node may list no secrets at all.
        refused(asNode("n1", "get", "secrets"), "forbidden");
        // It reads its pods, not others'.
        asNode("n1", "get", "pod", "consumer").ok();
        refused(asNode("n2", "get", "pod", "consumer"), "no relationship found between node 'n2' and this object");
        // When the pod goes, so does the node's access.
        cluster.kubectl("delete", "pod", "consumer", "--grace-period=0", "--force").ok();
        awaitTrue(() -> asNode("n1", "get", "secret", "used").exitCode() != 0, "node n1 to lose secret used");
    }

    @Test
    @Order(9)
    void aNodeCreatesOnlyMirrorPodsAndOwnLeases() throws Exception {
        refused(asNodeWithInput("n1", pod("sneaky", "  nodeName: n1\n"), "create", "--validate=false", "-f", "-"),
                "pods \"sneaky\" is forbidden: pod does not have \"kubernetes.io/config.mirror\" annotation, node \"n1\" "
                        + "can only create mirror pods");
        String lease = "apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata:\n  name: %s\n"
                + "  namespace: kube-node-lease\nspec:\n  holderIdentity: %s\n";
        asNodeWithInput("n1", String.format(lease, "n1", "n1"), "create", "--validate=false", "-f", "-").ok();
        refused(asNodeWithInput("n1", String.format(lease, "n2", "n1"), "create", "--validate=false", "-f", "-"),
                "can only access node lease with the same name as the requesting node");
        asNode("n1", "get", "lease", "n1", "-n", "kube-node-lease").ok();
        refused(asNode("n2", "get", "lease", "n1", "-n", "kube-node-lease"), "forbidden");
    }

    @Test
    @Order(10)
    void thePluginsListedInTheChain() throws Exception {
        String chain = shell("kube:admission").stdout();
        for (String plugin : List.of("NodeRestriction", "TaintNodesByCondition", "Priority", "DefaultTolerationSeconds")) {
            assertTrue(chain.contains(plugin), chain);
        }
        for (String bundle : List.of("dev.okube.noderestriction", "dev.okube.taintnodesbycondition", "dev.okube.priority",
                "dev.okube.defaulttolerationseconds")) {
            assertTrue(chain.contains(bundle), chain);
        }
    }
}
