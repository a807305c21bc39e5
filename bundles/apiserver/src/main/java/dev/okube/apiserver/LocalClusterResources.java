package dev.okube.apiserver;

import dev.okube.api.resources.ClusterResources;
import dev.okube.api.resources.ResourceEvent;
import dev.okube.api.resources.ResourceException;
import dev.okube.api.resources.ResourceType;
import dev.okube.apiserver.registry.DeleteOptions;
import dev.okube.apiserver.registry.GenericRegistry;
import dev.okube.apiserver.registry.ListOptions;
import dev.okube.apiserver.registry.Registry;
import dev.okube.apiserver.registry.ResourceDefinition;
import dev.okube.apiserver.registry.WatchCache;
import dev.okube.apiserver.rest.ApiException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link ClusterResources} for plugins in this Karaf: reads from the watch caches, writes through
 * the generic registry (defaulting, validation, admission) as {@link ClusterResources#SYSTEM_USER}.
 * Like upstream's loopback informers, minus the HTTP round trip.
 */
final class LocalClusterResources implements ClusterResources {
    private static final Logger LOG = LoggerFactory.getLogger(LocalClusterResources.class);
    private static final dev.okube.apiserver.registry.WriteOptions SYSTEM =
            new dev.okube.apiserver.registry.WriteOptions(SYSTEM_USER, false, "okube-apiserver");

    private final Registry registry;
    private final GenericRegistry store;

    LocalClusterResources(Registry registry, GenericRegistry store) {
        this.registry = registry;
        this.store = store;
    }

    @Override
    public boolean serves(ResourceType type) {
        return registry.findResource(type.group(), type.resource()).isPresent();
    }

    @Override
    public Optional<ObjectNode> get(ResourceType type, String namespace, String name) {
        ResourceDefinition def = definition(type);
        return Optional.ofNullable(store.cache(def).get(def.key(namespace, name)));
    }

    @Override
    public List<ObjectNode> list(ResourceType type, String namespace) {
        ResourceDefinition def = definition(type);
        return store.cache(def).list(def.keyPrefix(namespace), ListOptions.ALL).items();
    }

    @Override
    public AutoCloseable watch(ResourceType type, Consumer<ResourceEvent> handler) {
        ResourceDefinition def = definition(type);
        Subscription subscription = new Subscription(def, handler);
        subscription.start();
        return subscription;
    }

    @Override
    public ObjectNode create(ResourceType type, ObjectNode object) {
        ResourceDefinition def = definition(type);
        return call(() -> store.create(def, namespace(def, object), object.deepCopy(), SYSTEM));
    }

    @Override
    public ObjectNode update(ResourceType type, ObjectNode object) {
        ResourceDefinition def = definition(type);
        return call(() -> store.update(def, namespace(def, object), name(object), "", object.deepCopy(), SYSTEM));
    }

    @Override
    public ObjectNode updateStatus(ResourceType type, ObjectNode object) {
        ResourceDefinition def = definition(type);
        String sub = def.hasStatus() ? "status" : "";
        return call(() -> store.update(def, namespace(def, object), name(object), sub, object.deepCopy(), SYSTEM));
    }

    @Override
    public void delete(ResourceType type, String namespace, String name) {
        ResourceDefinition def = definition(type);
        call(() -> store.delete(def, namespace, name, DeleteOptions.DEFAULT, SYSTEM));
    }

    private ResourceDefinition definition(ResourceType type) {
        return registry.findResource(type.group(), type.resource()).orElseThrow(() ->
                new ResourceException(404, "NotFound", "the server could not find the requested resource " + type));
    }

    private static <T> T call(Supplier<T> write) {
        try {
            return write.get();
        } catch (ApiException e) {
            throw new ResourceException(e.code(), e.reason(), e.getMessage());
        }
    }

    private static String namespace(ResourceDefinition def, ObjectNode object) {
        return def.namespaced() ? object.path("metadata").path("namespace").asString("") : "";
    }

    private static String name(ObjectNode object) {
        return object.path("metadata").path("name").asString("");
    }

    /**
     * One watcher of a watch cache. The cache's sink must never block, so events queue here and a
     * thread of the subscription's own hands them to the plugin in order. When the cache ends the
     * watch (a restart, or this watcher fell too far behind), it re-registers and replays the
     * difference against what the plugin has seen, as an informer's relist does.
     */
    private final class Subscription implements AutoCloseable, WatchCache.Sink {
        private final ResourceDefinition def;
        private final Consumer<ResourceEvent> handler;
        private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        private final Map<String, ObjectNode> seen = new HashMap<>();
        private final Thread thread;
        private volatile Runnable cancel = () -> { };
        private volatile boolean closed;

        Subscription(ResourceDefinition def, Consumer<ResourceEvent> handler) {
            this.def = def;
            this.handler = handler;
            this.thread = new Thread(this::deliver, "okube-watch-" + def.plural());
            thread.setDaemon(true);
        }

        void start() {
            cancel = store.cache(def).watch(def.keyPrefix(), ListOptions.ALL, 0, true, this);
            queue.add(Resync.END);
            thread.start();
        }

        @Override
        public boolean offer(WatchCache.Event event) {
            if (closed) {
                return false;
            }
            queue.add(event);
            return true;
        }

        @Override
        public void progress(long revision) {
        }

        @Override
        public void terminate(String reason) {
            if (!closed) {
                queue.add(Resync.START);
            }
        }

        @Override
        public void close() {
            closed = true;
            cancel.run();
            thread.interrupt();
        }

        private void deliver() {
            Map<String, ObjectNode> relisted = null;
            while (!closed) {
                Object item;
                try {
                    item = queue.take();
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    if (item == Resync.START) {
                        cancel.run();
                        relisted = new HashMap<>();
                        cancel = store.cache(def).watch(def.keyPrefix(), ListOptions.ALL, 0, true, this);
                        queue.add(Resync.END);
                    } else if (item == Resync.END) {
                        if (relisted != null) {
                            for (Map.Entry<String, ObjectNode> gone : Map.copyOf(seen).entrySet()) {
                                if (!relisted.containsKey(gone.getKey())) {
                                    seen.remove(gone.getKey());
                                    handler.accept(new ResourceEvent(ResourceEvent.Type.DELETED, gone.getValue(),
                                            gone.getValue()));
                                }
                            }
                            relisted = null;
                        }
                    } else {
                        WatchCache.Event event = (WatchCache.Event) item;
                        String key = key(event.object());
                        if (relisted != null && event.type().equals("ADDED")) {
                            relisted.put(key, event.object());
                            ObjectNode before = seen.put(key, event.object());
                            if (before == null) {
                                handler.accept(new ResourceEvent(ResourceEvent.Type.ADDED, event.object(), null));
                            } else if (!before.equals(event.object())) {
                                handler.accept(new ResourceEvent(ResourceEvent.Type.MODIFIED, event.object(), before));
                            }
                            continue;
                        }
                        dispatch(event, key);
                    }
                } catch (RuntimeException e) {
                    // A plugin's failure must not end its own subscription.
                    LOG.warn("watcher of {} failed on an event", def.qualifiedResource(), e);
                }
            }
        }

        private void dispatch(WatchCache.Event event, String key) {
            switch (event.type()) {
                case "ADDED" -> {
                    ObjectNode before = seen.put(key, event.object());
                    handler.accept(before == null
                            ? new ResourceEvent(ResourceEvent.Type.ADDED, event.object(), null)
                            : new ResourceEvent(ResourceEvent.Type.MODIFIED, event.object(), before));
                }
                case "MODIFIED" -> {
                    ObjectNode before = seen.put(key, event.object());
                    handler.accept(new ResourceEvent(before == null ? ResourceEvent.Type.ADDED
                            : ResourceEvent.Type.MODIFIED, event.object(), before));
                }
                case "DELETED" -> {
                    ObjectNode before = seen.remove(key);
                    handler.accept(new ResourceEvent(ResourceEvent.Type.DELETED, event.object(),
                            before == null ? event.previous() : before));
                }
                default -> {
                    // BOOKMARK and ERROR are not events of the resource.
                }
            }
        }

        private String key(ObjectNode object) {
            return object.path("metadata").path("namespace").asString("") + "/"
                    + object.path("metadata").path("name").asString("");
        }
    }

    private enum Resync { START, END }
}
