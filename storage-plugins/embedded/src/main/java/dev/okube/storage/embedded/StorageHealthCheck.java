package dev.okube.storage.embedded;

import dev.okube.api.health.HealthCheck;
import dev.okube.api.storage.KeyValueStore;
import java.util.concurrent.CompletableFuture;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code /readyz/etcd}: upstream names its storage readiness check "etcd", and kubectl and operators
 * look for that name whichever backend serves the state. A separate component because
 * {@link KeyValueStore#name()} and {@link HealthCheck#name()} must answer differently.
 */
@Component(service = HealthCheck.class)
public final class StorageHealthCheck implements HealthCheck {
    private final KeyValueStore store;

    @Activate
    public StorageHealthCheck(
            @Reference(target = "(component.name=" + EmbeddedKeyValueStore.PID + ")") KeyValueStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "etcd";
    }

    @Override
    public CompletableFuture<Void> check() {
        return store.health();
    }
}
