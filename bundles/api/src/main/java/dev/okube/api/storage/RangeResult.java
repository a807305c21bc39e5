package dev.okube.api.storage;

import java.util.List;

/**
 * The answer to a range read.
 *
 * @param kvs      the keys in range, in key order, at most {@code limit} of them (empty when count only)
 * @param more     whether more keys were in range than were returned
 * @param count    the number of keys in range, regardless of the limit
 * @param revision the store's revision when the read was served (the list resourceVersion)
 */
public record RangeResult(List<KeyValue> kvs, boolean more, long count, long revision) {
    public RangeResult {
        kvs = List.copyOf(kvs);
    }
}
