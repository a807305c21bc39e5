package dev.okube.admission.namespacelifecycle;

import static dev.okube.testkit.Admission.ADMIN;
import static dev.okube.testkit.Admission.create;
import static dev.okube.testkit.Admission.json;
import static dev.okube.testkit.Admission.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionRequest.Operation;
import dev.okube.api.admission.AdmissionResponse;
import dev.okube.api.resources.ResourceType;
import dev.okube.testkit.InMemoryClusterResources;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class NamespaceLifecycleTest {
    private static final ResourceType NS = ResourceType.core("namespaces");
    private final InMemoryClusterResources cluster = new InMemoryClusterResources();
    private final NamespaceLifecycle plugin = new NamespaceLifecycle(cluster,
            Set.of("default", "kube-system", "kube-public"), 50, 30);
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        later.shutdownNow();
    }

    private ObjectNode namespace(String name, String phase) {
        return cluster.put(NS, json("{'apiVersion':'v1','kind':'Namespace','metadata':{'name':'" + name + "'},"
                + "'status':{'phase':'" + phase + "'}}"));
    }

    private static ObjectNode pod(String namespace, String name) {
        return json("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'" + name + "','namespace':'" + namespace
                + "'},'spec':{'containers':[{'name':'c','image':'busybox'}]}}");
    }

    private static AdmissionRequest delete(String group, String resource, String kind, String namespace, String name,
            ObjectNode old) {
        return new AdmissionRequest(Operation.DELETE, group, "v1", kind, resource, "", namespace, name, null, old, ADMIN,
                false);
    }

    @Test
    void createInExistingActiveNamespaceIsAllowed() {
        namespace("team", "Active");
        assertTrue(plugin.admit(create("pods", "Pod", pod("team", "p"))).allowed());
    }

    @Test
    void createInMissingNamespaceIsNotFound() {
        AdmissionResponse response = plugin.admit(create("pods", "Pod", pod("nowhere", "p")));
        assertFalse(response.allowed());
        assertEquals(404, response.code());
        assertEquals("NotFound", response.reason());
        assertEquals("namespaces \"nowhere\" not found", response.message());
    }

    @Test
    void updateInMissingNamespaceIsNotFound() {
        ObjectNode pod = pod("gone", "p");
        AdmissionResponse response = plugin.admit(update("", "v1", "pods", "Pod", pod, pod.deepCopy(), ADMIN));
        assertEquals(404, response.code());
        assertEquals("namespaces \"gone\" not found", response.message());
    }

    @Test
    void createInTerminatingNamespaceIsForbidden() {
        namespace("leaving", "Terminating");
        AdmissionResponse response = plugin.admit(create("configmaps", "ConfigMap",
                json("{'metadata':{'name':'cm','namespace':'leaving'}}")));
        assertEquals(403, response.code());
        assertEquals("Forbidden", response.reason());
        assertEquals("configmaps \"cm\" is forbidden: unable to create new content in namespace leaving because it "
                + "is being terminated", response.message());
    }

    @Test
    void forbiddenMessageQualifiesGroupedResources() {
        namespace("leaving", "Terminating");
        ObjectNode deployment = json("{'metadata':{'name':'web','namespace':'leaving'}}");
        AdmissionResponse response = plugin.admit(create("apps", "v1", "deployments", "Deployment", deployment, ADMIN));
        assertEquals("deployments.apps \"web\" is forbidden: unable to create new content in namespace leaving "
                + "because it is being terminated", response.message());
    }

    @Test
    void forbiddenMessageUsesGenerateNameWhenThereIsNoName() {
        namespace("leaving", "Terminating");
        ObjectNode pod = json("{'metadata':{'generateName':'web-','namespace':'leaving'}}");
        AdmissionResponse response = plugin.admit(create("pods", "Pod", pod));
        assertTrue(response.message().startsWith("pods \"web-\" is forbidden: "), response.message());
    }

    @Test
    void updatesAndDeletesInTerminatingNamespaceAreAllowed() {
        namespace("leaving", "Terminating");
        ObjectNode pod = pod("leaving", "p");
        assertTrue(plugin.admit(update("", "v1", "pods", "Pod", pod, pod.deepCopy(), ADMIN)).allowed());
        assertTrue(plugin.admit(delete("", "pods", "Pod", "leaving", "p", pod)).allowed());
    }

    @Test
    void deletesInMissingNamespaceAreAllowed() {
        assertTrue(plugin.admit(delete("", "pods", "Pod", "nowhere", "p", pod("nowhere", "p"))).allowed());
    }

    @Test
    void systemNamespacesMayNotBeDeleted() {
        for (String name : new String[] {"default", "kube-system", "kube-public"}) {
            ObjectNode ns = namespace(name, "Active");
            AdmissionResponse response = plugin.admit(delete("", "namespaces", "Namespace", "", name, ns));
            assertEquals(403, response.code(), name);
            assertEquals("Forbidden", response.reason());
            assertEquals("namespaces \"" + name + "\" is forbidden: this namespace may not be deleted",
                    response.message());
        }
    }

    @Test
    void otherNamespacesMayBeDeleted() {
        ObjectNode ns = namespace("kube-node-lease", "Active");
        assertTrue(plugin.admit(delete("", "namespaces", "Namespace", "", "kube-node-lease", ns)).allowed());
        ObjectNode team = namespace("team", "Active");
        assertTrue(plugin.admit(delete("", "namespaces", "Namespace", "", "team", team)).allowed());
    }

    @Test
    void immortalNamespacesAreConfigurable() {
        NamespaceLifecycle custom = new NamespaceLifecycle(cluster, Set.of("prod"), 0, 30);
        ObjectNode prod = namespace("prod", "Active");
        assertEquals(403, custom.admit(delete("", "namespaces", "Namespace", "", "prod", prod)).code());
        ObjectNode def = namespace("default", "Active");
        assertTrue(custom.admit(delete("", "namespaces", "Namespace", "", "default", def)).allowed());
    }

    @Test
    void namespacesThemselvesAreExempt() {
        ObjectNode ns = json("{'apiVersion':'v1','kind':'Namespace','metadata':{'name':'fresh'}}");
        assertTrue(plugin.admit(create("", "v1", "namespaces", "Namespace", ns, ADMIN)).allowed());
    }

    @Test
    void clusterScopedObjectsAreExempt() {
        ObjectNode node = json("{'metadata':{'name':'n1'}}");
        assertTrue(plugin.admit(create("", "v1", "nodes", "Node", node, ADMIN)).allowed());
        ObjectNode role = json("{'metadata':{'name':'r'}}");
        assertTrue(plugin.admit(create("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", role, ADMIN))
                .allowed());
    }

    @Test
    void localSubjectAccessReviewsDoNotRevealMissingNamespaces() {
        ObjectNode review = json("{'metadata':{'namespace':'secret-plans'}}");
        assertTrue(plugin.admit(create("authorization.k8s.io", "v1", "localsubjectaccessreviews",
                "LocalSubjectAccessReview", review, ADMIN)).allowed());
    }

    @Test
    void aNamespaceThatArrivesInTheCacheWhileWaitingIsUsed() {
        NamespaceLifecycle patient = new NamespaceLifecycle(cluster, Set.of(), 2000, 30);
        later.schedule(() -> namespace("late", "Active"), 100, TimeUnit.MILLISECONDS);
        long start = System.nanoTime();
        assertTrue(patient.admit(create("pods", "Pod", pod("late", "p"))).allowed());
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waitedMillis >= 90 && waitedMillis < 1500, "waited " + waitedMillis + " ms");
    }

    @Test
    void theWaitForAMissingNamespaceIsBounded() {
        long start = System.nanoTime();
        assertEquals(404, plugin.admit(create("pods", "Pod", pod("never", "p"))).code());
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waitedMillis >= 45 && waitedMillis < 1000, "waited " + waitedMillis + " ms");
    }

    @Test
    void aDeleteTheCacheHasNotAppliedYetIsWaitedFor() {
        NamespaceLifecycle patient = new NamespaceLifecycle(cluster, Set.of(), 2000, 30);
        ObjectNode ns = namespace("doomed", "Active");
        assertTrue(patient.admit(delete("", "namespaces", "Namespace", "", "doomed", ns)).allowed());
        // The cache still shows the namespace as it was; the terminating version arrives 100 ms later.
        later.schedule(() -> namespace("doomed", "Terminating"), 100, TimeUnit.MILLISECONDS);
        AdmissionResponse response = patient.admit(create("pods", "Pod", pod("doomed", "p")));
        assertEquals(403, response.code());
        assertTrue(response.message().contains("because it is being terminated"), response.message());
    }

    @Test
    void aDeleteThatNeverHappenedCostsOneBoundedWaitOnly() {
        NamespaceLifecycle patient = new NamespaceLifecycle(cluster, Set.of(), 300, 30);
        ObjectNode ns = namespace("kept", "Active");
        assertTrue(patient.admit(delete("", "namespaces", "Namespace", "", "kept", ns)).allowed());
        long start = System.nanoTime();
        assertTrue(patient.admit(create("pods", "Pod", pod("kept", "p"))).allowed());
        long first = (System.nanoTime() - start) / 1_000_000;
        assertTrue(first >= 290, "the first create waited " + first + " ms");
        start = System.nanoTime();
        assertTrue(patient.admit(create("pods", "Pod", pod("kept", "q"))).allowed());
        long second = (System.nanoTime() - start) / 1_000_000;
        assertTrue(second < 100, "the second create waited " + second + " ms");
    }

    @Test
    void aNamespaceChangedAfterTheDeleteIsTrusted() {
        NamespaceLifecycle patient = new NamespaceLifecycle(cluster, Set.of(), 2000, 30);
        ObjectNode ns = namespace("revived", "Active");
        assertTrue(patient.admit(delete("", "namespaces", "Namespace", "", "revived", ns)).allowed());
        namespace("revived", "Active"); // a newer version than the one deleted: the cache is past the delete
        long start = System.nanoTime();
        assertTrue(patient.admit(create("pods", "Pod", pod("revived", "p"))).allowed());
        assertTrue((System.nanoTime() - start) / 1_000_000 < 500);
    }

    @Test
    void aDryRunDeleteIsNotRemembered() {
        NamespaceLifecycle patient = new NamespaceLifecycle(cluster, Set.of(), 2000, 30);
        ObjectNode ns = namespace("tried", "Active");
        AdmissionRequest dryRun = new AdmissionRequest(Operation.DELETE, "", "v1", "Namespace", "namespaces", "", "",
                "tried", null, ns, ADMIN, true);
        assertTrue(patient.admit(dryRun).allowed());
        long start = System.nanoTime();
        assertTrue(patient.admit(create("pods", "Pod", pod("tried", "p"))).allowed());
        assertTrue((System.nanoTime() - start) / 1_000_000 < 500);
    }

    @Test
    void aNamespaceWithoutPhaseIsActive() {
        cluster.put(NS, json("{'metadata':{'name':'plain'}}"));
        assertTrue(plugin.admit(create("pods", "Pod", pod("plain", "p"))).allowed());
    }

    @Test
    void subresourceCreatesAreCheckedToo() {
        AdmissionRequest binding = new AdmissionRequest(Operation.CREATE, "", "v1", "Binding", "pods", "binding",
                "nowhere", "p", json("{'metadata':{'name':'p','namespace':'nowhere'}}"), null, ADMIN, false);
        assertEquals(404, plugin.admit(binding).code());
    }

    @Test
    void connectIsNotJudged() {
        AdmissionRequest exec = new AdmissionRequest(Operation.CONNECT, "", "v1", "PodExecOptions", "pods", "exec",
                "nowhere", "p", null, null, ADMIN, false);
        assertTrue(plugin.admit(exec).allowed());
    }

    @Test
    void listSettingsFromCfgFilesAreSplit() {
        assertEquals(java.util.List.of("a", "b", "c"), NamespaceLifecycle.list(new String[] {"a, b", "c", " "}));
        assertEquals(java.util.List.of(), NamespaceLifecycle.list(null));
    }

    @Test
    void nameIsUpstreams() {
        assertEquals("NamespaceLifecycle", plugin.name());
    }
}
