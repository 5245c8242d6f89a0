package dev.panamax.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.panamax.backend.nativecpu.GemmEngine;
import dev.panamax.backend.nativecpu.NativeBackend;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.util.SplittableRandom;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * The native backend agrees with the Java backend (the specification) on random problems, not
 * only on the hand-picked shape list: convolutions with every option and post-op, forward and
 * backward, pooling of every kind, matrix products on every engine, broadcasting binary ops,
 * reductions, softmax and batch norm. Inputs are small integers where the op is exact on them,
 * so the tolerance is the 1e-4 relative error of the shared list.
 */
class NativeVsJavaPropertiesTest {
    private static final double TOLERANCE = 1e-4;
    private static final Backend JAVA = Backends.get("java");
    private static final NativeBackend NATIVE = (NativeBackend) Backends.get("native");

    @AfterContainer
    static void release() {
        NATIVE.gemmEngine(GemmEngine.AUTO);
        NATIVE.close(); // frees the primitives of the random problems
    }

    @Property(tries = 40)
    void convolutionsAgreeForwardAndBackward(@ForAll @IntRange(min = 1, max = 3) int batch,
                                             @ForAll @IntRange(min = 1, max = 10) int height,
                                             @ForAll @IntRange(min = 1, max = 10) int width,
                                             @ForAll @IntRange(min = 1, max = 3) int groups,
                                             @ForAll @IntRange(min = 1, max = 5) int cig,
                                             @ForAll @IntRange(min = 1, max = 5) int og,
                                             @ForAll @IntRange(min = 1, max = 4) int kh,
                                             @ForAll @IntRange(min = 1, max = 4) int kw,
                                             @ForAll @IntRange(min = 1, max = 3) int sh,
                                             @ForAll @IntRange(min = 1, max = 3) int sw,
                                             @ForAll @IntRange(min = 0, max = 2) int padTop,
                                             @ForAll @IntRange(min = 0, max = 2) int padRight,
                                             @ForAll @IntRange(min = 1, max = 2) int dilation,
                                             @ForAll boolean bias,
                                             @ForAll Activation activation,
                                             @ForAll boolean sum,
                                             @ForAll long seed) {
        long effH = (kh - 1L) * dilation + 1;
        long effW = (kw - 1L) * dilation + 1;
        Assume.that(height + padTop >= effH && width + padRight >= effW);
        Conv2dSpec spec = new Conv2dSpec(batch, height, width, (long) groups * cig, (long) groups * og, kh, kw, sh, sw,
                padTop, 0, 0, padRight, dilation, dilation, groups, bias);
        PostOps postOps = sum ? PostOps.of(activation).withSum() : PostOps.of(activation);
        SplittableRandom r = new SplittableRandom(seed);
        try (MemoryScope scope = MemoryScope.open("conv")) {
            Tensor src = ints(scope, r, spec.srcShape());
            Tensor wei = ints(scope, r, spec.weightsShape());
            Tensor b = bias ? ints(scope, r, spec.biasShape()) : null;
            Tensor residual = ints(scope, r, spec.dstShape());
            Tensor diffDst = ints(scope, r, spec.dstShape());
            Tensor[] fwd = new Tensor[2];
            Backend[] backends = {JAVA, NATIVE};
            for (int i = 0; i < 2; i++) {
                fwd[i] = copy(scope, residual);
                Tensor packed = backends[i].conv2dPackWeights(spec, postOps, wei, scope);
                backends[i].conv2dForward(spec, postOps, src, packed, b, fwd[i]);
            }
            assertAgree(fwd[0], fwd[1], spec + " " + postOps + " forward");
            Tensor[] dx = {Tensor.zeros(scope, spec.srcShape().dims()), Tensor.zeros(scope, spec.srcShape().dims())};
            Tensor[] dw = {Tensor.zeros(scope, spec.weightsShape().dims()),
                    Tensor.zeros(scope, spec.weightsShape().dims())};
            Tensor[] db = {bias ? Tensor.zeros(scope, spec.biasShape().dims()) : null,
                    bias ? Tensor.zeros(scope, spec.biasShape().dims()) : null};
            for (int i = 0; i < 2; i++) {
                backends[i].conv2dBackwardData(spec, diffDst, wei, dx[i]);
                backends[i].conv2dBackwardWeights(spec, src, diffDst, dw[i], db[i]);
            }
            assertAgree(dx[0], dx[1], spec + " backward data");
            assertAgree(dw[0], dw[1], spec + " backward weights");
            if (bias) assertAgree(db[0], db[1], spec + " backward bias");
        }
    }

