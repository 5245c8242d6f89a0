package dev.panamax.backend.purejava;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The multiply-add kernel: the Vector API and scalar versions against a plain fma loop, bit for
 * bit, on sizes that leave every kind of tail; and that the tests run the Vector API one.
 */
class GemmKernelTest {
    /** Lanes of the preferred species on common hardware are 4, 8 or 16: these cover every tail. */
    private static final int[] COLUMNS = {1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 47, 64, 65, 79, 100, 129, 256, 261};
    private static final int[] ROWS = {4, 8, 12, 20};
    /** Term counts below, at and beyond VectorGemmKernel's pass of 64 terms. */
    private static final int[] TERMS = {4, 8, 60, 64, 68, 132, 260};

    @Test
    void surefireRunsTheVectorApiKernel() {
        assertTrue(ModuleLayer.boot().findModule(GemmKernel.MODULE).isPresent(),
                "the build's JVM options (panamax.jvm.args) add " + GemmKernel.MODULE);
        assertTrue(GemmKernel.VECTORIZED, GemmKernel.describe());
        assertTrue(JavaBackend.multiplyAddKernel().startsWith("Vector API, "), JavaBackend.multiplyAddKernel());
    }

    @Test
    void vectorAndScalarKernelsSumEveryTermInOrderBitForBit() {
        Random random = new Random(11);
        for (int m4 : ROWS) {
            for (int k4 : TERMS) {
                for (int n : COLUMNS) {
                    check(random, m4, k4, n);
                }
            }
        }
    }

    @Test
    void theVectorApiKernelNeedsItsModuleAndYieldsToTheProperty() {
        assertTrue(GemmKernel.vectorized(null, true));
        assertTrue(GemmKernel.vectorized("true", true));
        assertFalse(GemmKernel.vectorized("false", true));
        assertFalse(GemmKernel.vectorized(null, false));
        assertFalse(GemmKernel.vectorized("true", false), "no module, no Vector API, whatever the property");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GemmKernel.vectorized("yes", true));
        assertTrue(e.getMessage().contains("panamax.vector") && e.getMessage().contains("'yes'"), e.getMessage());
    }

    private static void check(Random random, int m4, int k4, int n) {
        // a is read at an offset with a row stride wider than k4, as the convolutions read it.
        int aOff = 5;
        int lda = k4 + 3;
        float[] a = new float[aOff + m4 * lda];
        for (int i = 0; i < a.length; i++) a[i] = random.nextFloat() * 2 - 1;
        // Rows of b longer than n, as the callers' panels are: the kernel must stop at n.
        float[][] b = new float[k4][n + 2];
        for (float[] row : b) {
            for (int j = 0; j < row.length; j++) row[j] = random.nextFloat() * 2 - 1;
        }
        float[][] c0 = new float[m4][n + 2];
        for (float[] row : c0) {
            for (int j = 0; j < row.length; j++) row[j] = random.nextFloat() * 2 - 1;
        }
        float[][] expected = copy(c0);
        for (int i = 0; i < m4; i++) {
            for (int j = 0; j < n; j++) {
                float s = expected[i][j];
                for (int p = 0; p < k4; p++) s = Math.fma(a[aOff + i * lda + p], b[p][j], s);
                expected[i][j] = s;
            }
        }
        String what = "m4=" + m4 + " k4=" + k4 + " n=" + n;
        compare("scalar " + what, expected, c0, c -> GemmKernel.scalar(a, aOff, lda, b, c, m4, k4, n));
        compare("vector " + what, expected, c0, c -> VectorGemmKernel.accumulate(a, aOff, lda, b, c, m4, k4, n));
    }

    private static void compare(String what, float[][] expected, float[][] c0, Consumer<float[][]> kernel) {
        float[][] c = copy(c0);
        kernel.accept(c);
        for (int i = 0; i < c.length; i++) {
            for (int j = 0; j < c[i].length; j++) {
                if (Float.floatToRawIntBits(c[i][j]) != Float.floatToRawIntBits(expected[i][j])) {
                    fail(what + ": c[" + i + "][" + j + "] = " + c[i][j] + ", expected " + expected[i][j]);
                }
            }
        }
    }

    private static float[][] copy(float[][] x) {
        float[][] y = new float[x.length][];
        for (int i = 0; i < x.length; i++) y[i] = x[i].clone();
        return y;
    }
}
