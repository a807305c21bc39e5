package dev.okube.admission.resourcequota;

import static dev.okube.testkit.Admission.ADMIN;
import static dev.okube.testkit.Admission.create;
import static dev.okube.testkit.Admission.json;
import static dev.okube.testkit.Admission.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.admission.AdmissionRequest;
import dev.okube.api.admission.AdmissionResponse;
import dev.okube.api.resources.ClusterResources;
import dev.okube.api.resources.ResourceType;
import dev.okube.testkit.ForwardingResources;
import dev.okube.testkit.InMemoryClusterResources;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class ResourceQuotaAdmissionTest {
    static final ResourceType QUOTAS = ResourceType.core("resourcequotas");

    final InMemoryClusterResources cluster = new InMemoryClusterResources();
    final ResourceQuotaAdmission plugin = new ResourceQuotaAdmission(cluster, new QuotaLedger(), Clock.systemUTC(), 2000, 5);

    /** A quota whose status the controller has computed already. */
    ObjectNode quota(String name, String hard, String used) {
        return cluster.put(QUOTAS, json("{'metadata':{'name':'" + name + "','namespace':'ns'},'spec':{'hard':" + hard
                + "},'status':{'hard':" + hard + ",'used':" + used + "}}"));
    }

    ObjectNode quotaNow(String name) {
        return cluster.get(QUOTAS, "ns", name).orElseThrow();
    }

    static ObjectNode pod(String name, String containers) {
        return json("{'metadata':{'name':'" + name + "','namespace':'ns'},'spec':{'containers':" + containers + "}}");
    }

    static ObjectNode pod(String name) {
        return pod(name, "[{'name':'c','image':'busybox'}]");
    }

    static AdmissionRequest createPod(ObjectNode pod) {
        return create("pods", "Pod", pod);
    }

    @Test
    void aPodOverTheCountIsRefusedWithUpstreamsMessage() {
        quota("q", "{'pods':'2'}", "{'pods':'2'}");
        AdmissionResponse response = plugin.validate(createPod(pod("p3")));
        assertFalse(response.allowed());
        assertEquals(403, response.code());
        assertEquals("Forbidden", response.reason());
        assertEquals("pods \"p3\" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2",
                response.message());
        assertEquals("2", quotaNow("q").path("status").path("used").path("pods").asString());
    }

    @Test
    void anAdmittedPodIsChargedBeforeItIsStored() {
        quota("q", "{'pods':'2','count/pods':'5'}", "{'pods':'1','count/pods':'1'}");
        String before = quotaNow("q").path("metadata").path("resourceVersion").asString();
        assertTrue(plugin.validate(createPod(pod("p2"))).allowed());
        ObjectNode after = quotaNow("q");
        assertEquals("2", after.path("status").path("used").path("pods").asString());
        assertEquals("2", after.path("status").path("used").path("count/pods").asString());
        assertFalse(before.equals(after.path("metadata").path("resourceVersion").asString()));
        // The next one no longer fits.
        AdmissionResponse third = plugin.validate(createPod(pod("p3")));
        assertEquals("pods \"p3\" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2",
                third.message());
    }

    @Test
    void dryRunIsCheckedButNotCharged() {
        quota("q", "{'pods':'2'}", "{'pods':'1'}");
        AdmissionRequest r = createPod(pod("p"));
        AdmissionRequest dry = new AdmissionRequest(r.operation(), r.group(), r.version(), r.kind(), r.resource(), "",
                "ns", "p", r.object(), null, ADMIN, true);
        assertTrue(plugin.validate(dry).allowed());
        assertEquals("1", quotaNow("q").path("status").path("used").path("pods").asString());
        quota("full", "{'pods':'1'}", "{'pods':'1'}");
        assertFalse(plugin.validate(dry).allowed());
    }

    @Test
    void computeResourcesAddUpInCanonicalForm() {
        quota("compute", "{'requests.cpu':'2','requests.memory':'2Gi','limits.memory':'4Gi','cpu':'2'}",
                "{'requests.cpu':'500m','requests.memory':'1Gi','limits.memory':'0','cpu':'500m'}");
        ObjectNode pod = pod("p", "[{'name':'a','resources':{'requests':{'cpu':'1','memory':'512Mi'},"
                + "'limits':{'memory':'1Gi'}}}]");
        assertTrue(plugin.validate(createPod(pod)).allowed());
        ObjectNode used = (ObjectNode) quotaNow("compute").path("status").path("used");
        assertEquals("1500m", used.path("requests.cpu").asString());
        assertEquals("1500m", used.path("cpu").asString());
        assertEquals("1536Mi", used.path("requests.memory").asString());
        assertEquals("1Gi", used.path("limits.memory").asString());

        ObjectNode big = pod("big", "[{'name':'a','resources':{'requests':{'cpu':'1','memory':'1Gi'},"
                + "'limits':{'memory':'1Gi'}}}]");
        AdmissionResponse denied = plugin.validate(createPod(big));
        assertEquals("pods \"big\" is forbidden: exceeded quota: compute, requested: cpu=1,requests.cpu=1,"
                + "requests.memory=1Gi, used: cpu=1500m,requests.cpu=1500m,requests.memory=1536Mi, limited: cpu=2,"
                + "requests.cpu=2,requests.memory=2Gi", denied.message());
    }

    @Test
    void aQuotaOnCpuOrMemoryNeedsEveryContainerToStateIt() {
        quota("q", "{'limits.cpu':'4','requests.memory':'4Gi'}", "{'limits.cpu':'0','requests.memory':'0'}");
        ObjectNode pod = pod("p", "[{'name':'b','resources':{'limits':{'cpu':'1'}}},{'name':'a'}]");
        pod.withObjectProperty("spec").set("initContainers", json("{'x':[{'name':'init'}]}").get("x"));
        AdmissionResponse response = plugin.validate(createPod(pod));
        assertEquals(403, response.code());
        assertEquals("pods \"p\" is forbidden: failed quota: q: must specify limits.cpu for: a,init; requests.memory "
                + "for: a,b,init", response.message());
    }

    @Test
    void aQuotaWithoutUsageYetRefusesUntilTheControllerHasRun() {
        // As upstream, admission enforces status.hard: a quota the controller has not seen yet does not apply...
        cluster.put(QUOTAS, json("{'metadata':{'name':'fresh','namespace':'ns'},'spec':{'hard':{'pods':'1'}}}"));
        assertTrue(plugin.validate(createPod(pod("p"))).allowed());
        // ...and a hard limit whose usage is not computed yet refuses.
        quota("changed", "{'pods':'1','count/pods':'3'}", "{'count/pods':'0'}");
        AdmissionResponse response = plugin.validate(createPod(pod("p")));
        assertEquals("pods \"p\" is forbidden: status unknown for quota: changed, resources: count/pods,pods",
                response.message());
    }

    @Test
    void scopesSelectWhichPodsAQuotaCounts() {
        cluster.put(QUOTAS, json("{'metadata':{'name':'besteffort','namespace':'ns'},'spec':{'hard':{'pods':'1'},"
                + "'scopes':['BestEffort']},'status':{'hard':{'pods':'1'},'used':{'pods':'1'}}}"));
        cluster.put(QUOTAS, json("{'metadata':{'name':'high','namespace':'ns'},'spec':{'hard':{'pods':'1'},"
                + "'scopeSelector':{'matchExpressions':[{'scopeName':'PriorityClass','operator':'In','values':['high']}]}},"
                + "'status':{'hard':{'pods':'1'},'used':{'pods':'0'}}}"));
        cluster.put(QUOTAS, json("{'metadata':{'name':'terminating','namespace':'ns'},'spec':{'hard':{'pods':'5'},"
                + "'scopes':['Terminating']},'status':{'hard':{'pods':'5'},'used':{'pods':'0'}}}"));
        // A pod with requests is not BestEffort: the full BestEffort quota does not apply.
        ObjectNode burstable = pod("burstable", "[{'name':'c','resources':{'requests':{'cpu':'100m'}}}]");
        assertTrue(plugin.validate(createPod(burstable)).allowed());
        assertEquals("0", quotaNow("high").path("status").path("used").path("pods").asString());
        // A BestEffort pod is refused by it.
        assertEquals("pods \"be\" is forbidden: exceeded quota: besteffort, requested: pods=1, used: pods=1, limited: pods=1",
                plugin.validate(createPod(pod("be"))).message());
        // PriorityClass high: charged to "high" only.
        ObjectNode high = pod("h", "[{'name':'c','resources':{'requests':{'cpu':'100m'}}}]");
        high.withObjectProperty("spec").put("priorityClassName", "high");
        assertTrue(plugin.validate(createPod(high)).allowed());
        assertEquals("1", quotaNow("high").path("status").path("used").path("pods").asString());
        // activeDeadlineSeconds makes a pod Terminating.
        ObjectNode job = pod("job", "[{'name':'c','resources':{'requests':{'cpu':'100m'}}}]");
        job.withObjectProperty("spec").put("activeDeadlineSeconds", 60);
        assertTrue(plugin.validate(createPod(job)).allowed());
        assertEquals("1", quotaNow("terminating").path("status").path("used").path("pods").asString());
    }

    @Test
    void servicesCountNodePortsAndLoadBalancersAlsoOnUpdate() {
        quota("svc", "{'services':'5','services.nodeports':'2','services.loadbalancers':'1'}",
                "{'services':'0','services.nodeports':'0','services.loadbalancers':'0'}");
        ObjectNode clusterIp = json("{'metadata':{'name':'s','namespace':'ns','resourceVersion':'7'},'spec':{'type':'ClusterIP',"
                + "'ports':[{'port':80},{'port':443}]}}");
        assertTrue(plugin.validate(create("services", "Service", clusterIp)).allowed());
        ObjectNode nodePort = clusterIp.deepCopy();
        nodePort.withObjectProperty("spec").put("type", "NodePort");
        assertTrue(plugin.validate(update("", "v1", "services", "Service", nodePort, clusterIp, ADMIN)).allowed());
        ObjectNode used = (ObjectNode) quotaNow("svc").path("status").path("used");
        assertEquals("1", used.path("services").asString());
        assertEquals("2", used.path("services.nodeports").asString());
        ObjectNode lb = json("{'metadata':{'name':'lb','namespace':'ns'},'spec':{'type':'LoadBalancer','ports':[{'port':80}]}}");
        assertEquals("services \"lb\" is forbidden: exceeded quota: svc, requested: services.nodeports=1, "
                + "used: services.nodeports=2, limited: services.nodeports=2",
                plugin.validate(create("services", "Service", lb)).message());
    }

    @Test
    void claimsAreChargedPerStorageClassAndOnGrowth() {
        quota("storage", "{'requests.storage':'10Gi','persistentvolumeclaims':'3',"
                + "'gold.storageclass.storage.k8s.io/requests.storage':'5Gi'}",
                "{'requests.storage':'0','persistentvolumeclaims':'0','gold.storageclass.storage.k8s.io/requests.storage':'0'}");
        ObjectNode claim = json("{'metadata':{'name':'c','namespace':'ns','resourceVersion':'3'},'spec':{"
                + "'storageClassName':'gold','resources':{'requests':{'storage':'4Gi'}}}}");
        assertTrue(plugin.validate(create("persistentvolumeclaims", "PersistentVolumeClaim", claim)).allowed());
        ObjectNode bigger = claim.deepCopy();
        ((ObjectNode) bigger.path("spec").path("resources").path("requests")).put("storage", "6Gi");
        AdmissionResponse growth = plugin.validate(update("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim",
                bigger, claim, ADMIN));
        assertEquals("persistentvolumeclaims \"c\" is forbidden: exceeded quota: storage, requested: "
                + "gold.storageclass.storage.k8s.io/requests.storage=2Gi, used: "
                + "gold.storageclass.storage.k8s.io/requests.storage=4Gi, limited: "
                + "gold.storageclass.storage.k8s.io/requests.storage=5Gi", growth.message());
        ObjectNode used = (ObjectNode) quotaNow("storage").path("status").path("used");
        assertEquals("4Gi", used.path("requests.storage").asString());
        assertEquals("1", used.path("persistentvolumeclaims").asString());
    }

    @Test
    void objectCountsUseLegacyAndCountNames() {
        quota("objects", "{'configmaps':'1','count/deployments.apps':'1','count/secrets':'3'}",
                "{'configmaps':'0','count/deployments.apps':'0','count/secrets':'0'}");
        ObjectNode cm = json("{'metadata':{'name':'a','namespace':'ns'}}");
        assertTrue(plugin.validate(create("configmaps", "ConfigMap", cm)).allowed());
        assertEquals("configmaps \"b\" is forbidden: exceeded quota: objects, requested: configmaps=1, used: "
                + "configmaps=1, limited: configmaps=1",
                plugin.validate(create("configmaps", "ConfigMap", json("{'metadata':{'name':'b','namespace':'ns'}}"))).message());
        ObjectNode deployment = json("{'metadata':{'name':'d','namespace':'ns'}}");
        AdmissionRequest d = create("apps", "v1", "deployments", "Deployment", deployment, ADMIN);
        assertTrue(plugin.validate(d).allowed());
        assertEquals("deployments.apps \"d2\" is forbidden: exceeded quota: objects, requested: count/deployments.apps=1, "
                + "used: count/deployments.apps=1, limited: count/deployments.apps=1",
                plugin.validate(create("apps", "v1", "deployments", "Deployment",
                        json("{'metadata':{'name':'d2','namespace':'ns'}}"), ADMIN)).message());
        assertTrue(plugin.validate(create("secrets", "Secret", json("{'metadata':{'name':'s','namespace':'ns'}}"))).allowed());
        assertEquals("1", quotaNow("objects").path("status").path("used").path("count/secrets").asString());
    }

    @Test
    void writesQuotaDoesNotTrackAreLeftAlone() {
        quota("q", "{'pods':'1'}", "{'pods':'1'}");
        String rv = quotaNow("q").path("metadata").path("resourceVersion").asString();
        assertTrue(plugin.validate(create("configmaps", "ConfigMap", json("{'metadata':{'name':'a','namespace':'ns'}}"))).allowed());
        assertTrue(plugin.validate(create("events", "Event", json("{'metadata':{'name':'e','namespace':'ns'}}"))).allowed());
        ObjectNode elsewhere = json("{'metadata':{'name':'p','namespace':'other'},'spec':{'containers':[{'name':'c'}]}}");
        assertTrue(plugin.validate(create("pods", "Pod", elsewhere)).allowed());
        // A pod update other than a resize does not change usage.
        ObjectNode p = pod("p");
        p.withObjectProperty("metadata").put("resourceVersion", "1");
        assertTrue(plugin.validate(update("", "v1", "pods", "Pod", p, p, ADMIN)).allowed());
        assertEquals(rv, quotaNow("q").path("metadata").path("resourceVersion").asString());
    }

    @Test
    void aResizeIsChargedTheDifference() {
        quota("q", "{'requests.cpu':'2'}", "{'requests.cpu':'1'}");
        ObjectNode old = pod("p", "[{'name':'c','resources':{'requests':{'cpu':'1'}}}]");
        old.withObjectProperty("metadata").put("resourceVersion", "4");
        ObjectNode resized = pod("p", "[{'name':'c','resources':{'requests':{'cpu':'1500m'}}}]");
        resized.withObjectProperty("metadata").put("resourceVersion", "4");
        AdmissionRequest r = update("", "v1", "pods", "Pod", resized, old, ADMIN);
        AdmissionRequest resize = new AdmissionRequest(r.operation(), "", "v1", "Pod", "pods", "resize", "ns", "p",
                resized, old, ADMIN, false);
        assertTrue(plugin.validate(resize).allowed());
        assertEquals("1500m", quotaNow("q").path("status").path("used").path("requests.cpu").asString());
    }

    @Test
    void everyMatchingQuotaMustFitAndIsCharged() {
        quota("a", "{'pods':'10'}", "{'pods':'3'}");
        quota("b", "{'pods':'4','requests.cpu':'1'}", "{'pods':'3','requests.cpu':'0'}");
        ObjectNode p = pod("p", "[{'name':'c','resources':{'requests':{'cpu':'100m'}}}]");
        assertTrue(plugin.validate(createPod(p)).allowed());
        assertEquals("4", quotaNow("a").path("status").path("used").path("pods").asString());
        assertEquals("100m", quotaNow("b").path("status").path("used").path("requests.cpu").asString());
        AdmissionResponse denied = plugin.validate(createPod(pod("q", "[{'name':'c','resources':{'requests':{'cpu':'100m'}}}]")));
        assertEquals("pods \"q\" is forbidden: exceeded quota: b, requested: pods=1, used: pods=4, limited: pods=4",
                denied.message());
        assertEquals("4", quotaNow("a").path("status").path("used").path("pods").asString());
    }

    @Test
    void aConflictingStatusWriteIsRetriedOnTheNewerQuota() {
        quota("q", "{'pods':'3'}", "{'pods':'1'}");
        // Someone (the controller) writes the quota just before our first status update.
        AtomicInteger calls = new AtomicInteger();
        ClusterResources racing = new ForwardingResources(cluster) {
            @Override
            public ObjectNode updateStatus(ResourceType type, ObjectNode object) {
                if (calls.getAndIncrement() == 0) {
                    ObjectNode current = cluster.get(type, "ns", "q").orElseThrow().deepCopy();
                    ((ObjectNode) current.path("status").path("used")).put("pods", "2");
                    cluster.put(type, current);
                }
                return cluster.updateStatus(type, object);
            }
        };
        ResourceQuotaAdmission p = new ResourceQuotaAdmission(racing, new QuotaLedger(), Clock.systemUTC(), 2000, 5);
        assertTrue(p.validate(createPod(pod("x"))).allowed());
        assertEquals(2, calls.get());
        assertEquals("3", quotaNow("q").path("status").path("used").path("pods").asString());
    }

    @Test
    void concurrentCreatesCannotAllSlipUnderTheLimit() throws Exception {
        quota("q", "{'pods':'5'}", "{'pods':'0'}");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<AdmissionResponse>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                ObjectNode p = pod("p" + i);
                results.add(pool.submit(() -> plugin.validate(createPod(p))));
            }
            int allowed = 0;
            for (Future<AdmissionResponse> f : results) {
                AdmissionResponse r = f.get();
                if (r.allowed()) {
                    allowed++;
                } else {
                    assertTrue(r.message().contains("exceeded quota: q"), r.message());
                }
            }
            assertEquals(5, allowed);
            assertEquals("5", quotaNow("q").path("status").path("used").path("pods").asString());
        } finally {
            pool.shutdownNow();
        }
    }
}
