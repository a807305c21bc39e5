package dev.okube.client.internal;

import dev.okube.client.HandlerRegistration;
import dev.okube.client.Informer;
import dev.okube.client.Informers;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Store;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * One consumer bundle's {@link Informers}: the shared informers, with the handlers this bundle added, which are
 * removed when the bundle releases the service (bundle scope: one instance per consumer bundle).
 */
@Component(scope = ServiceScope.BUNDLE)
public final class BundleInformers implements Informers {
    private final SharedInformers shared;
    private final Set<Registration> registrations = ConcurrentHashMap.newKeySet();

    @Activate
    public BundleInformers(@Reference SharedInformers shared) {
        this.shared = shared;
    }

    @Override
    public <T extends HasMetadata> Informer<T> informer(Class<T> type) {
        return new View<>(shared.informer(type));
    }

    @Override
    public Informer<GenericKubernetesResource> informer(ResourceDefinitionContext resource) {
        return new View<>(shared.informer(resource));
    }

    @Deactivate
    void removeHandlers() {
        registrations.forEach(Registration::close);
    }

    /** A shared informer without its life cycle. */
    private final class View<T extends HasMetadata> implements Informer<T> {
        private final SharedIndexInformer<T> informer;
        private final CompletionStage<Void> synced;

        View(SharedInformers.Shared<T> shared) {
            this.informer = shared.informer();
            // Consumers may wait on it, not complete it.
            this.synced = shared.synced().minimalCompletionStage();
        }

        @Override
        public HandlerRegistration addEventHandler(ResourceEventHandler<? super T> handler) {
            // 0, not the informer's default (its resync check period): no resync unless asked for.
            return add(handler, 0);
        }

        @Override
        public HandlerRegistration addEventHandler(ResourceEventHandler<? super T> handler, Duration resyncPeriod) {
            return add(handler, resyncPeriod.toMillis());
        }

        private HandlerRegistration add(ResourceEventHandler<? super T> handler, long resyncMillis) {
            Registration registration = new Registration(informer, handler);
            registrations.add(registration);
            informer.addEventHandlerWithResyncPeriod(handler, resyncMillis);
            return registration;
        }

        @Override
        public Store<T> store() {
            return informer.getStore();
        }

        @Override
        public List<T> byIndex(String indexName, String indexedValue) {
            return informer.getIndexer().byIndex(indexName, indexedValue);
        }

        @Override
        public void addIndexers(Map<String, Function<T, List<String>>> indexers) {
            // fabric8 refuses a name that exists; here the first definition of a name stays.
            synchronized (informer) {
                Set<String> defined = informer.getIndexer().getIndexers().keySet();
                indexers.forEach((name, function) -> {
                    if (!defined.contains(name)) {
                        informer.addIndexers(Map.of(name, function));
                    }
                });
            }
        }

        @Override
        public boolean hasSynced() {
            return informer.hasSynced();
        }

        @Override
        public CompletionStage<Void> synced() {
            return synced;
        }

        @Override
        public String lastSyncResourceVersion() {
            return informer.lastSyncResourceVersion();
        }

        @Override
        public boolean isWatching() {
            return informer.isWatching();
        }
    }

    private final class Registration implements HandlerRegistration {
        private final SharedIndexInformer<?> informer;
        private final ResourceEventHandler<?> handler;
        private final AtomicBoolean closed = new AtomicBoolean();

        <T> Registration(SharedIndexInformer<T> informer, ResourceEventHandler<? super T> handler) {
            this.informer = informer;
            this.handler = handler;
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public void close() {
            if (closed.compareAndSet(false, true)) {
                ((SharedIndexInformer) informer).removeEventHandler(handler);
                registrations.remove(this);
            }
        }
    }
}
