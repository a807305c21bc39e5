package dev.okube.apiserver.selection;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A field selector with the grammar, semantics and error texts of apimachinery's fields package
 * (Kubernetes 1.32): comma-separated terms {@code field=value}, {@code field==value} or
 * {@code field!=value}, ANDed; {@code \,}, {@code \=} and {@code \\} escape values. A field missing
 * from the object's field set compares as the empty string. Immutable.
 */
public final class FieldSelector {

    /** One term: {@code equals} is false for {@code !=}. */
    public record Term(String field, boolean equals, String value) {
        boolean matches(Map<String, String> fields) {
            String have = fields.getOrDefault(field, "");
            return equals == have.equals(value);
        }

        @Override
        public String toString() {
            return field + (equals ? "=" : "!=") + escapeValue(value);
        }
    }

    private static final FieldSelector EVERYTHING = new FieldSelector(List.of());

    private final List<Term> terms;

    private FieldSelector(List<Term> terms) {
        this.terms = List.copyOf(terms);
    }

    /** Matches every object. */
    public static FieldSelector everything() {
        return EVERYTHING;
    }

    /**
     * Parses the {@code fieldSelector} query parameter. Field names are not checked here: see
     * {@link FieldSets#check}.
     *
     * @throws SelectorException with upstream's message for a term without operator or a bad escape
     */
    public static FieldSelector parse(String s) {
        if (s == null || s.isEmpty()) {
            return EVERYTHING;
        }
        List<String> parts = splitTerms(s);
        // upstream sorts the raw terms, which fixes the order of errors and of requiredValue lookups
        Collections.sort(parts);
        List<Term> terms = new ArrayList<>();
        for (String part : parts) {
            if (part.isEmpty()) {
                continue;
            }
            int[] op = splitTerm(part);
            if (op == null) {
                throw new SelectorException("invalid selector: '" + s + "'; can't understand '" + part + "'");
            }
            String lhs = part.substring(0, op[0]);
            String rhs = unescapeValue(part.substring(op[0] + op[1]));
            boolean notEquals = part.startsWith("!=", op[0]);
            terms.add(new Term(lhs, !notEquals, rhs));
        }
        return new FieldSelector(terms);
    }

    /** True when every term holds for the object's fields. */
    public boolean matches(Map<String, String> fields) {
        Map<String, String> fs = fields == null ? Map.of() : fields;
        for (Term t : terms) {
            if (!t.matches(fs)) {
                return false;
            }
        }
        return true;
    }

    /** True when the selector has no terms. */
    public boolean isEmpty() {
        return terms.isEmpty();
    }

    /** The field names the selector uses, in term order. */
    public Set<String> fieldNames() {
        Set<String> names = new LinkedHashSet<>();
        for (Term t : terms) {
            names.add(t.field());
        }
        return Collections.unmodifiableSet(names);
    }

    /** The terms, in upstream's (sorted) order. */
    public List<Term> terms() {
        return terms;
    }

    /**
     * The value a field must equal, e.g. {@code metadata.name=X} for a single-object fast path: the first
     * {@code =}/{@code ==} term on that field, as upstream's RequiresExactMatch.
     */
    public Optional<String> requiredValue(String field) {
        for (Term t : terms) {
            if (t.equals() && t.field().equals(field)) {
                return Optional.of(t.value());
            }
        }
        return Optional.empty();
    }

    /** The same selector with field names renamed (e.g. a deprecated alias to its current name). */
    public FieldSelector renameFields(UnaryOperator<String> rename) {
        List<Term> renamed = new ArrayList<>(terms.size());
        for (Term t : terms) {
            renamed.add(new Term(rename.apply(t.field()), t.equals(), t.value()));
        }
        return new FieldSelector(renamed);
    }

    /** Upstream's canonical text, values escaped. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (Term t : terms) {
            parts.add(t.toString());
        }
        return String.join(",", parts);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldSelector other && other.terms.equals(terms);
    }

    @Override
    public int hashCode() {
        return terms.hashCode();
    }

    /** Escapes {@code \}, {@code ,} and {@code =} in a value so that it survives parsing. */
    public static String escapeValue(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == ',' || c == '=') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    /** Splits on commas that are not escaped; a backslash protects whatever follows it. */
    private static List<String> splitTerms(String s) {
        List<String> terms = new ArrayList<>();
        int start = 0;
        boolean inSlash = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inSlash) {
                inSlash = false;
            } else if (c == '\\') {
                inSlash = true;
            } else if (c == ',') {
                terms.add(s.substring(start, i));
                start = i + 1;
            }
        }
        terms.add(s.substring(start));
        return terms;
    }

    /** The index and length of the first operator, trying != before == before = at each position. */
    private static int[] splitTerm(String term) {
        for (int i = 0; i < term.length(); i++) {
            for (String op : new String[] {"!=", "==", "="}) {
                if (term.startsWith(op, i)) {
                    return new int[] {i, op.length()};
                }
            }
        }
        return null;
    }

    private static String unescapeValue(String s) {
        if (s.indexOf('\\') < 0 && s.indexOf(',') < 0 && s.indexOf('=') < 0) {
            return s;
        }
        StringBuilder v = new StringBuilder(s.length());
        boolean inSlash = false;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (inSlash) {
                if (c == '\\' || c == ',' || c == '=') {
                    v.appendCodePoint(c);
                } else {
                    throw new SelectorException("invalid field selector: invalid escape sequence: \\"
                            + new String(Character.toChars(c)));
                }
                inSlash = false;
                continue;
            }
            switch (c) {
                case '\\' -> inSlash = true;
                // upstream prints the rune with %v, i.e. as its decimal code point
                case ',', '=' -> throw new SelectorException(
                        "invalid field selector: unescaped character in value: " + c);
                default -> v.appendCodePoint(c);
            }
        }
        if (inSlash) {
            throw new SelectorException("invalid field selector: invalid escape sequence: \\");
        }
        return v.toString();
    }
}
