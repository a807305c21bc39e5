package dev.okube.api.storage;

import java.util.Optional;

/**
 * A successful write.
 *
 * @param revision the store revision the write created
 * @param kv       the key as written (for a delete: the key as it was before, at its last revision)
 */
public record WriteResult(long revision, KeyValue kv) {
    public Optional<KeyValue> current() {
        return Optional.ofNullable(kv);
    }
}
