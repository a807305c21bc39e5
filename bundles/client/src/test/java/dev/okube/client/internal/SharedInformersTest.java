package dev.okube.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.client.HandlerRegistration;
import dev.okube.client.Informer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sharing and handler semantics of {@link SharedInformers} and {@link BundleInformers}, on fabric8's CRUD mock. */
@EnableKubernetesMockClient(crud = true)
class SharedInformersTest {
    private static final long TIMEOUT_S = 10;

    KubernetesMockServer server;
    KubernetesClient client;

    private SharedInformers shared;
    private BundleInformers bundleA;
    private BundleInformers bundleB;

    @BeforeEach
    void setUp() {
        shared = new SharedInformers(client, config(0));
        bundleA = new BundleInformers(shared);
        bundleB = new BundleInformers(shared);
    }

    @AfterEach
    void tearDown() {
        shared.stop();
        // Closing the client ends its open watch connections at once; otherwise the mock server's shutdown
        // can wait for a watch the informer is still reconnecting and time out ("Unable to close MockWebServer").
        client.close();
    }

    @Test
    void bundlesShareOneListAndWatchPerType() throws Exception {
        Informer<ConfigMap> a = bundleA.informer(ConfigMap.class);
        Informer<ConfigMap> b = bundleB.informer(ConfigMap.class);
        Events eventsA = new Events();
        Events eventsB = new Events();
        a.addEventHandler(eventsA);
        b.addEventHandler(eventsB);
        a.synced().toCompletableFuture().get(TIMEOUT_S, TimeUnit.SECONDS);

        create("one");
        assertEquals("add one", eventsA.next());
        assertEquals("add one", eventsB.next());
        assertSame(a.store(), b.store(), "one cache");
        assertTrue(b.hasSynced());

        int lists = 0;
        int watches = 0;
        RecordedRequest request;
        while ((request = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            if (request.getPath().startsWith("/api/v1/configmaps")) {
                if (request.getPath().contains("watch=true")) {
                    watches++;
                } else {
                    lists++;
                }
            }
        }
        assertEquals(1, lists, "lists of configmaps");
        assertEquals(1, watches, "watches of configmaps");
    }

    @Test
    void aHandlerAddedAfterSyncFirstGetsTheCachedObjects() throws Exception {
        Informer<ConfigMap> informer = bundleA.informer(ConfigMap.class);
        create("early");
        informer.synced().toCompletableFuture().get(TIMEOUT_S, TimeUnit.SECONDS);
        awaitCached(informer, "early");

        Events late = new Events();
        bundleB.informer(ConfigMap.class).addEventHandler(late);
        assertEquals("add early", late.next());
    }

    @Test
    void closingARegistrationRemovesOnlyThatHandler() throws Exception {
        Events eventsA = new Events();
        Events eventsB = new Events();
        HandlerRegistration registrationA = bundleA.informer(ConfigMap.class).addEventHandler(eventsA);
        bundleB.informer(ConfigMap.class).addEventHandler(eventsB);
        create("before");
        assertEquals("add before", eventsA.next());
        assertEquals("add before", eventsB.next());

        registrationA.close();
        registrationA.close();
        create("after");
        assertEquals("add after", eventsB.next());
        assertNull(eventsA.poll(300), "a removed handler gets no more events");
    }

    @Test
    void aBundleReleasingTheServiceLosesItsHandlersAndNoOneElses() throws Exception {
        Events eventsA = new Events();
        Events eventsB = new Events();
        bundleA.informer(ConfigMap.class).addEventHandler(eventsA);
        bundleB.informer(ConfigMap.class).addEventHandler(eventsB);
        create("before");
        assertEquals("add before", eventsA.next());
        assertEquals("add before", eventsB.next());

        bundleA.removeHandlers();
        create("after");
        assertEquals("add after", eventsB.next());
        assertNull(eventsA.poll(300), "the released bundle's handler gets no more events");
        assertTrue(bundleB.informer(ConfigMap.class).isWatching(), "the informer runs on for the others");
    }

    @Test
    void genericInformersAreSharedByGroupVersionAndPlural() throws Exception {
        ResourceDefinitionContext podGroups = podGroups("PodGroup");
        server.expectCustomResource(new io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext.Builder()
                .withGroup("scheduling.x-k8s.io").withVersion("v1alpha1").withPlural("podgroups").withKind("PodGroup")
                .withScope("Namespaced").build());
        Informer<GenericKubernetesResource> a = bundleA.informer(podGroups);
        // Another context naming the same resource (the kind does not matter): the same informer.
        Informer<GenericKubernetesResource> b = bundleB.informer(podGroups("Whatever"));
        assertSame(a.store(), b.store());

        Events events = new Events();
        b.addEventHandler(events);
        client.genericKubernetesResources(podGroups).inNamespace("default").resource(new GenericKubernetesResourceBuilder()
                .withApiVersion("scheduling.x-k8s.io/v1alpha1").withKind("PodGroup")
                .withNewMetadata().withName("gang").withNamespace("default").endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("minMember", 3))).build()).create();
        assertEquals("add gang", events.next());
        assertEquals(3, ((Map<?, ?>) a.store().getByKey("default/gang").getAdditionalProperties().get("spec"))
                .get("minMember"));
    }

    @Test
    void indexNamesKeepTheirFirstDefinition() throws Exception {
        Informer<ConfigMap> a = bundleA.informer(ConfigMap.class);
        a.addIndexers(Map.of("by-data-key", cm -> List.copyOf(cm.getData().keySet())));
        // A second definition under the same name is ignored rather than failing the second consumer.
        bundleB.informer(ConfigMap.class).addIndexers(Map.of("by-data-key", cm -> List.of("other")));
        create("indexed");
        awaitCached(a, "indexed");
        assertEquals("indexed", a.byIndex("by-data-key", "key").get(0).getMetadata().getName());
        assertEquals(1, a.byIndex(Informer.NAMESPACE_INDEX, "default").size());
    }

    @Test
    void stoppedInformersAreNotHandedOut() {
        Informer<ConfigMap> informer = bundleA.informer(ConfigMap.class);
        shared.stop();
        assertThrows(IllegalStateException.class, () -> bundleA.informer(ConfigMap.class));
        assertTrue(informer.synced().toCompletableFuture().isDone());
    }

    @Test
    void consumersCannotCompleteTheSyncFuture() throws Exception {
        // What a consumer can complete is a copy: the informer's own future completes as the informer syncs.
        bundleA.informer(ConfigMap.class).synced().toCompletableFuture().completeExceptionally(new Exception("no"));
        bundleB.informer(ConfigMap.class).synced().toCompletableFuture().get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    private void create(String name) {
        client.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
                .withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .addToData("key", "value").build()).create();
    }

    private static void awaitCached(Informer<?> informer, String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (informer.store().getByKey("default/" + name) == null) {
            assertTrue(System.nanoTime() < deadline, name + " not cached in time");
            Thread.sleep(10);
        }
    }

    private static ResourceDefinitionContext podGroups(String kind) {
        return new ResourceDefinitionContext.Builder().withGroup("scheduling.x-k8s.io").withVersion("v1alpha1")
                .withPlural("podgroups").withKind(kind).withNamespaced(true).build();
    }

    static SharedInformers.Config config(long resyncCheckSeconds) {
        return new SharedInformers.Config() {
            @Override
            public long resync_check_period_s() {
                return resyncCheckSeconds;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return SharedInformers.Config.class;
            }
        };
    }

    /** Records events as "add name", "update name", "delete name". */
    static final class Events implements ResourceEventHandler<io.fabric8.kubernetes.api.model.HasMetadata> {
        private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        @Override
        public void onAdd(io.fabric8.kubernetes.api.model.HasMetadata obj) {
            events.add("add " + obj.getMetadata().getName());
        }

        @Override
        public void onUpdate(io.fabric8.kubernetes.api.model.HasMetadata oldObj,
                io.fabric8.kubernetes.api.model.HasMetadata newObj) {
            events.add("update " + newObj.getMetadata().getName());
        }

        @Override
        public void onDelete(io.fabric8.kubernetes.api.model.HasMetadata obj, boolean deletedFinalStateUnknown) {
            events.add("delete " + obj.getMetadata().getName());
        }

        String next() throws InterruptedException {
            String event = events.poll(TIMEOUT_S, TimeUnit.SECONDS);
            if (event == null) {
                throw new AssertionError("no event within " + TIMEOUT_S + " s");
            }
            return event;
        }

        String poll(long millis) throws InterruptedException {
            return events.poll(millis, TimeUnit.MILLISECONDS);
        }
    }
}
