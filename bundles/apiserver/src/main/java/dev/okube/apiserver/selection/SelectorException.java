package dev.okube.apiserver.selection;

/**
 * A label or field selector that cannot be parsed or is not supported for a kind. The message is
 * upstream's text, meant to become the message of a 400 BadRequest Status unchanged.
 */
public final class SelectorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SelectorException(String message) {
        super(message, null, false, false);
    }
}
