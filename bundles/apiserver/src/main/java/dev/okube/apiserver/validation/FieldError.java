package dev.okube.apiserver.validation;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One field-level validation error, as apimachinery's {@code field.Error}.
 *
 * @param type   the error type
 * @param field  the field path, e.g. {@code metadata.labels}
 * @param value  the bad value already rendered as Go prints it ({@code "Foo"} with its quotes, {@code 5},
 *               {@code []string{"a"}}, {@code null}); {@code null} where upstream leaves the value out
 *               (required, forbidden, too long)
 * @param detail the explanation, may be empty
 */
public record FieldError(Type type, String field, String value, String detail) {

    /** Upstream's {@code field.ErrorType}s that these checks produce. */
    public enum Type {
        REQUIRED("FieldValueRequired", "Required value"),
        INVALID("FieldValueInvalid", "Invalid value"),
        DUPLICATE("FieldValueDuplicate", "Duplicate value"),
        NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value"),
        FORBIDDEN("FieldValueForbidden", "Forbidden"),
        TOO_LONG("FieldValueTooLong", "Too long"),
        TOO_MANY("FieldValueTooMany", "Too many");

        private final String reason;
        private final String text;

        Type(String reason, String text) {
            this.reason = reason;
            this.text = text;
        }

        /** The machine-readable cause type of a Status, e.g. {@code FieldValueInvalid}. */
        public String reason() {
            return reason;
        }

        /** The human text, e.g. {@code Invalid value}. */
        public String text() {
            return text;
        }
    }

    public FieldError {
        Objects.requireNonNull(type, "type should not be null");
        Objects.requireNonNull(field, "field should not be null");
        detail = detail == null ? "" : detail;
    }

    /** An invalid string value, quoted as Go's {@code %q} does. */
    public static FieldError invalid(String field, String badValue, String detail) {
        return new FieldError(Type.INVALID, field, GoText.quote(badValue), detail);
    }

    /** An invalid value that the caller has rendered already (numbers, slices, structs). */
    public static FieldError invalidRendered(String field, String renderedValue, String detail) {
        return new FieldError(Type.INVALID, field, renderedValue, detail);
    }

    public static FieldError required(String field, String detail) {
        return new FieldError(Type.REQUIRED, field, null, detail);
    }

    public static FieldError forbidden(String field, String detail) {
        return new FieldError(Type.FORBIDDEN, field, null, detail);
    }

    /** {@code field.TooLong} with a byte limit: the value itself is never shown. */
    public static FieldError tooLong(String field, int maxBytes) {
        return new FieldError(Type.TOO_LONG, field, null, "may not be more than " + maxBytes + " bytes");
    }

    public static FieldError notSupported(String field, String badValue, List<String> supported) {
        StringBuilder detail = new StringBuilder();
        if (supported != null && !supported.isEmpty()) {
            detail.append("supported values: ");
            for (int i = 0; i < supported.size(); i++) {
                if (i > 0) {
                    detail.append(", ");
                }
                detail.append(GoText.quote(supported.get(i)));
            }
        }
        return new FieldError(Type.NOT_SUPPORTED, field, GoText.quote(badValue), detail.toString());
    }

    public static FieldError duplicate(String field, String badValue) {
        return new FieldError(Type.DUPLICATE, field, GoText.quote(badValue), "");
    }

    public static FieldError tooMany(String field, int actual, int max) {
        return new FieldError(Type.TOO_MANY, field, actual < 0 ? null : Integer.toString(actual),
                max >= 0 ? "must have at most " + max + " items" : "has too many items");
    }

    /** Upstream's {@code field.ErrorType} string, e.g. {@code FieldValueInvalid}. */
    public String reason() {
        return type.reason();
    }

    /** {@code ErrorBody()}: the message without the field, used for a StatusCause's message. */
    public String body() {
        StringBuilder s = new StringBuilder(type.text());
        boolean omitValue = switch (type) {
            case REQUIRED, FORBIDDEN, TOO_LONG -> true;
            default -> value == null && type == Type.TOO_MANY;
        };
        if (!omitValue) {
            s.append(": ").append(value == null ? "null" : value);
        }
        if (!detail.isEmpty()) {
            s.append(": ").append(detail);
        }
        return s.toString();
    }

    /** {@code Error()}: {@code <field>: <body>}, one element of upstream's ErrorList text. */
    public String message() {
        return field + ": " + body();
    }

    /**
     * Upstream's aggregate text of a list ({@code ErrorList.ToAggregate().Error()}): duplicates by
     * message dropped, one error bare, several in brackets joined by {@code ", "}; empty for none.
     */
    public static String aggregate(List<FieldError> errors) {
        Set<String> messages = new LinkedHashSet<>();
        for (FieldError e : errors) {
            messages.add(e.message());
        }
        if (messages.size() <= 1) {
            return messages.isEmpty() ? "" : messages.iterator().next();
        }
        return "[" + String.join(", ", messages) + "]";
    }

    @Override
    public String toString() {
        return message();
    }
}
