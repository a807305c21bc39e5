package dev.okube.apiserver;

import dev.okube.api.health.HealthCheck;
import dev.okube.api.storage.KeyValueStore;
import java.util.concurrent.CompletableFuture;

/**
 * {@code /readyz/etcd}, {@code /livez/etcd}: the installed store answers its own health probe.
 * Upstream calls this check "etcd" and operators look for that name, whatever the backend.
 */
final class StorageHealthCheck implements HealthCheck {
    private final KeyValueStore store;

    StorageHealthCheck(KeyValueStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "etcd";
    }

    @Override
    public boolean liveness() {
        return true;
    }

    @Override
    public CompletableFuture<Void> check() {
        return store.health();
    }
}
