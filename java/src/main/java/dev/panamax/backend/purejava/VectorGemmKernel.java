package dev.panamax.backend.purejava;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link GemmKernel#accumulate} on the Vector API: a block of 4 rows of c by a few vectors of
 * columns stays in registers while p runs over a pass of terms, and each term is one lanewise
 * fma with {@code a} broadcast. Columns past the last whole vector take the scalar loop. Lanes run over j, so every {@code c[i][j]} still sums its terms in increasing p
 * with one fma each: results are bit-identical to the scalar kernel's.
 *
 * <p>The only class that refers to {@code jdk.incubator.vector}: {@link GemmKernel} loads it only
 * when that module is in the boot layer.
 */
final class VectorGemmKernel {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    /** Vectors per row of a block: 16 accumulators need AVX-512's 32 registers; 8 fit AVX2's 16. */
    private static final int WIDE = F.vectorBitSize() >= 512 ? 4 : 2;
    /** Terms per pass over a strip of columns: the strip of b (KP rows of WIDE vectors) stays in L1. */
    private static final int KP = 64;
    /**
     * Per thread: the strip of b being multiplied, copied to consecutive rows. Read at a linear
     * index, it spares the inner loop a row lookup and range checks per term.
     */
    private static final ThreadLocal<float[]> STRIP = ThreadLocal.withInitial(() -> new float[KP * 4 * L]);

    private VectorGemmKernel() {
    }

    /** The species in use, for {@code panamax info}. */
    static String describe() {
        return "Vector API, " + F.vectorBitSize() + "-bit FloatVector (" + L + " lanes)";
    }

    /** Floats per vector. */
    static int lanes() {
        return L;
    }

    /** The contract of {@link GemmKernel#accumulate}. */
    static void accumulate(float[] a, int aOff, int lda, float[][] b, float[][] c, int m4, int k4, int n) {
        int wideEnd = WIDE == 4 ? n - n % (4 * L) : 0;
        int pairEnd = wideEnd + (n - wideEnd) / (2 * L) * (2 * L);
        int vectorEnd = pairEnd + (n - pairEnd) / L * L;
        float[] strip = STRIP.get();
        for (int p0 = 0; p0 < k4; p0 += KP) {
            int p1 = Math.min(k4, p0 + KP);
            for (int j = 0; j < wideEnd; j += 4 * L) {
                pack(b, p0, p1, j, 4 * L, strip);
                for (int i = 0; i < m4; i += 4) {
                    block4x4(a, aOff + i * lda + p0, lda, strip, c, i, j, p1 - p0);
                }
            }
            for (int j = wideEnd; j < pairEnd; j += 2 * L) {
                pack(b, p0, p1, j, 2 * L, strip);
                for (int i = 0; i < m4; i += 4) {
                    block4x2(a, aOff + i * lda + p0, lda, strip, c, i, j, p1 - p0);
                }
            }
            for (int j = pairEnd; j < vectorEnd; j += L) {
                pack(b, p0, p1, j, L, strip);
                for (int i = 0; i < m4; i += 4) {
                    block4x1(a, aOff + i * lda + p0, lda, strip, c, i, j, p1 - p0);
                }
            }
        }
        // Columns are independent: those after the last whole vector can run on their own, all terms at once.
        if (vectorEnd < n) {
            tail(a, aOff, lda, b, c, m4, k4, vectorEnd, n);
        }
    }

    /** strip[(p - p0) · width + x] = b[p][j + x] for p0 <= p < p1, x < width. */
    private static void pack(float[][] b, int p0, int p1, int j, int width, float[] strip) {
        for (int p = p0; p < p1; p++) {
            System.arraycopy(b[p], j, strip, (p - p0) * width, width);
        }
    }

    /** c[i..i+4)[j..j+4L) += Σ_{p < kp} a[a0 + r · lda + p] · strip[p][0..4L), rows r in order. */
    private static void block4x4(float[] a, int a0, int lda, float[] strip, float[][] c, int i, int j, int kp) {
        float[] c0 = c[i];
        float[] c1 = c[i + 1];
        float[] c2 = c[i + 2];
        float[] c3 = c[i + 3];
        int j1 = j + L;
        int j2 = j + 2 * L;
        int j3 = j + 3 * L;
        FloatVector s00 = FloatVector.fromArray(F, c0, j), s01 = FloatVector.fromArray(F, c0, j1);
        FloatVector s02 = FloatVector.fromArray(F, c0, j2), s03 = FloatVector.fromArray(F, c0, j3);
        FloatVector s10 = FloatVector.fromArray(F, c1, j), s11 = FloatVector.fromArray(F, c1, j1);
        FloatVector s12 = FloatVector.fromArray(F, c1, j2), s13 = FloatVector.fromArray(F, c1, j3);
        FloatVector s20 = FloatVector.fromArray(F, c2, j), s21 = FloatVector.fromArray(F, c2, j1);
        FloatVector s22 = FloatVector.fromArray(F, c2, j2), s23 = FloatVector.fromArray(F, c2, j3);
        FloatVector s30 = FloatVector.fromArray(F, c3, j), s31 = FloatVector.fromArray(F, c3, j1);
        FloatVector s32 = FloatVector.fromArray(F, c3, j2), s33 = FloatVector.fromArray(F, c3, j3);
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        for (int p = 0; p < kp; p++) {
            int y = p * 4 * L;
            FloatVector y0 = FloatVector.fromArray(F, strip, y);
            FloatVector y1 = FloatVector.fromArray(F, strip, y + L);
            FloatVector y2 = FloatVector.fromArray(F, strip, y + 2 * L);
            FloatVector y3 = FloatVector.fromArray(F, strip, y + 3 * L);
            FloatVector x = FloatVector.broadcast(F, a[a0 + p]);
            s00 = y0.fma(x, s00);
            s01 = y1.fma(x, s01);
            s02 = y2.fma(x, s02);
            s03 = y3.fma(x, s03);
            x = FloatVector.broadcast(F, a[a1 + p]);
            s10 = y0.fma(x, s10);
            s11 = y1.fma(x, s11);
            s12 = y2.fma(x, s12);
            s13 = y3.fma(x, s13);
            x = FloatVector.broadcast(F, a[a2 + p]);
            s20 = y0.fma(x, s20);
            s21 = y1.fma(x, s21);
            s22 = y2.fma(x, s22);
            s23 = y3.fma(x, s23);
            x = FloatVector.broadcast(F, a[a3 + p]);
            s30 = y0.fma(x, s30);
            s31 = y1.fma(x, s31);
            s32 = y2.fma(x, s32);
            s33 = y3.fma(x, s33);
        }
        s00.intoArray(c0, j);
        s01.intoArray(c0, j1);
        s02.intoArray(c0, j2);
        s03.intoArray(c0, j3);
        s10.intoArray(c1, j);
        s11.intoArray(c1, j1);
        s12.intoArray(c1, j2);
        s13.intoArray(c1, j3);
        s20.intoArray(c2, j);
        s21.intoArray(c2, j1);
        s22.intoArray(c2, j2);
        s23.intoArray(c2, j3);
        s30.intoArray(c3, j);
        s31.intoArray(c3, j1);
        s32.intoArray(c3, j2);
        s33.intoArray(c3, j3);
    }

