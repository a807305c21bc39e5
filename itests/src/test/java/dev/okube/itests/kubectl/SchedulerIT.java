package dev.okube.itests.kubectl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.Set;
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
 * The scheduler end to end with the real kubectl, on hand-made Node objects (no kubelet): where
 * pods land under node selectors, affinity, taints, resource requests and topology spread, the
 * FailedScheduling Event of an unschedulable pod, scheduling gates, preemption, and gang
 * scheduling installed into the running cluster.
 *
 * <p>Nodes: n1 (zone a, disk=ssd), n2 (zone b), n3 (zone c, tainted dedicated=gpu:NoSchedule);
 * each with 2 CPUs and 4Gi.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SchedulerIT {
    private OkubeCluster cluster;

    @BeforeAll
    void start() throws Exception {
        cluster = OkubeCluster.start();
        node("n1", "a", "disk: ssd", "");
        node("n2", "b", "", "");
        node("n3", "c", "", "  taints:\n  - {key: dedicated, value: gpu, effect: NoSchedule}\n");
        for (String n : new String[] {"n1", "n2", "n3"}) {
            // TaintNodesByCondition taints new nodes not-ready until a node lifecycle controller sees them
            // ready; there is none yet, so the test clears the taint as that controller would.
            cluster.kubectl("taint", "node", n, "node.kubernetes.io/not-ready:NoSchedule-").ok();
        }
        cluster.kubectl("create", "namespace", "sched").ok();
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private void node(String name, String zone, String labels, String spec) throws Exception {
        String yaml = "apiVersion: v1\nkind: Node\nmetadata:\n  name: " + name + "\n  labels:\n"
                + "    kubernetes.io/hostname: " + name + "\n    topology.kubernetes.io/zone: " + zone + "\n"
                + (labels.isEmpty() ? "" : "    " + labels + "\n")
                + "spec:\n" + (spec.isEmpty() ? "  {}\n" : spec)
                + "status:\n  capacity: {cpu: \"2\", memory: 4Gi, pods: \"110\"}\n"
                + "  allocatable: {cpu: \"2\", memory: 4Gi, pods: \"110\"}\n"
                + "  conditions:\n  - {type: Ready, status: \"True\", reason: KubeletReady, message: hollow}\n";
        cluster.kubectlWithInput(yaml, "create", "-f", "-").ok();
    }

    private static String pod(String name, String extraMetadata, String extraSpec, String cpu) {
        return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\n  namespace: sched\n" + extraMetadata
                + "spec:\n" + extraSpec
                + "  containers:\n  - name: main\n    image: busybox\n"
                + "    resources:\n      requests: {cpu: " + cpu + ", memory: 100Mi}\n";
    }

    private void create(String yaml) throws Exception {
        cluster.kubectlWithInput(yaml, "create", "-f", "-").ok();
    }

    /** Runs a kubectl command until its outcome satisfies the predicate (60 s at most). */
    private OkubeCluster.Result await(Predicate<OkubeCluster.Result> done, String... args) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        OkubeCluster.Result last;
        do {
            last = cluster.kubectl(args);
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("kubectl " + String.join(" ", args) + " never got there; last: " + last);
    }

    private String awaitNode(String pod) throws Exception {
        return await(r -> r.exitCode() == 0 && !r.out().isEmpty(),
                "get", "pod", pod, "-n", "sched", "-o", "jsonpath={.spec.nodeName}").out();
    }

    private String nodeOf(String pod) throws Exception {
        return cluster.kubectl("get", "pod", pod, "-n", "sched", "-o", "jsonpath={.spec.nodeName}").ok().out();
    }

    /** Waits for a FailedScheduling event of {@code pod} whose message contains {@code text}; returns the message. */
    private String awaitFailedScheduling(String pod, String text) throws Exception {
        return await(r -> r.exitCode() == 0 && r.out().contains(text), "get", "events", "-n", "sched",
                "--field-selector", "involvedObject.name=" + pod + ",reason=FailedScheduling",
                "-o", "jsonpath={range .items[*]}{.message}{\"\\n\"}{end}").out();
    }

    @Test
    @Order(1)
    void aNodeSelectorPlacesThePodAndAScheduledEventSaysWhere() throws Exception {
        create(pod("ssd", "", "  nodeSelector: {disk: ssd}\n", "100m"));
        assertEquals("n1", awaitNode("ssd"));
        String events = await(r -> r.exitCode() == 0 && !r.out().isEmpty(), "get", "events", "-n", "sched",
                "--field-selector", "involvedObject.name=ssd,reason=Scheduled",
                "-o", "jsonpath={.items[*].message}").out();
        assertEquals("Successfully assigned sched/ssd to n1", events.trim());
        String condition = cluster.kubectl("get", "pod", "ssd", "-n", "sched", "-o",
                "jsonpath={.status.conditions[?(@.type==\"PodScheduled\")].status}").ok().out();
        assertEquals("True", condition, cluster.kubectl("get", "pod", "ssd", "-n", "sched", "-o",
                "jsonpath={.status.conditions}").out());
    }

    @Test
    @Order(2)
    void taintsRepelUntilTolerated() throws Exception {
        String affinity = "  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n"
                + "        nodeSelectorTerms:\n        - matchExpressions:\n"
                + "          - {key: topology.kubernetes.io/zone, operator: In, values: [c]}\n";
        create(pod("repelled", "", affinity, "100m"));
        String message = awaitFailedScheduling("repelled", "0/3 nodes are available");
        assertTrue(message.contains("0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, "
                + "2 node(s) didn't match Pod's node affinity/selector."), message);
        assertEquals("", nodeOf("repelled"));
        create(pod("tolerating", "", affinity
                + "  tolerations:\n  - {key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}\n", "100m"));
        assertEquals("n3", awaitNode("tolerating"));
    }

    @Test
    @Order(3)
    void aPodThatFitsNowhereStaysPendingWithUpstreamsMessage() throws Exception {
        create(pod("huge", "", "", "3"));
        String message = awaitFailedScheduling("huge", "Insufficient cpu");
        assertTrue(message.startsWith("0/3 nodes are available: "), message);
        assertTrue(message.contains("2 Insufficient cpu"), message);
        assertTrue(message.contains("preemption: "), message);
        assertEquals("Unschedulable", cluster.kubectl("get", "pod", "huge", "-n", "sched", "-o",
                "jsonpath={.status.conditions[?(@.type==\"PodScheduled\")].reason}").ok().out());
        assertEquals("Pending", cluster.kubectl("get", "pod", "huge", "-n", "sched", "-o",
                "jsonpath={.status.phase}").ok().out());
        cluster.kubectl("delete", "pod", "huge", "-n", "sched", "--grace-period=0", "--force").ok();
    }

    @Test
    @Order(4)
    void requiredAntiAffinityPutsReplicasOnDifferentNodes() throws Exception {
        String anti = "  affinity:\n    podAntiAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n"
                + "      - labelSelector: {matchLabels: {app: anti}}\n        topologyKey: kubernetes.io/hostname\n";
        create(pod("anti-1", "  labels: {app: anti}\n", anti, "100m"));
        create(pod("anti-2", "  labels: {app: anti}\n", anti, "100m"));
        create(pod("anti-3", "  labels: {app: anti}\n", anti, "100m"));
        String a = awaitNode("anti-1");
        String b = awaitNode("anti-2");
        assertNotEquals(a, b);
        // n3 is tainted, so the third replica has nowhere to go.
        String message = awaitFailedScheduling("anti-3", "anti-affinity");
        assertTrue(message.contains("node(s) didn't match pod anti-affinity rules"), message);
        cluster.kubectl("delete", "pod", "anti-1", "anti-2", "anti-3", "-n", "sched", "--grace-period=0", "--force").ok();
    }

    @Test
    @Order(5)
    void topologySpreadBalancesZones() throws Exception {
        String spread = "  topologySpreadConstraints:\n  - maxSkew: 1\n    topologyKey: topology.kubernetes.io/zone\n"
                + "    whenUnsatisfiable: DoNotSchedule\n    labelSelector: {matchLabels: {app: spread}}\n"
                + "    nodeTaintsPolicy: Honor\n";
        for (int i = 1; i <= 4; i++) {
            create(pod("spread-" + i, "  labels: {app: spread}\n", spread, "100m"));
            awaitNode("spread-" + i);
        }
        int a = 0;
        int b = 0;
        for (int i = 1; i <= 4; i++) {
            String n = nodeOf("spread-" + i);
            a += n.equals("n1") ? 1 : 0;
            b += n.equals("n2") ? 1 : 0;
        }
        // Zone c (n3) is tainted; with nodeTaintsPolicy Honor it is not a domain (with the default, Ignore,
        // its empty zone would hold the skew and the third pod would stay pending).
        assertEquals(2, a, "zone a");
        assertEquals(2, b, "zone b");
    }

    @Test
    @Order(6)
    void aGatedPodWaitsUntilItsGatesAreRemoved() throws Exception {
        create(pod("gated", "", "  schedulingGates:\n  - name: example.com/wait\n", "100m"));
        await(r -> r.out().equals("SchedulingGated"), "get", "pod", "gated", "-n", "sched", "-o",
                "jsonpath={.status.conditions[?(@.type==\"PodScheduled\")].reason}");
        assertEquals("", nodeOf("gated"));
        cluster.kubectl("patch", "pod", "gated", "-n", "sched", "--type=json",
                "-p", "[{\"op\":\"remove\",\"path\":\"/spec/schedulingGates\"}]").ok();
        assertTrue(Set.of("n1", "n2").contains(awaitNode("gated")));
    }

    @Test
    @Order(7)
    void aHigherPriorityPodPreemptsALowerPriorityOne() throws Exception {
        cluster.kubectlWithInput("apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: low}\nvalue: 10\n"
                + "---\napiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: high}\nvalue: 1000\n",
                "create", "-f", "-").ok();
        // Fill n1 (zone a): after the earlier pods it has less than 1.5 CPUs free.
        // No kubelet confirms deletions here, so the victim asks for none (a bound pod otherwise waits its grace period).
        String onN1 = "  priorityClassName: low\n  nodeSelector: {disk: ssd}\n  terminationGracePeriodSeconds: 0\n";
        create(pod("victim", "", onN1, "1"));
        assertEquals("n1", awaitNode("victim"));
        create(pod("preemptor", "", "  priorityClassName: high\n  nodeSelector: {disk: ssd}\n", "1500m"));
        assertEquals("n1", awaitNode("preemptor"));
        await(r -> r.exitCode() != 0 && r.stderr().contains("NotFound"), "get", "pod", "victim", "-n", "sched");
    }

    @Test
    @Order(8)
    void gangSchedulingInstalledAtRuntimeBindsTheGroupTogether() throws Exception {
        // A profile that names the Coscheduling plugin before it is installed: its pods wait, with an Event.
        Files.writeString(cluster.home().resolve("etc/dev.okube.scheduler.profile-gang.cfg"),
                "schedulerName = gang-scheduler\n"
                + "multiPoint = Coscheduling,NodeUnschedulable,NodeName,TaintToleration:3,NodeAffinity:2,"
                + "NodeResourcesFit:1,DefaultBinder\n"
                + "queueSort = Coscheduling\n");
        String member = "  labels: {scheduling.x-k8s.io/pod-group: gang}\n";
        String spec = "  schedulerName: gang-scheduler\n";
        create(pod("gang-1", member, spec, "100m"));
        create(pod("gang-2", member, spec, "100m"));
        String missing = awaitFailedScheduling("gang-1", "Coscheduling");
        assertTrue(missing.contains("not installed"), missing);

        OkubeCluster.Result install = cluster.shell("feature:install okube-scheduler-coscheduling");
        assertEquals(0, install.exitCode(), install.stderr() + install.out());
        await(r -> r.exitCode() == 0 && r.out().contains("podgroups"), "api-resources", "--api-group=scheduling.x-k8s.io");
        cluster.kubectlWithInput("apiVersion: scheduling.x-k8s.io/v1alpha1\nkind: PodGroup\n"
                + "metadata: {name: gang, namespace: sched}\nspec: {minMember: 3, scheduleTimeoutSeconds: 30}\n",
                "create", "-f", "-").ok();
        // Two of three members: nobody binds.
        Thread.sleep(3000);
        assertEquals("", nodeOf("gang-1"));
        assertEquals("", nodeOf("gang-2"));
        create(pod("gang-3", member, spec, "100m"));
        awaitNode("gang-1");
        awaitNode("gang-2");
        awaitNode("gang-3");
    }
}
