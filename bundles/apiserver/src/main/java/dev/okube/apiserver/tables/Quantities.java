package dev.okube.apiserver.tables;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * resource.Quantity's canonical String(): upstream parses every quantity on write and prints the canonical form
 * ("1.5Gi" as "1536Mi", "0.5" as "500m", "1000" as "1k"), whereas objects here may hold the client's spelling.
 */
final class Quantities {
    private static final Pattern SYNTAX = Pattern.compile("([+-]?)([0-9]*)(?:\\.([0-9]*))?(.*)");
    private static final Map<String, Integer> DECIMAL = Map.of(
            "n", -9, "u", -6, "m", -3, "", 0, "k", 3, "M", 6, "G", 9, "T", 12, "P", 15, "E", 18);
    private static final Map<String, Integer> BINARY = Map.of("Ki", 1, "Mi", 2, "Gi", 3, "Ti", 4, "Pi", 5, "Ei", 6);
    private static final String[] BINARY_SUFFIX = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    private static final BigInteger K1024 = BigInteger.valueOf(1024);

    private enum Format { DECIMAL_SI, BINARY_SI, DECIMAL_EXPONENT }

    private Quantities() {
    }

    /** The canonical form of a quantity; text that is not a valid quantity is returned unchanged. */
    static String canonical(String text) {
        Matcher m = SYNTAX.matcher(text);
        if (text.isEmpty() || !m.matches()) {
            return text;
        }
        String whole = m.group(2);
        String fraction = m.group(3) == null ? "" : m.group(3);
        if (whole.isEmpty() && fraction.isEmpty()) {
            return text;
        }
        String suffix = m.group(4);
        Format format;
        BigDecimal value = new BigDecimal((whole.isEmpty() ? "0" : whole) + (fraction.isEmpty() ? "" : "." + fraction));
        if (DECIMAL.containsKey(suffix)) {
            format = Format.DECIMAL_SI;
            value = value.scaleByPowerOfTen(DECIMAL.get(suffix));
        } else if (BINARY.containsKey(suffix)) {
            format = Format.BINARY_SI;
            value = value.multiply(new BigDecimal(K1024.pow(BINARY.get(suffix))));
        } else if (suffix.matches("[eE][+-]?[0-9]+")) {
            format = Format.DECIMAL_EXPONENT;
            try {
                value = value.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1).replace("+", "")));
            } catch (NumberFormatException | ArithmeticException e) {
                return text;
            }
        } else {
            return text;
        }
        if ("-".equals(m.group(1))) {
            value = value.negate();
        }
        if (value.signum() == 0) {
            return "0";
        }
        // Anything below a nano rounds away from zero: asking for some resource must never yield none.
        value = value.setScale(9, RoundingMode.UP);

        if (format == Format.BINARY_SI) {
            boolean small = value.abs().compareTo(BigDecimal.valueOf(1024)) < 0;
            boolean integral = value.stripTrailingZeros().scale() <= 0;
            if (small || !integral) {
                format = Format.DECIMAL_SI;
            } else {
                BigInteger n = value.toBigIntegerExact();
                int exponent = 0;
                while (exponent < BINARY_SUFFIX.length - 1 && n.mod(K1024).signum() == 0) {
                    n = n.divide(K1024);
                    exponent++;
                }
                return n + BINARY_SUFFIX[exponent];
            }
        }

        BigDecimal stripped = value.stripTrailingZeros();
        BigInteger mantissa = stripped.unscaledValue();
        int exponent = -stripped.scale();
        while (exponent % 3 != 0) {
            mantissa = mantissa.multiply(BigInteger.TEN);
            exponent--;
        }
        if (format == Format.DECIMAL_EXPONENT) {
            return mantissa + (exponent == 0 ? "" : "e" + exponent);
        }
        final int e = exponent;
        String si = DECIMAL.entrySet().stream().filter(x -> x.getValue() == e).map(Map.Entry::getKey)
                .findFirst().orElse("");
        return mantissa + si;
    }
}
