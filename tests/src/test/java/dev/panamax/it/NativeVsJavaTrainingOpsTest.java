package dev.panamax.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.backend.Activation;
import dev.panamax.backend.Backend;
import dev.panamax.backend.Backends;
import dev.panamax.backend.BinaryOp;
import dev.panamax.backend.Conv2dSpec;
import dev.panamax.backend.Pool2dSpec;
import dev.panamax.backend.PostOps;
import dev.panamax.backend.ReduceOp;
import dev.panamax.tensor.DType;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every training op of the native backend agrees with the Java backend (the specification)
 * within 1e-4 relative error, forward and backward, on a shared list of shapes.
 */
class NativeVsJavaTrainingOpsTest {
    private static final double TOLERANCE = 1e-4;
    private final Backend nat = Backends.get("native");
    private final Backend java = Backends.get("java");
    private MemoryScope scope;

    @BeforeEach
    void open() {
        scope = MemoryScope.open("ops");
    }

    @AfterEach
    void close() {
        scope.close();
    }

    private Tensor ints(Shape shape, long seed, int range) {
        return TestData.smallIntegers(scope, shape, seed, range);
    }

    private Tensor uniform(Shape shape, long seed, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextDouble(lo, hi);
        return Tensor.of(scope, v, shape.dims());
    }

    private Tensor zeros(Shape shape) {
        return Tensor.zeros(scope, DType.FLOAT32, shape);
    }

    /** Runs {@code op} on both backends with fresh outputs of {@code shapes}; compares every output. */
    private void agree(String what, List<Shape> outputShapes, BiConsumer<Backend, List<Tensor>> op) {
        agree(what, 0.3, outputShapes, op);
    }

    /** As above; some output must have more than {@code minNonZero} of its elements non-zero. */
    private void agree(String what, double minNonZero, List<Shape> outputShapes, BiConsumer<Backend, List<Tensor>> op) {
        List<Tensor> expected = outputShapes.stream().map(this::zeros).toList();
        List<Tensor> actual = outputShapes.stream().map(s -> {
            Tensor t = zeros(s);
            t.fill(Float.NaN); // outputs are overwritten, never accumulated
            return t;
        }).toList();
        op.accept(java, expected);
        op.accept(nat, actual);
        boolean anyNonZero = false;
        for (int i = 0; i < expected.size(); i++) {
            float[] e = expected.get(i).toFloatArray();
            assertEquals(0, TestData.maxRelativeError(actual.get(i).toFloatArray(), e), TOLERANCE, what + " output " + i);
            anyNonZero |= TestData.nonZeroFraction(e) > minNonZero;
        }
        assertTrue(anyNonZero, what + ": outputs are mostly zero, the comparison proves little");
    }

    @ParameterizedTest
    @MethodSource("dev.panamax.it.OpShapes#convs")
    void conv2dBackwardAgrees(String descriptor) {
        Conv2dSpec spec = Conv2dSpec.parse(descriptor);
        Tensor src = ints(spec.srcShape(), 1, 2);
        Tensor wei = ints(spec.weightsShape(), 2, 2);
        Tensor diffDst = ints(spec.dstShape(), 3, 2);
        // With a stride larger than the kernel some inputs are in no window: their gradient is 0.
        agree(descriptor + " backward data", 0.5 * coveredFraction(spec), List.of(spec.srcShape()),
                (b, out) -> b.conv2dBackwardData(spec, diffDst, wei, out.get(0)));
        List<Shape> grads = spec.hasBias() ? List.of(spec.weightsShape(), spec.biasShape()) : List.of(spec.weightsShape());
        agree(descriptor + " backward weights", grads, (b, out) -> b.conv2dBackwardWeights(spec, src, diffDst,
                out.get(0), spec.hasBias() ? out.get(1) : null));
    }

    /** The fraction of input elements some output reads: where backward data can be non-zero. */
    private double coveredFraction(Conv2dSpec spec) {
        Tensor ones = zeros(spec.dstShape());
        ones.fill(1);
        Tensor onesWei = zeros(spec.weightsShape());
        onesWei.fill(1);
        Tensor covered = zeros(spec.srcShape());
        java.conv2dBackwardData(spec, ones, onesWei, covered);
        return TestData.nonZeroFraction(covered.toFloatArray());
    }

