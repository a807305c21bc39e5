package dev.okube.admission.podsecurity;

import dev.okube.api.resources.ClusterResources;
import dev.okube.api.resources.ResourceType;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Namespaces as PodSecurity reads them: from the apiserver's cache through {@link ClusterResources}.
 * Upstream reads its informer and falls back to a live GET when the namespace is not there yet
 * (it was just created). The SPI has no live read, so a lookup that misses waits, for a bounded
 * time, for the namespace watch to deliver a new namespace, then reads again.
 */
final class NamespaceLookup implements Function<String, Optional<ObjectNode>>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NamespaceLookup.class);
    static final ResourceType NAMESPACES = ResourceType.core("namespaces");

    private final ClusterResources resources;
    private final long waitNanos;
    private final Object lock = new Object();
    private long generation;
    private final AutoCloseable watch;

    /**
     * @param wait how long a lookup that misses waits for the namespace to appear; zero to not wait
     */
    NamespaceLookup(ClusterResources resources, Duration wait) {
        this.resources = resources;
        this.waitNanos = wait.toNanos();
        AutoCloseable w = null;
        if (waitNanos > 0) {
            try {
                // Any namespace event may be the one a waiting lookup needs: wake them all.
                w = resources.watch(NAMESPACES, event -> {
                    synchronized (lock) {
                        generation++;
                        lock.notifyAll();
                    }
                });
            } catch (RuntimeException e) {
                LOG.warn("cannot watch namespaces ({}); a pod whose namespace is not cached yet is refused at once",
                        e.toString());
            }
        }
        this.watch = w;
    }

    @Override
    public Optional<ObjectNode> apply(String name) {
        if (name.isEmpty()) {
            return Optional.empty();
        }
        long deadline = System.nanoTime() + waitNanos;
        while (true) {
            long seen;
            synchronized (lock) {
                seen = generation;
            }
            Optional<ObjectNode> namespace = resources.get(NAMESPACES, "", name);
            long remaining = deadline - System.nanoTime();
            if (namespace.isPresent() || watch == null || remaining <= 0) {
                return namespace;
            }
            synchronized (lock) {
                while (generation == seen && remaining > 0) {
                    try {
                        lock.wait(Math.max(1, remaining / 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return Optional.empty();
                    }
                    remaining = deadline - System.nanoTime();
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        if (watch != null) {
            watch.close();
        }
    }
}
