package dev.okube.client;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.cache.Store;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A consumer's view of one shared informer: its event handlers and its cache, but not its life cycle.
 *
 * <p>Objects in the cache and in events are shared by every consumer: never modify them; deep-copy first
 * (e.g. {@code new PodBuilder(pod).build()}).
 */
@ProviderType
public interface Informer<T extends HasMetadata> {
    /** The index fabric8 keeps by default: objects by {@code metadata.namespace}. */
    String NAMESPACE_INDEX = "namespace";

    /**
     * Adds a handler, without periodic resync. A handler added after the informer has synced first gets
     * {@code onAdd} for every object already in the cache, then the live events, as client-go's
     * {@code AddEventHandler}. Events reach one handler one at a time, in order, on the client's executor;
     * different handlers are not coordinated, and a slow handler delays only itself.
     *
     * @return the registration that removes the handler
     */
    HandlerRegistration addEventHandler(ResourceEventHandler<? super T> handler);

    /**
     * Adds a handler that, besides the events, gets {@code onUpdate(o, o)} for every cached object every
     * {@code resyncPeriod}. The period is rounded up to the informer's resync check period (a setting of
     * the {@code dev.okube.client.informers} PID), and resync is off when that check period is 0.
     */
    HandlerRegistration addEventHandler(ResourceEventHandler<? super T> handler, Duration resyncPeriod);

    /** The informer's cache: keys are {@code namespace/name}, or {@code name} for cluster-scoped kinds. */
    Store<T> store();

    /** The cached objects whose index {@code indexName} yields {@code indexedValue}. */
    List<T> byIndex(String indexName, String indexedValue);

    /**
     * Adds indexes to the shared cache (they are built over the objects already cached). Indexes are
     * shared by name: a name already defined, by this consumer or another, keeps its first definition,
     * so give an index a name that says exactly what it computes (e.g. {@code "spec.nodeName"}).
     */
    void addIndexers(Map<String, Function<T, List<String>>> indexers);

    /**
     * Whether the first list has been stored in the cache. Handlers may still be working through the
     * {@code onAdd} calls of that list.
     */
    boolean hasSynced();

    /**
     * Completes when the informer has listed and started watching for the first time; completes
     * exceptionally only when it is stopped before that (the {@code Informers} service shutting down).
     */
    CompletionStage<Void> synced();

    /** The resource version of the last list or watch event stored, or null before the first sync. */
    String lastSyncResourceVersion();

    /** Whether the watch is established right now (false while it reconnects). */
    boolean isWatching();
}