    /** {@link #block4x4} on 2 vectors of columns. */
    private static void block4x2(float[] a, int a0, int lda, float[] strip, float[][] c, int i, int j, int kp) {
        float[] c0 = c[i];
        float[] c1 = c[i + 1];
        float[] c2 = c[i + 2];
        float[] c3 = c[i + 3];
        int j1 = j + L;
        FloatVector s00 = FloatVector.fromArray(F, c0, j), s01 = FloatVector.fromArray(F, c0, j1);
        FloatVector s10 = FloatVector.fromArray(F, c1, j), s11 = FloatVector.fromArray(F, c1, j1);
        FloatVector s20 = FloatVector.fromArray(F, c2, j), s21 = FloatVector.fromArray(F, c2, j1);
        FloatVector s30 = FloatVector.fromArray(F, c3, j), s31 = FloatVector.fromArray(F, c3, j1);
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        for (int p = 0; p < kp; p++) {
            int y = p * 2 * L;
            FloatVector y0 = FloatVector.fromArray(F, strip, y);
            FloatVector y1 = FloatVector.fromArray(F, strip, y + L);
            FloatVector x = FloatVector.broadcast(F, a[a0 + p]);
            s00 = y0.fma(x, s00);
            s01 = y1.fma(x, s01);
            x = FloatVector.broadcast(F, a[a1 + p]);
            s10 = y0.fma(x, s10);
            s11 = y1.fma(x, s11);
            x = FloatVector.broadcast(F, a[a2 + p]);
            s20 = y0.fma(x, s20);
            s21 = y1.fma(x, s21);
            x = FloatVector.broadcast(F, a[a3 + p]);
            s30 = y0.fma(x, s30);
            s31 = y1.fma(x, s31);
        }
        s00.intoArray(c0, j);
        s01.intoArray(c0, j1);
        s10.intoArray(c1, j);
        s11.intoArray(c1, j1);
        s20.intoArray(c2, j);
        s21.intoArray(c2, j1);
        s30.intoArray(c3, j);
        s31.intoArray(c3, j1);
    }

    /** {@link #block4x4} on 1 vector of columns. */
    private static void block4x1(float[] a, int a0, int lda, float[] strip, float[][] c, int i, int j, int kp) {
        float[] c0 = c[i];
        float[] c1 = c[i + 1];
        float[] c2 = c[i + 2];
        float[] c3 = c[i + 3];
        FloatVector s0 = FloatVector.fromArray(F, c0, j);
        FloatVector s1 = FloatVector.fromArray(F, c1, j);
        FloatVector s2 = FloatVector.fromArray(F, c2, j);
        FloatVector s3 = FloatVector.fromArray(F, c3, j);
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        for (int p = 0; p < kp; p++) {
            FloatVector y = FloatVector.fromArray(F, strip, p * L);
            s0 = y.fma(FloatVector.broadcast(F, a[a0 + p]), s0);
            s1 = y.fma(FloatVector.broadcast(F, a[a1 + p]), s1);
            s2 = y.fma(FloatVector.broadcast(F, a[a2 + p]), s2);
            s3 = y.fma(FloatVector.broadcast(F, a[a3 + p]), s3);
        }
        s0.intoArray(c0, j);
        s1.intoArray(c1, j);
        s2.intoArray(c2, j);
        s3.intoArray(c3, j);
    }

    /**
     * Columns {@code j0 <= j < n}, fewer than a vector: the scalar kernel's loop. A copy, because
     * a variable start in the scalar kernel itself stops C2 from vectorizing it (JDK 25).
     */
    private static void tail(float[] a, int aOff, int lda, float[][] b, float[][] c, int m4, int k4, int j0, int n) {
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
                for (int j = j0; j < n; j++) {
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