    @Property(tries = 60)
    void poolingAgreesForwardAndBackward(@ForAll @IntRange(min = 1, max = 2) int batch,
                                         @ForAll @IntRange(min = 1, max = 9) int height,
                                         @ForAll @IntRange(min = 1, max = 9) int width,
                                         @ForAll @IntRange(min = 1, max = 40) int channels,
                                         @ForAll @IntRange(min = 1, max = 4) int kh,
                                         @ForAll @IntRange(min = 1, max = 4) int kw,
                                         @ForAll @IntRange(min = 1, max = 3) int sh,
                                         @ForAll @IntRange(min = 1, max = 3) int sw,
                                         @ForAll @IntRange(min = 0, max = 3) int padBefore,
                                         @ForAll @IntRange(min = 0, max = 3) int padAfter,
                                         @ForAll Pool2dSpec.Kind kind,
                                         @ForAll long seed) {
        Assume.that(padBefore < Math.min(kh, kw) && padAfter < Math.min(kh, kw));
        Assume.that(height + padBefore + padAfter >= kh && width + padBefore + padAfter >= kw);
        Pool2dSpec spec = new Pool2dSpec(batch, height, width, channels, kh, kw, sh, sw, padBefore, padBefore,
                padAfter, padAfter, kind);
        SplittableRandom r = new SplittableRandom(seed);
        try (MemoryScope scope = MemoryScope.open("pool")) {
            // Distinct values: no ties, so both backends pick the same maximum.
            float[] v = new float[Math.toIntExact(spec.srcShape().size())];
            int offset = r.nextInt(v.length);
            for (int i = 0; i < v.length; i++) v[i] = (float) (((i + offset) * 7919L) % v.length - v.length / 2) / 4;
            Tensor src = Tensor.of(scope, v, spec.srcShape().dims());
            Tensor diffDst = ints(scope, r, spec.dstShape());
            Tensor[] dst = new Tensor[2];
            Tensor[] diffSrc = new Tensor[2];
            Backend[] backends = {JAVA, NATIVE};
            for (int i = 0; i < 2; i++) {
                dst[i] = Tensor.zeros(scope, spec.dstShape().dims());
                diffSrc[i] = Tensor.zeros(scope, spec.srcShape().dims());
                Tensor ws = backends[i].pool2dWorkspace(spec, scope);
                backends[i].pool2dForward(spec, src, dst[i], ws);
                backends[i].pool2dBackward(spec, diffDst, ws, diffSrc[i]);
            }
            assertAgree(dst[0], dst[1], spec + " forward");
            assertAgree(diffSrc[0], diffSrc[1], spec + " backward");
        }
    }

    @Property(tries = 60)
    void matrixProductsAgreeOnEveryEngine(@ForAll @IntRange(min = 1, max = 90) int m,
                                          @ForAll @IntRange(min = 1, max = 90) int n,
                                          @ForAll @IntRange(min = 1, max = 90) int k,
                                          @ForAll boolean ta,
                                          @ForAll boolean tb,
                                          @ForAll GemmEngine engine,
                                          @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        NATIVE.gemmEngine(engine);
        try (MemoryScope scope = MemoryScope.open("gemm")) {
            Tensor a = ints(scope, r, ta ? Shape.of(k, m) : Shape.of(m, k));
            Tensor b = ints(scope, r, tb ? Shape.of(n, k) : Shape.of(k, n));
            Tensor acc = ints(scope, r, Shape.of(m, n));
            Tensor expected = copy(scope, acc);
            Tensor actual = copy(scope, acc);
            JAVA.gemm(a, ta, b, tb, 2f, 1f, expected);
            NATIVE.gemm(a, ta, b, tb, 2f, 1f, actual);
            assertAgree(expected, actual, "gemm m" + m + " n" + n + " k" + k + " ta=" + ta + " tb=" + tb + " on "
                    + engine);
        } finally {
            NATIVE.gemmEngine(GemmEngine.AUTO);
        }
    }

