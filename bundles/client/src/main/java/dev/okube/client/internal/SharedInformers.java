package dev.okube.client.internal;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's informers, one per resource type, over the shared client. Consumers reach them through
 * {@link BundleInformers}, which keeps each bundle's handlers; this class alone starts and stops informers.
 */
@Component(service = SharedInformers.class, configurationPid = SharedInformers.PID)
@Designate(ocd = SharedInformers.Config.class)
public final class SharedInformers {
    static final String PID = "dev.okube.client.informers";
    private static final Logger LOG = LoggerFactory.getLogger(SharedInformers.class);

    @ObjectClassDefinition(name = "okube shared informers",
            description = "The informers that okube's components share: one list + watch per resource type")
    public @interface Config {
        @AttributeDefinition(description = "How often, in seconds, each informer checks which handlers are due "
                + "for their resync; a handler's resync period is rounded up to it. 0 turns resync off")
        long resync_check_period_s() default 30;
    }

    /** A started informer and the future of its first sync. */
    record Shared<T extends HasMetadata>(SharedIndexInformer<T> informer, CompletableFuture<Void> synced) {
    }

    private final KubernetesClient client;
    private final long resyncCheckMillis;
    private final Map<Object, Shared<?>> informers = new HashMap<>();
    private boolean stopped;

    @Activate
    public SharedInformers(@Reference KubernetesClient client, Config config) {
        this.client = client;
        this.resyncCheckMillis = Math.max(0, config.resync_check_period_s()) * 1000;
    }

    synchronized <T extends HasMetadata> Shared<T> informer(Class<T> type) {
        Objects.requireNonNull(type, "type");
        return informer(type,
                () -> client.resources(type).inAnyNamespace().runnableInformer(resyncCheckMillis));
    }

    synchronized Shared<GenericKubernetesResource> informer(ResourceDefinitionContext resource) {
        Objects.requireNonNull(resource, "resource");
        // ResourceDefinitionContext has no equals: the resource is its group, version and plural.
        List<String> key = List.of(Objects.toString(resource.getGroup(), ""), resource.getVersion(),
                resource.getPlural());
        return informer(key,
                () -> client.genericKubernetesResources(resource).inAnyNamespace().runnableInformer(resyncCheckMillis));
    }

    @SuppressWarnings("unchecked")
    private <T extends HasMetadata> Shared<T> informer(Object key, Supplier<SharedIndexInformer<T>> create) {
        if (stopped) {
            throw new IllegalStateException("the shared informers are stopped");
        }
        return (Shared<T>) informers.computeIfAbsent(key, k -> {
            SharedIndexInformer<T> informer = create.get();
            // fabric8 gives up after a failed first list by default; a shared informer outlives any outage
            // (the apiserver starting later, a restart) and retries with its exponential backoff.
            informer.exceptionHandler((started, t) -> true);
            CompletableFuture<Void> synced = informer.start().toCompletableFuture();
            LOG.debug("started the shared informer of {}", k);
            return new Shared<>(informer, synced);
        });
    }

    @Deactivate
    synchronized void stop() {
        stopped = true;
        informers.values().forEach(shared -> shared.informer().stop());
        informers.clear();
    }
}
