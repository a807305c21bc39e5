package dev.okube.storage.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.storage.KeyValue;
import dev.okube.api.storage.RangeOptions;
import dev.okube.api.storage.StorageException;
import dev.okube.api.storage.WatchEvent;
import dev.okube.api.storage.WatchListener;
import dev.okube.api.storage.WatchOptions;
import dev.okube.api.storage.WriteResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is specific to the embedded backend: persistence details, its file and its configuration. */
class EmbeddedStoreTest {
    @TempDir
    Path dir;

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void reopenKeepsDataRevisionAndCompaction() throws Exception {
        long rev;
        long compactAt;
        try (MvccStore store = new MvccStore(dir, MvccStore.Options.DEFAULTS)) {
            long r = await(store.create("/a", bytes("1"), 0)).revision();
            for (int i = 2; i <= 5; i++) {
                r = await(store.update("/a", bytes(String.valueOf(i)), r, 0)).revision();
            }
            await(store.create("/b", bytes("b"), 0));
            compactAt = r - 1;
            await(store.compact(compactAt));
            rev = await(store.currentRevision());
        }
        try (MvccStore store = new MvccStore(dir, MvccStore.Options.DEFAULTS)) {
            assertEquals(rev, await(store.currentRevision()));
            assertArrayEquals(bytes("5"), await(store.get("/a")).value());
            assertEquals(5, await(store.get("/a")).version());
            assertNotNull(await(store.get("/b")));
            ExecutionException e = assertThrows(ExecutionException.class, () -> await(
                    store.range("/a", RangeOptions.builder().withRevision(compactAt - 1).build())));
            assertInstanceOf(StorageException.Compacted.class, e.getCause());
            assertArrayEquals(bytes("4"), await(store.range("/a",
                    RangeOptions.builder().withRevision(compactAt).build())).kvs().get(0).value());
            assertEquals(rev + 1, await(store.create("/c", bytes("c"), 0)).revision());
        }
    }

