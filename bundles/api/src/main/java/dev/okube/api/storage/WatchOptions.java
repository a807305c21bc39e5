package dev.okube.api.storage;

/**
 * How a {@link KeyValueStore#watch} runs. Immutable; {@link #DEFAULT} watches a prefix from now.
 */
public final class WatchOptions {
    public static final WatchOptions DEFAULT = builder().build();

    private final long afterRevision;
    private final boolean progressNotify;

    private WatchOptions(Builder b) {
        this.afterRevision = b.afterRevision;
        this.progressNotify = b.progressNotify;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Deliver every change whose revision is greater than this one (the Kubernetes watch
     * resourceVersion). 0 means from the store's current revision on.
     */
    public long afterRevision() {
        return afterRevision;
    }

    /** Whether the store should send {@link WatchListener#onProgress} periodically while idle. */
    public boolean isProgressNotify() {
        return progressNotify;
    }

    public static final class Builder {
        private long afterRevision;
        private boolean progressNotify;

        private Builder() {
        }

        public Builder withAfterRevision(long afterRevision) {
            if (afterRevision < 0) {
                throw new IllegalArgumentException("revision must not be negative: " + afterRevision);
            }
            this.afterRevision = afterRevision;
            return this;
        }

        public Builder withProgressNotify(boolean progressNotify) {
            this.progressNotify = progressNotify;
            return this;
        }

        public WatchOptions build() {
            return new WatchOptions(this);
        }
    }
}
