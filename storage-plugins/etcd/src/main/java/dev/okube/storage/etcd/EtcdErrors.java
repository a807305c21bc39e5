package dev.okube.storage.etcd;

import dev.okube.api.storage.StorageException;
import io.etcd.jetcd.common.exception.ClosedClientException;
import io.etcd.jetcd.common.exception.ClosedWatcherException;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Turns what jetcd and grpc throw into the SPI's typed errors. jetcd is not consistent: some calls
 * fail with its {@link EtcdException}, others (a get at a compacted revision) with a raw grpc
 * {@code StatusRuntimeException}, so both the jetcd code and the grpc status are consulted.
 */
final class EtcdErrors {
    static final String COMPACTED = "required revision has been compacted";
    static final String FUTURE = "required revision is a future revision";

    /** What an OUT_OF_RANGE error meant; it needs another round trip to be reported fully. */
    enum RevisionError { COMPACTED, FUTURE, NONE }

    private EtcdErrors() {
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static RevisionError revisionError(Throwable t) {
        t = unwrap(t);
        if (t instanceof CompactedException) {
            return RevisionError.COMPACTED;
        }
        String message = describe(t);
        if (message.contains(COMPACTED)) {
            return RevisionError.COMPACTED;
        }
        if (message.contains(FUTURE)) {
            return RevisionError.FUTURE;
        }
        return RevisionError.NONE;
    }

    /**
     * The typed error for a failure of an operation on {@code key}. Errors that are the caller's
     * fault (an empty key, a value over etcd's request limit) stay IllegalArgumentException: they
     * are bugs, not storage conditions.
     */
    static RuntimeException map(Throwable failure, String key) {
        Throwable t = unwrap(failure);
        if (t instanceof StorageException se) {
            return se;
        }
        if (t instanceof TimeoutException) {
            return new StorageException.Timeout("etcd did not answer in time", t);
        }
        if (t instanceof ClosedClientException || t instanceof ClosedWatcherException
                || t instanceof RejectedExecutionException || t instanceof CancellationException) {
            return new StorageException.Unavailable("etcd client is closed", t);
        }
        if (t instanceof CompactedException ce) {
            return new StorageException.Compacted(ce.getCompactedRevision(), ce.getCompactedRevision());
        }
        Status.Code code = code(t);
        switch (code) {
            case DEADLINE_EXCEEDED:
                return new StorageException.Timeout("etcd deadline exceeded: " + describe(t), t);
            case NOT_FOUND:
                return new StorageException.NotFound(key);
            case INVALID_ARGUMENT:
            case FAILED_PRECONDITION:
                return new IllegalArgumentException("etcd refused the request: " + describe(t), t);
            default:
                return new StorageException.Unavailable("etcd unavailable: " + describe(t), t);
        }
    }

    /** The grpc code, whether jetcd wrapped the status or not. */
    static Status.Code code(Throwable t) {
        if (t instanceof EtcdException ee) {
            ErrorCode ec = ee.getErrorCode();
            if (ec != null) {
                try {
                    return Status.Code.valueOf(ec.name());
                } catch (IllegalArgumentException e) {
                    return Status.Code.UNKNOWN;
                }
            }
        }
        return Status.fromThrowable(t).getCode();
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isEmpty()) {
            Status s = Status.fromThrowable(t);
            m = s.getDescription() == null ? s.getCode().name() : s.getDescription();
        }
        return m;
    }
}
