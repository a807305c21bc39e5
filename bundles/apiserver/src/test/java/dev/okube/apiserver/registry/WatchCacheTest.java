package dev.okube.apiserver.registry;

import static dev.okube.apiserver.registry.EmbeddedStores.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.apiserver.rest.ApiException;
import dev.okube.apiserver.rest.ApiSelectors;
import dev.okube.apiserver.rest.Json;
import dev.okube.storage.embedded.EmbeddedKeyValueStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/** The watch cache over the real embedded store: replay, resumption, selector transitions, 410, progress. */
class WatchCacheTest {
    private static final ResourceDefinition CONFIGMAPS = EmbeddedStores.def("", "configmaps");
    private static final ResourceDefinition SECRETS = EmbeddedStores.def("", "secrets");
    private static final long WAIT_SECONDS = 10;

    @TempDir
    Path dir;
    private EmbeddedKeyValueStore store;
    private GenericRegistry registry;
    private final List<WatchCache> extraCaches = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        store = EmbeddedStores.open(dir);
        registry = new GenericRegistry(store, AdmissionChain.NONE, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        extraCaches.forEach(WatchCache::close);
        registry.close();
        store.deactivate();
    }

    /** Collects what a watcher receives. */
    static final class Recorder implements WatchCache.Sink {
        final BlockingQueue<WatchCache.Event> events = new LinkedBlockingQueue<>();
        final BlockingQueue<Long> progress = new LinkedBlockingQueue<>();

        @Override
        public boolean offer(WatchCache.Event event) {
            events.add(event);
            return true;
        }

        @Override
        public void progress(long revision) {
            progress.add(revision);
        }

        @Override
        public void terminate(String reason) {
        }

        WatchCache.Event next() throws InterruptedException {
            WatchCache.Event e = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(e, "no event within " + WAIT_SECONDS + " s");
            return e;
        }

        /** Takes exactly n events, failing when they do not arrive in time. */
        List<WatchCache.Event> take(int n) throws InterruptedException {
            List<WatchCache.Event> taken = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                taken.add(next());
            }
            return taken;
        }

