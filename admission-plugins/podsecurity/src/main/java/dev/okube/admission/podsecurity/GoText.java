package dev.okube.admission.podsecurity;

import java.util.Collection;
import java.util.Iterator;

/** Text helpers that print values the way upstream's Go code does, so messages match it. */
final class GoText {
    private GoText() {
    }

    /** Go's {@code %q} (strconv.Quote): double quotes, backslash escapes, control characters escaped. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case 7 -> b.append("\\a");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case 11 -> b.append("\\v");
                default -> {
                    if (cp < 0x20 || cp == 0x7f) {
                        b.append(String.format("\\x%02x", cp));
                    } else if (Character.isISOControl(cp) || !Character.isDefined(cp)) {
                        b.append(cp > 0xffff ? String.format("\\U%08x", cp) : String.format("\\u%04x", cp));
                    } else {
                        b.appendCodePoint(cp);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** Upstream's joinQuote: each item in double quotes (not escaped), separated by ", ". */
    static String joinQuote(Collection<String> items) {
        if (items.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (Iterator<String> it = items.iterator(); it.hasNext(); ) {
            b.append('"').append(it.next()).append('"');
            if (it.hasNext()) {
                b.append(", ");
            }
        }
        return b.toString();
    }

    static String pluralize(String singular, String plural, int count) {
        return count == 1 ? singular : plural;
    }
}
