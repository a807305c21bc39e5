package dev.okube.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.okube.api.scheduler.Lister;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * The {@link Cluster} seam over the fabric8 client: one informer per kind for this scheduler, status
 * patches and Events over REST.
 */
final class Fabric8Cluster implements Cluster, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Fabric8Cluster.class);

    private final KubernetesClient client;
    private final Map<Class<?>, SharedIndexInformer<?>> informers = new ConcurrentHashMap<>();

    Fabric8Cluster(KubernetesClient client) {
        this.client = client;
    }

    @SuppressWarnings("unchecked")
    private <T extends HasMetadata> SharedIndexInformer<T> informer(Class<T> type) {
        return (SharedIndexInformer<T>) informers.computeIfAbsent(type, t -> {
            SharedIndexInformer<T> inf = Namespaced.class.isAssignableFrom(type)
                    ? client.resources(type).inAnyNamespace().runnableInformer(0)
                    : client.resources(type).runnableInformer(0);
            inf.start();
            return inf;
        });
    }

    @Override
    public <T extends HasMetadata> AutoCloseable watch(Class<T> type, Handler<T> handler) {
        SharedIndexInformer<T> inf = informer(type);
        ResourceEventHandler<T> h = new ResourceEventHandler<>() {
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
        };
        inf.addEventHandler(h);
        return () -> inf.removeEventHandler(h);
    }

    @Override
    public <T extends HasMetadata> Lister<T> lister(Class<T> type) {
        SharedIndexInformer<T> inf = informer(type);
        try {
            inf.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Informer of {} not synced yet: {}", type.getSimpleName(), e.toString());
        }
        return new Lister<>() {
            @Override
            public List<T> list() {
                return inf.getStore().list();
            }

            @Override
            public List<T> list(String namespace) {
                List<T> out = new ArrayList<>();
                for (T t : inf.getStore().list()) {
                    if (namespace.equals(t.getMetadata().getNamespace())) {
                        out.add(t);
                    }
                }
                return out;
            }

            @Override
            public T get(String namespace, String name) {
                String key = Namespaced.class.isAssignableFrom(type) ? namespace + "/" + name : name;
                return inf.getStore().getByKey(key);
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
        r.setApiVersion("events.k8s.io/v1");
        r.setKind("Event");
        Map<String, Object> meta = (Map<String, Object>) event.get("metadata");
        r.setMetadata(new ObjectMetaBuilder().withName((String) meta.get("name")).withNamespace(namespace).build());
        event.forEach((k, v) -> {
            if (!k.equals("apiVersion") && !k.equals("kind") && !k.equals("metadata")) {
                r.setAdditionalProperty(k, v);
            }
        });
        client.genericKubernetesResources("events.k8s.io/v1", "Event").inNamespace(namespace).resource(r).create();
    }

    @Override
    public void close() {
        informers.values().forEach(SharedIndexInformer::close);
        informers.clear();
    }
}
