package dev.panamax.backend.purejava;

/**
 * The one multiply-add kernel of the Java backend, shared by matrix products and every
 * convolution pass. Sums run in increasing {@code p} with one {@link Math#fma} per term, so a
 * result does not depend on how the work was split over threads.
 */
final class GemmKernel {
    private GemmKernel() {
    }

    /**
     * {@code c[i][j] += Σ_p a[aOff + i·lda + p] · b[p][j]} for {@code i < m4, p < k4, j < n};
     * {@code m4} and {@code k4} are multiples of 4 (callers zero-pad). Four rows of c take four
     * terms per pass. Rows are separate arrays on purpose: C2 vectorizes the j loop only when it
     * can tell the arrays apart.
     */
    static void accumulate(float[] a, int aOff, int lda, float[][] b, float[][] c, int m4, int k4, int n) {
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
