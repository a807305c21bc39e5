package dev.okube.api.storage;

import org.osgi.annotation.versioning.ProviderType;

/** A running watch; closing it stops delivery. */
@ProviderType
public interface Watch extends AutoCloseable {
    /** Asks for an {@link WatchListener#onProgress} notification carrying the store's current revision. */
    void requestProgress();

    @Override
    void close();
}
