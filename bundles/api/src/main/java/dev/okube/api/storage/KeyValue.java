package dev.okube.api.storage;

import java.util.Objects;

/**
 * One key at one revision, as etcd's {@code mvccpb.KeyValue}.
 *
 * @param key            the key
 * @param value          the value bytes (empty when a range asked for keys only); never modified
 * @param createRevision the revision at which the key was last created
 * @param modRevision    the revision of the last write to the key (the Kubernetes resourceVersion)
 * @param version        the number of writes since the key was created (1 after creation)
 * @param lease          the id of the lease attached to the key, 0 for none
 */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision, long version, long lease) {
    public KeyValue {
        Objects.requireNonNull(key, "key should not be null");
        Objects.requireNonNull(value, "value should not be null");
    }
}
