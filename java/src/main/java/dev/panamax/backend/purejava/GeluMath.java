package dev.panamax.backend.purejava;

/**
 * The normal CDF {@code Phi(x)} for exact GELU, fast and accurate to about 1e-12 relative.
 *
 * <p>With {@code t = |x| / sqrt 2}, {@code erfc(t) = exp(-t²) · r(t)} where {@code r} is smooth
 * and slowly varying, so one {@code exp} (shared with the derivative's density) and a short
 * polynomial per piece of t (Horner, one fma per term) give {@code Phi(x) = erfc(-x / sqrt 2) / 2} without the cancellation of
 * {@code 1 + erf} at negative x. The polynomials interpolate, at Chebyshev nodes, a slow
 * double-precision erfc (Maclaurin series below t = 2, continued fraction above), once, at
 * class load.
 */
final class GeluMath {
    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
    /** Beyond this t, erfc(t) < 1e-44: Phi is 0 or 1 in float. */
    private static final double T_MAX = 10;
    private static final int PIECES_PER_UNIT = 4;
    private static final int PIECES = (int) (T_MAX * PIECES_PER_UNIT);
    private static final int TERMS = 10;
    /** Monomial coefficients in u in [-1, 1] of r on piece k: {@code [k * TERMS, (k + 1) * TERMS)}, constant first. */
    private static final double[] COEFFS = fit();

    private GeluMath() {
    }

    /** Phi(x) = P(N(0, 1) <= x). */
    static double cdf(double x) {
        return cdf(x, Math.exp(-0.5 * x * x));
    }

    /** x · Phi(x). */
    static double gelu(double x) {
        return x * cdf(x);
    }

    /** d/dx x · Phi(x) = Phi(x) + x · phi(x). */
    static double geluDerivative(double x) {
        double e = Math.exp(-0.5 * x * x);
        return cdf(x, e) + x * e * INV_SQRT_2PI;
    }

    /** Phi(x) given {@code e = exp(-x² / 2)}. */
    private static double cdf(double x, double e) {
        double t = Math.abs(x) * SQRT_HALF;
        double halfErfc = t < T_MAX ? 0.5 * e * r(t) : 0; // NaN takes this branch too, then propagates via x
        return x < 0 ? halfErfc : 1 - halfErfc;
    }

    /** r(t) = exp(t²) · erfc(t) for 0 <= t < T_MAX. */
    private static double r(double t) {
        int k = (int) (t * PIECES_PER_UNIT);
        double u = 2 * (t * PIECES_PER_UNIT - k) - 1;
        int base = k * TERMS;
        double p = COEFFS[base + TERMS - 1];
        for (int j = TERMS - 2; j >= 0; j--) p = Math.fma(p, u, COEFFS[base + j]);
        return p;
    }

    /** Interpolates r on each piece at Chebyshev nodes, then expands the Chebyshev series into powers of u. */
    private static double[] fit() {
        double[] c = new double[PIECES * TERMS];
        double[] f = new double[TERMS];
        double[] cheb = new double[TERMS];
        for (int k = 0; k < PIECES; k++) {
            double lo = (double) k / PIECES_PER_UNIT;
            double half = 0.5 / PIECES_PER_UNIT;
            for (int i = 0; i < TERMS; i++) {
                double node = Math.cos(Math.PI * (i + 0.5) / TERMS);
                f[i] = referenceR(lo + half * (node + 1));
            }
            for (int j = 0; j < TERMS; j++) {
                double s = 0;
                for (int i = 0; i < TERMS; i++) s += f[i] * Math.cos(Math.PI * j * (i + 0.5) / TERMS);
                cheb[j] = (j == 0 ? 1.0 : 2.0) / TERMS * s;
            }
            // T_0 = 1, T_1 = u, T_{j+1} = 2u·T_j - T_{j-1}, as monomial coefficient rows.
            double[] prev = new double[TERMS];
            double[] cur = new double[TERMS];
            prev[0] = 1;
            cur[1] = 1;
            for (int i = 0; i < TERMS; i++) c[k * TERMS + i] += cheb[0] * prev[i] + cheb[1] * cur[i];
            for (int j = 2; j < TERMS; j++) {
                double[] next = new double[TERMS];
                for (int i = 0; i < TERMS; i++) next[i] = (i > 0 ? 2 * cur[i - 1] : 0) - prev[i];
                for (int i = 0; i < TERMS; i++) c[k * TERMS + i] += cheb[j] * next[i];
                prev = cur;
                cur = next;
            }
        }
        return c;
    }

    /** exp(t²) · erfc(t), slowly but to about 1e-14, for t >= 0. */
    static double referenceR(double t) {
        if (t < 2) {
            // erf's Maclaurin series: sum (-1)^n t^(2n+1) / (n! (2n+1)).
            double term = t, sum = t, t2 = t * t;
            for (int n = 1; n < 200; n++) {
                term *= -t2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-18) break;
            }
            return Math.exp(t2) * (1 - 2 / Math.sqrt(Math.PI) * sum);
        }
        // Continued fraction erfc(t) = exp(-t²)/sqrt(pi) · 1/(t + (1/2)/(t + 1/(t + (3/2)/(t + ...)))).
        double g = 0;
        for (int n = 400; n >= 1; n--) g = n / 2.0 / (t + g);
        return 1 / Math.sqrt(Math.PI) / (t + g);
    }
}
