package dev.panamax.bench.report;

import java.util.Locale;

/** How the report writes numbers: about three significant digits, thousands grouped. */
final class Numbers {
    private Numbers() {
    }

    static String format(double v) {
        if (Double.isNaN(v)) return "n/a";
        double a = Math.abs(v);
        if (a >= 100) return String.format(Locale.ROOT, "%,.0f", v);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", v);
        if (a >= 1) return String.format(Locale.ROOT, "%.2f", v);
        if (a == 0) return "0";
        return String.format(Locale.ROOT, "%.3g", v);
    }

    /** A ratio as "1.52x". */
    static String ratio(double r) {
        if (Double.isNaN(r) || Double.isInfinite(r)) return "n/a";
        return String.format(Locale.ROOT, r >= 10 ? "%.0fx" : "%.2fx", r);
    }
}
