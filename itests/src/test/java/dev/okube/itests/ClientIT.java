package dev.okube.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import dev.okube.client.HandlerRegistration;
import dev.okube.client.Informer;
import dev.okube.client.Informers;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;

/**
 * The client bundle inside the real distribution: the KubernetesClient service talks to okube's apiserver
 * over REST, and the shared informers deliver what it writes. Runs inside Karaf, so it also proves that the
 * exported fabric8 API and the model bundles wire up for a consumer bundle.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ClientIT {
    // The client is registered once the apiserver has written the admin kubeconfig.
    @Inject
    @Filter(timeout = 120_000)
    private KubernetesClient client;

    @Inject
    @Filter(timeout = 120_000)
    private Informers informers;

    @Configuration
    public Option[] config() {
        return OkubeKaraf.distribution();
    }

    @Test
    public void listsTheSystemNamespaces() throws Exception {
        List<String> expected = List.of("default", "kube-system", "kube-public", "kube-node-lease");
        List<String> names = List.of();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        // The apiserver creates them right after it starts serving.
        while (!names.containsAll(expected) && System.nanoTime() < deadline) {
            names = client.namespaces().list().getItems().stream().map(Namespace::getMetadata)
                    .map(m -> m.getName()).collect(Collectors.toList());
            Thread.sleep(100);
        }
        assertTrue("namespaces: " + names, names.containsAll(expected));
    }

    @Test
    public void aConfigMapReachesTheSharedInformersCacheAndHandlerUntilTheHandlerIsRemoved() throws Exception {
        Informer<ConfigMap> informer = informers.informer(ConfigMap.class);
        BlockingQueue<String> added = new LinkedBlockingQueue<>();
        HandlerRegistration registration = informer.addEventHandler(new ResourceEventHandler<ConfigMap>() {
            @Override
            public void onAdd(ConfigMap obj) {
                added.add(obj.getMetadata().getNamespace() + "/" + obj.getMetadata().getName());
            }

            @Override
            public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
            }

            @Override
            public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
            }
        });
        informer.synced().toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertTrue(informer.hasSynced());

        create("client-it");
        assertEquals("default/client-it", awaitAdd(added, "default/client-it"));
        ConfigMap cached = informer.store().getByKey("default/client-it");
        assertNotNull(cached);
        assertEquals("value", cached.getData().get("key"));

        registration.close();
        create("client-it-after");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (informer.store().getByKey("default/client-it-after") == null) {
            assertTrue("the informer runs on after its handler is removed", System.nanoTime() < deadline);
            Thread.sleep(20);
        }
        assertNull("the removed handler got an event", drainFor(added, "default/client-it-after", 500));
    }

    @Test
    public void closingTheSharedClientLeavesItOpenForEveryoneElse() {
        client.close();
        assertNotNull(client.namespaces().withName("default").get());
    }

    private void create(String name) {
        client.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
                .withNewMetadata().withName(name).endMetadata().addToData("key", "value").build()).create();
    }

    /** Waits for the add event of {@code key}, skipping the adds of objects that existed before. */
    private static String awaitAdd(BlockingQueue<String> added, String key) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String event;
        do {
            event = added.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } while (event != null && !event.equals(key));
        return event;
    }

    private static String drainFor(BlockingQueue<String> added, String key, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        String event;
        while ((event = added.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != null) {
            if (event.equals(key)) {
                return event;
            }
        }
        return null;
    }
}