    @Test
    void compactionInterruptedByCloseResumesOnOpen() throws Exception {
        long target;
        try (MvccStore store = new MvccStore(dir, MvccStore.Options.DEFAULTS)) {
            // More revisions than one compaction step, so that closing catches the compaction midway.
            long[] revs = new long[32];
            for (int k = 0; k < revs.length; k++) {
                revs[k] = await(store.create("/c/" + k, bytes("0"), 0)).revision();
            }
            for (int round = 1; round <= 700; round++) {
                List<CompletableFuture<WriteResult>> fs = new ArrayList<>();
                for (int k = 0; k < revs.length; k++) {
                    fs.add(store.update("/c/" + k, bytes(String.valueOf(round)), revs[k], 0));
                }
                for (int k = 0; k < revs.length; k++) {
                    revs[k] = await(fs.get(k)).revision();
                }
            }
            target = await(store.currentRevision());
            store.compact(target); // not awaited: close() stops the writer after the first step
        }
        try (MvccStore store = new MvccStore(dir, MvccStore.Options.DEFAULTS)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (store.oldestLoggedRevision() < target && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(target, store.oldestLoggedRevision(), "the compaction finished after reopening");
            ExecutionException e = assertThrows(ExecutionException.class, () -> await(
                    store.range("/c/", RangeOptions.builder().withPrefix(true).withRevision(target - 1).build())));
            assertInstanceOf(StorageException.Compacted.class, e.getCause());
            for (int k = 0; k < 32; k++) {
                assertArrayEquals(bytes("700"), await(store.get("/c/" + k)).value());
            }
            assertEquals(32, await(store.range("/c/", RangeOptions.builder().withPrefix(true).build())).count());
        }
    }

    @Test
    void stuckWatcherIsDetachedAndCatchesUpFromTheLog() throws Exception {
        MvccStore.Options lagOf100 = new MvccStore.Options(true, 1024, 32, 0, 100);
        try (MvccStore store = new MvccStore(dir, lagOf100)) {
            CountDownLatch release = new CountDownLatch(1);
            AtomicBoolean first = new AtomicBoolean(true);
            List<Long> seen = Collections.synchronizedList(new ArrayList<>());
            List<StorageException> errors = Collections.synchronizedList(new ArrayList<>());
            store.watch("/s/", WatchOptions.DEFAULT, new WatchListener() {
                @Override
                public void onEvents(List<WatchEvent> events) {
                    if (first.getAndSet(false)) {
                        try {
                            release.await(10, TimeUnit.SECONDS); // a stuck consumer
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    events.forEach(e -> seen.add(e.revision()));
                }

                @Override
                public void onError(StorageException error) {
                    errors.add(error);
                }
            });
            List<Long> written = Collections.synchronizedList(new ArrayList<>());
            written.add(await(store.create("/s/first", bytes("x"), 0)).revision());
            List<CompletableFuture<WriteResult>> fs = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                fs.add(store.create("/s/" + i, bytes("v"), 0));
                store.create("/other/" + i, bytes("v"), 0);
            }
            for (CompletableFuture<WriteResult> f : fs) {
                written.add(await(f).revision());
            }
            assertTrue(store.watchDetaches() > 0, "the stuck watch was never detached");
            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (seen.size() < written.size() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(List.of(), errors);
            List<Long> expected = new ArrayList<>(written);
            Collections.sort(expected);
            assertEquals(expected, new ArrayList<>(seen), "every event once, in order, after catching up");
        }
    }

    @Test
    void leaseExpiresAfterReopen() throws Exception {
        try (MvccStore store = new MvccStore(dir, MvccStore.Options.DEFAULTS)) {
            long lease = await(store.grantLease(1));
            await(store.create("/ttl", bytes("x"), lease));
        }
        try (MvccStore store = new MvccStore(dir, MvccStore.Options.DEFAULTS)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (await(store.get("/ttl")) != null && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertNull(await(store.get("/ttl")), "a lease persisted before a restart still expires");
        }
    }

    @Test
    void fileMaintenanceKeepsEverythingReadable() throws Exception {
        try (MvccStore store = new MvccStore(dir, MvccStore.Options.DEFAULTS)) {
            long[] revs = new long[200];
            for (int i = 0; i < revs.length; i++) {
                revs[i] = await(store.create("/m/" + i, new byte[1024], 0)).revision();
            }
            for (int round = 0; round < 5; round++) {
                for (int i = 0; i < revs.length; i++) {
                    revs[i] = await(store.update("/m/" + i, bytes("r" + round + "-" + i), revs[i], 0)).revision();
                }
            }
            await(store.compact(await(store.currentRevision())));
            await(store.maintainNow());
            for (int i = 0; i < revs.length; i++) {
                KeyValue kv = await(store.get("/m/" + i));
                assertArrayEquals(bytes("r4-" + i), kv.value());
            }
        }
        try (MvccStore store = new MvccStore(dir, MvccStore.Options.DEFAULTS)) {
            assertEquals(200, await(store.range("/m/", RangeOptions.builder().withPrefix(true).build())).count());
        }
    }

    @Test
    void closedStoreRefusesWork() throws Exception {
        MvccStore store = new MvccStore(dir, MvccStore.Options.DEFAULTS);
        store.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(store.create("/x", bytes("x"), 0)));
        assertInstanceOf(StorageException.Unavailable.class, e.getCause());
        assertTrue(store.health().isCompletedExceptionally());
    }

    @Test
    void secondOpenOfTheSameDirectoryFails() throws Exception {
        try (MvccStore store = new MvccStore(dir, MvccStore.Options.DEFAULTS)) {
            assertThrows(RuntimeException.class, () -> new MvccStore(dir, MvccStore.Options.DEFAULTS).close());
            assertNotNull(await(store.currentRevision()));
        }
    }

    @Test
    void dataDirectoryDefaultsUnderKarafData() {
        String old = System.getProperty("karaf.data");
        try {
            System.setProperty("karaf.data", "/opt/karaf/data");
            assertEquals(Path.of("/opt/karaf/data/okube/storage"),
                    EmbeddedKeyValueStore.dataDirectory("${karaf.data}/okube/storage"));
            System.clearProperty("karaf.data");
            assertEquals(Path.of("./data/okube/storage"),
                    EmbeddedKeyValueStore.dataDirectory("${karaf.data}/okube/storage"));
            assertEquals(Path.of("/srv/state"), EmbeddedKeyValueStore.dataDirectory("/srv/state"));
        } finally {
            if (old != null) {
                System.setProperty("karaf.data", old);
            }
        }
    }
}
