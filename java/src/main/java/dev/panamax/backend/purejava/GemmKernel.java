package dev.panamax.backend.purejava;

/**
 * The one multiply-add kernel of the Java backend, shared by matrix products and every
 * convolution pass. Sums run in increasing {@code p} with one {@link Math#fma} per term, so a
 * result does not depend on how the work was split over threads.
 *
 * <p>Two implementations with bit-identical results: {@link VectorGemmKernel} on the Vector API
 * when the JVM runs with {@code --add-modules jdk.incubator.vector}, else the scalar loop below,
 * which C2 auto-vectorizes. {@code -Dpanamax.vector=false} picks the scalar one anyway.
 */
final class GemmKernel {
    static final String PROPERTY = "panamax.vector";
    static final String MODULE = "jdk.incubator.vector";
    /** Whether {@link #accumulate} runs {@link VectorGemmKernel}; fixed at class load so C2 folds the branch. */
    static final boolean VECTORIZED = vectorized(System.getProperty(PROPERTY),
            ModuleLayer.boot().findModule(MODULE).isPresent());
    private static final boolean SCALAR_ASKED_FOR = "false".equals(System.getProperty(PROPERTY));

    private GemmKernel() {
    }

    /**
     * The Vector API kernel runs when its module is in the boot layer, unless the property says
     * false. Decided before VectorGemmKernel is touched: without the module, loading it would fail.
     */
    static boolean vectorized(String property, boolean modulePresent) {
        if (property != null && !property.equals("true") && !property.equals("false")) {
            throw new IllegalArgumentException("system property " + PROPERTY + " must be true or false, got '"
                    + property + "'");
        }
        return modulePresent && !"false".equals(property);
    }

    /** Which kernel runs, and why, for {@code panamax info}. */
    static String describe() {
        if (VECTORIZED) return VectorGemmKernel.describe();
        if (SCALAR_ASKED_FOR) return "scalar (-D" + PROPERTY + "=false)";
        return "scalar; the JVM option --add-modules " + MODULE + " enables the Vector API kernel";
    }

    /** Floats per vector of the kernel in use: 1 for the scalar one. */
    static int lanes() {
        return VECTORIZED ? VectorGemmKernel.lanes() : 1;
    }

    /**
     * {@code c[i][j] += Σ_p a[aOff + i·lda + p] · b[p][j]} for {@code i < m4, p < k4, j < n};
     * {@code m4} and {@code k4} are multiples of 4 (callers zero-pad).
     */
    static void accumulate(float[] a, int aOff, int lda, float[][] b, float[][] c, int m4, int k4, int n) {
        if (VECTORIZED) {
            VectorGemmKernel.accumulate(a, aOff, lda, b, c, m4, k4, n);
        } else {
            scalar(a, aOff, lda, b, c, m4, k4, n);
        }
    }

    /**
     * {@link #accumulate} in plain Java: four rows of c take four terms per pass. Rows are
     * separate arrays on purpose: C2 vectorizes the j loop only when it can tell the arrays apart.
     */
    static void scalar(float[] a, int aOff, int lda, float[][] b, float[][] c, int m4, int k4, int n) {
        for (int i = 0; i < m4; i += 4) {
            float[] c0 = c[i];
            float[] c1 = c[i + 1];
            float[] c2 = c[i + 2];
            float[] c3 = c[i + 3];
            int a0 = aOff + i * lda;
            int a1 = a0 + lda;
            int a2 = a1 + lda;
            int a3 = a2 + lda;
            for (int p = 0; p < k4; p += 4) {
                float x00 = a[a0 + p], x01 = a[a0 + p + 1], x02 = a[a0 + p + 2], x03 = a[a0 + p + 3];
                float x10 = a[a1 + p], x11 = a[a1 + p + 1], x12 = a[a1 + p + 2], x13 = a[a1 + p + 3];
                float x20 = a[a2 + p], x21 = a[a2 + p + 1], x22 = a[a2 + p + 2], x23 = a[a2 + p + 3];
                float x30 = a[a3 + p], x31 = a[a3 + p + 1], x32 = a[a3 + p + 2], x33 = a[a3 + p + 3];
                float[] b0 = b[p];
                float[] b1 = b[p + 1];
                float[] b2 = b[p + 2];
                float[] b3 = b[p + 3];
                for (int j = 0; j < n; j++) {
                    float y0 = b0[j], y1 = b1[j], y2 = b2[j], y3 = b3[j];
                    c0[j] = Math.fma(x03, y3, Math.fma(x02, y2, Math.fma(x01, y1, Math.fma(x00, y0, c0[j]))));
                    c1[j] = Math.fma(x13, y3, Math.fma(x12, y2, Math.fma(x11, y1, Math.fma(x10, y0, c1[j]))));
                    c2[j] = Math.fma(x23, y3, Math.fma(x22, y2, Math.fma(x21, y1, Math.fma(x20, y0, c2[j]))));
                    c3[j] = Math.fma(x33, y3, Math.fma(x32, y2, Math.fma(x31, y1, Math.fma(x30, y0, c3[j]))));
                }
            }
        }
    }
}
