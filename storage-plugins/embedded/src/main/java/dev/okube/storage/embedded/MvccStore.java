package dev.okube.storage.embedded;

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
import dev.okube.storage.embedded.Codecs.Rec;
import dev.okube.storage.embedded.Codecs.Version;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.LongDataType;
import org.h2.mvstore.type.StringDataType;

/**
 * The embedded store: etcd's MVCC model on H2's MVStore.
 *
 * <p>Layout (one MVStore file):
 * <ul>
 * <li>{@code history}: (key, revision) → the key's version written at that revision, tombstones included.
 * Every version is kept until compaction, which is what reads at a revision and watch replay use.</li>
 * <li>{@code current}: key → its latest revision, negated when that revision deleted it. Ranges walk this
 * map in key order and resolve each key at the wanted revision.</li>
 * <li>{@code log}: revision → key written, exactly one entry per revision, for watch replay.</li>
 * <li>{@code leases}: lease id → expiry (epoch millis); {@code leaseKeys}: (lease id, key) → attachment.</li>
 * <li>{@code meta}: revision, compaction point and next lease id.</li>
 * </ul>
 *
 * <p>All writes go through one writer thread (group commit): it takes every queued write, applies them
 * in order, commits and fsyncs once, publishes the events to watchers, then completes the futures. A
 * write is acknowledged only after its fsync, so it survives a crash. Reads run on the caller's thread
 * against the last committed revision: they never see a write before it is durable.
 */
