package dev.okube.storage.etcd;

import dev.okube.api.health.HealthCheck;
import dev.okube.api.storage.KeyValueStore;
import java.util.concurrent.CompletableFuture;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code /readyz/etcd}, as upstream: ready while etcd answers a linearizable read. */
@Component(service = HealthCheck.class)
public final class EtcdHealthCheck implements HealthCheck {
    private final KeyValueStore store;

    @Activate
    public EtcdHealthCheck(
            @Reference(target = "(" + EtcdKeyValueStore.BACKEND_PROPERTY + "=etcd)") KeyValueStore store) {
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
