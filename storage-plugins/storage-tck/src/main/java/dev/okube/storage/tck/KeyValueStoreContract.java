package dev.okube.storage.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.okube.api.storage.KeyValue;
import dev.okube.api.storage.KeyValueStore;
import dev.okube.api.storage.RangeOptions;
import dev.okube.api.storage.RangeResult;
import dev.okube.api.storage.StorageException;
import dev.okube.api.storage.Watch;
import dev.okube.api.storage.WatchEvent;
import dev.okube.api.storage.WatchListener;
import dev.okube.api.storage.WatchOptions;
import dev.okube.api.storage.WriteResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The {@link KeyValueStore} contract: etcd's semantics as the apiserver relies on them. A backend's
 * test extends this class and says how to open (and, where it can, restart) a store.
 *
 * <p>Every test writes only under its own fresh key prefix and never assumes an empty store or
 * absolute revision numbers, so one backend instance (for example one real etcd) may serve all tests
 * of a class. Compaction is global, so a test only ever reads revisions it wrote itself. Every wait is
 * bounded by {@link #WAIT_SECONDS}.
 */
public abstract class KeyValueStoreContract {

    /** The bound of every wait in this suite. */
    protected static final long WAIT_SECONDS = 10;

    /** The store under test, opened before each test by {@link #openStore()}. */
    protected KeyValueStore store;

    /** This test's key prefix, unique per test and run; ends with "/". */
    protected String ns;

    private final List<Watch> watches = new ArrayList<>();

    /** Opens the store under test; called before every test. */
    protected abstract KeyValueStore openStore() throws Exception;

    /** Releases a store returned by {@link #openStore()} or {@link #restartStore}; called after every test. */
    protected abstract void closeStore(KeyValueStore store) throws Exception;

    /**
     * Stops the given store and opens it again on the same state, as a process restart would. Backends
     * that cannot restart (a remote store) keep the default, which skips the restart tests.
     *
     * @return the reopened store, or null when the backend cannot restart
     */
    protected KeyValueStore restartStore(KeyValueStore store) throws Exception {
        return null;
    }

    @BeforeEach
    void openStoreForTest(TestInfo info) throws Exception {
        String method = info.getTestMethod().map(m -> m.getName()).orElse("test");
        ns = "/tck/" + method + "-" + Long.toHexString(System.nanoTime()) + "/";
        store = openStore();
        assertNotNull(store, "openStore() returned null");
    }

    @AfterEach
    void closeStoreAfterTest() throws Exception {
        for (Watch w : watches) {
            w.close();
        }
        watches.clear();
        if (store != null) {
            closeStore(store);
            store = null;
        }
    }

    // ---------------------------------------------------------------- create / get / update / delete

    @Test
    void createThenGetCarriesRevisionsAndVersion() {
        long before = await(store.currentRevision());
        WriteResult created = await(store.create(ns + "a", bytes("v1"), 0));
        assertTrue(created.revision() > before, "a write must advance the revision");
        KeyValue kv = created.kv();
        assertEquals(ns + "a", kv.key());
        assertArrayEquals(bytes("v1"), kv.value());
        assertEquals(created.revision(), kv.createRevision());
        assertEquals(created.revision(), kv.modRevision());
        assertEquals(1, kv.version());
        assertEquals(0, kv.lease());

        KeyValue read = await(store.get(ns + "a"));
        assertKv(kv, read);
        assertNull(await(store.get(ns + "absent")));
        assertTrue(await(store.currentRevision()) >= created.revision());
    }

    @Test
    void createOfExistingKeyConflictsWithCurrent() {
        WriteResult first = await(store.create(ns + "a", bytes("v1"), 0));
        StorageException.Conflict c = failure(store.create(ns + "a", bytes("v2"), 0), StorageException.Conflict.class);
        assertEquals(ns + "a", c.key());
        assertTrue(c.current().isPresent(), "a create conflict carries the existing key");
        assertEquals(first.revision(), c.current().get().modRevision());
        assertArrayEquals(bytes("v1"), c.current().get().value());
        assertArrayEquals(bytes("v1"), await(store.get(ns + "a")).value());
    }

    @Test
    void updateAdvancesModRevisionAndVersion() {
        WriteResult created = await(store.create(ns + "a", bytes("v1"), 0));
        WriteResult updated = await(store.update(ns + "a", bytes("v2"), created.revision(), 0));
        assertTrue(updated.revision() > created.revision());
        assertEquals(created.revision(), updated.kv().createRevision());
        assertEquals(updated.revision(), updated.kv().modRevision());
        assertEquals(2, updated.kv().version());
        assertArrayEquals(bytes("v2"), updated.kv().value());

        WriteResult again = await(store.update(ns + "a", bytes("v3"), updated.revision(), 0));
        assertEquals(3, again.kv().version());
        assertKv(again.kv(), await(store.get(ns + "a")));
    }

    @Test
    void updateWithStaleRevisionConflictsAndAbsentKeyIsNotFound() {
        WriteResult created = await(store.create(ns + "a", bytes("v1"), 0));
        WriteResult updated = await(store.update(ns + "a", bytes("v2"), created.revision(), 0));
        StorageException.Conflict c = failure(store.update(ns + "a", bytes("v3"), created.revision(), 0),
                StorageException.Conflict.class);
        assertEquals(updated.revision(), c.current().orElseThrow().modRevision());
        assertArrayEquals(bytes("v2"), c.current().get().value());
        assertArrayEquals(bytes("v2"), await(store.get(ns + "a")).value());

        StorageException.NotFound nf = failure(store.update(ns + "absent", bytes("x"), updated.revision(), 0),
                StorageException.NotFound.class);
        assertEquals(ns + "absent", nf.key());
    }

    @Test
    void deleteSemantics() {
        WriteResult a = await(store.create(ns + "a", bytes("va"), 0));
        WriteResult b = await(store.create(ns + "b", bytes("vb"), 0));
        await(store.update(ns + "a", bytes("va2"), a.revision(), 0));

        // Stale expected revision: conflict, nothing deleted.
        StorageException.Conflict c = failure(store.delete(ns + "a", a.revision()), StorageException.Conflict.class);
        assertArrayEquals(bytes("va2"), c.current().orElseThrow().value());
        assertNotNull(await(store.get(ns + "a")));

        // Matching revision: the result carries the key as it was and the revision of the delete.
        KeyValue current = await(store.get(ns + "a"));
        WriteResult deleted = await(store.delete(ns + "a", current.modRevision()));
        assertTrue(deleted.revision() > current.modRevision());
        assertKv(current, deleted.kv());
        assertNull(await(store.get(ns + "a")));

        // 0 deletes unconditionally.
        WriteResult deletedB = await(store.delete(ns + "b", 0));
        assertEquals(b.revision(), deletedB.kv().modRevision());
        assertNull(await(store.get(ns + "b")));

        failure(store.delete(ns + "a", 0), StorageException.NotFound.class);
        failure(store.delete(ns + "never", 5), StorageException.NotFound.class);

        // Re-creating starts a new generation.
        WriteResult again = await(store.create(ns + "a", bytes("new"), 0));
        assertEquals(1, again.kv().version());
        assertEquals(again.revision(), again.kv().createRevision());
    }

    @Test
    void eachWriteIsExactlyOneRevision() {
        long r1 = await(store.create(ns + "a", bytes("1"), 0)).revision();
        long r2 = await(store.update(ns + "a", bytes("2"), r1, 0)).revision();
        long r3 = await(store.delete(ns + "a", r2)).revision();
        assertEquals(r1 + 1, r2);
        assertEquals(r2 + 1, r3);
        // A failed write creates no revision.
        failure(store.delete(ns + "a", 0), StorageException.NotFound.class);
        long r4 = await(store.create(ns + "b", bytes("b"), 0)).revision();
        assertEquals(r3 + 1, r4);
    }

    // ---------------------------------------------------------------- range

    @Test
    void rangeByPrefixAndByEnd() {
        for (String k : List.of("a", "b", "c", "d")) {
            await(store.create(ns + "x/" + k, bytes(k), 0));
        }
        await(store.create(ns + "y/a", bytes("other"), 0));
        // The prefix without its trailing slash is a different key, outside the prefix range.
        await(store.create(ns + "x", bytes("self"), 0));

        RangeResult all = await(store.range(ns + "x/", RangeOptions.builder().withPrefix(true).build()));
        assertEquals(List.of(ns + "x/a", ns + "x/b", ns + "x/c", ns + "x/d"), keys(all));
        assertEquals(4, all.count());
        assertFalse(all.more());
        assertTrue(all.revision() >= all.kvs().get(3).modRevision());

        RangeResult between = await(store.range(ns + "x/b", RangeOptions.builder().withEnd(ns + "x/d").build()));
        assertEquals(List.of(ns + "x/b", ns + "x/c"), keys(between));
        assertEquals(2, between.count());

        RangeResult single = await(store.range(ns + "x/c", RangeOptions.DEFAULT));
        assertEquals(List.of(ns + "x/c"), keys(single));
        assertArrayEquals(bytes("c"), single.kvs().get(0).value());

        RangeResult whole = await(store.range(ns, RangeOptions.builder().withPrefix(true).build()));
        assertEquals(6, whole.count());
        assertEquals(new ArrayList<>(new TreeSet<>(keys(whole))), keys(whole), "keys come in key order");
    }

    @Test
    void rangeLimitMoreAndCount() {
        for (int i = 0; i < 5; i++) {
            await(store.create(ns + i, bytes("v" + i), 0));
        }
        RangeOptions prefix = RangeOptions.builder().withPrefix(true).withLimit(2).build();
        RangeResult page = await(store.range(ns, prefix));
        assertEquals(List.of(ns + 0, ns + 1), keys(page));
        assertTrue(page.more());
        assertEquals(5, page.count(), "count ignores the limit");

        RangeResult exact = await(store.range(ns, RangeOptions.builder().withPrefix(true).withLimit(5).build()));
        assertEquals(5, exact.kvs().size());
        assertFalse(exact.more());

        RangeResult larger = await(store.range(ns, RangeOptions.builder().withPrefix(true).withLimit(50).build()));
        assertEquals(5, larger.kvs().size());
        assertFalse(larger.more());
    }

    @Test
    void rangeCountOnlyAndKeysOnly() {
        for (int i = 0; i < 3; i++) {
            await(store.create(ns + i, bytes("value-" + i), 0));
        }
        RangeResult count = await(store.range(ns, RangeOptions.builder().withPrefix(true).withCountOnly(true).build()));
        assertEquals(3, count.count());
        assertTrue(count.kvs().isEmpty());

        RangeResult keysOnly = await(store.range(ns, RangeOptions.builder().withPrefix(true).withKeysOnly(true).build()));
        assertEquals(List.of(ns + 0, ns + 1, ns + 2), keys(keysOnly));
        for (KeyValue kv : keysOnly.kvs()) {
            assertEquals(0, kv.value().length, "keys only returns empty values");
            assertTrue(kv.modRevision() > 0);
            assertEquals(1, kv.version());
        }
    }

    @Test
    void rangeAtOlderRevision() {
        long r1 = await(store.create(ns + "k", bytes("v1"), 0)).revision();
        long r2 = await(store.update(ns + "k", bytes("v2"), r1, 0)).revision();
        long r3 = await(store.delete(ns + "k", r2)).revision();
        long r4 = await(store.create(ns + "other", bytes("o"), 0)).revision();
        RangeOptions.Builder prefix = RangeOptions.builder().withPrefix(true);

        RangeResult at1 = await(store.range(ns, prefix.withRevision(r1).build()));
        assertEquals(List.of(ns + "k"), keys(at1));
        assertArrayEquals(bytes("v1"), at1.kvs().get(0).value());
        assertEquals(1, at1.kvs().get(0).version());
        assertEquals(1, at1.count());

        RangeResult at2 = await(store.range(ns, prefix.withRevision(r2).build()));
        assertArrayEquals(bytes("v2"), at2.kvs().get(0).value());
        assertEquals(r2, at2.kvs().get(0).modRevision());
        assertEquals(r1, at2.kvs().get(0).createRevision());

        RangeResult at3 = await(store.range(ns, prefix.withRevision(r3).build()));
        assertTrue(at3.kvs().isEmpty());
        assertEquals(0, at3.count());

        RangeResult at4 = await(store.range(ns, prefix.withRevision(r4).build()));
        assertEquals(List.of(ns + "other"), keys(at4));

        KeyValue single = await(store.range(ns + "k", RangeOptions.builder().withRevision(r1).build())).kvs().get(0);
        assertArrayEquals(bytes("v1"), single.value());

        RangeResult countAt2 = await(store.range(ns, RangeOptions.builder().withPrefix(true).withRevision(r2)
                .withCountOnly(true).build()));
        assertEquals(1, countAt2.count());
    }

    @Test
    void rangeAtFutureRevisionFails() {
        long now = await(store.create(ns + "k", bytes("v"), 0)).revision();
        failure(store.range(ns, RangeOptions.builder().withPrefix(true).withRevision(now + 1_000_000).build()),
                StorageException.FutureRevision.class);
    }

    @Test
    void tenThousandKeysPagedWithLimitAtOneRevision() throws Exception {
        int n = 10_000;
        writeConcurrently(n, 64, i -> store.create(ns + String.format("%05d", i), bytes("value-" + i), 0));
        long snapshot = await(store.currentRevision());
        // Writes after the snapshot must not show in a list paged at the snapshot's revision.
        await(store.create(ns + "00000a", bytes("late"), 0));
        KeyValue first = await(store.get(ns + "00001"));
        await(store.update(ns + "00001", bytes("changed"), first.modRevision(), 0));

        List<String> seen = new ArrayList<>(n);
        String start = ns;
        String end = prefixEnd(ns);
        int pages = 0;
        while (true) {
            RangeResult page = await(store.range(start,
                    RangeOptions.builder().withEnd(end).withLimit(500).withRevision(snapshot).build()));
            pages++;
            assertTrue(page.kvs().size() <= 500);
            for (KeyValue kv : page.kvs()) {
                seen.add(kv.key());
                if (kv.key().equals(ns + "00001")) {
                    assertArrayEquals(bytes("value-1"), kv.value(), "a paged list reads one revision");
                }
            }
            if (!page.more()) {
                break;
            }
            assertFalse(page.kvs().isEmpty(), "more is set only when keys were returned");
            start = page.kvs().get(page.kvs().size() - 1).key() + "\0";
            assertTrue(pages <= n / 500 + 1, "paging does not terminate");
        }
        assertEquals(n / 500, pages);
        assertEquals(n, seen.size());
        assertEquals(n, new HashSet<>(seen).size(), "no key twice");
        for (int i = 0; i < n; i++) {
            assertEquals(ns + String.format("%05d", i), seen.get(i));
        }
    }

    @Test
    void largeValues() {
        byte[] big = new byte[1_500_000];
        new Random(42).nextBytes(big);
        WriteResult created = await(store.create(ns + "big", big, 0));
        assertArrayEquals(big, await(store.get(ns + "big")).value());
        byte[] bigger = big.clone();
        bigger[0] ^= 1;
        bigger[big.length - 1] ^= 1;
        await(store.update(ns + "big", bigger, created.revision(), 0));
        assertArrayEquals(bigger, await(store.get(ns + "big")).value());
        assertArrayEquals(big, await(store.range(ns + "big",
                RangeOptions.builder().withRevision(created.revision()).build())).kvs().get(0).value());
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    void concurrentUpdatesOfOneKeyExactlyOneWins() throws Exception {
        WriteResult created = await(store.create(ns + "hot", bytes("0"), 0));
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Object>> outcomes = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                byte[] value = bytes("writer-" + i);
                outcomes.add(pool.submit(() -> {
                    go.await();
                    return outcome(store.update(ns + "hot", value, created.revision(), 0));
                }));
            }
            go.countDown();
            WriteResult winner = null;
            List<StorageException.Conflict> losers = new ArrayList<>();
            for (Future<Object> f : outcomes) {
                Object o = f.get(WAIT_SECONDS, TimeUnit.SECONDS);
                if (o instanceof WriteResult w) {
                    assertNull(winner, "two concurrent updates at the same revision both succeeded");
                    winner = w;
                } else {
                    losers.add(assertInstanceOf(StorageException.Conflict.class, o));
                }
            }
            assertNotNull(winner, "no update won");
            assertEquals(writers - 1, losers.size());
            for (StorageException.Conflict c : losers) {
                assertEquals(ns + "hot", c.key());
                KeyValue current = c.current().orElseThrow();
                assertEquals(winner.revision(), current.modRevision(), "the loser sees the winner's write");
                assertArrayEquals(winner.kv().value(), current.value());
            }
            assertKv(winner.kv(), await(store.get(ns + "hot")));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentCreatesOfOneKeyExactlyOneWins() throws Exception {
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Object>> outcomes = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                byte[] value = bytes("writer-" + i);
                outcomes.add(pool.submit(() -> {
                    go.await();
                    return outcome(store.create(ns + "new", value, 0));
                }));
            }
            go.countDown();
            int wins = 0;
            long winRevision = 0;
            List<StorageException.Conflict> losers = new ArrayList<>();
            for (Future<Object> f : outcomes) {
                Object o = f.get(WAIT_SECONDS, TimeUnit.SECONDS);
                if (o instanceof WriteResult w) {
                    wins++;
                    winRevision = w.revision();
                } else {
                    losers.add(assertInstanceOf(StorageException.Conflict.class, o));
                }
            }
            assertEquals(1, wins);
            for (StorageException.Conflict c : losers) {
                assertEquals(winRevision, c.current().orElseThrow().createRevision());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- watch

    @Test
    void watchDeliversCreateUpdateDeleteWithPrevKv() {
        long start = await(store.currentRevision());
        Recorder rec = watch(ns, WatchOptions.builder().withAfterRevision(start).build());
        WriteResult c = await(store.create(ns + "a", bytes("v1"), 0));
        WriteResult u = await(store.update(ns + "a", bytes("v2"), c.revision(), 0));
        WriteResult d = await(store.delete(ns + "a", u.revision()));
        await(store.create("/tck-outside/" + ns, bytes("not watched"), 0));

        List<WatchEvent> events = rec.awaitEvents(3);
        WatchEvent create = events.get(0);
        assertEquals(WatchEvent.Type.PUT, create.type());
        assertTrue(create.isCreate());
        assertNull(create.prevKv());
        assertKv(c.kv(), create.kv());

        WatchEvent update = events.get(1);
        assertEquals(WatchEvent.Type.PUT, update.type());
        assertFalse(update.isCreate());
        assertKv(u.kv(), update.kv());
        assertNotNull(update.prevKv(), "an update carries the previous key");
        assertKv(c.kv(), update.prevKv());

        WatchEvent delete = events.get(2);
        assertEquals(WatchEvent.Type.DELETE, delete.type());
        assertEquals(ns + "a", delete.kv().key());
        assertEquals(d.revision(), delete.kv().modRevision());
        assertEquals(d.revision(), delete.revision());
        assertEquals(0, delete.kv().value().length);
        assertNotNull(delete.prevKv(), "a delete carries the deleted key");
        assertKv(u.kv(), delete.prevKv());

        rec.assertQuiet(200);
        assertEquals(3, rec.events().size(), "keys outside the prefix are not delivered");
    }

    @Test
    void watchFromZeroStartsNow() {
        await(store.create(ns + "before", bytes("b"), 0));
        Recorder rec = watch(ns, WatchOptions.DEFAULT);
        // A watch from 0 starts at the revision current when watch() is called, so a write acknowledged
        // after watch() returned is always delivered (the apiserver relies on this for watch without RV).
        WriteResult after = await(store.create(ns + "after", bytes("a"), 0));
        List<WatchEvent> events = rec.awaitEvents(1);
        assertEquals(after.revision(), events.get(0).revision());
        rec.assertQuiet(200);
        assertEquals(1, rec.events().size());
    }

    @Test
    void watchResumesAfterRevision() {
        List<Long> revs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            revs.add(await(store.create(ns + i, bytes("v" + i), 0)).revision());
        }
        // afterRevision r: every change with a revision greater than r, replayed then live.
        Recorder rec = watch(ns, WatchOptions.builder().withAfterRevision(revs.get(1)).build());
        List<WatchEvent> replayed = rec.awaitEvents(3);
        assertEquals(revs.subList(2, 5), replayed.stream().map(WatchEvent::revision).toList());
        assertEquals(ns + 2, replayed.get(0).kv().key());

        long live = await(store.create(ns + "live", bytes("l"), 0)).revision();
        List<WatchEvent> all = rec.awaitEvents(4);
        assertEquals(live, all.get(3).revision());
        rec.assertQuiet(200);
        assertEquals(4, rec.events().size(), "no duplicates between replay and live");

        // A watch from the newest revision delivers nothing old.
        Recorder fromNow = watch(ns, WatchOptions.builder().withAfterRevision(live).build());
        fromNow.assertQuiet(200);
        assertTrue(fromNow.events().isEmpty());
    }

    @Test
    void watchUnderConcurrentWritersHasNoGapsAndNoDuplicates() throws Exception {
        long start = await(store.currentRevision());
        Recorder rec = watch(ns, WatchOptions.builder().withAfterRevision(start).build());
        // A second watch on a sub-prefix must see exactly its own keys.
        Recorder sub = watch(ns + "w3/", WatchOptions.builder().withAfterRevision(start).build());

        int writers = 8;
        int perWriter = 150;
        Set<Long> written = Collections.synchronizedSet(new HashSet<>());
        Set<Long> writtenSub = Collections.synchronizedSet(new HashSet<>());
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int id = w;
                done.add(pool.submit(() -> {
                    // Each writer creates, updates and deletes its own keys so every event type shows up.
                    long[] modRev = new long[10];
                    for (int i = 0; i < perWriter; i++) {
                        int slot = i % 10;
                        String key = ns + "w" + id + "/" + slot;
                        WriteResult r;
                        if (modRev[slot] == 0) {
                            r = await(store.create(key, bytes("c" + i), 0));
                            modRev[slot] = r.revision();
                        } else if (i % 7 == 0) {
                            r = await(store.delete(key, modRev[slot]));
                            modRev[slot] = 0;
                        } else {
                            r = await(store.update(key, bytes("u" + i), modRev[slot], 0));
                            modRev[slot] = r.revision();
                        }
                        written.add(r.revision());
                        if (id == 3) {
                            writtenSub.add(r.revision());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(writers * perWriter, written.size(), "every write has its own revision");

        List<WatchEvent> events = rec.awaitEvents(written.size());
        rec.assertQuiet(200);
        assertRevisionsExactly(written, rec.events());
        sub.awaitEvents(writtenSub.size());
        sub.assertQuiet(100);
        assertRevisionsExactly(writtenSub, sub.events());
        for (WatchEvent e : sub.events()) {
            assertTrue(e.kv().key().startsWith(ns + "w3/"));
        }
        assertEquals(written.size(), events.size());
        rec.assertNoOverlap();
    }

    @Test
    void watchFromPastRevisionJoinsLiveWritesWithoutGapsOrDuplicates() throws Exception {
        long base = await(store.currentRevision());
        int writers = 4;
        int perWriter = 300;
        List<Long> written = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Recorder> recorders = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int id = w;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        written.add(await(store.create(ns + "w" + id + "/" + i, bytes("v" + i), 0)).revision());
                    }
                    return null;
                }));
            }
            // While the writers run, start watches whose history replay must hand over to live delivery.
            if (!waitFor(() -> written.size() >= writers * perWriter / 3, TimeUnit.SECONDS.toMillis(WAIT_SECONDS))) {
                fail("writers made no progress");
            }
            List<Long> sofar;
            synchronized (written) {
                sofar = new ArrayList<>(written);
            }
            Collections.sort(sofar);
            for (long after : List.of(base, sofar.get(sofar.size() / 2), sofar.get(sofar.size() - 1))) {
                starts.add(after);
                recorders.add(watch(ns, WatchOptions.builder().withAfterRevision(after).build()));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < recorders.size(); i++) {
            long after = starts.get(i);
            Set<Long> expected = new HashSet<>();
            synchronized (written) {
                for (long r : written) {
                    if (r > after) {
                        expected.add(r);
                    }
                }
            }
            Recorder rec = recorders.get(i);
            rec.awaitEvents(expected.size());
            rec.assertQuiet(200);
            assertRevisionsExactly(expected, rec.events());
            rec.assertNoOverlap();
        }
    }

    @Test
    void watchCloseStopsDelivery() {
        Recorder rec = watch(ns, WatchOptions.DEFAULT);
        await(store.create(ns + "a", bytes("a"), 0));
        rec.awaitEvents(1);
        rec.watch.close();
        await(store.create(ns + "b", bytes("b"), 0));
        rec.assertQuiet(300);
        assertEquals(1, rec.events().size());
    }

    @Test
    void progressNotificationAfterRequest() {
        long last = await(store.create(ns + "a", bytes("a"), 0)).revision();
        Recorder rec = watch(ns, WatchOptions.builder().withAfterRevision(last - 1).build());
        rec.awaitEvents(1);
        rec.watch.requestProgress();
        long progress = rec.awaitProgress();
        assertTrue(progress >= last, "progress " + progress + " must cover the delivered revision " + last);
        // Events at or before a progress revision must already have been delivered.
        long afterProgress = await(store.create(ns + "b", bytes("b"), 0)).revision();
        List<WatchEvent> events = rec.awaitEvents(2);
        assertEquals(afterProgress, events.get(1).revision());
        assertTrue(afterProgress > progress);
    }

    // ---------------------------------------------------------------- compaction

    @Test
    void compactedRevisionsFailForRangeAndWatch() {
        List<Long> revs = new ArrayList<>();
        long r = await(store.create(ns + "k", bytes("v0"), 0)).revision();
        revs.add(r);
        for (int i = 1; i < 6; i++) {
            r = await(store.update(ns + "k", bytes("v" + i), r, 0)).revision();
            revs.add(r);
        }
        long compactAt = revs.get(4);
        await(store.compact(compactAt));

        StorageException.Compacted c = failure(store.range(ns + "k",
                RangeOptions.builder().withRevision(revs.get(1)).build()), StorageException.Compacted.class);
        assertTrue(c.compactRevision() >= compactAt);

        // At the compaction revision itself the state is still readable.
        KeyValue atCompact = await(store.range(ns + "k", RangeOptions.builder().withRevision(compactAt).build()))
                .kvs().get(0);
        assertArrayEquals(bytes("v4"), atCompact.value());
        assertArrayEquals(bytes("v5"), await(store.get(ns + "k")).value());

        Recorder old = watch(ns, WatchOptions.builder().withAfterRevision(revs.get(0)).build());
        StorageException err = old.awaitError();
        assertInstanceOf(StorageException.Compacted.class, err);
        assertTrue(old.events().isEmpty(), "a compacted watch delivers nothing");

        Recorder fresh = watch(ns, WatchOptions.builder().withAfterRevision(compactAt).build());
        List<WatchEvent> events = fresh.awaitEvents(1);
        assertEquals(revs.get(5), events.get(0).revision());
    }

    // ---------------------------------------------------------------- leases

    @Test
    void leaseExpiryDeletesKeysAndDeliversDelete() {
        long lease = await(store.grantLease(2));
        assertNotEquals(0, lease);
        long start = await(store.currentRevision());
        Recorder rec = watch(ns, WatchOptions.builder().withAfterRevision(start).build());
        WriteResult c = await(store.create(ns + "ttl", bytes("short-lived"), lease));
        assertEquals(lease, c.kv().lease());
        assertEquals(lease, await(store.get(ns + "ttl")).lease());
        await(store.create(ns + "kept", bytes("stays"), 0));

        List<WatchEvent> events = rec.awaitEvents(3);
        WatchEvent expiry = events.get(2);
        assertEquals(WatchEvent.Type.DELETE, expiry.type());
        assertEquals(ns + "ttl", expiry.kv().key());
        assertTrue(expiry.revision() > c.revision());
        assertNull(await(store.get(ns + "ttl")));
        assertNotNull(await(store.get(ns + "kept")));
    }

    @Test
    void revokeLeaseDeletesAttachedKeys() {
        long lease = await(store.grantLease(60));
        long other = await(store.grantLease(60));
        await(store.create(ns + "a", bytes("a"), lease));
        WriteResult b = await(store.create(ns + "b", bytes("b"), 0));
        // Attaching a lease on update moves the key under it.
        await(store.update(ns + "b", bytes("b2"), b.revision(), lease));
        await(store.create(ns + "c", bytes("c"), other));
        long start = await(store.currentRevision());
        Recorder rec = watch(ns, WatchOptions.builder().withAfterRevision(start).build());

        await(store.revokeLease(lease));
        assertNull(await(store.get(ns + "a")));
        assertNull(await(store.get(ns + "b")));
        assertNotNull(await(store.get(ns + "c")));
        List<WatchEvent> events = rec.awaitEvents(2);
        Set<String> deleted = new HashSet<>();
        for (WatchEvent e : events) {
            assertEquals(WatchEvent.Type.DELETE, e.type());
            deleted.add(e.kv().key());
        }
        assertEquals(Set.of(ns + "a", ns + "b"), deleted);
        await(store.revokeLease(other));
        assertNull(await(store.get(ns + "c")));
    }

    // ---------------------------------------------------------------- revision, health, restart

    @Test
    void currentRevisionAndHealth() {
        await(store.health());
        assertNotNull(store.name());
        assertFalse(store.name().isBlank());
        long before = await(store.currentRevision());
        long written = await(store.create(ns + "a", bytes("a"), 0)).revision();
        assertTrue(written > before);
        assertTrue(await(store.currentRevision()) >= written);
        RangeResult r = await(store.range(ns + "a", RangeOptions.DEFAULT));
        assertTrue(r.revision() >= written, "a read reports a revision at least as new as the data it returns");
    }

    @Test
    void restartKeepsDataRevisionHistoryAndLeases() throws Exception {
        WriteResult a = await(store.create(ns + "a", bytes("v1"), 0));
        WriteResult a2 = await(store.update(ns + "a", bytes("v2"), a.revision(), 0));
        long lease = await(store.grantLease(3600));
        await(store.create(ns + "leased", bytes("l"), lease));
        long revision = await(store.currentRevision());

        KeyValueStore reopened = restartStore(store);
        Assumptions.assumeTrue(reopened != null, "this backend cannot restart");
        store = reopened;

        assertEquals(revision, await(store.currentRevision()));
        assertKv(a2.kv(), await(store.get(ns + "a")));
        assertArrayEquals(bytes("v1"), await(store.range(ns + "a",
                RangeOptions.builder().withRevision(a.revision()).build())).kvs().get(0).value());
        Recorder rec = watch(ns, WatchOptions.builder().withAfterRevision(a.revision()).build());
        assertEquals(a2.revision(), rec.awaitEvents(1).get(0).revision());

        long next = await(store.create(ns + "b", bytes("b"), 0)).revision();
        assertEquals(revision + 1, next, "revisions continue after a restart");
        await(store.revokeLease(lease));
        assertNull(await(store.get(ns + "leased")));
    }

    // ---------------------------------------------------------------- helpers

    /** Starts a watch that is closed after the test. */
    protected Recorder watch(String prefix, WatchOptions options) {
        Recorder rec = new Recorder();
        rec.watch = store.watch(prefix, options, rec);
        watches.add(rec.watch);
        return rec;
    }

    /** Waits at most {@link #WAIT_SECONDS} for the future and returns its value. */
    protected static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("operation failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("operation did not complete within " + WAIT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Waits for the future to fail and returns its cause, which must be of the given type. */
    protected static <E extends StorageException> E failure(CompletableFuture<?> future, Class<E> type) {
        Object o = outcome(future);
        if (o instanceof Throwable t) {
            return assertInstanceOf(type, t, "wrong failure: " + t);
        }
        return fail("expected " + type.getSimpleName() + " but the operation succeeded with " + o);
    }

    /** The future's value, or the cause it failed with; bounded by {@link #WAIT_SECONDS}. */
    private static Object outcome(CompletableFuture<?> future) {
        try {
            return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | CompletionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("operation did not complete within " + WAIT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Runs {@code count} writes with at most {@code inFlight} outstanding, failing on the first error. */
    protected static void writeConcurrently(int count, int inFlight,
            java.util.function.IntFunction<CompletableFuture<?>> write) throws InterruptedException {
        Semaphore window = new Semaphore(inFlight);
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < count && errors.isEmpty(); i++) {
            if (!window.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) {
                fail("write " + i + " found no free slot within " + WAIT_SECONDS + " s");
            }
            write.apply(i).whenComplete((v, t) -> {
                if (t != null) {
                    errors.add(t);
                }
                window.release();
            });
        }
        if (!window.tryAcquire(inFlight, WAIT_SECONDS, TimeUnit.SECONDS)) {
            fail("writes did not finish within " + WAIT_SECONDS + " s");
        }
        if (!errors.isEmpty()) {
            throw new AssertionError("a write failed", errors.peek());
        }
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    protected static List<String> keys(RangeResult r) {
        return r.kvs().stream().map(KeyValue::key).toList();
    }

    /** The smallest key greater than every key starting with {@code prefix} (prefix is ASCII here). */
    protected static String prefixEnd(String prefix) {
        char last = prefix.charAt(prefix.length() - 1);
        return prefix.substring(0, prefix.length() - 1) + (char) (last + 1);
    }

    protected static void assertKv(KeyValue expected, KeyValue actual) {
        assertNotNull(actual, "missing key " + expected.key());
        assertEquals(expected.key(), actual.key());
        assertArrayEquals(expected.value(), actual.value(), "value of " + expected.key());
        assertEquals(expected.createRevision(), actual.createRevision(), "createRevision of " + expected.key());
        assertEquals(expected.modRevision(), actual.modRevision(), "modRevision of " + expected.key());
        assertEquals(expected.version(), actual.version(), "version of " + expected.key());
        assertEquals(expected.lease(), actual.lease(), "lease of " + expected.key());
    }

    private static void assertRevisionsExactly(Set<Long> expected, List<WatchEvent> events) {
        long previous = Long.MIN_VALUE;
        Set<Long> seen = new HashSet<>();
        for (WatchEvent e : events) {
            assertTrue(e.revision() > previous, "revision " + e.revision() + " after " + previous);
            previous = e.revision();
            assertTrue(seen.add(e.revision()), "duplicate revision " + e.revision());
        }
        assertEquals(new TreeSet<>(expected), new TreeSet<>(seen), "events must be exactly the acknowledged writes");
    }

    private static boolean waitFor(BooleanSupplier condition, long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** A listener that records everything and checks that calls never overlap. */
    protected static final class Recorder implements WatchListener {
        private final List<WatchEvent> events = new ArrayList<>();
        private final List<Long> progress = new ArrayList<>();
        private volatile StorageException error;
        private final AtomicBoolean inCall = new AtomicBoolean();
        private final AtomicInteger overlaps = new AtomicInteger();
        private final AtomicInteger emptyBatches = new AtomicInteger();
        Watch watch;

        @Override
        public void onEvents(List<WatchEvent> batch) {
            enter();
            try {
                if (batch.isEmpty()) {
                    emptyBatches.incrementAndGet();
                }
                synchronized (this) {
                    events.addAll(batch);
                }
            } finally {
                inCall.set(false);
            }
        }

        @Override
        public void onProgress(long revision) {
            enter();
            try {
                synchronized (this) {
                    progress.add(revision);
                }
            } finally {
                inCall.set(false);
            }
        }

        @Override
        public void onError(StorageException e) {
            enter();
            error = e;
            inCall.set(false);
        }

        private void enter() {
            if (!inCall.compareAndSet(false, true)) {
                overlaps.incrementAndGet();
            }
        }

        public synchronized List<WatchEvent> events() {
            return new ArrayList<>(events);
        }

        private synchronized int size() {
            return events.size();
        }

        /** Waits until at least {@code n} events arrived and returns all of them. */
        public List<WatchEvent> awaitEvents(int n) {
            if (!waitFor(() -> size() >= n || error != null, TimeUnit.SECONDS.toMillis(WAIT_SECONDS))) {
                fail("expected " + n + " events within " + WAIT_SECONDS + " s, got " + size());
            }
            if (error != null) {
                throw new AssertionError("the watch failed", error);
            }
            assertNoOverlap();
            return events();
        }

        public StorageException awaitError() {
            if (!waitFor(() -> error != null, TimeUnit.SECONDS.toMillis(WAIT_SECONDS))) {
                fail("expected the watch to fail within " + WAIT_SECONDS + " s");
            }
            return error;
        }

        public long awaitProgress() {
            if (!waitFor(() -> {
                synchronized (this) {
                    return !progress.isEmpty();
                }
            }, TimeUnit.SECONDS.toMillis(WAIT_SECONDS))) {
                fail("no progress notification within " + WAIT_SECONDS + " s");
            }
            synchronized (this) {
                return progress.get(progress.size() - 1);
            }
        }

        /** Waits a little and checks that nothing unexpected arrives meanwhile (no error, no extra events). */
        public void assertQuiet(long millis) {
            int before = size();
            waitFor(() -> size() != before || error != null, millis);
            assertNull(error, "the watch failed");
            assertEquals(before, size(), "unexpected events arrived");
        }

        public void assertNoOverlap() {
            assertEquals(0, overlaps.get(), "listener calls overlapped");
            assertEquals(0, emptyBatches.get(), "empty event batches were delivered");
        }
    }
}
