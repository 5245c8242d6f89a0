package dev.panamax.backend.purejava;

import static dev.panamax.backend.purejava.TestTensors.assertClose;
import static dev.panamax.backend.purejava.TestTensors.doubles;
import static dev.panamax.backend.purejava.TestTensors.dot;
import static dev.panamax.backend.purejava.TestTensors.numericGradient;
import static dev.panamax.backend.purejava.TestTensors.smallInts;
import static dev.panamax.backend.purejava.TestTensors.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.panamax.backend.BinaryOp;
import dev.panamax.tensor.DType;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Gradients of the ops whose backward pass is another op: batched matmul (against central
 * differences of a double reference), and the linear shape ops, gather and dropout, whose
 * gradient is their adjoint: {@code <op(x), dy> = <x, op*(dy)>} with concat/split,
 * transpose/inverse transpose, pad/crop, gather/scatter-add and dropout/mask. On small integers
 * both sides are exact in double, so they must be equal.
 */
class LinearOpGradientsTest {
    private static final JavaBackend BACKEND = new JavaBackend();

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    @Test
    void batchedMatmulGradientsMatchCentralDifferences() {
        int batch = 3, m = 4, n = 5, k = 6;
        Random random = new Random(21);
        try (MemoryScope scope = MemoryScope.open("batched grad")) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    Tensor a = uniform(scope, random, ta ? Shape.of(batch, k, m) : Shape.of(batch, m, k));
                    Tensor b = uniform(scope, random, tb ? Shape.of(batch, n, k) : Shape.of(batch, k, n));
                    Tensor dy = uniform(scope, random, Shape.of(batch, m, n));
                    double[] ad = doubles(a), bd = doubles(b), dyd = doubles(dy);
                    double[] ga = numericGradient(v -> batched(v, ta, bd, tb, batch, m, n, k), ad, dyd, 1e-2);
                    double[] gb = numericGradient(v -> batched(ad, ta, v, tb, batch, m, n, k), bd, dyd, 1e-2);
                    Tensor da = Tensor.zeros(scope, DType.FLOAT32, a.shape());
                    Tensor db = Tensor.zeros(scope, DType.FLOAT32, b.shape());
                    // The backward pass as autograd writes it: each product's gradients, batched.
                    if (!ta) BACKEND.batchedMatmul(dy, false, b, !tb, da);
                    else BACKEND.batchedMatmul(b, tb, dy, true, da);
                    if (!tb) BACKEND.batchedMatmul(a, !ta, dy, false, db);
                    else BACKEND.batchedMatmul(dy, true, a, ta, db);
                    assertClose(ga, da.toFloatArray(), 1e-5, "da ta=" + ta + " tb=" + tb);
                    assertClose(gb, db.toFloatArray(), 1e-5, "db ta=" + ta + " tb=" + tb);
                }
            }
        }
    }

    private static double[] batched(double[] a, boolean ta, double[] b, boolean tb, int batch, int m, int n, int k) {
        double[] c = new double[batch * m * n];
        for (int i = 0; i < batch; i++) {
            double[] ai = java.util.Arrays.copyOfRange(a, i * m * k, (i + 1) * m * k);
            double[] bi = java.util.Arrays.copyOfRange(b, i * k * n, (i + 1) * k * n);
            System.arraycopy(ReferenceOps.matmul(ai, ta, bi, tb, m, n, k), 0, c, i * m * n, m * n);
        }
        return c;
    }

    @Test
    void splitIsTheGradientOfConcat() {
        Random random = new Random(22);
        try (MemoryScope scope = MemoryScope.open("concat")) {
            for (int axis = 0; axis < 3; axis++) {
                long[] d1 = {2, 3, 4};
                long[] d2 = d1.clone();
                d2[axis] = 5;
                long[] out = d1.clone();
                out[axis] = d1[axis] + d2[axis];
                Tensor x1 = smallInts(scope, random, Shape.of(d1));
                Tensor x2 = smallInts(scope, random, Shape.of(d2));
                Tensor y = Tensor.zeros(scope, out);
                BACKEND.concat(axis, List.of(x1, x2), y);
                Tensor dy = smallInts(scope, random, Shape.of(out));
                Tensor dx1 = Tensor.zeros(scope, d1);
                Tensor dx2 = Tensor.zeros(scope, d2);
                BACKEND.split(axis, dy, List.of(dx1, dx2));
                assertEquals(dot(doubles(y), doubles(dy)),
                        dot(doubles(x1), doubles(dx1)) + dot(doubles(x2), doubles(dx2)), 0, "axis " + axis);
            }
        }
    }

    @Test
    void theInversePermutationIsTheGradientOfTranspose() {
        Random random = new Random(23);
        int[][] perms = {{1, 0, 2, 3}, {3, 1, 0, 2}, {0, 2, 3, 1}, {3, 2, 1, 0}};
        long[] dims = {2, 3, 4, 5};
        try (MemoryScope scope = MemoryScope.open("transpose")) {
            for (int[] perm : perms) {
                long[] out = new long[4];
                int[] inverse = new int[4];
                for (int i = 0; i < 4; i++) {
                    out[i] = dims[perm[i]];
                    inverse[perm[i]] = i;
                }
                Tensor x = smallInts(scope, random, Shape.of(dims));
                Tensor y = Tensor.zeros(scope, out);
                BACKEND.transpose(x, perm, y);
                Tensor dy = smallInts(scope, random, Shape.of(out));
                Tensor dx = Tensor.zeros(scope, dims);
                BACKEND.transpose(dy, inverse, dx);
                assertEquals(dot(doubles(y), doubles(dy)), dot(doubles(x), doubles(dx)), 0,
                        java.util.Arrays.toString(perm));
            }
        }
    }

    @Test
    void croppingIsTheGradientOfPad() {
        Random random = new Random(24);
        long[] dims = {2, 3, 4};
        long[] before = {1, 0, 2};
        long[] after = {0, 2, 1};
        try (MemoryScope scope = MemoryScope.open("pad")) {
            Tensor x = smallInts(scope, random, Shape.of(dims));
            Tensor y = Tensor.zeros(scope, 3, 5, 7);
            BACKEND.pad(x, before, after, 0f, y);
            Tensor dy = smallInts(scope, random, y.shape());
            double[] dyd = doubles(dy);
            double[] dx = new double[(int) x.size()];
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 3; j++) {
                    for (int l = 0; l < 4; l++) {
                        dx[(i * 3 + j) * 4 + l] = dyd[(int) (((i + before[0]) * 5 + j + before[1]) * 7 + l + before[2])];
                    }
                }
            }
            assertEquals(dot(doubles(y), dyd), dot(doubles(x), dx), 0, "<pad(x), dy> vs <x, crop(dy)>");
        }
    }

    @Test
    void scatterAddIsTheGradientOfGather() {
        Random random = new Random(25);
        try (MemoryScope scope = MemoryScope.open("gather")) {
            Tensor table = smallInts(scope, random, Shape.of(7, 5));
            Tensor indices = Tensor.zeros(scope, DType.INT32, Shape.of(3, 4));
            for (int i = 0; i < 12; i++) indices.setInt(random.nextInt(7), i / 4, i % 4); // repeats included
            Tensor y = Tensor.zeros(scope, 3, 4, 5);
            BACKEND.gatherRows(table, indices, y);
            Tensor dy = smallInts(scope, random, y.shape());
            Tensor dTable = Tensor.zeros(scope, 7, 5);
            BACKEND.scatterAddRows(dy, indices, dTable);
            assertEquals(dot(doubles(y), doubles(dy)), dot(doubles(table), doubles(dTable)), 0);
        }
    }

    @Test
    void theMaskIsTheGradientOfDropout() {
        Random random = new Random(26);
        try (MemoryScope scope = MemoryScope.open("dropout")) {
            Tensor x = uniform(scope, random, Shape.of(40, 9));
            Tensor y = Tensor.zeros(scope, 40, 9);
            Tensor mask = Tensor.zeros(scope, 40, 9);
            BACKEND.dropoutForward(0.25f, 99, x, y, mask);
            Tensor dy = uniform(scope, random, Shape.of(40, 9));
            Tensor dx = Tensor.zeros(scope, 40, 9);
            BACKEND.binary(BinaryOp.MUL, dy, mask, dx); // the backward pass Backend documents
            double[] m = doubles(mask);
            double[] numeric = numericGradient(v -> {
                double[] out = new double[v.length];
                for (int i = 0; i < v.length; i++) out[i] = v[i] * m[i];
                return out;
            }, doubles(x), doubles(dy), 1e-2);
            assertClose(numeric, dx.toFloatArray(), 1e-6, "dropout gradient");
        }
    }
}
