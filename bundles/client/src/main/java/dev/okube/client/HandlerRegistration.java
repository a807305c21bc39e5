package dev.okube.client;

import org.osgi.annotation.versioning.ProviderType;

/** An event handler added to a shared {@link Informer}; closing it removes the handler. */
@ProviderType
public interface HandlerRegistration extends AutoCloseable {
    /** Removes the handler; later calls do nothing. Events already dispatched to it may still arrive. */
    @Override
    void close();
}
