package dev.okube.api.storage;

import java.util.Optional;

/**
 * The typed errors of a {@link KeyValueStore}. Futures complete exceptionally with one of the
 * subclasses; callers branch on the type, never on the message.
 */
public abstract sealed class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The key does not exist (update or delete of an absent key). */
    public static final class NotFound extends StorageException {
        private static final long serialVersionUID = 1L;
        private final String key;

        public NotFound(String key) {
            super("key not found: " + key, null);
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /**
     * A conditional write lost: the key exists (create) or its mod revision differs from the expected
     * one (update, delete). Carries the key as it is now, so callers can report or retry.
     */
    public static final class Conflict extends StorageException {
        private static final long serialVersionUID = 1L;
        private final String key;
        private final transient KeyValue current;

        public Conflict(String key, KeyValue current) {
            super("conflict on key " + key + (current == null ? "" : " at mod revision " + current.modRevision()), null);
            this.key = key;
            this.current = current;
        }

        public String key() {
            return key;
        }

        /** The key as it is now; empty only when it was deleted in between. */
        public Optional<KeyValue> current() {
            return Optional.ofNullable(current);
        }
    }

    /** The requested revision has been compacted away. */
    public static final class Compacted extends StorageException {
        private static final long serialVersionUID = 1L;
        private final long compactRevision;

        public Compacted(long requestedRevision, long compactRevision) {
            super("required revision " + requestedRevision + " has been compacted; oldest available is "
                    + compactRevision, null);
            this.compactRevision = compactRevision;
        }

        /** The oldest revision still readable. */
        public long compactRevision() {
            return compactRevision;
        }
    }

    /** The revision asked for is newer than the store's current revision. */
    public static final class FutureRevision extends StorageException {
        private static final long serialVersionUID = 1L;

        public FutureRevision(long requestedRevision, long currentRevision) {
            super("required revision " + requestedRevision + " is newer than the current revision "
                    + currentRevision, null);
        }
    }

    /** The store cannot be reached or is closed. Retrying later may succeed. */
    public static final class Unavailable extends StorageException {
        private static final long serialVersionUID = 1L;

        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The operation did not finish within its deadline; it may or may not have taken effect. */
    public static final class Timeout extends StorageException {
        private static final long serialVersionUID = 1L;

        public Timeout(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