final class MvccStore implements KeyValueStore, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(MvccStore.class.getName());
    private static final String FILE_NAME = "okube.mv.db";
    /** Revisions processed per compaction step, so a large compaction does not stall writes for long. */
    private static final int COMPACTION_STEP = 10_000;
    /** Events delivered per listener call while replaying history. */
    private static final int REPLAY_CHUNK = 1_000;
    private static final long IDLE_MAINTENANCE_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** A watcher none of whose keys changed is still woken after this many commits, to release old segments. */
    private static final int WAKE_EVERY_SEGMENTS = 256;

    /** Tunables; {@link #DEFAULTS} suits production. */
    record Options(boolean fsync, int maxBatch, int cacheSizeMb, long progressNotifyMillis, long watchMaxLag) {
        static final Options DEFAULTS = new Options(true, 1024, 32, 5_000, 20_000);
    }

    private final Options options;
    private final MVStore mv;
    private final MVMap<Version, Rec> history;
    private final MVMap<byte[], Long> current;
    private final MVMap<Long, byte[]> log;
    private final MVMap<Long, Long> leases;
    private final MVMap<byte[], Long> leaseKeys;
    private final MVMap<String, Long> meta;

    private final LinkedBlockingQueue<Op<?>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final ExecutorService callbacks;
    private final ExecutorService watchExecutor;
    private final ScheduledExecutorService timers;

    // Owned by the writer thread.
    private long revision;
    private long nextLease;
    private final List<WatchEvent> batchEvents = new ArrayList<>();
    private long lastMaintenance = System.nanoTime();
    private volatile long watchDetaches;

    /** The newest durable revision; reads and new watches start from it. */
    private volatile long committedRevision;
    /** Reads and watches before this revision fail with Compacted. */
    private volatile long compactRevision;
    private volatile boolean closed;
    /** Set when a commit failed: the store then refuses all work, as its disk state is in doubt. */
    private volatile StorageException broken;

    private final Object publishLock = new Object();
    private Segment tail;
    private final List<Watcher> watchers = new CopyOnWriteArrayList<>();

    MvccStore(Path directory, Options options) throws IOException {
        this.options = Objects.requireNonNull(options, "options should not be null");
        Files.createDirectories(directory);
        MVStore.Builder builder = new MVStore.Builder()
                .fileName(directory.resolve(FILE_NAME).toString())
                .cacheSize(options.cacheSizeMb())
                // Only the writer thread stores, so an on-disk version never holds half a batch.
                .autoCommitDisabled()
                // Every commit rewrites the touched leaf pages; 16 keys a page instead of 48 cut the bytes
                // written per update from 40 KB to 24 KB (one at a time) and 10 KB to 5 KB (64 a commit).
                .keysPerPage(16);
        this.mv = builder.open();
        try {
            // MVStore keeps dead chunks 45 s by default in case the OS has not flushed them yet; every commit
            // here is fsynced, so that only made the file balloon (4 GB after a minute of updates). Readers
            // pin the versions they read (registerVersionUsage), so reuse cannot pull pages from under them.
            mv.setRetentionTime(0);
            history = mv.openMap("history", new MVMap.Builder<Version, Rec>()
                    .keyType(Codecs.VersionType.INSTANCE).valueType(Codecs.RecType.INSTANCE));
            current = mv.openMap("current", new MVMap.Builder<byte[], Long>()
                    .keyType(Codecs.KeyType.INSTANCE).valueType(LongDataType.INSTANCE));
            log = mv.openMap("log", new MVMap.Builder<Long, byte[]>()
                    .keyType(LongDataType.INSTANCE).valueType(Codecs.KeyType.INSTANCE));
            leases = mv.openMap("leases", new MVMap.Builder<Long, Long>()
                    .keyType(LongDataType.INSTANCE).valueType(LongDataType.INSTANCE));
            leaseKeys = mv.openMap("leaseKeys", new MVMap.Builder<byte[], Long>()
                    .keyType(Codecs.KeyType.INSTANCE).valueType(LongDataType.INSTANCE));
            meta = mv.openMap("meta", new MVMap.Builder<String, Long>()
                    .keyType(StringDataType.INSTANCE).valueType(LongDataType.INSTANCE));
        } catch (RuntimeException e) {
            mv.closeImmediately();
            throw e;
        }
        // etcd starts at revision 1; the first write is revision 2.
        revision = meta.getOrDefault("revision", 1L);
        nextLease = meta.getOrDefault("nextLease", 1L);
        compactRevision = meta.getOrDefault("compactRevision", 0L);
        committedRevision = revision;
        tail = new Segment(revision, List.of());

        callbacks = Executors.newCachedThreadPool(threads("okube-storage-callback"));
        watchExecutor = Executors.newCachedThreadPool(threads("okube-storage-watch"));
        timers = Executors.newSingleThreadScheduledExecutor(threads("okube-storage-timer"));
        writer = threads("okube-storage-writer").newThread(this::writeLoop);
        writer.start();

        long now = System.currentTimeMillis();
        for (Map.Entry<Long, Long> lease : leases.entrySet()) {
            scheduleExpiry(lease.getKey(), lease.getValue() - now);
        }
        // A compaction interrupted by a crash resumes where its log deletion stopped.
        Long oldest = log.isEmpty() ? null : log.firstKey();
        if (oldest != null && oldest < compactRevision) {
            submit(new Compact(compactRevision, true));
        }
        if (options.progressNotifyMillis() > 0) {
            timers.scheduleWithFixedDelay(this::periodicProgress, options.progressNotifyMillis(),
                    options.progressNotifyMillis(), TimeUnit.MILLISECONDS);
        }
    }

    // ------------------------------------------------------------------------------------- reads

    @Override
    public CompletableFuture<RangeResult> range(String key, RangeOptions opts) {
        Objects.requireNonNull(key, "key should not be null");
        Objects.requireNonNull(opts, "options should not be null");
        try {
            return CompletableFuture.completedFuture(readRange(key, opts));
        } catch (StorageException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private RangeResult readRange(String key, RangeOptions opts) {
        checkUsable();
        MVStore.TxCounter pin = mv.registerVersionUsage();
        try {
            return readRangePinned(key, opts);
        } finally {
            mv.deregisterVersionUsage(pin);
        }
    }

    private RangeResult readRangePinned(String key, RangeOptions opts) {
        long cur = committedRevision;
        long at = opts.revision() == 0 ? cur : opts.revision();
        if (at > cur) {
            throw new StorageException.FutureRevision(at, cur);
        }
        checkNotCompacted(at);
        byte[] from = utf8(key);
        List<KeyValue> kvs = new ArrayList<>();
        long count = 0;
        boolean more = false;
        if (!opts.isPrefix() && opts.end().isEmpty()) {
            Long latest = current.get(from);
            KeyValue kv = latest == null ? null : resolve(from, latest, at, !opts.isKeysOnly());
            if (kv != null) {
                count = 1;
                if (!opts.isCountOnly()) {
                    kvs.add(kv);
                }
            }
        } else {
            byte[] to = opts.isPrefix() ? Codecs.prefixEnd(from) : endKey(opts.end().get());
            boolean wantValues = !opts.isKeysOnly() && !opts.isCountOnly();
            Cursor<byte[], Long> c = current.cursor(from);
            while (c.hasNext()) {
                byte[] k = c.next();
                if (to != null && Codecs.compareKeys(k, to) >= 0) {
                    break;
                }
                long latest = c.getValue();
                boolean collect = !opts.isCountOnly() && (opts.limit() == 0 || kvs.size() < opts.limit());
                if (!collect && latest > 0 && latest <= at) {
                    count++; // visible and live at `at`: no need to read the version
                    more |= !opts.isCountOnly();
                    continue;
                }
                KeyValue kv = resolve(k, latest, at, wantValues && collect);
                if (kv == null) {
                    continue;
                }
                count++;
                if (collect) {
                    kvs.add(kv);
                } else if (!opts.isCountOnly()) {
                    more = true;
                }
            }
        }
        // A compaction that ran meanwhile may have removed versions this read looked for.
        checkNotCompacted(at);
        return new RangeResult(kvs, more, count, cur);
    }

    /** The key as it was at revision {@code at}, or null if it did not exist then. */
    private KeyValue resolve(byte[] k, long latest, long at, boolean withValue) {
        long rev = Math.abs(latest);
        Rec rec;
        if (rev <= at) {
            if (latest < 0) {
                return null;
            }
            rec = history.get(new Version(k, rev));
        } else {
            Version v = history.floorKey(new Version(k, at));
            if (v == null || !Arrays.equals(v.key(), k)) {
                return null;
            }
            rev = v.revision();
            rec = history.get(v);
        }
        if (rec == null || rec.tombstone()) {
            return null;
        }
        return toKv(k, rev, rec, withValue);
    }

    private void checkNotCompacted(long at) {
        long compacted = compactRevision;
        if (at < compacted) {
            throw new StorageException.Compacted(at, compacted);
        }
    }

    @Override
    public CompletableFuture<Long> currentRevision() {
        try {
            checkUsable();
            return CompletableFuture.completedFuture(committedRevision);
        } catch (StorageException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<Void> health() {
        try {
            checkUsable();
            if (!writer.isAlive()) {
                throw new StorageException.Unavailable("embedded storage writer thread is not running", null);
            }
            return CompletableFuture.completedFuture(null);
        } catch (StorageException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public String name() {
        return "embedded";
    }

    // ------------------------------------------------------------------------------------- writes

    @Override
    public CompletableFuture<WriteResult> create(String key, byte[] value, long lease) {
        Objects.requireNonNull(key, "key should not be null");
        Objects.requireNonNull(value, "value should not be null");
        return submit(new Op<WriteResult>() {
            @Override
            WriteResult apply() {
                byte[] k = utf8(key);
                KeyValue prev = latest(k, key);
                if (prev != null) {
                    throw new StorageException.Conflict(key, prev);
                }
                checkLease(key, lease);
                return put(k, key, value.clone(), lease, null);
            }
        });
    }

    @Override
    public CompletableFuture<WriteResult> update(String key, byte[] value, long expectedModRevision, long lease) {
        Objects.requireNonNull(key, "key should not be null");
        Objects.requireNonNull(value, "value should not be null");
        return submit(new Op<WriteResult>() {
            @Override
            WriteResult apply() {
                byte[] k = utf8(key);
                KeyValue prev = latest(k, key);
                if (prev == null) {
                    throw new StorageException.NotFound(key);
                }
                if (prev.modRevision() != expectedModRevision) {
                    throw new StorageException.Conflict(key, prev);
                }
                checkLease(key, lease);
                return put(k, key, value.clone(), lease, prev);
            }
        });
    }

    @Override
    public CompletableFuture<WriteResult> delete(String key, long expectedModRevision) {
        Objects.requireNonNull(key, "key should not be null");
        return submit(new Op<WriteResult>() {
            @Override
            WriteResult apply() {
                byte[] k = utf8(key);
                KeyValue prev = latest(k, key);
                if (prev == null) {
                    throw new StorageException.NotFound(key);
                }
                if (expectedModRevision != 0 && prev.modRevision() != expectedModRevision) {
                    throw new StorageException.Conflict(key, prev);
                }
                return remove(k, prev);
            }
        });
    }

    @Override
    public CompletableFuture<Long> grantLease(long ttlSeconds) {
        if (ttlSeconds <= 0) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("ttl must be positive: " + ttlSeconds));
        }
        return submit(new Op<Long>() {
            @Override
            Long apply() {
                long id = nextLease++;
                meta.put("nextLease", nextLease);
                long ttlMillis = TimeUnit.SECONDS.toMillis(ttlSeconds);
                leases.put(id, System.currentTimeMillis() + ttlMillis);
                scheduleExpiry(id, ttlMillis);
                return id;
            }
        });
    }

    @Override
    public CompletableFuture<Void> revokeLease(long lease) {
        return submit(new Op<Void>() {
            @Override
            Void apply() {
                if (!leases.containsKey(lease)) {
                    throw new StorageException.NotFound("lease " + lease);
                }
                revoke(lease);
                return null;
            }
        });
    }

    @Override
    public CompletableFuture<Void> compact(long rev) {
        return submit(new Compact(rev, false));
    }

    /** The key's latest version as the writer sees it (including earlier writes of the same batch). */
    private KeyValue latest(byte[] k, String key) {
        Long latest = current.get(k);
        if (latest == null || latest < 0) {
            return null;
        }
        Rec rec = history.get(new Version(k, latest));
        return new KeyValue(key, rec.value(), rec.createRevision(), latest, rec.version(), rec.lease());
    }

    private void checkLease(String key, long lease) {
        if (lease != 0 && !leases.containsKey(lease)) {
            throw new StorageException.NotFound("lease " + lease + " (for key " + key + ")");
        }
    }

    private WriteResult put(byte[] k, String key, byte[] value, long lease, KeyValue prev) {
        long rev = ++revision;
        long create = prev == null ? rev : prev.createRevision();
        long version = prev == null ? 1 : prev.version() + 1;
        history.put(new Version(k, rev), new Rec(create, version, lease, false, value));
        current.put(k, rev);
        log.put(rev, k);
        if (prev != null && prev.lease() != 0 && prev.lease() != lease) {
            leaseKeys.remove(leaseKey(prev.lease(), k));
        }
        if (lease != 0) {
            leaseKeys.put(leaseKey(lease, k), rev);
        }
        KeyValue kv = new KeyValue(key, value, create, rev, version, lease);
        batchEvents.add(new WatchEvent(WatchEvent.Type.PUT, kv, prev));
        return new WriteResult(rev, kv);
    }

    private WriteResult remove(byte[] k, KeyValue prev) {
        long rev = ++revision;
        history.put(new Version(k, rev), Rec.deletion());
        current.put(k, -rev);
        log.put(rev, k);
        if (prev.lease() != 0) {
            leaseKeys.remove(leaseKey(prev.lease(), k));
        }
        batchEvents.add(new WatchEvent(WatchEvent.Type.DELETE,
                new KeyValue(prev.key(), Codecs.EMPTY, 0, rev, 0, 0), prev));
        return new WriteResult(rev, prev);
    }

    /** Deletes every key attached to the lease, one revision each, then the lease. */
    private void revoke(long lease) {
        byte[] from = leaseKey(lease, Codecs.EMPTY);
        List<byte[]> attached = new ArrayList<>();
        Cursor<byte[], Long> c = leaseKeys.cursor(from);
        while (c.hasNext()) {
            byte[] lk = c.next();
            if (!Codecs.startsWith(lk, from)) {
                break;
            }
            attached.add(Arrays.copyOfRange(lk, 8, lk.length));
        }
        for (byte[] k : attached) {
            String key = new String(k, StandardCharsets.UTF_8);
            KeyValue prev = latest(k, key);
            if (prev != null && prev.lease() == lease) {
                remove(k, prev);
            } else {
                leaseKeys.remove(leaseKey(lease, k));
            }
        }
        leases.remove(lease);
    }

    private void scheduleExpiry(long lease, long delayMillis) {
        if (closed) {
            return;
        }
        timers.schedule(() -> {
            submit(new Op<Void>() {
                @Override
                Void apply() {
                    Long deadline = leases.get(lease);
                    if (deadline != null) {
                        long left = deadline - System.currentTimeMillis();
                        if (left > 0) {
                            scheduleExpiry(lease, left);
                        } else {
                            revoke(lease);
                        }
                    }
                    return null;
                }
            });
        }, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
    }

    private static byte[] leaseKey(long lease, byte[] k) {
        return ByteBuffer.allocate(8 + k.length).putLong(lease).put(k).array();
    }

    /**
     * Compaction as etcd does it: reads before {@code target} fail from now on; each key keeps its newest
     * version at or before {@code target} (unless that is a deletion) and everything newer. Runs in steps
     * on the writer thread, re-queueing itself so that writes interleave with a long compaction.
     */
    private final class Compact extends Op<Void> {
        private final long target;
        private final boolean resumed;

        Compact(long target, boolean resumed) {
            this.target = target;
            this.resumed = resumed;
        }

        @Override
        Void apply() {
            if (!resumed) {
                if (target > revision) {
                    throw new StorageException.FutureRevision(target, revision);
                }
                if (target <= compactRevision) {
                    return null; // already compacted at least that far
                }
                compactRevision = target;
                meta.put("compactRevision", target);
            }
            int steps = 0;
            Cursor<Long, byte[]> c = log.cursor(null);
            List<Long> processed = new ArrayList<>();
            while (c.hasNext() && steps < COMPACTION_STEP) {
                long r = c.next();
                if (r >= target) {
                    break;
                }
                compactVersion(c.getValue(), r);
                processed.add(r);
                steps++;
            }
            processed.forEach(log::remove);
            if (steps == COMPACTION_STEP) {
                Compact next = new Compact(target, true);
                next.future = future;
                future = null; // completed by the last step
                queue.add(next);
            }
            return null;
        }

        private void compactVersion(byte[] k, long r) {
            // A version kept by an earlier compaction is superseded by this newer one.
            Version older = history.lowerKey(new Version(k, r));
            if (older != null && Arrays.equals(older.key(), k)) {
                history.remove(older);
            }
            Version v = new Version(k, r);
            Version newer = history.higherKey(v);
            boolean superseded = newer != null && Arrays.equals(newer.key(), k) && newer.revision() <= target;
            if (superseded) {
                history.remove(v);
                return;
            }
            Rec rec = history.get(v);
            if (rec != null && rec.tombstone()) {
                history.remove(v);
                Long latest = current.get(k);
                if (latest != null && latest == -r) {
                    current.remove(k);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------- writer

    /** A write; applied on the writer thread, completed after the commit that made it durable. */
    private abstract static class Op<T> {
        CompletableFuture<T> future = new CompletableFuture<>();
        private Object outcome;
        private boolean failed;

        abstract T apply();
    }

    /** Queued by close(): the writer finishes what was queued before it, then stops. */
    private static final Op<Void> STOP = new Op<>() {
        @Override
        Void apply() {
            return null;
        }
    };

    private <T> CompletableFuture<T> submit(Op<T> op) {
        StorageException refused = closed ? new StorageException.Unavailable("embedded storage is closed", null) : broken;
        if (refused != null) {
            return CompletableFuture.failedFuture(refused);
        }
        CompletableFuture<T> f = op.future;
        queue.add(op);
        // close() may have drained the queue just before this add; make sure nothing is left hanging.
        if (closed && queue.remove(op)) {
            f.completeExceptionally(new StorageException.Unavailable("embedded storage is closed", null));
        }
        return f;
    }

    private void writeLoop() {
        List<Op<?>> batch = new ArrayList<>();
        boolean stop = false;
        while (!stop) {
            try {
                Op<?> first = queue.poll(IDLE_MAINTENANCE_NANOS, TimeUnit.NANOSECONDS);
                if (first == null) {
                    maintain(false);
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, options.maxBatch() - 1);
                stop = batch.remove(STOP);
                runBatch(batch);
            } catch (InterruptedException e) {
                stop = true;
            } catch (RuntimeException | Error e) {
                fail(batch, e);
            } finally {
                batch.clear();
            }
        }
        List<Op<?>> left = new ArrayList<>();
        queue.drainTo(left);
        StorageException closedError = new StorageException.Unavailable("embedded storage is closed", null);
        for (Op<?> op : left) {
            if (op.future != null) {
                op.future.completeExceptionally(closedError);
            }
        }
    }

    private void runBatch(List<Op<?>> batch) {
        if (batch.isEmpty()) {
            return;
        }
        if (broken != null) {
            fail(batch, broken);
            return;
        }
        for (Op<?> op : batch) {
            try {
                op.outcome = op.apply();
            } catch (StorageException e) {
                op.outcome = e;
                op.failed = true;
            } catch (IllegalArgumentException e) {
                op.outcome = e;
                op.failed = true;
            }
        }
        if (mv.hasUnsavedChanges()) {
            meta.put("revision", revision);
            mv.commit();
            if (options.fsync()) {
                mv.sync();
            }
        }
        publish();
        List<Op<?>> done = List.copyOf(batch);
        // Callbacks run off the writer thread: a caller that blocks in one must not stall all writes.
        callbacks.execute(() -> {
            for (Op<?> op : done) {
                complete(op);
            }
        });
        if (System.nanoTime() - lastMaintenance > IDLE_MAINTENANCE_NANOS && queue.isEmpty()) {
            maintain(false);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Op<T> op) {
        if (op.future == null) {
            return;
        }
        if (op.failed) {
            op.future.completeExceptionally((Throwable) op.outcome);
        } else {
            op.future.complete((T) op.outcome);
        }
    }

    /** A failed commit leaves the file's state in doubt: refuse everything from now on. */
    private void fail(List<Op<?>> batch, Throwable cause) {
        if (broken == null) {
            LOG.log(System.Logger.Level.ERROR, "embedded storage failed; refusing further writes", cause);
            broken = cause instanceof StorageException se ? se
                    : new StorageException.Unavailable("embedded storage failed: " + cause, cause);
        }
        batchEvents.clear();
        for (Op<?> op : batch) {
            if (op.future != null) {
                op.future.completeExceptionally(broken);
            }
        }
    }

    /** How often a lagging watch was moved from the in-memory chain to the log (for tests). */
    long watchDetaches() {
        return watchDetaches;
    }

    /** The oldest revision whose log entry is still stored (for tests of compaction). */
    long oldestLoggedRevision() {
        return log.isEmpty() ? 0 : log.firstKey();
    }

    /** Runs file maintenance on the writer thread now, whatever the fill rate (for tests). */
    CompletableFuture<Void> maintainNow() {
        return submit(new Op<Void>() {
            @Override
            Void apply() {
                maintain(true);
                return null;
            }
        });
    }

    /**
     * Rewrites sparse file chunks now and then, as MVStore's background thread would if it ran (it is
     * disabled so that only the writer commits).
     */
    private void maintain(boolean force) {
        lastMaintenance = System.nanoTime();
        if (broken != null) {
            return;
        }
        try {
            if (force || mv.getFillRate() < 50) {
                mv.compact(50, 16 << 20);
                mv.commit();
                if (options.fsync()) {
                    mv.sync();
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "embedded storage file maintenance failed", e);
        }
    }

    // ------------------------------------------------------------------------------------- watch

    /** One committed batch of events; watchers walk the chain of segments. */
    private static final class Segment {
        final long lastRevision;
        final List<WatchEvent> events;
        volatile Segment next;

        Segment(long lastRevision, List<WatchEvent> events) {
            this.lastRevision = lastRevision;
            this.events = events;
        }
    }

    private void publish() {
        if (batchEvents.isEmpty()) {
            return;
        }
        Segment s = new Segment(revision, List.copyOf(batchEvents));
        batchEvents.clear();
        synchronized (publishLock) {
            tail.next = s;
            tail = s;
            committedRevision = s.lastRevision;
        }
        for (Watcher w : watchers) {
            Segment walked = w.cursor.get();
            if (walked != null && s.lastRevision - w.position > options.watchMaxLag()
                    && w.cursor.compareAndSet(walked, null)) {
                watchDetaches++;
                w.schedule();
                continue;
            }
            // Wake only watchers with something to deliver; the others catch up every so often so that
            // the segments they have not walked yet can be collected.
            if (w.matchesAny(s.events) || ++w.unscheduledSegments >= WAKE_EVERY_SEGMENTS) {
                w.unscheduledSegments = 0;
                w.schedule();
            }
        }
    }

    @Override
    public Watch watch(String prefix, WatchOptions opts, WatchListener listener) {
        Objects.requireNonNull(prefix, "prefix should not be null");
        Objects.requireNonNull(opts, "options should not be null");
        Objects.requireNonNull(listener, "listener should not be null");
        Watcher w = new Watcher(prefix, listener, opts.isProgressNotify());
        StorageException refused = closed ? new StorageException.Unavailable("embedded storage is closed", null) : broken;
        long after = opts.afterRevision();
        synchronized (publishLock) {
            long cur = committedRevision;
            w.cursor.set(tail);
            if (refused != null) {
                w.error = refused;
            } else if (after == 0 || after >= cur) {
                w.delivered = after == 0 ? cur : after;
                w.position = w.delivered;
            } else if (after + 1 < compactRevision) {
                w.error = new StorageException.Compacted(after + 1, compactRevision);
            } else {
                // Replay (after, cur] from history, then continue live from the segment current now.
                w.delivered = after;
                w.position = after;
                w.replayTo = cur;
            }
            if (w.error == null) {
                watchers.add(w);
            }
        }
        if (w.error != null || w.replayTo > w.delivered) {
            w.schedule();
        }
        return w;
    }

    private void periodicProgress() {
        long now = System.nanoTime();
        long interval = TimeUnit.MILLISECONDS.toNanos(options.progressNotifyMillis());
        for (Watcher w : watchers) {
            if (w.progressNotify && now - w.lastActivity >= interval) {
                w.requestProgress();
            }
        }
    }

    private final class Watcher implements Watch {
        final byte[] prefix;
        final WatchListener listener;
        final boolean progressNotify;
        private final AtomicInteger wip = new AtomicInteger();
        // Owned by the draining thread (one at a time, handed over through wip).
        long delivered;
        /** {@link #delivered}, published for the writer's lag check. */
        volatile long position;
        long replayTo;
        /**
         * The last segment walked. The writer clears it when the watch lags more than
         * {@link Options#watchMaxLag()} revisions behind, so that a stuck listener cannot pin every
         * later event in memory; the watch then catches up from the log.
         */
        final java.util.concurrent.atomic.AtomicReference<Segment> cursor = new java.util.concurrent.atomic.AtomicReference<>();
        volatile StorageException error;
        volatile boolean progressRequested;
        volatile boolean cancelled;
        volatile long lastActivity = System.nanoTime();
        /** Commits published since this watcher was last woken by the writer; writer thread only. */
        int unscheduledSegments;

        final String prefixString;

        Watcher(String prefix, WatchListener listener, boolean progressNotify) {
            this.prefixString = prefix;
            this.prefix = utf8(prefix);
            this.listener = listener;
            this.progressNotify = progressNotify;
        }

        void schedule() {
            if (wip.getAndIncrement() == 0) {
                try {
                    watchExecutor.execute(this::drain);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    wip.set(0); // the store is closing; close() tells the listener
                }
            }
        }

        @Override
        public void requestProgress() {
            progressRequested = true;
            schedule();
        }

        @Override
        public void close() {
            cancelled = true;
            watchers.remove(this);
        }

        /** Ends the watch with an error, unless it was closed by its owner. */
        void fail(StorageException e) {
            error = e;
            schedule();
        }

        private void drain() {
            int missed = 1;
            while (true) {
                try {
                    step();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "watch listener failed; closing the watch", e);
                    close();
                }
                missed = wip.addAndGet(-missed);
                if (missed == 0) {
                    return;
                }
            }
        }

        private void step() {
            if (cancelled) {
                return;
            }
            if (error != null) {
                close();
                listener.onError(error);
                return;
            }
            if (replayTo > delivered) {
                replay();
                if (cancelled) {
                    return;
                }
            }
            Segment from = cursor.get();
            if (from == null) {
                // Detached for lagging: replay from the log up to now, then rejoin the live chain.
                synchronized (publishLock) {
                    replayTo = committedRevision;
                    from = tail;
                }
                cursor.set(from);
                replay();
                if (cancelled) {
                    return;
                }
                from = cursor.get();
                if (from == null) {
                    return; // detached again meanwhile; the writer has scheduled another step
                }
            }
            List<WatchEvent> out = new ArrayList<>();
            Segment last = from;
            for (Segment n = from.next; n != null; n = n.next) {
                last = n;
                for (WatchEvent e : n.events) {
                    if (e.revision() > delivered && matches(e.kv().key())) {
                        out.add(e);
                    }
                }
            }
            // If the writer detached the watch meanwhile, leave it detached: the next step replays from
            // `delivered` on, which these events are about to cover.
            cursor.compareAndSet(from, last);
            delivered = Math.max(delivered, last.lastRevision);
            position = delivered;
            from = null;
            last = null;
            if (!out.isEmpty()) {
                lastActivity = System.nanoTime();
                listener.onEvents(out);
            }
            if (progressRequested && !cancelled) {
                progressRequested = false;
                lastActivity = System.nanoTime();
                listener.onProgress(delivered);
            }
        }

        boolean matchesAny(List<WatchEvent> events) {
            for (WatchEvent e : events) {
                if (matches(e.kv().key())) {
                    return true;
                }
            }
            return false;
        }

        /** A string prefix is exactly a UTF-8 byte prefix, so no encoding is needed per event. */
        private boolean matches(String key) {
            return key.startsWith(prefixString);
        }

        /** Delivers (delivered, replayTo] from the log, in chunks, with the versions it reads pinned. */
        private void replay() {
            MVStore.TxCounter pin = mv.registerVersionUsage();
            try {
                replayPinned();
            } finally {
                mv.deregisterVersionUsage(pin);
            }
        }

        private void replayPinned() {
            long expected = delivered + 1;
            List<WatchEvent> chunk = new ArrayList<>();
            Cursor<Long, byte[]> c = log.cursor(expected);
            while (expected <= replayTo && !cancelled) {
                if (!c.hasNext()) {
                    break;
                }
                long r = c.next();
                if (r != expected) {
                    break; // a compaction removed this part of the log meanwhile
                }
                byte[] k = c.getValue();
                if (Codecs.startsWith(k, prefix)) {
                    WatchEvent e = eventAt(k, r);
                    if (e == null) {
                        break;
                    }
                    chunk.add(e);
                    if (chunk.size() >= REPLAY_CHUNK) {
                        listener.onEvents(chunk);
                        chunk = new ArrayList<>();
                    }
                }
                delivered = r;
                position = r;
                expected = r + 1;
            }
            if (expected <= replayTo && !cancelled) {
                long compacted = compactRevision;
                error = compacted > expected ? new StorageException.Compacted(expected, compacted)
                        : new StorageException.Unavailable("watch history is missing revision " + expected, null);
                chunk.clear();
            }
            if (!chunk.isEmpty()) {
                lastActivity = System.nanoTime();
                listener.onEvents(chunk);
            }
            if (error != null) {
                close();
                listener.onError(error);
            }
        }
    }

    /** The event of revision {@code r}, which wrote key {@code k}, rebuilt from history. */
    private WatchEvent eventAt(byte[] k, long r) {
        Version v = new Version(k, r);
        Rec rec = history.get(v);
        if (rec == null) {
            return null;
        }
        KeyValue prev = null;
        Version before = history.lowerKey(v);
        if (before != null && Arrays.equals(before.key(), k)) {
            Rec p = history.get(before);
            if (p != null && !p.tombstone()) {
                prev = toKv(k, before.revision(), p, true);
            }
        }
        String key = new String(k, StandardCharsets.UTF_8);
        if (rec.tombstone()) {
            return new WatchEvent(WatchEvent.Type.DELETE, new KeyValue(key, Codecs.EMPTY, 0, r, 0, 0), prev);
        }
        return new WatchEvent(WatchEvent.Type.PUT, toKv(k, r, rec, true), prev);
    }

    // ------------------------------------------------------------------------------------- lifecycle

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Not Thread.interrupt(): interrupting a thread in file I/O closes MVStore's channel.
        queue.add(STOP);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timers.shutdownNow();
        StorageException gone = new StorageException.Unavailable("embedded storage is closed", null);
        for (Watcher w : watchers) {
            w.fail(gone);
        }
        watchExecutor.shutdown();
        callbacks.shutdown();
        try {
            watchExecutor.awaitTermination(5, TimeUnit.SECONDS);
            callbacks.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (broken == null) {
            mv.close();
        } else {
            mv.closeImmediately();
        }
    }

    private void checkUsable() {
        if (closed) {
            throw new StorageException.Unavailable("embedded storage is closed", null);
        }
        if (broken != null) {
            throw broken;
        }
    }

    private static KeyValue toKv(byte[] k, long modRevision, Rec rec, boolean withValue) {
        return new KeyValue(new String(k, StandardCharsets.UTF_8), withValue ? rec.value() : Codecs.EMPTY,
                rec.createRevision(), modRevision, rec.version(), rec.lease());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** etcd's convention: an end of "\0" means every key from the start key on. */
    private static byte[] endKey(String end) {
        return end.equals("\0") ? null : utf8(end);
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
