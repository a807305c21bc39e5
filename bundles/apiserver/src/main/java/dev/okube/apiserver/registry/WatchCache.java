package dev.okube.apiserver.registry;

import dev.okube.api.storage.KeyValue;
import dev.okube.api.storage.KeyValueStore;
import dev.okube.api.storage.RangeOptions;
import dev.okube.api.storage.RangeResult;
import dev.okube.api.storage.StorageException;
import dev.okube.api.storage.Watch;
import dev.okube.api.storage.WatchEvent;
import dev.okube.api.storage.WatchListener;
import dev.okube.api.storage.WatchOptions;
import dev.okube.apiserver.rest.ApiException;
import dev.okube.apiserver.rest.Json;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The watch cache of one resource, as upstream's cacher: one storage watch on the resource's key
 * prefix keeps an in-memory copy of every object and a window of recent events, from which lists
 * at "any" revision and every watch are served. A thousand watchers cost one storage watch.
 */
public final class WatchCache implements AutoCloseable {
    /** Events kept for watches that resume from a past revision. */
    static final int HISTORY = 10_000;
    /** Pending events a slow watcher may hold before it is ended (clients then relist). */
    static final int WATCHER_BACKLOG = 50_000;
    private static final Logger LOG = LoggerFactory.getLogger(WatchCache.class);

    /**
     * One change as watchers see it: objects carry their resourceVersion. {@code encoded} keeps the
     * event's wire form once computed, so a thousand watchers of one event cost one serialization.
     */
    public record Event(String type, ObjectNode object, ObjectNode previous, long revision, Encoded encoded) {
        public Event(String type, ObjectNode object, ObjectNode previous, long revision) {
            this(type, object, previous, revision, new Encoded());
        }
    }

    /** The memoized wire form of an event; computed by the first watcher that needs it. */
    public static final class Encoded {
        private volatile byte[] json;

        public byte[] json(java.util.function.Supplier<byte[]> encode) {
            byte[] b = json;
            if (b == null) {
                b = encode.get();
                json = b;
            }
            return b;
        }
    }

    /** A registered watcher; its sink must not block. */
    public interface Sink {
        /** Delivers one event; returns false when the watcher is gone. */
        boolean offer(Event event);

        /** Every change up to this revision was delivered (for bookmarks). */
        void progress(long revision);

        /** The watch ended from the server's side (cache restart, slow watcher). */
        void terminate(String reason);
    }

    private final ResourceDefinition def;
    private final KeyValueStore store;
    private final Object lock = new Object();
    private final NavigableMap<String, ObjectNode> objects = new TreeMap<>();
    private final ArrayDeque<Event> history = new ArrayDeque<>();
    private final List<Registration> watchers = new CopyOnWriteArrayList<>();
    private final int historyLimit;
    private long revision;
    private long oldestServable;
    private Watch storageWatch;
    private volatile boolean closed;

    private record Registration(String prefix, ListOptions options, Sink sink) {
    }

    WatchCache(ResourceDefinition def, KeyValueStore store) {
        this(def, store, HISTORY);
    }

    /** With a history of {@code historyLimit} events; tests use a small one to reach 410 Gone cheaply. */
    WatchCache(ResourceDefinition def, KeyValueStore store, int historyLimit) {
        this.def = def;
        this.store = store;
        this.historyLimit = historyLimit;
        synchronized (lock) {
            load();
        }
    }

    /** Lists the resource from storage and watches it from that revision on. Called under the lock. */
    private void load() {
        RangeResult all = GenericRegistry.await(store.range(def.keyPrefix(), RangeOptions.builder().withPrefix(true).build()));
        objects.clear();
        history.clear();
        for (KeyValue kv : all.kvs()) {
            objects.put(kv.key(), decode(kv.value(), kv.modRevision()));
        }
        revision = all.revision();
        oldestServable = all.revision();
        storageWatch = store.watch(def.keyPrefix(), WatchOptions.builder().withAfterRevision(revision)
                .withProgressNotify(true).build(), new Listener());
        lock.notifyAll();
    }

    private final class Listener implements WatchListener {
        @Override
        public void onEvents(List<WatchEvent> events) {
            List<Event> applied = new ArrayList<>(events.size());
            synchronized (lock) {
                for (WatchEvent e : events) {
                    Event event = apply(e);
                    if (event != null) {
                        applied.add(event);
                    }
                }
                lock.notifyAll();
                // Dispatch under the lock so a watcher registering concurrently sees each event once.
                for (Event event : applied) {
                    dispatch(event);
                }
            }
        }

        @Override
        public void onProgress(long rev) {
            synchronized (lock) {
                if (rev > revision) {
                    revision = rev;
                    lock.notifyAll();
                }
                for (Registration r : watchers) {
                    r.sink().progress(revision);
                }
            }
        }

        @Override
        public void onError(StorageException error) {
            if (closed) {
                return;
            }
            LOG.warn("watch cache of {} lost its storage watch ({}); reloading", def.qualifiedResource(), error.getMessage());
            synchronized (lock) {
                for (Registration r : watchers) {
                    r.sink().terminate("watch cache restarted");
                }
                watchers.clear();
                try {
                    load();
                } catch (RuntimeException e) {
                    LOG.warn("watch cache of {} could not reload: {}", def.qualifiedResource(), e.getMessage());
                }
            }
        }
    }

