package dev.panamax.training;

import java.math.BigDecimal;

/**
 * Doubles written as Python's {@code repr} writes them ({@code 0.1}, {@code 1e-05}, {@code 1.0},
 * {@code nan}), so files and messages read exactly like Keras'. Both languages print the shortest
 * digits that round-trip; only the layout differs.
 */
final class PythonFloats {
    private PythonFloats() {
    }

    static String repr(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return (1 / v < 0) ? "-0.0" : "0.0";
        BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int exponent = digits.length() - 1 - d.scale(); // of the first digit
        StringBuilder b = new StringBuilder(v < 0 ? "-" : "");
        if (exponent < -4 || exponent >= 16) {
            b.append(digits.charAt(0));
            if (digits.length() > 1) b.append('.').append(digits, 1, digits.length());
            b.append('e').append(exponent < 0 ? '-' : '+');
            int e = Math.abs(exponent);
            if (e < 10) b.append('0');
            b.append(e);
        } else if (exponent < 0) {
            b.append("0.").append("0".repeat(-exponent - 1)).append(digits);
        } else if (digits.length() <= exponent + 1) {
            b.append(digits).append("0".repeat(exponent + 1 - digits.length())).append(".0");
        } else {
            b.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
        }
        return b.toString();
    }
}
