package dev.okube.apiserver.selection;

import dev.okube.apiserver.validation.FieldError;
import dev.okube.apiserver.validation.GoText;
import dev.okube.apiserver.validation.Names;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * A label selector with the grammar, semantics and error texts of apimachinery's labels package
 * (Kubernetes 1.32): {@code a=b}, {@code a==b}, {@code a!=b}, {@code a in (x,y)}, {@code a notin (x)},
 * {@code a}, {@code !a}, {@code a>1}, {@code a<1}, comma-separated and ANDed. Immutable.
 */
public final class LabelSelector {

    /** The operators of a requirement, spelled as upstream's {@code selection.Operator}. */
    public enum Operator {
        DOES_NOT_EXIST("!"), EQUALS("="), DOUBLE_EQUALS("=="), IN("in"), NOT_EQUALS("!="), NOT_IN("notin"),
        EXISTS("exists"), GREATER_THAN("gt"), LESS_THAN("lt");

        private final String text;

        Operator(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** One requirement: key, operator and values (sorted and de-duplicated when parsed). */
    public record Requirement(String key, Operator operator, List<String> values) {
        public Requirement {
            values = List.copyOf(values);
        }

        boolean matches(Map<String, String> labels) {
            String val = labels.get(key);
            boolean has = labels.containsKey(key) && val != null;
            return switch (operator) {
                case IN, EQUALS, DOUBLE_EQUALS -> has && values.contains(val);
                case NOT_IN, NOT_EQUALS -> !has || !values.contains(val);
                case EXISTS -> has;
                case DOES_NOT_EXIST -> !has;
                case GREATER_THAN, LESS_THAN -> {
                    if (!has || values.size() != 1) {
                        yield false;
                    }
                    Long have = parseInt64(val);
                    Long want = parseInt64(values.get(0));
                    if (have == null || want == null) {
                        yield false;
                    }
                    yield operator == Operator.GREATER_THAN ? have > want : have < want;
                }
            };
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            if (operator == Operator.DOES_NOT_EXIST) {
                b.append('!');
            }
            b.append(key);
            switch (operator) {
                case EQUALS -> b.append('=');
                case DOUBLE_EQUALS -> b.append("==");
                case NOT_EQUALS -> b.append("!=");
                case IN -> b.append(" in ");
                case NOT_IN -> b.append(" notin ");
                case GREATER_THAN -> b.append('>');
                case LESS_THAN -> b.append('<');
                case EXISTS, DOES_NOT_EXIST -> {
                    return b.toString();
                }
            }
            boolean set = operator == Operator.IN || operator == Operator.NOT_IN;
            if (set) {
                b.append('(');
            }
            b.append(String.join(",", new TreeSet<>(values)));
            if (set) {
                b.append(')');
            }
            return b.toString();
        }
    }

    private static final LabelSelector EVERYTHING = new LabelSelector(List.of(), false);
    private static final LabelSelector NOTHING = new LabelSelector(List.of(), true);

    private final List<Requirement> requirements;
    private final boolean nothing;

    private LabelSelector(List<Requirement> requirements, boolean nothing) {
        List<Requirement> sorted = new ArrayList<>(requirements);
        // upstream sorts by key so that parsing is deterministic
        sorted.sort(Comparator.comparing(Requirement::key));
        this.requirements = List.copyOf(sorted);
        this.nothing = nothing;
    }

    /** Matches every label set. */
    public static LabelSelector everything() {
        return EVERYTHING;
    }

    /** Matches no label set: what a null metav1.LabelSelector means. */
    public static LabelSelector nothing() {
        return NOTHING;
    }

    /**
     * Parses the {@code labelSelector} query parameter.
     *
     * @throws SelectorException with upstream's message when the text is not a valid selector
     */
    public static LabelSelector parse(String s) {
        if (s == null || s.isEmpty()) {
            return EVERYTHING;
        }
        return new LabelSelector(new Parser(s).parse(), false);
    }

    /**
     * Converts a metav1.LabelSelector ({@code matchLabels}, {@code matchExpressions}) as
     * LabelSelectorAsSelector does: null or missing matches nothing, an empty object everything.
     *
     * @throws SelectorException with upstream's message for an invalid key, value or operator
     */
    public static LabelSelector fromJson(JsonNode selector) {
        if (selector == null || selector.isNull() || selector.isMissingNode()) {
            return NOTHING;
        }
        JsonNode matchLabels = selector.path("matchLabels");
        JsonNode matchExpressions = selector.path("matchExpressions");
        List<Requirement> reqs = new ArrayList<>();
        // Go iterates the map in random order; sorted keys make the first reported error stable
        Map<String, String> labels = new TreeMap<>();
        if (matchLabels.isObject()) {
            for (Map.Entry<String, JsonNode> e : matchLabels.properties()) {
                labels.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asString());
            }
        }
        for (Map.Entry<String, String> e : labels.entrySet()) {
            reqs.add(newRequirement(e.getKey(), Operator.EQUALS, List.of(e.getValue())));
        }
        if (matchExpressions.isArray()) {
            for (JsonNode expr : matchExpressions) {
                String op = expr.path("operator").asString("");
                Operator operator = switch (op) {
                    case "In" -> Operator.IN;
                    case "NotIn" -> Operator.NOT_IN;
                    case "Exists" -> Operator.EXISTS;
                    case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
                    default -> throw new SelectorException(GoText.quote(op) + " is not a valid label selector operator");
                };
                JsonNode vals = expr.path("values");
                List<String> values = null;
                if (vals.isArray() && !vals.isEmpty()) {
                    values = new ArrayList<>();
                    for (JsonNode v : vals) {
                        values.add(v.asString());
                    }
                }
                reqs.add(newRequirement(expr.path("key").asString(""), operator, values));
            }
        }
        if (reqs.isEmpty()) {
            return EVERYTHING;
        }
        return new LabelSelector(reqs, false);
    }

