package dev.panamax.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every op, given one operand of a wrong shape, throws IllegalArgumentException naming the op
 * and the shape of every operand, on both backends, and writes nothing: the check comes before
 * any work or native call.
 */
class BadShapesTest {
    private static final float UNTOUCHED = 12345f;
    private MemoryScope scope;

    @BeforeEach
    void open() {
        scope = MemoryScope.open("bad shapes");
    }

    @AfterEach
    void close() {
        scope.close();
    }

    /** A wrong call of one op: what it must name, the output it must leave alone, and the call. */
    private record BadCall(String op, List<String> named, Tensor output, BiConsumer<Backend, Tensor> call) {
    }

    private Tensor t(long... dims) {
        Tensor x = Tensor.zeros(scope, dims);
        x.fill(1f);
        return x;
    }

    private Tensor out(long... dims) {
        Tensor x = Tensor.zeros(scope, dims);
        x.fill(UNTOUCHED);
        return x;
    }

    private List<BadCall> badCalls() {
        Conv2dSpec conv = Conv2dSpec.parse("n2_c3h8w8_oc4k3s1p1_b");
        Pool2dSpec pool = Pool2dSpec.parse("n2_c4h8w8_k2s2p0_max");
        Pool2dSpec avg = Pool2dSpec.parse("n2_c4h8w8_k2s2p0_avg");
        Tensor labels = Tensor.zeros(scope, DType.INT32, Shape.of(4));
        Tensor badLabels = Tensor.zeros(scope, DType.INT32, Shape.of(4));
        badLabels.setInt(10, 2);
        Tensor indices = Tensor.zeros(scope, DType.INT32, Shape.of(3));
        Tensor badIndices = Tensor.zeros(scope, DType.INT32, Shape.of(3));
        badIndices.setInt(-1, 1);
        return List.of(
                new BadCall("gemm", List.of("[2, 3]", "[4, 5]", "[2, 5]"), out(2, 5),
                        (b, o) -> b.gemm(t(2, 3), false, t(4, 5), false, 1f, 0f, o)),
                new BadCall("batched_matmul", List.of("[2, 3, 4]", "[3, 4, 5]", "[2, 3, 5]"), out(2, 3, 5),
                        (b, o) -> b.batchedMatmul(t(2, 3, 4), false, t(3, 4, 5), false, o)),
                new BadCall("dense", List.of("[6, 4]", "[5, 3]", "[3]", "[6, 3]"), out(6, 3),
                        (b, o) -> b.denseForward(t(6, 4), t(5, 3), t(3), PostOps.NONE, o)),
                new BadCall("dense_backward", List.of("[6, 4]", "[4, 3]", "[6, 2]", "[6, 4]", "[4, 3]", "[3]"),
                        out(6, 4), (b, o) -> b.denseBackward(t(6, 4), t(4, 3), t(6, 2), o, out(4, 3), out(3))),
                new BadCall("conv2d", List.of("[2, 8, 8, 3]", "[3, 3, 3, 4]", "[4]", "[2, 6, 6, 4]", "n2_c3h8w8_oc4k3s1p1_b"),
                        out(2, 6, 6, 4), (b, o) -> b.conv2dForward(conv, t(2, 8, 8, 3), t(3, 3, 3, 4), t(4), o)),
                new BadCall("conv2d_backward_data", List.of("[2, 8, 8, 4]", "[3, 3, 3, 4]", "[2, 8, 8, 4]"),
                        out(2, 8, 8, 4), (b, o) -> b.conv2dBackwardData(conv, t(2, 8, 8, 4), t(3, 3, 3, 4), o)),
                new BadCall("conv2d_backward_weights", List.of("[2, 8, 8, 3]", "[2, 8, 8, 4]", "[3, 3, 4, 4]", "[4]"),
                        out(3, 3, 4, 4), (b, o) -> b.conv2dBackwardWeights(conv, t(2, 8, 8, 3), t(2, 8, 8, 4), o, out(4))),
                new BadCall("pool2d", List.of("[2, 8, 8, 4]", "[2, 4, 4, 3]", "n2_c4h8w8_k2s2p0_max"), out(2, 4, 4, 3),
                        (b, o) -> b.pool2dForward(pool, t(2, 8, 8, 4), o, null)),
                new BadCall("pool2d_backward", List.of("[2, 4, 4, 4]", "none", "[2, 8, 8, 4]", "max pooling needs"),
                        out(2, 8, 8, 4), (b, o) -> b.pool2dBackward(pool, t(2, 4, 4, 4), null, o)),
                new BadCall("pool2d", List.of("average pooling keeps no workspace"), out(2, 4, 4, 4),
                        (b, o) -> b.pool2dForward(avg, t(2, 8, 8, 4), o, b.pool2dWorkspace(pool, scope))),
                new BadCall("batch_norm", List.of("[4, 5]", "[4]", "[5]", "[4, 5]"), out(4, 5),
                        (b, o) -> b.batchNormForwardTraining(t(4, 5), t(4), t(5), 1e-3f, 0.99f, out(5), out(5), false,
                                o, out(5), out(5), null)),
                new BadCall("batch_norm_inference", List.of("[4, 5]", "[5]", "[3]", "[4, 5]"), out(4, 5),
                        (b, o) -> b.batchNormForwardInference(t(4, 5), t(5), t(5), t(5), t(3), 1e-3f, false, o)),
                new BadCall("batch_norm_backward", List.of("[4, 5]", "[4, 6]", "[5]"), out(4, 5),
                        (b, o) -> b.batchNormBackward(t(4, 5), t(4, 6), t(5), t(5), t(5), 1e-3f, false, null, o,
                                out(5), out(5))),
                new BadCall("layerNormForward", List.of("[3, 6]", "[5]", "[6]", "[3, 6]", "[3]"), out(3, 6),
                        (b, o) -> b.layerNormForward(t(3, 6), t(5), t(6), 1e-3f, o, out(3), out(3))),
                new BadCall("layerNormBackward", List.of("[3, 6]", "[3, 5]", "[6]"), out(3, 6),
                        (b, o) -> b.layerNormBackward(t(3, 6), t(3, 5), t(6), t(3), t(3), 1e-3f, o, out(6), out(6))),
                new BadCall("activationForward gelu", List.of("[4, 5]", "[5, 4]"), out(5, 4),
                        (b, o) -> b.activationForward(Activation.GELU, 0f, t(4, 5), o)),
                new BadCall("activationBackward elu", List.of("[4, 5]", "[4, 4]", "[4, 5]"), out(4, 5),
                        (b, o) -> b.activationBackward(Activation.ELU, 1f, t(4, 5), t(4, 4), o)),
                new BadCall("binary SUB", List.of("[2, 3]", "[4]", "do not broadcast"), out(2, 3),
                        (b, o) -> b.binary(BinaryOp.SUB, t(2, 3), t(4), o)),
                new BadCall("affine", List.of("[6]", "[5]"), out(5), (b, o) -> b.affine(t(6), 2f, 1f, o)),
                new BadCall("reduce MEAN", List.of("[2, 3, 4]", "[1]", "[2, 3]", "axes kept"), out(2, 3),
                        (b, o) -> b.reduce(ReduceOp.MEAN, t(2, 3, 4), new int[] {1}, o)),
                new BadCall("softmaxForward", List.of("[3, 4]", "[4, 3]"), out(4, 3),
                        (b, o) -> b.softmaxForward(t(3, 4), false, o)),
                new BadCall("softmaxBackward (log)", List.of("[3, 4]", "[3, 5]"), out(3, 4),
                        (b, o) -> b.softmaxBackward(t(3, 4), t(3, 5), true, o)),
                new BadCall("softmaxCrossEntropy", List.of("label 10 at row 2", "[4, 10]", "int32[4]"), out(4),
                        (b, o) -> b.softmaxCrossEntropy(t(4, 10), badLabels, o, out(4, 10), 1f)),
                new BadCall("softmaxCrossEntropy", List.of("[4, 10]", "int32[4]", "[3]"), out(3),
                        (b, o) -> b.softmaxCrossEntropy(t(4, 10), labels, o, null, 1f)),
                new BadCall("dropoutForward", List.of("[8]", "[8]", "[7]"), out(8),
                        (b, o) -> b.dropoutForward(0.5f, 1, t(8), o, out(7))),
                new BadCall("concat", List.of("[2, 3]", "[2, 4]", "[2, 8]", "add up to 7"), out(2, 8),
                        (b, o) -> b.concat(1, List.of(t(2, 3), t(2, 4)), o)),
                new BadCall("split", List.of("[2, 8]", "[2, 3]", "[3, 5]"), out(2, 3),
                        (b, o) -> b.split(1, t(2, 8), List.of(o, out(3, 5)))),
                new BadCall("transpose", List.of("[2, 3, 4]", "[1, 0, 2]", "[2, 3, 4]"), out(2, 3, 4),
                        (b, o) -> b.transpose(t(2, 3, 4), new int[] {1, 0, 2}, o)),
                new BadCall("pad", List.of("[2, 3]", "[1, 0]", "[0, 2]", "[3, 4]", "dst must be [3, 5]"), out(3, 4),
                        (b, o) -> b.pad(t(2, 3), new long[] {1, 0}, new long[] {0, 2}, 0f, o)),
                new BadCall("gatherRows", List.of("index -1", "[5, 4]", "int32[3]", "[3, 4]"), out(3, 4),
                        (b, o) -> b.gatherRows(t(5, 4), badIndices, o)),
                new BadCall("scatterAddRows", List.of("[3, 5]", "int32[3]", "[5, 4]"), out(5, 4),
                        (b, o) -> b.scatterAddRows(t(3, 5), indices, o)),
                new BadCall("sgdUpdate", List.of("[6]", "[5]"), out(6),
                        (b, o) -> b.sgdUpdate(o, t(5), null, 0.1f, 0f, false, 0f)),
                new BadCall("adamUpdate", List.of("[6]", "[6]", "[6]", "[4]"), out(6),
                        (b, o) -> b.adamUpdate(o, t(6), out(6), out(4), 1e-3f, 0.9f, 0.999f, 1e-7f, 1, 0f)),
                new BadCall("rmspropUpdate", List.of("[6]", "[6]", "[6]", "[3]"), out(6),
                        (b, o) -> b.rmspropUpdate(o, t(6), out(6), out(3), 1e-3f, 0.9f, 0.5f, 1e-7f, 0f)));
    }

    static Stream<Arguments> cases() {
        BadShapesTest shapes = new BadShapesTest();
        shapes.open();
        int n = shapes.badCalls().size();
        shapes.close();
        return Stream.of("java", "native").flatMap(b -> java.util.stream.IntStream.range(0, n)
                .mapToObj(i -> Arguments.of(b, i)));
    }

    @ParameterizedTest(name = "{0} #{1}")
    @MethodSource("cases")
    void aWrongShapeNamesTheOpAndEveryOperandAndWritesNothing(String backendName, int index) {
        Backend backend = Backends.get(backendName);
        BadCall bad = badCalls().get(index);
        float[] before = bad.output().toFloatArray();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bad.call().accept(backend, bad.output()), bad.op());
        assertTrue(e.getMessage().startsWith(bad.op() + ":"), "message does not start with the op: " + e.getMessage());
        for (String part : bad.named()) {
            assertTrue(e.getMessage().contains(part), "message lacks '" + part + "': " + e.getMessage());
        }
        assertArrayEquals(before, bad.output().toFloatArray(), bad.op() + " wrote before its check");
    }
}
