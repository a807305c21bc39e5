package dev.okube.apiserver.validation;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Renders values the way Go's fmt package does in apiserver messages, so that error texts match
 * upstream byte for byte: {@code %q} for strings, {@code %#v} for string slices, and
 * {@code time.Time.String()} for timestamps.
 */
public final class GoText {
    private GoText() {
    }

    /** Go's {@code strconv.Quote}: double quotes, backslash escapes, non-printable runes escaped. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case 0x07 -> b.append("\\a");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case 0x0b -> b.append("\\v");
                default -> {
                    if (isPrint(cp)) {
                        b.appendCodePoint(cp);
                    } else if (cp < ' ' || cp == 0x7f) {
                        b.append(String.format("\\x%02x", cp));
                    } else if (Character.isSurrogate((char) cp)) {
                        // a lone surrogate is invalid UTF-8 once encoded; Go prints the replacement rune
                        b.append("\\ufffd");
                    } else if (cp < 0x10000) {
                        b.append(String.format("\\u%04x", cp));
                    } else {
                        b.append(String.format("\\U%08x", cp));
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    public static boolean isPrint(int cp) {
        if (cp == ' ') {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
                    Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK, Character.DECIMAL_DIGIT_NUMBER,
                    Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.CONNECTOR_PUNCTUATION,
                    Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
                    Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
                    Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }

    /** {@code %#v} of a Go {@code []string}; {@code null} renders as the nil slice. */
    public static String stringSlice(List<String> values) {
        if (values == null) {
            return "[]string(nil)";
        }
        StringBuilder b = new StringBuilder("[]string{");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(quote(values.get(i)));
        }
        return b.append('}').toString();
    }

    /** Length in bytes, as Go's {@code len(string)} counts it. */
    public static int byteLength(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static final DateTimeFormatter GO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /**
     * Go's {@code time.Time.String()} of an RFC 3339 timestamp as metav1.Time decodes it: converted to the
     * server's local zone, which for an apiserver is UTC, so always {@code +0000 UTC}. {@code null} or an
     * unparseable text renders as Go's zero time.
     */
    public static String time(String rfc3339) {
        OffsetDateTime t;
        try {
            t = rfc3339 == null ? null : OffsetDateTime.parse(rfc3339).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            t = null;
        }
        if (t == null) {
            return "0001-01-01 00:00:00 +0000 UTC";
        }
        StringBuilder b = new StringBuilder(GO_TIME.format(t));
        if (t.getNano() != 0) {
            String frac = String.format("%09d", t.getNano()).replaceFirst("0+$", "");
            b.append('.').append(frac);
        }
        return b.append(" +0000 UTC").toString();
    }
}
