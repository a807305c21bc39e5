package dev.okube.api.resources;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A resource quantity ("500m", "1Gi", "1e3") as upstream's resource.Quantity: an exact number and the
 * family of its suffix, printed in the canonical form upstream writes (the largest suffix of the
 * family that keeps the number whole; binary amounts below 1024 or with a fraction print as decimal
 * SI). Immutable; the value type admission plugins (LimitRanger, ...) compute with. The apiserver's
 * own canonicalization of stored quantities is separate code inside its bundle.
 */
public final class Quantity implements Comparable<Quantity> {
    /** The suffix family a quantity was written in, which its canonical text keeps. */
    public enum Format { DECIMAL_SI, BINARY_SI, DECIMAL_EXPONENT }

    public static final Quantity ZERO = new Quantity(BigDecimal.ZERO, Format.DECIMAL_SI);
    /** Upstream's MaxMilliValue: the largest value whose milli-value fits an int64. */
    public static final BigInteger MAX_MILLI_VALUE = BigInteger.valueOf(Long.MAX_VALUE / 1000);

    private static final Pattern SYNTAX = Pattern.compile(
            "([+-]?)(\\d+(?:\\.\\d*)?|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\\d+)?");
    private static final Map<String, Integer> DECIMAL_SUFFIXES = Map.of("n", -9, "u", -6, "m", -3, "", 0,
            "k", 3, "M", 6, "G", 9, "T", 12, "P", 15, "E", 18);
    private static final Map<Integer, String> DECIMAL_BY_EXPONENT = Map.of(-9, "n", -6, "u", -3, "m", 0, "",
            3, "k", 6, "M", 9, "G", 12, "T", 15, "P", 18, "E");
    private static final List<String> BINARY_SUFFIXES = List.of("", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei");
    private static final BigInteger KI = BigInteger.valueOf(1024);
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

    private final BigDecimal amount;
    private final Format format;

    public Quantity(BigDecimal amount, Format format) {
        this.amount = Objects.requireNonNull(amount, "amount should not be null");
        this.format = Objects.requireNonNull(format, "format should not be null");
    }

    /** Parses a quantity; throws IllegalArgumentException when the text is not one. */
    public static Quantity parse(String text) {
        Matcher m = SYNTAX.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("quantities must match the regular expression "
                    + "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
        }
        String suffix = m.group(3) == null ? "" : m.group(3);
        BigDecimal number = new BigDecimal(m.group(2).startsWith(".") ? "0" + m.group(2) : m.group(2));
        if (m.group(1).equals("-")) {
            number = number.negate();
        }
        if (suffix.length() > 1 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')) {
            int exponent;
            try {
                exponent = Integer.parseInt(suffix.substring(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("quantity exponent out of range: " + text);
            }
            if (Math.abs(exponent) > 1000) {
                throw new IllegalArgumentException("quantity exponent out of range: " + text);
            }
            return new Quantity(number.scaleByPowerOfTen(exponent), Format.DECIMAL_EXPONENT);
        }
        if (suffix.endsWith("i")) {
            return new Quantity(number.multiply(new BigDecimal(KI.pow(BINARY_SUFFIXES.indexOf(suffix)))),
                    Format.BINARY_SI);
        }
        return new Quantity(number.scaleByPowerOfTen(DECIMAL_SUFFIXES.get(suffix)), Format.DECIMAL_SI);
    }

    /** A quantity from JSON (Go reads a string or a bare number alike); null when absent or not a quantity. */
    public static Quantity of(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        try {
            if (node.isString()) {
                return parse(node.asString());
            }
            if (node.isNumber()) {
                return parse(node.decimalValue().toPlainString());
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return null;
    }

    /** A whole number of milli-units, as upstream's NewMilliQuantity. */
    public static Quantity ofMillis(BigInteger millis, Format format) {
        return new Quantity(new BigDecimal(millis).movePointLeft(3), format);
    }

    public BigDecimal amount() {
        return amount;
    }

    public Format format() {
        return format;
    }

    /** The value rounded up (away from zero) to a whole number, as upstream's Value(). */
    public BigInteger value() {
        return amount.setScale(0, RoundingMode.UP).toBigIntegerExact();
    }

    /** The value in milli-units rounded up (away from zero), as upstream's MilliValue(). */
    public BigInteger milliValue() {
        return amount.multiply(THOUSAND).setScale(0, RoundingMode.UP).toBigIntegerExact();
    }

    /** The sum, in this quantity's format unless this one is zero (upstream's Add). */
    public Quantity add(Quantity other) {
        Format f = amount.signum() == 0 ? other.format : format;
        return new Quantity(amount.add(other.amount), f);
    }

    public boolean isZero() {
        return amount.signum() == 0;
    }

    @Override
    public int compareTo(Quantity other) {
        return amount.compareTo(other.amount);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Quantity q && amount.compareTo(q.amount) == 0 && format == q.format;
    }

    @Override
    public int hashCode() {
        return Objects.hash(amount.stripTrailingZeros(), format);
    }

    /** The canonical text upstream prints, rounded up to nano-units. */
    @Override
    public String toString() {
        BigDecimal value = amount;
        if (value.scale() > 9) {
            value = value.setScale(9, RoundingMode.UP);
        }
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
                while (power < BINARY_SUFFIXES.size() - 1 && mantissa.mod(KI).signum() == 0) {
                    mantissa = mantissa.divide(KI);
                    power++;
                }
                return mantissa + BINARY_SUFFIXES.get(power);
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
        if (f == Format.DECIMAL_SI && exponent > 18) {
            // Beyond exa: upstream keeps the E suffix with a larger mantissa.
            return mantissa.multiply(BigInteger.TEN.pow(exponent - 18)) + "E";
        }
        return exponent == 0 ? mantissa.toString() : mantissa + "e" + exponent;
    }
}
