package dev.okube.apiserver.defaults;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Resource quantities ("500m", "1Gi", "1e3") in the canonical text upstream always writes back.
 *
 * <p>Go parses a quantity into a number plus the family of its suffix (decimal SI, binary SI or
 * decimal exponent) and serializes it anew: the largest suffix of the same family that keeps the
 * number an integer, so "1024Mi" reads back as "1Gi" and "0.5" as "500m". Binary amounts below 1024
 * or with a fraction fall back to decimal SI. Precision is capped at nano units, rounding up.
 */
public final class Quantity {
    private Quantity() {
    }

    private enum Format { DECIMAL_SI, BINARY_SI, DECIMAL_EXPONENT }

    private static final Pattern SYNTAX = Pattern.compile(
            "([+-]?)(\\d+(?:\\.\\d*)?|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\\d+)?");
    private static final Map<String, Integer> DECIMAL_SUFFIXES = Map.of("n", -9, "u", -6, "m", -3, "", 0,
            "k", 3, "M", 6, "G", 9, "T", 12, "P", 15, "E", 18);
    private static final Map<Integer, String> DECIMAL_BY_EXPONENT = Map.of(-9, "n", -6, "u", -3, "m", 0, "",
            3, "k", 6, "M", 9, "G", 12, "T", 15, "P", 18, "E");
    private static final String[] BINARY_SUFFIXES = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    private static final BigInteger KI = BigInteger.valueOf(1024);

    /**
     * Rounds up and canonicalizes every entry of a ResourceList field (a map from resource name to
     * quantity), as upstream's defaulting plus serialization do. Unparseable entries are left alone.
     */
    static void resourceList(ObjectNode parent, String field) {
        ObjectNode list = Json.obj(parent, field);
        if (list == null) {
            return;
        }
        for (String name : new ArrayList<>(list.propertyNames())) {
            String canonical = canonical(list.get(name), true);
            if (canonical != null) {
                list.put(name, canonical);
            }
        }
    }

    /** Canonicalizes a single quantity field; absent or unparseable values are left alone. */
    static void single(ObjectNode parent, String field) {
        JsonNode value = parent == null ? null : parent.get(field);
        String canonical = canonical(value, false);
        if (canonical != null) {
            parent.put(field, canonical);
        }
    }

    /**
     * The canonical text of a quantity as upstream serializes it; text that is not a quantity is
     * returned unchanged (printing must not fail on what validation will reject).
     */
    public static String canonical(String text) {
        String canonical = canonical(text, false);
        return canonical == null ? text : canonical;
    }

    /** Go reads a quantity from a JSON string or a bare JSON number alike. */
    private static String canonical(JsonNode value, boolean milliRound) {
        if (value == null) {
            return null;
        }
        if (value.isString()) {
            return canonical(value.asString(), milliRound);
        }
        if (value.isNumber()) {
            return canonical(value.decimalValue().toPlainString(), milliRound);
        }
        return null;
    }

    /** The numeric value of a quantity (a JSON string or number), or null when it does not parse. */
    static BigDecimal value(JsonNode node) {
        String canonical = canonical(node, false);
        if (canonical == null) {
            return null;
        }
        Matcher m = SYNTAX.matcher(canonical);
        if (!m.matches()) {
            return null;
        }
        return parse(m);
    }

    /**
     * The canonical text of a quantity, or null when it does not parse (validation reports that).
     *
     * @param text      the quantity as posted
     * @param milliRound true for ResourceList entries, which upstream's defaulting rounds up to milli-units
     */
    static String canonical(String text, boolean milliRound) {
        // Every pod write canonicalizes the same few texts ("100m", "500Mi") through a regex and
        // BigDecimal arithmetic: remember the answers (a pure function), a bounded number of them.
        Map<String, Optional<String>> memo = milliRound ? MILLI_ROUND : EXACT;
        Optional<String> known = memo.get(text);
        if (known != null) {
            return known.orElse(null);
        }
        String result;
        try {
            result = parseAndFormat(text, milliRound);
        } catch (NumberFormatException | ArithmeticException e) {
            // Exponents beyond int range and the like: leave the value for validation to reject.
            result = null;
        }
        if (text.length() <= MEMO_TEXT_LENGTH) {
            if (memo.size() >= MEMO_ENTRIES) {
                memo.clear(); // crude, but bounded: a flood of distinct values costs only the memo's use
            }
            memo.put(text, Optional.ofNullable(result));
        }
        return result;
    }

    private static final int MEMO_ENTRIES = 4096;
    private static final int MEMO_TEXT_LENGTH = 32;
    private static final Map<String, Optional<String>> EXACT = new ConcurrentHashMap<>();
    private static final Map<String, Optional<String>> MILLI_ROUND = new ConcurrentHashMap<>();

    private static String parseAndFormat(String text, boolean milliRound) {
        Matcher m = SYNTAX.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        BigDecimal value = parse(m);
        String suffix = m.group(3) == null ? "" : m.group(3);
        Format format = suffix.startsWith("e") || suffix.startsWith("E") && suffix.length() > 1
                ? Format.DECIMAL_EXPONENT
                : suffix.endsWith("i") ? Format.BINARY_SI : Format.DECIMAL_SI;
        int maxScale = milliRound ? 3 : 9;
        if (value.scale() > maxScale) {
            // Away from zero, as upstream's RoundUp does.
            value = value.setScale(maxScale, RoundingMode.UP);
        }
        return format(value, format);
    }

    private static BigDecimal parse(Matcher m) {
        String suffix = m.group(3) == null ? "" : m.group(3);
        BigDecimal value = new BigDecimal(m.group(2).startsWith(".") ? "0" + m.group(2) : m.group(2));
        if (m.group(1).equals("-")) {
            value = value.negate();
        }
        if (suffix.startsWith("e") || suffix.startsWith("E") && suffix.length() > 1) {
            return value.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
        }
        if (suffix.endsWith("i")) {
            int power = Arrays.asList(BINARY_SUFFIXES).indexOf(suffix);
            return value.multiply(new BigDecimal(KI.pow(power)));
        }
        return value.scaleByPowerOfTen(DECIMAL_SUFFIXES.get(suffix));
    }

    private static String format(BigDecimal value, Format format) {
        if (value.signum() == 0) {
            return "0";
        }
        if (format == Format.BINARY_SI) {
            boolean small = value.abs().compareTo(BigDecimal.valueOf(1024)) < 0;
            boolean fraction = value.stripTrailingZeros().scale() > 0;
            if (small || fraction) {
                format = Format.DECIMAL_SI;
            } else {
                BigInteger mantissa = value.toBigIntegerExact();
                int power = 0;
                while (power < 6 && mantissa.mod(KI).signum() == 0) {
                    mantissa = mantissa.divide(KI);
                    power++;
                }
                return mantissa + BINARY_SUFFIXES[power];
            }
        }
        BigDecimal stripped = value.stripTrailingZeros();
        BigInteger mantissa = stripped.unscaledValue();
        int exponent = -stripped.scale();
        int extra = Math.floorMod(exponent, 3);
        mantissa = mantissa.multiply(BigInteger.TEN.pow(extra));
        exponent -= extra;
        if (format == Format.DECIMAL_SI && DECIMAL_BY_EXPONENT.containsKey(exponent)) {
            return mantissa + DECIMAL_BY_EXPONENT.get(exponent);
        }
        return exponent == 0 ? mantissa.toString() : mantissa + "e" + exponent;
    }
}
