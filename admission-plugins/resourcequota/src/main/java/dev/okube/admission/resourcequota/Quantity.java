package dev.okube.admission.resourcequota;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A resource quantity ("500m", "1Gi", "2") with the arithmetic quota needs and the canonical text
 * upstream's resource.Quantity writes: the largest suffix of the quantity's own family (decimal SI,
 * binary SI, decimal exponent) that keeps the number whole; binary amounts below 1024 or with a
 * fraction fall back to decimal SI. Precision is nano units, rounded up (away from zero).
 *
 * <p>Sums keep the format of the left operand unless it is zero, then take the right one's, as Go's
 * {@code Quantity.Add}: 0 + 1Gi is "1Gi", 1Gi + 512Mi is "1536Mi".
 */
final class Quantity implements Comparable<Quantity> {
    enum Format { DECIMAL_SI, BINARY_SI, DECIMAL_EXPONENT }

    static final Quantity ZERO = new Quantity(BigDecimal.ZERO, Format.DECIMAL_SI);
    static final Quantity ONE = new Quantity(BigDecimal.ONE, Format.DECIMAL_SI);

    private static final Pattern SYNTAX = Pattern.compile(
            "([+-]?)(\\d+(?:\\.\\d*)?|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\\d+)?");
    private static final Map<String, Integer> DECIMAL_SUFFIXES = Map.of("n", -9, "u", -6, "m", -3, "", 0,
            "k", 3, "M", 6, "G", 9, "T", 12, "P", 15, "E", 18);
    private static final Map<Integer, String> DECIMAL_BY_EXPONENT = Map.of(-9, "n", -6, "u", -3, "m", 0, "",
            3, "k", 6, "M", 9, "G", 12, "T", 15, "P", 18, "E");
    private static final String[] BINARY_SUFFIXES = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    private static final BigInteger KI = BigInteger.valueOf(1024);
    private static final int MAX_SCALE = 9;

    private final BigDecimal value;
    private final Format format;

    private Quantity(BigDecimal value, Format format) {
        this.value = value.scale() > MAX_SCALE ? value.setScale(MAX_SCALE, RoundingMode.UP) : value;
        this.format = format;
    }

    static Quantity of(long value) {
        return new Quantity(BigDecimal.valueOf(value), Format.DECIMAL_SI);
    }

    /**
     * Parses a quantity as Go does (a JSON string, or a bare number).
     *
     * @throws IllegalArgumentException when the text is not a quantity
     */
    static Quantity parse(String text) {
        Objects.requireNonNull(text, "text should not be null");
        Matcher m = SYNTAX.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("quantities must match the regular expression "
                    + "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': \"" + text + "\"");
        }
        String suffix = m.group(3) == null ? "" : m.group(3);
        BigDecimal number = new BigDecimal(m.group(2).startsWith(".") ? "0" + m.group(2) : m.group(2));
        if (m.group(1).equals("-")) {
            number = number.negate();
        }
        try {
            if (suffix.length() > 1 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')) {
                return new Quantity(number.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1))),
                        Format.DECIMAL_EXPONENT);
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("quantity exponent out of range: \"" + text + "\"");
        }
        if (suffix.endsWith("i")) {
            int power = Arrays.asList(BINARY_SUFFIXES).indexOf(suffix);
            return new Quantity(number.multiply(new BigDecimal(KI.pow(power))), Format.BINARY_SI);
        }
        return new Quantity(number.scaleByPowerOfTen(DECIMAL_SUFFIXES.get(suffix)), Format.DECIMAL_SI);
    }

    /** A quantity from a JSON value (string or number). */
    static Quantity parse(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw new IllegalArgumentException("a quantity is required");
        }
        if (node.isNumber()) {
            return parse(node.decimalValue().toPlainString());
        }
        if (node.isString()) {
            return parse(node.asString());
        }
        throw new IllegalArgumentException("a quantity must be a string or a number, not " + node);
    }

    BigDecimal value() {
        return value;
    }

    Format format() {
        return format;
    }

    int signum() {
        return value.signum();
    }

    boolean isZero() {
        return value.signum() == 0;
    }

    Quantity add(Quantity other) {
        return new Quantity(value.add(other.value), isZero() ? other.format : format);
    }

    Quantity subtract(Quantity other) {
        return new Quantity(value.subtract(other.value), isZero() ? other.format : format);
    }

    /** This quantity times a whole number, in this quantity's format. */
    Quantity times(long factor) {
        return new Quantity(value.multiply(BigDecimal.valueOf(factor)), format);
    }

    /** Rounded up to a whole number (as upstream's RoundUp(0)), keeping the format. */
    Quantity roundUpToInteger() {
        return new Quantity(value.setScale(0, RoundingMode.UP), format);
    }

    static Quantity max(Quantity a, Quantity b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public int compareTo(Quantity other) {
        return value.compareTo(other.value);
    }

    /** Equal amounts, whatever the format (as Go's Cmp == 0). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Quantity q && value.compareTo(q.value) == 0;
    }

    @Override
    public int hashCode() {
        return value.stripTrailingZeros().hashCode();
    }

    /** The canonical text, as upstream serializes it. */
    @Override
    public String toString() {
        if (value.signum() == 0) {
            return "0";
        }
        Format f = format;
        if (f == Format.BINARY_SI) {
            boolean small = value.abs().compareTo(BigDecimal.valueOf(1024)) < 0;
            boolean fraction = value.stripTrailingZeros().scale() > 0;
            if (small || fraction) {
                f = Format.DECIMAL_SI;
            } else {
                BigInteger mantissa = value.toBigIntegerExact();
                int power = 0;
                while (power < BINARY_SUFFIXES.length - 1 && mantissa.mod(KI).signum() == 0) {
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
        if (f == Format.DECIMAL_SI && DECIMAL_BY_EXPONENT.containsKey(exponent)) {
            return mantissa + DECIMAL_BY_EXPONENT.get(exponent);
        }
        return exponent == 0 ? mantissa.toString() : mantissa + "e" + exponent;
    }
}