    private Event apply(WatchEvent e) {
        long rev = e.revision();
        if (!history.isEmpty() && rev <= history.peekLast().revision()) {
            return null; // already applied: the store delivers in order, this only guards a reload overlap
        }
        Event event;
        if (e.type() == WatchEvent.Type.DELETE) {
            ObjectNode previous = objects.remove(e.kv().key());
            if (previous == null && e.prevKv() != null) {
                previous = decode(e.prevKv().value(), e.prevKv().modRevision());
            }
            if (previous == null) {
                revision = Math.max(revision, rev);
                return null;
            }
            // Upstream sends the last state with the revision of the deletion.
            ObjectNode last = previous.deepCopy();
            Json.metadata(last).put("resourceVersion", Long.toString(rev));
            event = new Event("DELETED", last, previous, rev);
        } else {
            ObjectNode object = decode(e.kv().value(), rev);
            ObjectNode previous = objects.put(e.kv().key(), object);
            event = new Event(previous == null ? "ADDED" : "MODIFIED", object, previous, rev);
        }
        revision = Math.max(revision, rev);
        history.addLast(event);
        if (history.size() > historyLimit) {
            oldestServable = history.removeFirst().revision();
        }
        return event;
    }

    private void dispatch(Event event) {
        for (Registration r : watchers) {
            Event filtered = filter(r, event);
            if (filtered != null && !r.sink().offer(filtered)) {
                watchers.remove(r);
            }
        }
    }

    /**
     * What a filtered watcher sees of an event: an object entering the selection is ADDED, one
     * leaving it DELETED, as upstream's cacher does.
     */
    private Event filter(Registration r, Event event) {
        boolean now = inScope(r, event.object());
        boolean before = event.previous() != null && inScope(r, event.previous());
        switch (event.type()) {
            case "ADDED":
                return now ? event : null;
            case "DELETED":
                return before ? event : null;
            default:
                if (now && before) {
                    return event;
                } else if (now) {
                    return new Event("ADDED", event.object(), event.previous(), event.revision());
                } else if (before) {
                    // The last state the watcher could see (it still matches its selector), at the
                    // revision of the change, as upstream's cacheWatcher.
                    ObjectNode last = event.previous().deepCopy();
                    Json.metadata(last).put("resourceVersion", Long.toString(event.revision()));
                    return new Event("DELETED", last, event.previous(), event.revision());
                }
                return null;
        }
    }

    private boolean inScope(Registration r, ObjectNode object) {
        return (r.prefix().equals(def.keyPrefix()) || keyOf(object).startsWith(r.prefix()))
                && r.options().matches(def, object);
    }

    private String keyOf(ObjectNode object) {
        return def.key(StoredObjects.namespace(object), StoredObjects.name(object));
    }

    private ObjectNode decode(byte[] value, long modRevision) {
        ObjectNode object = Json.parseObject(value);
        Json.metadata(object).put("resourceVersion", Long.toString(modRevision));
        GenericRegistry.servedVersion(def, object);
        return object;
    }

    /** The cache's revision: every change up to it is reflected. */
    public long revision() {
        synchronized (lock) {
            return revision;
        }
    }

    /**
     * Waits until the cache reflects revision {@code rev}, asking the store for progress so an idle
     * resource catches up with writes elsewhere. Upstream answers 504 "Too large resource version".
     */
    public void waitUntilFresh(long rev) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        synchronized (lock) {
            while (revision < rev) {
                if (storageWatch != null) {
                    storageWatch.requestProgress();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw ApiException.timeout("Too large resource version: " + rev + ", current: " + revision);
                }
                try {
                    lock.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 100)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw ApiException.timeout("interrupted while waiting for the watch cache");
                }
            }
        }
    }

    /** The object stored under a key right now (shared, never to be changed), or null. */
    public ObjectNode get(String key) {
        synchronized (lock) {
            return objects.get(key);
        }
    }

    /** A snapshot list of the objects under a key prefix that pass the options' selectors. */
    public Snapshot list(String prefix, ListOptions options) {
        synchronized (lock) {
            List<ObjectNode> items = new ArrayList<>();
            for (Map.Entry<String, ObjectNode> e : objects.tailMap(prefix, true).entrySet()) {
                if (!e.getKey().startsWith(prefix)) {
                    break;
                }
                if (options.matches(def, e.getValue())) {
                    items.add(e.getValue());
                }
            }
            return new Snapshot(items, revision);
        }
    }

    /** Objects (shared, never to be changed) and the revision they reflect. */
    public record Snapshot(List<ObjectNode> items, long revision) {
    }

    /**
     * Registers a watcher. With {@code afterRevision} 0 it first receives an ADDED event for every
     * matching object; otherwise every matching change after that revision. A revision older than
     * the cache's window is 410 Gone, as upstream.
     */
    public Runnable watch(String prefix, ListOptions options, long afterRevision, boolean initialEvents, Sink sink) {
        if (afterRevision > 0) {
            waitUntilFresh(afterRevision);
        }
        Registration registration = new Registration(prefix, options, sink);
        synchronized (lock) {
            if (initialEvents) {
                for (Map.Entry<String, ObjectNode> e : objects.tailMap(prefix, true).entrySet()) {
                    if (!e.getKey().startsWith(prefix)) {
                        break;
                    }
                    ObjectNode o = e.getValue();
                    if (options.matches(def, o)) {
                        sink.offer(new Event("ADDED", o, null, revision));
                    }
                }
            } else {
                if (afterRevision < oldestServable) {
                    throw ApiException.gone("too old resource version: " + afterRevision + " (" + oldestServable + ")");
                }
                for (Event event : history) {
                    if (event.revision() > afterRevision) {
                        Event filtered = filter(registration, event);
                        if (filtered != null) {
                            sink.offer(filtered);
                        }
                    }
                }
            }
            watchers.add(registration);
        }
        return () -> watchers.remove(registration);
    }

    public int watcherCount() {
        return watchers.size();
    }

    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            if (storageWatch != null) {
                storageWatch.close();
            }
            for (Registration r : watchers) {
                r.sink().terminate("apiserver shutting down");
            }
            watchers.clear();
        }
    }
}
