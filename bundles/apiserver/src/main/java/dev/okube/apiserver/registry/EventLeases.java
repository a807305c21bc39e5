package dev.okube.apiserver.registry;

import dev.okube.api.storage.KeyValueStore;
import java.time.Clock;
import java.time.Instant;

/**
 * Leases for Events, reused for a minute as upstream's LeaseManager does, so a burst of events
 * costs one lease grant instead of one per event. Each lease outlives its last use by the TTL.
 */
final class EventLeases {
    private static final long REUSE_SECONDS = 60;

    private final KeyValueStore store;
    private final Clock clock;
    private final long ttlSeconds;
    private long lease;
    private Instant grantedAt = Instant.MIN;

    EventLeases(KeyValueStore store, Clock clock, long ttlSeconds) {
        this.store = store;
        this.clock = clock;
        this.ttlSeconds = ttlSeconds;
    }

    synchronized long current() {
        Instant now = clock.instant();
        if (lease == 0 || now.isAfter(grantedAt.plusSeconds(REUSE_SECONDS))) {
            lease = GenericRegistry.await(store.grantLease(ttlSeconds + REUSE_SECONDS));
            grantedAt = now;
        }
        return lease;
    }
}
