package dev.okube.scheduler;

import dev.okube.api.scheduler.Lister;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * The scheduler's seam to the apiserver: observe kinds through shared informers, and write pod status
 * patches and Events over REST. One implementation talks to the fabric8 client; tests use a fake.
 */
public interface Cluster {
    /** Receives one kind's informer events, one at a time; must not block. */
    interface Handler<T> {
        void onAdd(T obj);

        void onUpdate(T oldObj, T newObj);

        void onDelete(T obj);
    }

    /** Adds a handler to the kind's shared informer (existing objects arrive as adds); close removes it. */
    <T extends HasMetadata> AutoCloseable watch(Class<T> type, Handler<T> handler);

    /** Waits (at most {@code timeout}) until the kind's informer has listed once; false when it has not. */
    default boolean awaitSynced(Class<? extends HasMetadata> type, java.time.Duration timeout) {
        return true;
    }

    /** The kind's informer cache; the first call starts its informer and waits for its first list. */
    <T extends HasMetadata> Lister<T> lister(Class<T> type);

    /** Strategic-merge-patches pods/{name}/status. */
    void patchPodStatus(String namespace, String name, String patch);

    /** Creates a core/v1 Event (given as its JSON-ready map). */
    void createEvent(String namespace, java.util.Map<String, Object> event);
}