    /** True when all requirements match; an empty selector matches everything, {@link #nothing()} nothing. */
    public boolean matches(Map<String, String> labels) {
        if (nothing) {
            return false;
        }
        Map<String, String> ls = labels == null ? Map.of() : labels;
        for (Requirement r : requirements) {
            if (!r.matches(ls)) {
                return false;
            }
        }
        return true;
    }

    /** True when the selector does not restrict anything. */
    public boolean isEmpty() {
        return !nothing && requirements.isEmpty();
    }

    /** The requirements, sorted by key. */
    public List<Requirement> requirements() {
        return requirements;
    }

    /** The single value a label must have, for index fast paths (=, == or in with one value). */
    public Optional<String> requiredValue(String label) {
        for (Requirement r : requirements) {
            if (r.key().equals(label)) {
                boolean exact = r.operator() == Operator.EQUALS || r.operator() == Operator.DOUBLE_EQUALS
                        || r.operator() == Operator.IN;
                return exact && r.values().size() == 1 ? Optional.of(r.values().get(0)) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Upstream's canonical text, e.g. {@code a=b,c in (x,y)}. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (Requirement r : requirements) {
            parts.add(r.toString());
        }
        return String.join(",", parts);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSelector other && other.nothing == nothing && other.requirements.equals(requirements);
    }

    @Override
    public int hashCode() {
        return requirements.hashCode() * 31 + Boolean.hashCode(nothing);
    }

    /** NewRequirement with a nil path, its checks and its aggregated error text. */
    static Requirement newRequirement(String key, Operator op, List<String> vals) {
        List<FieldError> errs = new ArrayList<>();
        Optional<FieldError> keyError = keyError(key, "key");
        keyError.ifPresent(errs::add);
        List<String> values = vals == null ? List.of() : vals;
        String rendered = GoText.stringSlice(vals);
        switch (op) {
            case IN, NOT_IN -> {
                if (values.isEmpty()) {
                    errs.add(FieldError.invalidRendered("values", rendered,
                            "for 'in', 'notin' operators, values set can't be empty"));
                }
            }
            case EQUALS, DOUBLE_EQUALS, NOT_EQUALS -> {
                if (values.size() != 1) {
                    errs.add(FieldError.invalidRendered("values", rendered,
                            "exact-match compatibility requires one single value"));
                }
            }
            case EXISTS, DOES_NOT_EXIST -> {
                if (!values.isEmpty()) {
                    errs.add(FieldError.invalidRendered("values", rendered,
                            "values set must be empty for exists and does not exist"));
                }
            }
            case GREATER_THAN, LESS_THAN -> {
                if (values.size() != 1) {
                    errs.add(FieldError.invalidRendered("values", rendered,
                            "for 'Gt', 'Lt' operators, exactly one value is required"));
                }
                for (int i = 0; i < values.size(); i++) {
                    if (parseInt64(values.get(i)) == null) {
                        errs.add(FieldError.invalid("values[" + i + "]", values.get(i),
                                "for 'Gt', 'Lt' operators, the value must be an integer"));
                    }
                }
            }
        }
        for (int i = 0; i < values.size(); i++) {
            List<String> msgs = Names.labelValue(values.get(i));
            if (!msgs.isEmpty()) {
                errs.add(FieldError.invalid("values[" + i + "][" + key + "]", values.get(i), String.join("; ", msgs)));
            }
        }
        if (!errs.isEmpty()) {
            throw new SelectorException(FieldError.aggregate(errs));
        }
        return new Requirement(key, op, values);
    }

    /** validateLabelKey: one error joining every problem with "; ". */
    static Optional<FieldError> keyError(String key, String path) {
        List<String> msgs = Names.qualifiedName(key);
        return msgs.isEmpty() ? Optional.empty() : Optional.of(FieldError.invalid(path, key, String.join("; ", msgs)));
    }

    /** Go's strconv.ParseInt(s, 10, 64): optional sign, ASCII digits only, 64-bit range. */
    static Long parseInt64(String s) {
        if (s.isEmpty()) {
            return null;
        }
        int start = s.charAt(0) == '+' || s.charAt(0) == '-' ? 1 : 0;
        if (start == s.length()) {
            return null;
        }
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ---- lexer and parser, token for token as upstream's so that errors name the same tokens ----

    private enum Token {
        ERROR, END_OF_STRING, CLOSED_PAR, COMMA, DOES_NOT_EXIST, DOUBLE_EQUALS, EQUALS, GREATER_THAN, IDENTIFIER,
        IN, LESS_THAN, NOT_EQUALS, NOT_IN, OPEN_PAR
    }

    private record Item(Token tok, String literal) {
    }

    private static Token literalToken(String s) {
        return switch (s) {
            case ")" -> Token.CLOSED_PAR;
            case "," -> Token.COMMA;
            case "!" -> Token.DOES_NOT_EXIST;
            case "==" -> Token.DOUBLE_EQUALS;
            case "=" -> Token.EQUALS;
            case ">" -> Token.GREATER_THAN;
            case "in" -> Token.IN;
            case "<" -> Token.LESS_THAN;
            case "!=" -> Token.NOT_EQUALS;
            case "notin" -> Token.NOT_IN;
            case "(" -> Token.OPEN_PAR;
            default -> null;
        };
    }

    private static boolean isWhitespace(char ch) {
        return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
    }

    private static boolean isSpecialSymbol(char ch) {
        return switch (ch) {
            case '=', '!', '(', ')', ',', '>', '<' -> true;
            default -> false;
        };
    }

    private static final class Lexer {
        private final String s;
        private int pos;

        Lexer(String s) {
            this.s = s;
        }

        /** The next character, or 0 past the end (a NUL in the input also ends it, as upstream). */
        private char read() {
            char b = 0;
            if (pos < s.length()) {
                b = s.charAt(pos);
                pos++;
            }
            return b;
        }

        private void unread() {
            pos--;
        }

        private Item scanIdOrKeyword() {
            StringBuilder buffer = new StringBuilder();
            while (true) {
                char ch = read();
                if (ch == 0) {
                    break;
                }
                if (isSpecialSymbol(ch) || isWhitespace(ch)) {
                    unread();
                    break;
                }
                buffer.append(ch);
            }
            String lit = buffer.toString();
            Token t = literalToken(lit);
            return new Item(t != null ? t : Token.IDENTIFIER, lit);
        }

        private Item scanSpecialSymbol() {
            Item last = null;
            StringBuilder buffer = new StringBuilder();
            while (true) {
                char ch = read();
                if (ch == 0) {
                    break;
                }
                if (isSpecialSymbol(ch)) {
                    buffer.append(ch);
                    Token t = literalToken(buffer.toString());
                    if (t != null) {
                        last = new Item(t, buffer.toString());
                    } else if (last != null) {
                        unread();
                        break;
                    }
                } else {
                    unread();
                    break;
                }
            }
            if (last == null) {
                return new Item(Token.ERROR, "error expected: keyword found '" + buffer + "'");
            }
            return last;
        }

        Item lex() {
            char ch = read();
            while (isWhitespace(ch)) {
                ch = read();
            }
            if (ch == 0) {
                return new Item(Token.END_OF_STRING, "");
            }
            unread();
            return isSpecialSymbol(ch) ? scanSpecialSymbol() : scanIdOrKeyword();
        }
    }

    private static final class Parser {
        private final List<Item> items = new ArrayList<>();
        private int position;

        Parser(String s) {
            Lexer l = new Lexer(s);
            while (true) {
                Item it = l.lex();
                items.add(it);
                if (it.tok() == Token.END_OF_STRING) {
                    break;
                }
            }
        }

        /** In a value position the keywords in and notin are plain identifiers. */
        private static Item inContext(Item it, boolean values) {
            if (values && (it.tok() == Token.IN || it.tok() == Token.NOT_IN)) {
                return new Item(Token.IDENTIFIER, it.literal());
            }
            return it;
        }

        private Item lookahead(boolean values) {
            return inContext(items.get(position), values);
        }

        private Item consume(boolean values) {
            position++;
            return inContext(items.get(position - 1), values);
        }

        List<Requirement> parse() {
            List<Requirement> reqs = new ArrayList<>();
            while (true) {
                Item it = lookahead(true);
                switch (it.tok()) {
                    case IDENTIFIER, DOES_NOT_EXIST -> {
                        try {
                            reqs.add(parseRequirement());
                        } catch (SelectorException e) {
                            throw new SelectorException("unable to parse requirement: " + e.getMessage());
                        }
                        Item t = consume(true);
                        switch (t.tok()) {
                            case END_OF_STRING -> {
                                return reqs;
                            }
                            case COMMA -> {
                                Item t2 = lookahead(true);
                                if (t2.tok() != Token.IDENTIFIER && t2.tok() != Token.DOES_NOT_EXIST) {
                                    throw new SelectorException(
                                            "found '" + t2.literal() + "', expected: identifier after ','");
                                }
                            }
                            default -> throw new SelectorException(
                                    "found '" + t.literal() + "', expected: ',' or 'end of string'");
                        }
                    }
                    case END_OF_STRING -> {
                        return reqs;
                    }
                    default -> throw new SelectorException(
                            "found '" + it.literal() + "', expected: !, identifier, or 'end of string'");
                }
            }
        }

        private Requirement parseRequirement() {
            Operator op = null;
            Item it = consume(true);
            if (it.tok() == Token.DOES_NOT_EXIST) {
                op = Operator.DOES_NOT_EXIST;
                it = consume(true);
            }
            if (it.tok() != Token.IDENTIFIER) {
                throw new SelectorException("found '" + it.literal() + "', expected: identifier");
            }
            String key = it.literal();
            // the parser validates the key with a nil path, which Go prints as <nil>
            keyError(key, "<nil>").ifPresent(e -> {
                throw new SelectorException(e.message());
            });
            Token next = lookahead(true).tok();
            if ((next == Token.END_OF_STRING || next == Token.COMMA) && op != Operator.DOES_NOT_EXIST) {
                op = Operator.EXISTS;
            }
            if (op == Operator.EXISTS || op == Operator.DOES_NOT_EXIST) {
                return newRequirement(key, op, List.of());
            }
            op = parseOperator();
            TreeSet<String> values = switch (op) {
                case IN, NOT_IN -> parseValues();
                default -> parseExactValue();
            };
            return newRequirement(key, op, new ArrayList<>(values));
        }

        private Operator parseOperator() {
            Item it = consume(false);
            return switch (it.tok()) {
                case IN -> Operator.IN;
                case EQUALS -> Operator.EQUALS;
                case DOUBLE_EQUALS -> Operator.DOUBLE_EQUALS;
                case GREATER_THAN -> Operator.GREATER_THAN;
                case LESS_THAN -> Operator.LESS_THAN;
                case NOT_IN -> Operator.NOT_IN;
                case NOT_EQUALS -> Operator.NOT_EQUALS;
                default -> throw new SelectorException(
                        "found '" + it.literal() + "', expected: in, notin, =, ==, !=, gt, lt");
            };
        }

        private TreeSet<String> parseValues() {
            Item it = consume(true);
            if (it.tok() != Token.OPEN_PAR) {
                throw new SelectorException("found '" + it.literal() + "' expected: '('");
            }
            Item la = lookahead(true);
            switch (la.tok()) {
                case IDENTIFIER, COMMA -> {
                    TreeSet<String> s = parseIdentifiersList();
                    if (consume(true).tok() != Token.CLOSED_PAR) {
                        throw new SelectorException("found '" + la.literal() + "', expected: ')'");
                    }
                    return s;
                }
                case CLOSED_PAR -> {
                    consume(true);
                    TreeSet<String> s = new TreeSet<>();
                    s.add("");
                    return s;
                }
                default -> throw new SelectorException(
                        "found '" + la.literal() + "', expected: ',', ')' or identifier");
            }
        }

        private TreeSet<String> parseIdentifiersList() {
            TreeSet<String> s = new TreeSet<>();
            while (true) {
                Item it = consume(true);
                switch (it.tok()) {
                    case IDENTIFIER -> {
                        s.add(it.literal());
                        Item it2 = lookahead(true);
                        switch (it2.tok()) {
                            case COMMA -> {
                                continue;
                            }
                            case CLOSED_PAR -> {
                                return s;
                            }
                            default -> throw new SelectorException(
                                    "found '" + it2.literal() + "', expected: ',' or ')'");
                        }
                    }
                    case COMMA -> {
                        // "(," and ",," and ",)" each stand for an empty value
                        if (s.isEmpty()) {
                            s.add("");
                        }
                        Token t2 = lookahead(true).tok();
                        if (t2 == Token.CLOSED_PAR) {
                            s.add("");
                            return s;
                        }
                        if (t2 == Token.COMMA) {
                            consume(true);
                            s.add("");
                        }
                    }
                    default -> throw new SelectorException(
                            "found '" + it.literal() + "', expected: ',', or identifier");
                }
            }
        }

        private TreeSet<String> parseExactValue() {
            TreeSet<String> s = new TreeSet<>();
            Token t = lookahead(true).tok();
            if (t == Token.END_OF_STRING || t == Token.COMMA) {
                s.add("");
                return s;
            }
            Item it = consume(true);
            if (it.tok() == Token.IDENTIFIER) {
                s.add(it.literal());
                return s;
            }
            throw new SelectorException("found '" + it.literal() + "', expected: identifier");
        }
    }
}
