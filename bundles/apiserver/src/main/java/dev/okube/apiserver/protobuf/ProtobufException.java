package dev.okube.apiserver.protobuf;

/**
 * A request body that {@link ProtobufCodec} cannot turn into JSON. The message is written for the client, to go into a
 * {@code Status}; {@link #code()} says which HTTP status fits.
 */
public final class ProtobufException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int code;

    ProtobufException(int code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    static ProtobufException badRequest(String message, Throwable cause) {
        return new ProtobufException(400, message, cause);
    }

    static ProtobufException unsupported(String message) {
        return new ProtobufException(415, message, null);
    }

    /** 400 for bytes that are not a well-formed Kubernetes protobuf body, 415 for a well-formed one of a kind or encoding this server cannot read. */
    public int code() {
        return code;
    }
}