    @Property(tries = 80)
    void broadcastingBinaryOpsAgree(@ForAll @IntRange(min = 1, max = 4) int rank,
                                    @ForAll BinaryOp op,
                                    @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) out[i] = r.nextInt(1, 6);
        Shape a = broadcastable(r, out);
        Shape b = broadcastable(r, out);
        long[] dst = new long[Math.max(a.rank(), b.rank())];
        for (int i = 1; i <= dst.length; i++) {
            dst[dst.length - i] = Math.max(i <= a.rank() ? a.dim(-i) : 1, i <= b.rank() ? b.dim(-i) : 1);
        }
        try (MemoryScope scope = MemoryScope.open("binary")) {
            Tensor ta = positive(scope, r, a);
            Tensor tb = positive(scope, r, b);
            Tensor expected = Tensor.zeros(scope, dst);
            Tensor actual = Tensor.zeros(scope, dst);
            JAVA.binary(op, ta, tb, expected);
            NATIVE.binary(op, ta, tb, actual);
            assertAgree(expected, actual, op + " " + a + " with " + b);
        }
    }

    @Property(tries = 60)
    void reductionsAgree(@ForAll @IntRange(min = 1, max = 4) int rank,
                         @ForAll ReduceOp op,
                         @ForAll boolean keepDims,
                         @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] dims = new long[rank];
        for (int i = 0; i < rank; i++) dims[i] = r.nextInt(1, 7);
        int[] axes = java.util.stream.IntStream.range(0, rank).filter(i -> r.nextBoolean()).toArray();
        long[] kept = dims.clone();
        for (int axis : axes) kept[axis] = 1;
        try (MemoryScope scope = MemoryScope.open("reduce")) {
            Tensor src = ints(scope, r, Shape.of(dims));
            Tensor expected = Tensor.zeros(scope, kept);
            Tensor actual = Tensor.zeros(scope, kept);
            JAVA.reduce(op, src, axes, expected);
            NATIVE.reduce(op, src, axes, actual);
            assertAgree(expected, actual, op + " of " + Shape.of(dims) + " over " + java.util.Arrays.toString(axes));
        }
    }

    @Property(tries = 40)
    void softmaxAndBatchNormAgree(@ForAll @IntRange(min = 1, max = 20) int rows,
                                  @ForAll @IntRange(min = 1, max = 40) int cols,
                                  @ForAll boolean log,
                                  @ForAll boolean fuseRelu,
                                  @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        try (MemoryScope scope = MemoryScope.open("softmax")) {
            Shape shape = Shape.of(rows, cols);
            Tensor src = uniform(scope, r, shape, -4, 4);
            Tensor[] y = {Tensor.zeros(scope, rows, cols), Tensor.zeros(scope, rows, cols)};
            JAVA.softmaxForward(src, log, y[0]);
            NATIVE.softmaxForward(src, log, y[1]);
            assertAgree(y[0], y[1], "softmax log=" + log + " " + shape);

            Tensor gamma = uniform(scope, r, Shape.of(cols), 0.5, 1.5);
            Tensor beta = uniform(scope, r, Shape.of(cols), -0.5, 0.5);
            Tensor[] bn = {Tensor.zeros(scope, rows, cols), Tensor.zeros(scope, rows, cols)};
            Backend[] backends = {JAVA, NATIVE};
            for (int i = 0; i < 2; i++) {
                Tensor ws = backends[i].batchNormWorkspace(shape, fuseRelu, scope);
                backends[i].batchNormForwardTraining(src, gamma, beta, 1e-3f, 0.99f, Tensor.zeros(scope, cols),
                        Tensor.zeros(scope, cols), fuseRelu, bn[i], Tensor.zeros(scope, cols),
                        Tensor.zeros(scope, cols), ws);
            }
            assertAgree(bn[0], bn[1], "batch norm relu=" + fuseRelu + " " + shape);
        }
    }

    /** A shape that broadcasts to {@code out}: a suffix of its axes, each kept or set to 1. */
    private static Shape broadcastable(SplittableRandom r, long[] out) {
        int rank = r.nextInt(1, out.length + 1);
        long[] dims = new long[rank];
        for (int i = 0; i < rank; i++) {
            long d = out[out.length - rank + i];
            dims[i] = r.nextInt(3) == 0 ? 1 : d;
        }
        return Shape.of(dims);
    }

    private static Tensor ints(MemoryScope scope, SplittableRandom r, Shape shape) {
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) v[i] = r.nextInt(-3, 4);
        return Tensor.of(scope, v, shape.dims());
    }

    /** Small integers without 0, so division stays finite. */
    private static Tensor positive(MemoryScope scope, SplittableRandom r, Shape shape) {
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) v[i] = r.nextInt(1, 5) * (r.nextBoolean() ? 1 : -1);
        return Tensor.of(scope, v, shape.dims());
    }

    private static Tensor uniform(MemoryScope scope, SplittableRandom r, Shape shape, double lo, double hi) {
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextDouble(lo, hi);
        return Tensor.of(scope, v, shape.dims());
    }

    private static Tensor copy(MemoryScope scope, Tensor t) {
        return Tensor.of(scope, t.toFloatArray(), t.shape().dims());
    }

    private static void assertAgree(Tensor expected, Tensor actual, String what) {
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        double worst = 0;
        for (int i = 0; i < e.length; i++) {
            double err = Math.abs(a[i] - e[i]) / Math.max(1.0, Math.abs(e[i]));
            worst = Math.max(worst, Double.isNaN(err) ? Double.POSITIVE_INFINITY : err);
        }
        assertEquals(0, worst, TOLERANCE, what);
    }
}
