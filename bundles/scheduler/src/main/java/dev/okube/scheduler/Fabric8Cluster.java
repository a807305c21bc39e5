package dev.okube.scheduler;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.okube.api.scheduler.Lister;
import dev.okube.client.HandlerRegistration;
import dev.okube.client.Informer;
import dev.okube.client.Informers;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;

/**
 * The {@link Cluster} seam over the client bundle's services: the process's shared informers
 * ({@link Informers}) for observing, the fabric8 client for status patches and Events over REST.
 */
final class Fabric8Cluster implements Cluster, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Fabric8Cluster.class);

    private final KubernetesClient client;
    private final Informers informers;

    Fabric8Cluster(KubernetesClient client, Informers informers) {
        this.client = client;
        this.informers = informers;
    }

    @Override
    public <T extends HasMetadata> AutoCloseable watch(Class<T> type, Handler<T> handler) {
        HandlerRegistration reg = informers.informer(type).addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {
                handler.onAdd(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                handler.onUpdate(oldObj, newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                handler.onDelete(obj);
            }
        });
        return reg::close;
    }

    @Override
    public boolean awaitSynced(Class<? extends HasMetadata> type, java.time.Duration timeout) {
        try {
            informers.informer(type).synced().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public <T extends HasMetadata> Lister<T> lister(Class<T> type) {
        // No wait here: plugins ask for listers while frameworks are built, which also happens while Karaf
        // stops and the apiserver is gone; the scheduling loop waits for every listed kind instead.
        Informer<T> inf = informers.informer(type);
        boolean namespaced = Namespaced.class.isAssignableFrom(type);
        return new Lister<>() {
            @Override
            public List<T> list() {
                return inf.store().list();
            }

            @Override
            public List<T> list(String namespace) {
                return inf.byIndex(Informer.NAMESPACE_INDEX, namespace);
            }

            @Override
            public T get(String namespace, String name) {
                return inf.store().getByKey(namespaced ? namespace + "/" + name : name);
            }
        };
    }

    @Override
    public void patchPodStatus(String namespace, String name, String patch) {
        client.pods().inNamespace(namespace).withName(name).subresource("status")
                .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void createEvent(String namespace, Map<String, Object> event) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion("v1");
        r.setKind("Event");
        Map<String, Object> meta = (Map<String, Object>) event.get("metadata");
        r.setMetadata(new ObjectMetaBuilder().withName((String) meta.get("name")).withNamespace(namespace).build());
        event.forEach((k, v) -> {
            if (!k.equals("apiVersion") && !k.equals("kind") && !k.equals("metadata")) {
                r.setAdditionalProperty(k, v);
            }
        });
        client.genericKubernetesResources("v1", "Event").inNamespace(namespace).resource(r).create();
    }

    @Override
    public void close() {
        // The informers are the process's; the handlers are removed by the scheduler's close.
    }
}