    /**
     * Every activation, with and without the residual sum, and the sum alone, fused into
     * convolutions of several kinds (plain, grouped, depthwise and dilated, strided 1x1).
     */
    static Stream<Arguments> postOps() {
        List<String> specs = List.of("n2_c8h9w9_oc16k3s1p1_b", "n2_c6h9w7_oc4k3s1p1g2_b", "n1_c8h10w10_oc8k3s1p2d2g8",
                "n2_c3h8w7_oc2k1s3p0_b");
        List<PostOps> postOps = new java.util.ArrayList<>();
        for (Activation a : Activation.values()) {
            postOps.add(PostOps.of(a));
            postOps.add(PostOps.of(a).withSum());
        }
        postOps.add(new PostOps(Activation.LEAKY_RELU, 0.1f, false));
        postOps.add(new PostOps(Activation.ELU, 0.5f, true));
        return specs.stream().flatMap(spec -> postOps.stream().map(p -> Arguments.of(spec, p)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("postOps")
    void conv2dFusedPostOpsAgree(String descriptor, PostOps postOps) {
        Conv2dSpec spec = Conv2dSpec.parse(descriptor);
        Tensor src = uniform(spec.srcShape(), 4, -1, 1);
        Tensor wei = uniform(spec.weightsShape(), 5, -0.3, 0.3);
        Tensor bias = spec.hasBias() ? uniform(spec.biasShape(), 6, -0.5, 0.5) : null;
        Tensor residual = uniform(spec.dstShape(), 7, -1, 1);
        agree(descriptor + " " + postOps, List.of(spec.dstShape()), (b, out) -> {
            out.get(0).copyFrom(residual.toFloatArray());
            b.conv2dForward(spec, postOps, src, b.conv2dPackWeights(spec, postOps, wei, scope), bias, out.get(0));
        });
    }

    @ParameterizedTest
    @MethodSource("dev.panamax.it.OpShapes#pools")
    void poolingAgrees(Pool2dSpec spec) {
        String descriptor = spec.descriptor();
        // Distinct values: no ties, so both backends pick the same maximum.
        float[] v = new float[Math.toIntExact(spec.srcShape().size())];
        for (int i = 0; i < v.length; i++) v[i] = (float) (((i * 7919L) % v.length) - v.length / 2) / 8;
        Tensor src = Tensor.of(scope, v, spec.srcShape().dims());
        Tensor diffDst = ints(spec.dstShape(), 8, 3);
        agree(descriptor + " forward", List.of(spec.dstShape()), (b, out) -> b.pool2dForward(spec, src, out.get(0), null));
        agree(descriptor + " backward", List.of(spec.dstShape(), spec.srcShape()), (b, out) -> {
            Tensor ws = b.pool2dWorkspace(spec, scope);
            b.pool2dForward(spec, src, out.get(0), ws);
            b.pool2dBackward(spec, diffDst, ws, out.get(1));
        });
    }

    static Stream<Arguments> batchNormShapes() {
        long[][] shapes = {{4, 5, 3, 8}, {6, 17}, {1, 3, 3, 5}, {2, 4, 4, 32}};
        return Stream.of(shapes).flatMap(d -> Stream.of(Arguments.of(Shape.of(d), false), Arguments.of(Shape.of(d), true)));
    }

    @ParameterizedTest(name = "{0} relu={1}")
    @MethodSource("batchNormShapes")
    void batchNormAgrees(Shape shape, boolean fuseRelu) {
        Shape c = Shape.of(shape.dim(-1));
        Tensor src = uniform(shape, 9, -2, 2);
        Tensor gamma = uniform(c, 10, 0.5, 1.5);
        Tensor beta = uniform(c, 11, -0.5, 0.5);
        Tensor diffDst = uniform(shape, 12, -1, 1);
        Tensor movingMean0 = uniform(c, 13, -0.1, 0.1);
        Tensor movingVar0 = uniform(c, 14, 0.9, 1.1);
        agree("batch norm training " + shape + " relu=" + fuseRelu, List.of(shape, c, c, c, c, shape, c, c), (b, out) -> {
            out.get(3).copyFrom(movingMean0.toFloatArray());
            out.get(4).copyFrom(movingVar0.toFloatArray());
            Tensor ws = b.batchNormWorkspace(shape, fuseRelu, scope);
            b.batchNormForwardTraining(src, gamma, beta, 1e-3f, 0.99f, out.get(3), out.get(4), fuseRelu, out.get(0),
                    out.get(1), out.get(2), ws);
            b.batchNormBackward(src, diffDst, gamma, out.get(1), out.get(2), 1e-3f, fuseRelu, ws, out.get(5),
                    out.get(6), out.get(7));
        });
        agree("batch norm inference " + shape + " relu=" + fuseRelu, List.of(shape),
                (b, out) -> b.batchNormForwardInference(src, gamma, beta, movingMean0, movingVar0, 1e-3f, fuseRelu,
                        out.get(0)));
    }

    @Test
    void layerNormAgrees() {
        Shape shape = Shape.of(6, 5, 12);
        Shape rows = Shape.of(6, 5);
        Shape c = Shape.of(12);
        Tensor src = uniform(shape, 15, -2, 2);
        Tensor gamma = uniform(c, 16, 0.5, 1.5);
        Tensor beta = uniform(c, 17, -0.5, 0.5);
        Tensor diffDst = uniform(shape, 18, -1, 1);
        agree("layer norm", List.of(shape, rows, rows, shape, c, c), (b, out) -> {
            b.layerNormForward(src, gamma, beta, 1e-3f, out.get(0), out.get(1), out.get(2));
            b.layerNormBackward(src, diffDst, gamma, out.get(1), out.get(2), 1e-3f, out.get(3), out.get(4), out.get(5));
        });
    }

    @Test
    void denseAndMatrixProductsAgree() {
        Tensor x = ints(Shape.of(33, 17), 19, 2);
        Tensor kernel = ints(Shape.of(17, 9), 20, 2);
        Tensor bias = ints(Shape.of(9), 21, 2);
        Tensor diffDst = ints(Shape.of(33, 9), 22, 2);
        for (Activation a : Activation.values()) {
            agree("dense " + a, List.of(Shape.of(33, 9)), (b, out) -> b.denseForward(x, kernel, bias, PostOps.of(a), out.get(0)));
        }
        agree("dense backward", List.of(Shape.of(33, 17), Shape.of(17, 9), Shape.of(9)),
                (b, out) -> b.denseBackward(x, kernel, diffDst, out.get(0), out.get(1), out.get(2)));
        Tensor qa = ints(Shape.of(3, 7, 5), 23, 2);
        Tensor qb = ints(Shape.of(3, 5, 4), 24, 2);
        Tensor qbT = ints(Shape.of(3, 4, 5), 25, 2);
        agree("batched matmul", List.of(Shape.of(3, 7, 4), Shape.of(3, 7, 4)), (b, out) -> {
            b.batchedMatmul(qa, false, qb, false, out.get(0));
            b.batchedMatmul(qa, false, qbT, true, out.get(1));
        });
        Tensor acc = ints(Shape.of(33, 9), 26, 2);
        agree("gemm accumulate", List.of(Shape.of(33, 9)), (b, out) -> {
            out.get(0).copyFrom(acc.toFloatArray());
            b.gemm(x, false, kernel, false, 0.5f, 1f, out.get(0));
        });
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void activationsAgree(Activation a) {
        Shape shape = Shape.of(7, 13);
        Tensor src = uniform(shape, 27, -4, 4);
        Tensor diffDst = uniform(shape, 28, -1, 1);
        float alpha = a == Activation.LEAKY_RELU ? 0.3f : 1f;
        agree("activation " + a, List.of(shape, shape), (b, out) -> {
            b.activationForward(a, alpha, src, out.get(0));
            b.activationBackward(a, alpha, src, diffDst, out.get(1));
        });
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void broadcastingBinaryOpsAgree(BinaryOp op) {
        Tensor a = uniform(Shape.of(2, 1, 3), 29, 1, 3);
        Tensor b = uniform(Shape.of(4, 1), 30, 1, 3);
        Tensor bias = uniform(Shape.of(3), 31, 1, 3);
        // Axes each operand repeats, next to a size-1 axis of the longer one: the native shim once
        // merged such axes wrongly and read past b.
        Tensor column = uniform(Shape.of(2, 1), 41, 1, 3);
        Tensor rows = uniform(Shape.of(1, 3, 1, 4), 42, 1, 3);
        agree("binary " + op, List.of(Shape.of(2, 4, 3), Shape.of(2, 1, 3), Shape.of(1, 3, 2, 4)), (be, out) -> {
            be.binary(op, a, b, out.get(0));
            be.binary(op, a, bias, out.get(1));
            be.binary(op, column, rows, out.get(2));
        });
    }

    @Test
    void reductionsAffineAndSoftmaxAgree() {
        Shape shape = Shape.of(3, 4, 5);
        Tensor src = uniform(shape, 32, -3, 3);
        for (ReduceOp op : ReduceOp.values()) {
            agree("reduce " + op, List.of(Shape.of(5), Shape.of(3, 1, 5), Shape.of(1)), (b, out) -> {
                b.reduce(op, src, new int[] {0, 1}, out.get(0));
                b.reduce(op, src, new int[] {-2}, out.get(1));
                b.reduce(op, src, new int[] {0, 1, 2}, out.get(2));
            });
        }
        agree("affine", List.of(shape), (b, out) -> b.affine(src, 0.5f, -2f, out.get(0)));
        Tensor diffDst = uniform(shape, 33, -1, 1);
        for (boolean log : new boolean[] {false, true}) {
            agree("softmax log=" + log, List.of(shape, shape), (b, out) -> {
                b.softmaxForward(src, log, out.get(0));
                b.softmaxBackward(out.get(0), diffDst, log, out.get(1));
            });
        }
    }

    @Test
    void softmaxCrossEntropyAgreesForBothLabelKinds() {
        Tensor logits = uniform(Shape.of(6, 10), 34, -5, 5);
        Tensor sparse = Tensor.zeros(scope, DType.INT32, Shape.of(6));
        Tensor dense = zeros(Shape.of(6, 10));
        for (int r = 0; r < 6; r++) {
            sparse.setInt((r * 3) % 10, r);
            dense.setFloat(1f, r, (r * 3) % 10);
        }
        for (Tensor labels : new Tensor[] {sparse, dense}) {
            agree("softmax cross-entropy " + labels.dtype(), List.of(Shape.of(6), Shape.of(6, 10)),
                    (b, out) -> b.softmaxCrossEntropy(logits, labels, out.get(0), out.get(1), 1f / 6));
        }
    }

    @Test
    void dropoutMasksAreIdenticalOnBothBackends() {
        Shape shape = Shape.of(64, 33);
        Tensor src = uniform(shape, 35, 0.5, 1.5);
        Tensor[] masks = new Tensor[2];
        Backend[] backends = {java, nat};
        for (int i = 0; i < 2; i++) {
            masks[i] = zeros(shape);
            backends[i].dropoutForward(0.3f, 1234L, src, zeros(shape), masks[i]);
        }
        assertArrayEquals(masks[0].toFloatArray(), masks[1].toFloatArray(), "dropout masks");
    }

    @Test
    void shapeOpsAgree() {
        Tensor a = ints(Shape.of(2, 3, 4), 36, 5);
        Tensor b = ints(Shape.of(2, 2, 4), 37, 5);
        agree("concat", List.of(Shape.of(2, 5, 4)), (be, out) -> be.concat(1, List.of(a, b), out.get(0)));
        agree("split", List.of(Shape.of(2, 3, 1), Shape.of(2, 3, 3)), (be, out) -> be.split(-1, a, out));
        agree("transpose", List.of(Shape.of(4, 2, 3), Shape.of(3, 2, 4)), (be, out) -> {
            be.transpose(a, new int[] {2, 0, 1}, out.get(0));
            be.transpose(a, new int[] {1, 0, 2}, out.get(1));
        });
        agree("pad", List.of(Shape.of(3, 6, 5)), (be, out) -> be.pad(a, new long[] {1, 2, 0}, new long[] {0, 1, 1},
                -1f, out.get(0)));
    }

    @Test
    void optimizerUpdatesAgree() {
        Shape shape = Shape.of(1000);
        Tensor grad = uniform(shape, 38, -1, 1);
        Tensor p0 = uniform(shape, 39, -1, 1);
        Tensor s0 = uniform(shape, 40, 0, 0.1);
        agree("sgd nesterov", List.of(shape, shape), (b, out) -> {
            out.get(0).copyFrom(p0.toFloatArray());
            out.get(1).fill(0);
            for (int step = 0; step < 3; step++) b.sgdUpdate(out.get(0), grad, out.get(1), 0.1f, 0.9f, true, 1e-4f);
        });
        agree("adamw", List.of(shape, shape, shape), (b, out) -> {
            out.get(0).copyFrom(p0.toFloatArray());
            out.get(1).fill(0);
            out.get(2).fill(0);
            for (int step = 1; step <= 3; step++) {
                b.adamUpdate(out.get(0), grad, out.get(1), out.get(2), 1e-3f, 0.9f, 0.999f, 1e-7f, step, 4e-3f);
            }
        });
        agree("rmsprop momentum", List.of(shape, shape, shape), (b, out) -> {
            out.get(0).copyFrom(p0.toFloatArray());
            out.get(1).copyFrom(s0.toFloatArray());
            out.get(2).fill(0);
            for (int step = 0; step < 3; step++) {
                b.rmspropUpdate(out.get(0), grad, out.get(1), out.get(2), 1e-3f, 0.9f, 0.5f, 1e-7f, 0f);
            }
        });
    }
}
