package dev.okube.testkit;

import dev.okube.api.resources.ClusterResources;
import dev.okube.api.resources.ResourceEvent;
import dev.okube.api.resources.ResourceException;
import dev.okube.api.resources.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@link ClusterResources} contract over maps, for plugins' unit tests: resourceVersions
 * increase, a stale resourceVersion conflicts, and watchers see events synchronously (on the
 * writer's thread, which keeps tests deterministic). End-to-end behaviour is tested against the
 * real apiserver in itests.
 */
public final class InMemoryClusterResources implements ClusterResources {
    private final Map<ResourceType, Map<String, ObjectNode>> objects = new ConcurrentHashMap<>();
    private final Map<ResourceType, List<Consumer<ResourceEvent>>> watchers = new ConcurrentHashMap<>();
    private final Set<ResourceType> served = ConcurrentHashMap.newKeySet();
    private long revision;

    /** Serves these resources (every resource is served once something was stored in it). */
    public InMemoryClusterResources serve(ResourceType... types) {
        served.addAll(List.of(types));
        return this;
    }

    /** Stores an object as is, assigning a resourceVersion (and a uid when missing). */
    public synchronized ObjectNode put(ResourceType type, ObjectNode object) {
        ObjectNode copy = object.deepCopy();
        ObjectNode meta = copy.withObjectProperty("metadata");
        meta.put("resourceVersion", Long.toString(++revision));
        if (!meta.has("uid")) {
            meta.put("uid", java.util.UUID.randomUUID().toString());
        }
        served.add(type);
        ObjectNode old = table(type).put(key(namespace(copy), name(copy)), copy);
        notify(type, new ResourceEvent(old == null ? ResourceEvent.Type.ADDED : ResourceEvent.Type.MODIFIED, copy, old));
        return copy;
    }

    @Override
    public boolean serves(ResourceType type) {
        return served.contains(type);
    }

    @Override
    public Optional<ObjectNode> get(ResourceType type, String namespace, String name) {
        return Optional.ofNullable(table(type).get(key(namespace, name)));
    }

    @Override
    public List<ObjectNode> list(ResourceType type, String namespace) {
        List<ObjectNode> result = new ArrayList<>();
        for (ObjectNode o : table(type).values()) {
            if (namespace.isEmpty() || namespace.equals(namespace(o))) {
                result.add(o);
            }
        }
        return result;
    }

    @Override
    public synchronized AutoCloseable watch(ResourceType type, Consumer<ResourceEvent> handler) {
        for (ObjectNode o : table(type).values()) {
            handler.accept(new ResourceEvent(ResourceEvent.Type.ADDED, o, null));
        }
        watchers.computeIfAbsent(type, t -> new CopyOnWriteArrayList<>()).add(handler);
        return () -> watchers.getOrDefault(type, List.of()).remove(handler);
    }

    @Override
    public synchronized ObjectNode create(ResourceType type, ObjectNode object) {
        if (get(type, namespace(object), name(object)).isPresent()) {
            throw new ResourceException(409, "AlreadyExists", type + " \"" + name(object) + "\" already exists");
        }
        return put(type, object);
    }

    @Override
    public synchronized ObjectNode update(ResourceType type, ObjectNode object) {
        ObjectNode current = get(type, namespace(object), name(object)).orElseThrow(() ->
                new ResourceException(404, "NotFound", type + " \"" + name(object) + "\" not found"));
        String rv = object.path("metadata").path("resourceVersion").asString("");
        if (!rv.isEmpty() && !rv.equals(current.path("metadata").path("resourceVersion").asString(""))) {
            throw new ResourceException(409, "Conflict", "Operation cannot be fulfilled on " + type + " \""
                    + name(object) + "\": the object has been modified; please apply your changes to the latest "
                    + "version and try again");
        }
        return put(type, object);
    }

    @Override
    public ObjectNode updateStatus(ResourceType type, ObjectNode object) {
        return update(type, object);
    }

    @Override
    public synchronized void delete(ResourceType type, String namespace, String name) {
        ObjectNode old = table(type).remove(key(namespace, name));
        if (old == null) {
            throw new ResourceException(404, "NotFound", type + " \"" + name + "\" not found");
        }
        notify(type, new ResourceEvent(ResourceEvent.Type.DELETED, old, old));
    }

    private void notify(ResourceType type, ResourceEvent event) {
        for (Consumer<ResourceEvent> watcher : watchers.getOrDefault(type, List.of())) {
            watcher.accept(event);
        }
    }

    private Map<String, ObjectNode> table(ResourceType type) {
        return objects.computeIfAbsent(type, t -> java.util.Collections.synchronizedMap(new TreeMap<>()));
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    private static String namespace(ObjectNode o) {
        return o.path("metadata").path("namespace").asString("");
    }

    private static String name(ObjectNode o) {
        return o.path("metadata").path("name").asString("");
    }
}