        void assertQuiet() throws InterruptedException {
            WatchCache.Event extra = events.poll(200, TimeUnit.MILLISECONDS);
            assertNull(extra, () -> "unexpected event " + extra.type() + " " + extra.object());
        }
    }

    private ObjectNode put(String name, String... labels) {
        return registry.create(CONFIGMAPS, "default", GenericRegistryTest.configMap(name, labels), WRITE);
    }

    private ObjectNode relabel(ObjectNode current, String key, String value) {
        ObjectNode next = current.deepCopy();
        Json.objectAt(next, "metadata", "labels").put(key, value);
        return registry.update(CONFIGMAPS, "default", StoredObjects.name(current), "", next, WRITE);
    }

    private long currentRevision() throws Exception {
        return store.currentRevision().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static String rv(ObjectNode o) {
        return Json.text(o, "metadata", "resourceVersion");
    }

    @Test
    void initialEventsAreAddedForEveryMatchingObjectThenLiveChanges() throws Exception {
        put("a", "app", "web");
        put("b", "app", "db");
        put("c", "app", "web");
        registry.create(CONFIGMAPS, "other", GenericRegistryTest.configMap("d", "app", "web"), WRITE);
        WatchCache cache = registry.cache(CONFIGMAPS);
        Recorder all = new Recorder();
        cache.watch(CONFIGMAPS.keyPrefix("default"), ListOptions.ALL, 0, true, all);
        List<WatchCache.Event> initial = all.take(3);
        assertEquals(List.of("ADDED", "ADDED", "ADDED"), initial.stream().map(WatchCache.Event::type).toList());
        assertEquals(List.of("a", "b", "c"), initial.stream().map(e -> StoredObjects.name(e.object())).toList());
        all.assertQuiet();

        Recorder web = new Recorder();
        ListOptions selector = new ListOptions(new ApiSelectors().labels("app=web"), ListOptions.ALL.fieldSelector(),
                "", "", 0, "", false, 0);
        cache.watch(CONFIGMAPS.keyPrefix(), selector, 0, true, web);
        assertEquals(List.of("a", "c", "d"), web.take(3).stream().map(e -> StoredObjects.name(e.object())).toList());

        ObjectNode e = put("e", "app", "web");
        WatchCache.Event live = all.next();
        assertEquals("ADDED", live.type());
        assertEquals(rv(e), rv(live.object()));
        assertEquals(Long.parseLong(rv(e)), live.revision());
        assertEquals("e", StoredObjects.name(web.next().object()));
    }

    @Test
    void resumingAfterARevisionHasNoGapsOrDuplicatesUnderConcurrentWriters() throws Exception {
        WatchCache cache = registry.cache(CONFIGMAPS);
        long start = currentRevision();
        Recorder live = new Recorder();
        cache.watch(CONFIGMAPS.keyPrefix(), ListOptions.ALL, start, false, live);

        int writers = 4;
        int each = 30;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int id = w;
                futures.add(pool.submit(() -> {
                    ObjectNode current = put("w" + id);
                    for (int i = 1; i < each; i++) {
                        current = relabel(current, "i", Integer.toString(i));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        int total = writers * each;
        long end = currentRevision();
        assertEquals(start + total, end, "only these writes touched the store");

        // The live watcher saw every revision once, in order.
        assertRevisions(live.take(total), start + 1, end);
        live.assertQuiet();

        // Watchers resuming from any revision in between get exactly the rest.
        for (long from : new long[] {start, start + 1, start + total / 2, end - 1, end}) {
            Recorder resumed = new Recorder();
            cache.watch(CONFIGMAPS.keyPrefix(), ListOptions.ALL, from, false, resumed);
            assertRevisions(resumed.take((int) (end - from)), from + 1, end);
            resumed.assertQuiet();
        }
    }

    private static void assertRevisions(List<WatchCache.Event> events, long first, long last) {
        List<Long> expected = new ArrayList<>();
        for (long r = first; r <= last; r++) {
            expected.add(r);
        }
        assertEquals(expected, events.stream().map(WatchCache.Event::revision).toList());
        for (WatchCache.Event e : events) {
            assertEquals(Long.toString(e.revision()), rv(e.object()), "the object carries its event's revision");
        }
    }

    @Test
    void objectsLeavingTheSelectorAreDeletedAndEnteringAreAdded() throws Exception {
        WatchCache cache = registry.cache(CONFIGMAPS);
        Recorder web = new Recorder();
        ListOptions selector = new ListOptions(new ApiSelectors().labels("app=web"), ListOptions.ALL.fieldSelector(),
                "", "", 0, "", false, 0);
        cache.watch(CONFIGMAPS.keyPrefix("default"), selector, currentRevision(), false, web);

        ObjectNode x = put("x", "app", "web");
        assertEquals("ADDED", web.next().type());
        x = relabel(x, "other", "1");
        assertEquals("MODIFIED", web.next().type());

        x = relabel(x, "app", "db");
        WatchCache.Event left = web.next();
        assertEquals("DELETED", left.type());
        assertEquals(rv(x), rv(left.object()), "the event's revision, so the watcher can resume after it");
        // Upstream's cacher sends the last state the watcher could see, which still matches its selector.
        assertEquals("web", Json.text(left.object(), "metadata", "labels", "app"));

        x = relabel(x, "other", "2");
        web.assertQuiet(); // changes outside the selection are not seen

        x = relabel(x, "app", "web");
        WatchCache.Event entered = web.next();
        assertEquals("ADDED", entered.type());
        assertEquals("web", Json.text(entered.object(), "metadata", "labels", "app"));

        registry.delete(CONFIGMAPS, "default", "x", DeleteOptions.DEFAULT, WRITE);
        assertEquals("DELETED", web.next().type());
        web.assertQuiet();
    }

    @Test
    void aRevisionOlderThanTheWindowIsGone() throws Exception {
        long start = currentRevision();
        put("seed");
        WatchCache small = new WatchCache(CONFIGMAPS, store, 5);
        extraCaches.add(small);
        long loaded = small.revision();
        ApiException beforeLoad = assertThrows(ApiException.class,
                () -> small.watch(CONFIGMAPS.keyPrefix(), ListOptions.ALL, start, false, new Recorder()));
        assertEquals(410, beforeLoad.code());
        assertEquals("Expired", beforeLoad.reason());

        ObjectNode current = registry.get(CONFIGMAPS, "default", "seed");
        for (int i = 0; i < 8; i++) {
            current = relabel(current, "i", Integer.toString(i));
        }
        long end = Long.parseLong(rv(current));
        small.waitUntilFresh(end);
        // 8 events, 5 kept (end-4 .. end): resuming after end-5 is still complete, after end-6 is not.
        assertEquals(410, assertThrows(ApiException.class,
                () -> small.watch(CONFIGMAPS.keyPrefix(), ListOptions.ALL, loaded, false, new Recorder())).code());
        assertEquals(410, assertThrows(ApiException.class,
                () -> small.watch(CONFIGMAPS.keyPrefix(), ListOptions.ALL, end - 6, false, new Recorder())).code());
        Recorder edge = new Recorder();
        small.watch(CONFIGMAPS.keyPrefix(), ListOptions.ALL, end - 5, false, edge);
        assertRevisions(edge.take(5), end - 4, end);
        edge.assertQuiet();
        Recorder recent = new Recorder();
        small.watch(CONFIGMAPS.keyPrefix(), ListOptions.ALL, end - 1, false, recent);
        assertRevisions(recent.take(1), end, end);
    }

    @Test
    void waitUntilFreshCatchesUpWithWritesToAnotherPrefix() throws Exception {
        WatchCache cache = registry.cache(CONFIGMAPS);
        Recorder idle = new Recorder();
        cache.watch(CONFIGMAPS.keyPrefix(), ListOptions.ALL, 0, true, idle);
        ObjectNode secret = Json.object();
        secret.putObject("metadata").put("name", "s");
        ObjectNode written = registry.create(SECRETS, "default", secret, WRITE);
        long rev = Long.parseLong(rv(written));
        assertTrue(cache.revision() < rev, "no configmap changed, the cache has not seen this revision");

        long t0 = System.nanoTime();
        cache.waitUntilFresh(rev);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        // The 3 s timeout would throw; a progress request answers in a round trip.
        assertTrue(millis < 1500, "waitUntilFresh took " + millis + " ms");
        assertTrue(cache.revision() >= rev);
        Long progressed = idle.progress.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(progressed, "watchers hear of the progress (bookmarks)");
        assertTrue(progressed >= rev);
        idle.assertQuiet();

        ApiException future = assertThrows(ApiException.class, () -> cache.waitUntilFresh(rev + 1000));
        assertEquals(504, future.code());
        assertTrue(future.getMessage().startsWith("Too large resource version"), future.getMessage());
    }

    @Test
    void deletedEventsCarryTheDeletionRevision() throws Exception {
        WatchCache cache = registry.cache(CONFIGMAPS);
        ObjectNode created = put("gone");
        Recorder watcher = new Recorder();
        cache.watch(CONFIGMAPS.keyPrefix(), ListOptions.ALL, Long.parseLong(rv(created)), false, watcher);
        GenericRegistry.Deleted deleted = registry.delete(CONFIGMAPS, "default", "gone", DeleteOptions.DEFAULT, WRITE);
        long deletion = Long.parseLong(rv(deleted.object()));
        assertTrue(deletion > Long.parseLong(rv(created)));

        WatchCache.Event event = watcher.next();
        assertEquals("DELETED", event.type());
        assertEquals(deletion, event.revision());
        assertEquals(Long.toString(deletion), rv(event.object()));
        assertEquals(rv(created), rv(event.previous()), "previous keeps the last stored state");
        assertEquals(Json.text(created, "metadata", "uid"), Json.text(event.object(), "metadata", "uid"));

        // The cache's list no longer has it.
        assertEquals(List.of(), cache.list(CONFIGMAPS.keyPrefix(), ListOptions.ALL).items());
    }
}
