package dev.okube.api.resources;

/**
 * A write or read refused by the apiserver, with the Status it would have answered over HTTP.
 */
public final class ResourceException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int code;
    private final String reason;

    public ResourceException(int code, String reason, String message) {
        super(message);
        this.code = code;
        this.reason = reason;
    }

    /** The HTTP status, e.g. 404, 409, 422. */
    public int code() {
        return code;
    }

    /** The Status reason, e.g. "NotFound", "AlreadyExists", "Conflict", "Invalid". */
    public String reason() {
        return reason;
    }

    public boolean isNotFound() {
        return code == 404;
    }

    public boolean isConflict() {
        return code == 409;
    }
}
