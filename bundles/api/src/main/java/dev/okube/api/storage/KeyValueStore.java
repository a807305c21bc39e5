package dev.okube.api.storage;

import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A revisioned key-value store with etcd's semantics, the apiserver's only view of cluster state.
 *
 * <p>One global revision increases by one with every successful write (each create, update,
 * delete and lease-expiry deletion). Every key carries its create revision, mod revision and
 * version. Futures complete exceptionally with a {@link StorageException} subclass. Keys are
 * UTF-8 strings compared bytewise, as etcd compares them.
 *
 * <p>Backends implement this interface and register it as an OSGi service.
 */
@ConsumerType
public interface KeyValueStore {

    /** Reads a key or a range of keys, see {@link RangeOptions}. A compacted revision fails with Compacted. */
    CompletableFuture<RangeResult> range(String key, RangeOptions options);

    /** Creates the key if it is absent; fails with Conflict (carrying the current key) if it exists. */
    CompletableFuture<WriteResult> create(String key, byte[] value, long lease);

    /**
     * Replaces the value if the key's mod revision is {@code expectedModRevision}; fails with
     * Conflict carrying the current key otherwise, or NotFound if the key is absent.
     */
    CompletableFuture<WriteResult> update(String key, byte[] value, long expectedModRevision, long lease);

    /**
     * Deletes the key if its mod revision is {@code expectedModRevision}, or unconditionally when it
     * is 0. Fails with Conflict carrying the current key, or NotFound. The result carries the key as
     * it was before the delete and the revision of the delete.
     */
    CompletableFuture<WriteResult> delete(String key, long expectedModRevision);

    /** Grants a lease that expires {@code ttlSeconds} after the grant; returns its id (never 0). */
    CompletableFuture<Long> grantLease(long ttlSeconds);

    /** Revokes a lease now, deleting every key attached to it. */
    CompletableFuture<Void> revokeLease(long lease);

    /**
     * Watches every key starting with {@code prefix}. See {@link WatchOptions} for the start
     * revision; a start older than the compaction point ends the watch with Compacted.
     */
    Watch watch(String prefix, WatchOptions options, WatchListener listener);

    /** Discards history older than {@code revision}; reads and watches before it fail with Compacted. */
    CompletableFuture<Void> compact(long revision);

    /** The store's current revision. */
    CompletableFuture<Long> currentRevision();

    /** Completes normally when the store can serve reads and writes; exceptionally with Unavailable otherwise. */
    CompletableFuture<Void> health();

    /** A short name for this backend, for health checks and metrics ("embedded", "etcd"). */
    String name();

    /** Reads one key at the current revision; completes with null if it is absent. */
    default CompletableFuture<KeyValue> get(String key) {
        return range(key, RangeOptions.DEFAULT).thenApply(r -> r.kvs().isEmpty() ? null : r.kvs().get(0));
    }
}
