package dev.okube.storage.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.okube.api.storage.KeyValue;
import dev.okube.api.storage.RangeOptions;
import dev.okube.api.storage.StorageException;
import dev.okube.api.storage.Watch;
import dev.okube.api.storage.WatchEvent;
import dev.okube.api.storage.WatchListener;
import dev.okube.api.storage.WatchOptions;
import dev.okube.storage.tck.EtcdProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the contract suite cannot do: take etcd away under a live client and bring it back. */
class EtcdOutageTest {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    /** A failing call must answer within the request timeout plus jetcd's retry slack. */
    private static final long FAIL_WITHIN_MS = REQUEST_TIMEOUT.toMillis() + 3_000;
    private static final long RECOVER_WITHIN_MS = 30_000;

    private EtcdProcess etcd;
    private EtcdKeyValueStore store;

    @BeforeEach
    void start() throws Exception {
        etcd = EtcdProcess.start();
        store = new EtcdKeyValueStore(EtcdSettings.of(etcd.endpoint()).withRequestTimeout(REQUEST_TIMEOUT));
    }

    @AfterEach
    void stop() {
        if (store != null) {
            store.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    void operationsFailCleanlyWhileEtcdIsDownThenRecoverAndTheWatchResumesWithoutGaps() throws Exception {
        String ns = "/outage/";
        long start = await(store.currentRevision());
        Events rec = new Events();
        Watch watch = store.watch(ns, WatchOptions.builder().withAfterRevision(start).build(), rec);
        List<Long> written = new ArrayList<>();
        written.add(await(store.create(ns + "before", bytes("x"), 0)).revision());
        rec.await(written.size());

        for (boolean crash : new boolean[] {false, true}) {
            if (crash) {
                etcd.kill();
            } else {
                etcd.stop();
            }
            assertDown(store.create(ns + "down", bytes("x"), 0));
            assertDown(store.get(ns + "before"));
            assertDown(store.range(ns, RangeOptions.builder().withPrefix(true).build()));
            assertDown(store.currentRevision());
            assertInstanceOf(StorageException.Unavailable.class, failureOf(store.health()),
                    "health reports Unavailable while etcd is down");

            etcd.restart();
            long recovered = eventually(() -> store.health().handle((v, t) -> t == null).join());
            written.add(await(store.create(ns + "after-" + crash, bytes("y"), 0)).revision());
            KeyValue kv = await(store.get(ns + "after-" + crash));
            assertEquals(written.get(written.size() - 1), kv.modRevision());
            rec.await(written.size());
            assertTrue(recovered < RECOVER_WITHIN_MS, "recovered after " + recovered + " ms");
        }

        // The watch lived through both outages: nothing lost, nothing twice, no error.
        assertNull(rec.error, "the watch reported " + rec.error);
        assertEquals(written, rec.revisions());
        watch.close();
    }

    @Test
    void aWatchStartedWhileEtcdIsDownDeliversAndAnswersProgressOnceItIsBack() throws Exception {
        String ns = "/late-watch/";
        long start = await(store.create(ns + "a", bytes("a"), 0)).revision();
        etcd.stop();
        Events rec = new Events();
        Watch watch = store.watch(ns, WatchOptions.builder().withAfterRevision(start).build(), rec);
        // Asked while no stream exists: kept and sent once etcd is back.
        watch.requestProgress();
        etcd.restart();
        eventually(() -> store.health().handle((v, t) -> t == null).join());
        assertTrue(waitFor(() -> rec.progress >= start, 15_000), "no progress after etcd came back");
        long b = await(store.create(ns + "b", bytes("b"), 0)).revision();
        rec.await(1);
        assertEquals(List.of(b), rec.revisions());
        assertNull(rec.error);
        watch.close();
    }

    @Test
    void closingTheStoreEndsWatchesAndCallsWithUnavailable() throws Exception {
        Events rec = new Events();
        store.watch("/closing/", WatchOptions.DEFAULT, rec);
        store.close();
        waitFor(() -> rec.error != null, 5_000);
        assertInstanceOf(StorageException.Unavailable.class, rec.error);
        assertInstanceOf(StorageException.Unavailable.class, failureOf(store.get("/closing/a")));
        Events late = new Events();
        store.watch("/closing/", WatchOptions.DEFAULT, late);
        assertInstanceOf(StorageException.Unavailable.class, late.error);
        store = null;
    }

    @Test
    void namespaceIsolatesKeysRangesAndWatches() throws Exception {
        try (EtcdKeyValueStore scoped = new EtcdKeyValueStore(EtcdSettings.of(etcd.endpoint()).withNamespace("/c1"))) {
            long start = await(scoped.currentRevision());
            Events rec = new Events();
            Watch watch = scoped.watch("", WatchOptions.builder().withAfterRevision(start).build(), rec);
            await(store.create("/c2/x", bytes("other cluster"), 0));
            long mine = await(scoped.create("/x", bytes("mine"), 0)).revision();

            assertEquals("mine", new String(await(store.get("/c1/x")).value(), UTF_8), "keys carry the namespace in etcd");
            List<KeyValue> all = await(scoped.range("", RangeOptions.builder().withPrefix(true).build())).kvs();
            assertEquals(List.of("/x"), all.stream().map(KeyValue::key).toList());
            List<KeyValue> toEnd = await(scoped.range("/", RangeOptions.builder().withEnd("\0").build())).kvs();
            assertEquals(List.of("/x"), toEnd.stream().map(KeyValue::key).toList());
            rec.await(1);
            assertEquals(List.of(mine), rec.revisions());
            assertEquals("/x", rec.events.get(0).kv().key());
            watch.close();
        }
    }

    @Test
    void compactedReadReportsTheCompactionPoint() throws Exception {
        long r1 = await(store.create("/compact/k", bytes("1"), 0)).revision();
        long r2 = await(store.update("/compact/k", bytes("2"), r1, 0)).revision();
        long r3 = await(store.update("/compact/k", bytes("3"), r2, 0)).revision();
        await(store.compact(r3));
        StorageException.Compacted c = assertInstanceOf(StorageException.Compacted.class,
                failureOf(store.range("/compact/k", RangeOptions.builder().withRevision(r1).build())));
        assertEquals(r3, c.compactRevision());
        assertInstanceOf(StorageException.Compacted.class, failureOf(store.compact(r2)));
    }

    // ---------------------------------------------------------------- helpers

    private static void assertDown(CompletableFuture<?> f) {
        long t0 = System.nanoTime();
        Throwable t = failureOf(f);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(t instanceof StorageException.Unavailable || t instanceof StorageException.Timeout,
                "expected Unavailable or Timeout, got " + t);
        assertTrue(ms <= FAIL_WITHIN_MS, "failing took " + ms + " ms");
    }

    private static Throwable failureOf(CompletableFuture<?> f) {
        try {
            Object v = f.get(FAIL_WITHIN_MS + 5_000, TimeUnit.MILLISECONDS);
            return fail("expected a failure, got " + v);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException | InterruptedException e) {
            return fail("no answer", e);
        }
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    /** Waits until the condition holds; returns how long that took. */
    private static long eventually(BooleanSupplier condition) {
        long t0 = System.nanoTime();
        if (!waitFor(condition, RECOVER_WITHIN_MS)) {
            fail("not recovered within " + RECOVER_WITHIN_MS + " ms");
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private static boolean waitFor(BooleanSupplier condition, long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    private static final class Events implements WatchListener {
        final List<WatchEvent> events = new ArrayList<>();
        volatile StorageException error;
        volatile long progress;

        @Override
        public synchronized void onEvents(List<WatchEvent> batch) {
            events.addAll(batch);
        }

        @Override
        public void onProgress(long revision) {
            progress = revision;
        }

        @Override
        public void onError(StorageException e) {
            error = e;
        }

        synchronized List<Long> revisions() {
            return events.stream().map(WatchEvent::revision).toList();
        }

        synchronized int size() {
            return events.size();
        }

        void await(int n) {
            if (!waitFor(() -> size() >= n || error != null, 15_000)) {
                fail("expected " + n + " events, got " + revisions());
            }
            assertNull(error, "the watch failed");
        }
    }
}
