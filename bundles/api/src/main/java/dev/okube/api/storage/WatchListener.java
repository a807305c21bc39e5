package dev.okube.api.storage;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives a watch's changes. Calls for one watch never overlap and arrive in revision order.
 */
@ConsumerType
public interface WatchListener {
    /** Changes in strictly increasing revision order, with no gaps and no duplicates for the watched range. */
    void onEvents(List<WatchEvent> events);

    /**
     * Every change up to and including {@code revision} has been delivered; it carries no change.
     * Sent in answer to {@link Watch#requestProgress()}, or periodically when asked for.
     */
    default void onProgress(long revision) {
    }

    /**
     * The watch ended with an error and will deliver nothing more: {@link StorageException.Compacted}
     * when the start revision is older than the compaction point, {@link StorageException.Unavailable}
     * when the store went away.
     */
    void onError(StorageException error);
}
