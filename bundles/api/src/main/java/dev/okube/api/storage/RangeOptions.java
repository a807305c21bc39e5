package dev.okube.api.storage;

import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link KeyValueStore#range} reads. Immutable; {@link #DEFAULT} reads the single key at the
 * current revision.
 */
public final class RangeOptions {
    /** Read exactly the given key, latest revision, values included, no limit. */
    public static final RangeOptions DEFAULT = builder().build();

    private final String end;
    private final boolean prefix;
    private final long limit;
    private final long revision;
    private final boolean countOnly;
    private final boolean keysOnly;

    private RangeOptions(Builder b) {
        this.end = b.end;
        this.prefix = b.prefix;
        this.limit = b.limit;
        this.revision = b.revision;
        this.countOnly = b.countOnly;
        this.keysOnly = b.keysOnly;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The exclusive end of a key range {@code [key, end)}, if one was given. */
    public Optional<String> end() {
        return Optional.ofNullable(end);
    }

    /** Whether the key is a prefix: every key starting with it is in range. */
    public boolean isPrefix() {
        return prefix;
    }

    /** At most this many keys are returned; 0 means no limit. */
    public long limit() {
        return limit;
    }

    /** The revision to read at; 0 means the current revision. */
    public long revision() {
        return revision;
    }

    public boolean isCountOnly() {
        return countOnly;
    }

    public boolean isKeysOnly() {
        return keysOnly;
    }

    public static final class Builder {
        private String end;
        private boolean prefix;
        private long limit;
        private long revision;
        private boolean countOnly;
        private boolean keysOnly;

        private Builder() {
        }

        /** Reads {@code [key, end)}. Clears {@link #withPrefix}. */
        public Builder withEnd(String end) {
            this.end = Objects.requireNonNull(end, "end should not be null");
            this.prefix = false;
            return this;
        }

        /** Reads every key that starts with the key given to range. Clears {@link #withEnd}. */
        public Builder withPrefix(boolean prefix) {
            this.prefix = prefix;
            if (prefix) {
                this.end = null;
            }
            return this;
        }

        public Builder withLimit(long limit) {
            if (limit < 0) {
                throw new IllegalArgumentException("limit must not be negative: " + limit);
            }
            this.limit = limit;
            return this;
        }

        public Builder withRevision(long revision) {
            if (revision < 0) {
                throw new IllegalArgumentException("revision must not be negative: " + revision);
            }
            this.revision = revision;
            return this;
        }

        public Builder withCountOnly(boolean countOnly) {
            this.countOnly = countOnly;
            return this;
        }

        public Builder withKeysOnly(boolean keysOnly) {
            this.keysOnly = keysOnly;
            return this;
        }

        public RangeOptions build() {
            return new RangeOptions(this);
        }
    }
}
