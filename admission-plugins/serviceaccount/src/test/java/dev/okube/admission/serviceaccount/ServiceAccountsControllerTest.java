package dev.okube.admission.serviceaccount;

import static dev.okube.testkit.Admission.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.resources.ResourceException;
import dev.okube.api.resources.ResourceType;
import dev.okube.testkit.Await;
import dev.okube.testkit.ForwardingResources;
import dev.okube.testkit.InMemoryClusterResources;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class ServiceAccountsControllerTest {
    private static final ResourceType NS = ResourceType.core("namespaces");
    private static final ResourceType SA = ServiceAccountAdmission.SERVICE_ACCOUNTS;
    private final InMemoryClusterResources cluster = new InMemoryClusterResources();
    private ServiceAccountsController controller;

    @AfterEach
    void stop() {
        if (controller != null) {
            controller.stop();
        }
    }

    private void namespace(String name, String phase) {
        cluster.put(NS, json("{'apiVersion':'v1','kind':'Namespace','metadata':{'name':'" + name + "'},"
                + "'status':{'phase':'" + phase + "'}}"));
    }

    private boolean hasAccount(String namespace, String name) {
        return cluster.get(SA, namespace, name).isPresent();
    }

    @Test
    void existingNamespacesGetTheDefaultServiceAccount() {
        namespace("default", "Active");
        namespace("kube-system", "Active");
        controller = new ServiceAccountsController(cluster, List.of("default"));
        Await.until("both namespaces have one", () -> hasAccount("default", "default")
                && hasAccount("kube-system", "default"));
        ObjectNode account = cluster.get(SA, "kube-system", "default").orElseThrow();
        assertEquals("ServiceAccount", account.path("kind").asString());
        assertEquals("v1", account.path("apiVersion").asString());
    }

    @Test
    void aNewNamespaceGetsOne() {
        controller = new ServiceAccountsController(cluster, List.of("default"));
        namespace("team", "Active");
        Await.until("team has a default service account", () -> hasAccount("team", "default"));
    }

    @Test
    void aDeletedDefaultServiceAccountIsRecreated() {
        namespace("team", "Active");
        controller = new ServiceAccountsController(cluster, List.of("default"));
        Await.until("created", () -> hasAccount("team", "default"));
        String uid = cluster.get(SA, "team", "default").orElseThrow().path("metadata").path("uid").asString();
        cluster.delete(SA, "team", "default");
        Await.until("recreated", () -> hasAccount("team", "default")
                && !uid.equals(cluster.get(SA, "team", "default").get().path("metadata").path("uid").asString()));
    }

    @Test
    void otherServiceAccountsAreNotRecreated() throws Exception {
        namespace("team", "Active");
        controller = new ServiceAccountsController(cluster, List.of("default"));
        cluster.put(SA, json("{'metadata':{'name':'builder','namespace':'team'}}"));
        Await.until("created", () -> hasAccount("team", "default"));
        cluster.delete(SA, "team", "builder");
        Thread.sleep(100);
        Await.until("idle", controller::idle);
        assertFalse(hasAccount("team", "builder"));
    }

    @Test
    void terminatingNamespacesAreSkipped() throws Exception {
        namespace("leaving", "Terminating");
        cluster.put(NS, json("{'metadata':{'name':'deleting','deletionTimestamp':'2026-01-01T00:00:00Z'}}"));
        namespace("staying", "Active");
        controller = new ServiceAccountsController(cluster, List.of("default"));
        Await.until("staying has one", () -> hasAccount("staying", "default"));
        Await.until("idle", controller::idle);
        assertFalse(hasAccount("leaving", "default"));
        assertFalse(hasAccount("deleting", "default"));
    }

    @Test
    void anExistingServiceAccountIsLeftAlone() throws Exception {
        namespace("team", "Active");
        ObjectNode own = cluster.put(SA, json("{'metadata':{'name':'default','namespace':'team'},"
                + "'automountServiceAccountToken':false}"));
        controller = new ServiceAccountsController(cluster, List.of("default"));
        Await.until("idle", controller::idle);
        assertEquals(own, cluster.get(SA, "team", "default").orElseThrow());
    }

    @Test
    void severalNamesAreConfigurable() {
        namespace("team", "Active");
        controller = new ServiceAccountsController(cluster, List.of("default", "deployer"));
        Await.until("both exist", () -> hasAccount("team", "default") && hasAccount("team", "deployer"));
    }

    @Test
    void syncIgnoresAlreadyExistsAndGoneNamespaces() {
        AtomicInteger creates = new AtomicInteger();
        InMemoryClusterResources racing = new InMemoryClusterResources();
        racing.put(NS, json("{'metadata':{'name':'team'},'status':{'phase':'Active'}}"));
        controller = new ServiceAccountsController(new ForwardingResources(racing) {
            @Override
            public ObjectNode create(ResourceType type, ObjectNode object) {
                creates.incrementAndGet();
                throw new ResourceException(409, "AlreadyExists", "serviceaccounts \"default\" already exists");
            }
        }, List.of("default"));
        Await.until("tried", () -> creates.get() > 0 && controller.idle());
        controller.sync("team");
        controller.sync("nowhere");
        assertTrue(creates.get() >= 2);
    }

    @Test
    void otherFailuresAreRetried() {
        namespace("team", "Active");
        AtomicInteger attempts = new AtomicInteger();
        controller = new ServiceAccountsController(new ForwardingResources(cluster) {
            @Override
            public ObjectNode create(ResourceType type, ObjectNode object) {
                if (attempts.incrementAndGet() < 3) {
                    throw new ResourceException(500, "InternalError", "storage hiccup");
                }
                return super.create(type, object);
            }
        }, List.of("default"));
        Await.until("created after retries", () -> hasAccount("team", "default"));
        assertEquals(3, attempts.get());
    }

    @Test
    void listSettingsFromCfgFilesAreSplit() {
        assertEquals(List.of("default", "deployer"), ServiceAccountsController.list(new String[] {"default,deployer"}));
    }
}
