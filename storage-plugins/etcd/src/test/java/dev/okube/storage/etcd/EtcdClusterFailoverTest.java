package dev.okube.storage.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.okube.api.storage.StorageException;
import dev.okube.api.storage.Watch;
import dev.okube.api.storage.WatchEvent;
import dev.okube.api.storage.WatchListener;
import dev.okube.api.storage.WatchOptions;
import dev.okube.api.storage.WriteResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A three-member cluster loses members under a live client: writes go on, the watch misses nothing. */
class EtcdClusterFailoverTest {

    @Test
    void writesAndWatchSurviveEveryMemberCrashingInTurn() throws Exception {
        try (EtcdCluster cluster = EtcdCluster.start(3);
             EtcdKeyValueStore store = new EtcdKeyValueStore(new EtcdSettings(cluster.endpoints(), Optional.empty(),
                     Optional.empty(), Optional.empty(), Duration.ofSeconds(2), Duration.ofSeconds(5), ""))) {
            String ns = "/failover/";
            long start = store.currentRevision().get(10, TimeUnit.SECONDS);
            Events rec = new Events();
            Watch watch = store.watch(ns, WatchOptions.builder().withAfterRevision(start).build(), rec);
            TreeSet<Long> written = new TreeSet<>();
            int key = 0;
            for (int i = 0; i < 20; i++) {
                written.add(write(store, ns + key++));
            }
            // One member down keeps quorum. Each member dies once, so whichever one served the watch
            // and the writes was lost at some point, possibly while it was the leader.
            for (int member = 0; member < 3; member++) {
                cluster.kill(member);
                for (int i = 0; i < 20; i++) {
                    written.add(write(store, ns + key++));
                }
                cluster.restart(member);
            }
            rec.await(written.size());
            assertNull(rec.error, "the watch failed: " + rec.error);
            assertEquals(List.copyOf(written), rec.revisions(), "every write exactly once, in order");
            watch.close();
        }
    }

    /**
     * Creates a key, retrying while the cluster fails over. A create that failed with Unavailable may
     * still have been applied; the retry then conflicts with it, and that write is the one counted.
     */
    private static long write(EtcdKeyValueStore store, String key) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                WriteResult r = store.create(key, "v".getBytes(UTF_8), 0).get(10, TimeUnit.SECONDS);
                return r.revision();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof StorageException.Conflict c) {
                    return c.current().orElseThrow().modRevision();
                }
                if (!(e.getCause() instanceof StorageException.Unavailable
                        || e.getCause() instanceof StorageException.Timeout) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static final class Events implements WatchListener {
        private final List<WatchEvent> events = new ArrayList<>();
        volatile StorageException error;

        @Override
        public synchronized void onEvents(List<WatchEvent> batch) {
            events.addAll(batch);
        }

        @Override
        public void onError(StorageException e) {
            error = e;
        }

        synchronized List<Long> revisions() {
            return events.stream().map(WatchEvent::revision).toList();
        }

        void await(int n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (revisions().size() < n && error == null) {
                if (System.nanoTime() > deadline) {
                    fail("expected " + n + " events, got " + revisions());
                }
                Thread.sleep(20);
            }
        }
    }
}
