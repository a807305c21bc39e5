package dev.okube.admission.resourcequota;

import static dev.okube.testkit.Admission.create;
import static dev.okube.testkit.Admission.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.resources.ResourceType;
import dev.okube.testkit.InMemoryClusterResources;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class ResourceQuotaControllerTest {
    static final ResourceType QUOTAS = ResourceType.core("resourcequotas");
    static final ResourceType PODS = ResourceType.core("pods");

    final InMemoryClusterResources cluster = new InMemoryClusterResources()
            .serve(QUOTAS, PODS, ResourceType.core("services"), ResourceType.core("persistentvolumeclaims"),
                    ResourceType.core("configmaps"), ResourceType.core("secrets"),
                    ResourceType.core("replicationcontrollers"));
    final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor();
    final QuotaLedger ledger = new QuotaLedger(java.time.Duration.ofSeconds(2));
    ResourceQuotaController controller;

    @AfterEach
    void stop() {
        if (controller != null) {
            controller.deactivate();
        }
        worker.shutdownNow();
    }

    void start() {
        controller = new ResourceQuotaController(cluster, ledger, Clock.systemUTC(), worker, 0);
    }

    ObjectNode pod(String name, String extra) {
        return cluster.put(PODS, json("{'metadata':{'name':'" + name + "','namespace':'ns'},'spec':{'containers':"
                + "[{'name':'c','resources':{'requests':{'cpu':'250m','memory':'64Mi'}}}]" + extra + "}}"));
    }

    JsonNode used(String quota) {
        return cluster.get(QUOTAS, "ns", quota).orElseThrow().path("status").path("used");
    }

    static void eventually(Supplier<Boolean> condition, Supplier<String> state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached; state: " + state.get());
            }
            Thread.sleep(10);
        }
    }

    void awaitUsed(String quota, String resource, String value) throws InterruptedException {
        eventually(() -> value.equals(used(quota).path(resource).asString("")),
                () -> cluster.get(QUOTAS, "ns", quota).map(Object::toString).orElse("no quota"));
    }

    @Test
    void aNewQuotaGetsHardAndUsedFromTheObjectsThatExist() throws Exception {
        pod("a", "");
        pod("b", "");
        ObjectNode done = pod("done", "");
        done.putObject("status").put("phase", "Succeeded");
        cluster.put(PODS, done);
        cluster.put(ResourceType.core("configmaps"), json("{'metadata':{'name':'cm','namespace':'ns'}}"));
        cluster.put(PODS, json("{'metadata':{'name':'elsewhere','namespace':'other'},'spec':{'containers':[{'name':'c'}]}}"));
        start();
        cluster.put(QUOTAS, json("{'metadata':{'name':'q','namespace':'ns'},'spec':{'hard':{'pods':'10',"
                + "'count/pods':'10','requests.cpu':'2','requests.memory':'1Gi','configmaps':'5','services':'3',"
                + "'unknown.example.com/thing':'1'}}}"));
        awaitUsed("q", "pods", "2");
        JsonNode status = cluster.get(QUOTAS, "ns", "q").orElseThrow().path("status");
        assertEquals("3", status.path("used").path("count/pods").asString(), status.toString()); // finished pods stay in storage
        assertEquals("500m", status.path("used").path("requests.cpu").asString());
        assertEquals("128Mi", status.path("used").path("requests.memory").asString());
        assertEquals("1", status.path("used").path("configmaps").asString());
        assertEquals("0", status.path("used").path("services").asString());
        assertFalse(status.path("used").has("unknown.example.com/thing"), "nothing measures it");
        assertEquals("10", status.path("hard").path("pods").asString());
        assertEquals("1", status.path("hard").path("unknown.example.com/thing").asString());
    }

    @Test
    void deletingAnObjectReleasesItsUsage() throws Exception {
        start();
        pod("a", "");
        pod("b", "");
        cluster.put(QUOTAS, json("{'metadata':{'name':'q','namespace':'ns'},'spec':{'hard':{'pods':'2'}}}"));
        awaitUsed("q", "pods", "2");
        cluster.delete(PODS, "ns", "a");
        awaitUsed("q", "pods", "1");
        // A pod that finishes releases "pods" too.
        ObjectNode b = cluster.get(PODS, "ns", "b").orElseThrow().deepCopy();
        b.putObject("status").put("phase", "Failed");
        cluster.put(PODS, b);
        awaitUsed("q", "pods", "0");
    }

    @Test
    void admissionAndControllerWorkTogether() throws Exception {
        start();
        cluster.put(QUOTAS, json("{'metadata':{'name':'q','namespace':'ns'},'spec':{'hard':{'pods':'2'}}}"));
        awaitUsed("q", "pods", "0");
        ResourceQuotaAdmission admission = new ResourceQuotaAdmission(cluster, ledger, Clock.systemUTC(), 2000, 5);
        for (String name : new String[] {"p1", "p2"}) {
            ObjectNode p = json("{'metadata':{'name':'" + name + "','namespace':'ns'},'spec':{'containers':[{'name':'c'}]}}");
            assertTrue(admission.validate(create("pods", "Pod", p)).allowed());
            cluster.put(PODS, p);
        }
        ObjectNode p3 = json("{'metadata':{'name':'p3','namespace':'ns'},'spec':{'containers':[{'name':'c'}]}}");
        assertEquals("pods \"p3\" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2",
                admission.validate(create("pods", "Pod", p3)).message());
        cluster.delete(PODS, "ns", "p1");
        awaitUsed("q", "pods", "1");
        assertTrue(admission.validate(create("pods", "Pod", p3)).allowed());
        assertEquals("2", used("q").path("pods").asString());
    }

    @Test
    void scopedQuotasCountOnlyPodsInScope() throws Exception {
        pod("burstable", "");
        cluster.put(PODS, json("{'metadata':{'name':'be','namespace':'ns'},'spec':{'containers':[{'name':'c'}]}}"));
        pod("job", ",'activeDeadlineSeconds':30");
        start();
        cluster.put(QUOTAS, json("{'metadata':{'name':'be','namespace':'ns'},'spec':{'hard':{'pods':'9'},"
                + "'scopes':['BestEffort']}}"));
        cluster.put(QUOTAS, json("{'metadata':{'name':'nt','namespace':'ns'},'spec':{'hard':{'pods':'9','configmaps':'9'},"
                + "'scopes':['NotTerminating','NotBestEffort']}}"));
        awaitUsed("be", "pods", "1");
        awaitUsed("nt", "pods", "1");
        assertEquals("0", used("nt").path("configmaps").asString(), "object counts are never in a scope");
    }

    @Test
    void aPodPastItsDeletionGraceNoLongerCounts() throws Exception {
        pod("gone", "");
        ObjectNode gone = cluster.get(PODS, "ns", "gone").orElseThrow().deepCopy();
        gone.withObjectProperty("metadata").put("deletionTimestamp", Instant.now().minusSeconds(60).toString())
                .put("deletionGracePeriodSeconds", 30);
        cluster.put(PODS, gone);
        pod("leaving", "");
        ObjectNode leaving = cluster.get(PODS, "ns", "leaving").orElseThrow().deepCopy();
        leaving.withObjectProperty("metadata").put("deletionTimestamp", Instant.now().toString())
                .put("deletionGracePeriodSeconds", 2);
        cluster.put(PODS, leaving);
        start();
        cluster.put(QUOTAS, json("{'metadata':{'name':'q','namespace':'ns'},'spec':{'hard':{'pods':'9'}}}"));
        // "leaving" counts until its grace ends (two seconds from now); then the controller rechecks by itself.
        awaitUsed("q", "pods", "1");
        awaitUsed("q", "pods", "0");
    }

    @Test
    void aSpecChangeUpdatesHardAndCountsNewResources() throws Exception {
        start();
        cluster.serve(ResourceType.of("apps", "deployments"));
        cluster.put(ResourceType.of("apps", "deployments"), json("{'metadata':{'name':'d','namespace':'ns'}}"));
        cluster.put(QUOTAS, json("{'metadata':{'name':'q','namespace':'ns'},'spec':{'hard':{'pods':'1'}}}"));
        awaitUsed("q", "pods", "0");
        ObjectNode q = cluster.get(QUOTAS, "ns", "q").orElseThrow().deepCopy();
        q.withObjectProperty("spec").set("hard", json("{'pods':'3','count/deployments.apps':'2'}"));
        cluster.put(QUOTAS, q);
        awaitUsed("q", "count/deployments.apps", "1");
        assertEquals("3", cluster.get(QUOTAS, "ns", "q").orElseThrow().path("status").path("hard").path("pods").asString());
        // Deleting a counted object of a resource watched on demand releases it as well.
        cluster.delete(ResourceType.of("apps", "deployments"), "ns", "d");
        awaitUsed("q", "count/deployments.apps", "0");
    }

    @Test
    void aQuotaAlreadyRightIsNotRewritten() throws Exception {
        start();
        cluster.put(QUOTAS, json("{'metadata':{'name':'q','namespace':'ns'},'spec':{'hard':{'pods':'1'}}}"));
        awaitUsed("q", "pods", "0");
        String rv = cluster.get(QUOTAS, "ns", "q").orElseThrow().path("metadata").path("resourceVersion").asString();
        controller.sync("ns", "q");
        assertEquals(rv, cluster.get(QUOTAS, "ns", "q").orElseThrow().path("metadata").path("resourceVersion").asString());
    }

    @Test
    void aRecountDoesNotReleaseAChargeWhoseObjectIsNotStoredYet() throws Exception {
        start();
        cluster.put(QUOTAS, json("{'metadata':{'name':'q','namespace':'ns'},'spec':{'hard':{'pods':'2'}}}"));
        awaitUsed("q", "pods", "0");
        ResourceQuotaAdmission admission = new ResourceQuotaAdmission(cluster, ledger, Clock.systemUTC(), 2000, 5);
        ObjectNode inFlight = json("{'metadata':{'name':'in-flight','namespace':'ns'},'spec':{'containers':[{'name':'c'}]}}");
        assertTrue(admission.validate(create("pods", "Pod", inFlight)).allowed());
        assertEquals("1", used("q").path("pods").asString());
        // A recount now (say, another pod was deleted) still counts the admitted pod...
        controller.sync("ns", "q");
        assertEquals("1", used("q").path("pods").asString());
        // ...and once it is stored, it counts by itself.
        cluster.put(PODS, inFlight);
        controller.sync("ns", "q");
        assertEquals("1", used("q").path("pods").asString());
        assertEquals(0, ledger.size());
    }

    @Test
    void aChargeWhoseCreateFailedIsReleasedWhenItExpires() throws Exception {
        start();
        cluster.put(QUOTAS, json("{'metadata':{'name':'q','namespace':'ns'},'spec':{'hard':{'pods':'2'}}}"));
        awaitUsed("q", "pods", "0");
        ResourceQuotaAdmission admission = new ResourceQuotaAdmission(cluster, ledger, Clock.systemUTC(), 2000, 5);
        ObjectNode never = json("{'metadata':{'name':'never','namespace':'ns'},'spec':{'containers':[{'name':'c'}]}}");
        assertTrue(admission.validate(create("pods", "Pod", never)).allowed());
        assertEquals("1", used("q").path("pods").asString());
        // Never stored: two seconds later (the ledger's lifetime here) the controller recounts by itself.
        awaitUsed("q", "pods", "0");
    }
}
