package dev.panamax.backend.purejava;

import static dev.panamax.backend.purejava.TestTensors.assertClose;
import static dev.panamax.backend.purejava.TestTensors.assertMessage;
import static dev.panamax.backend.purejava.TestTensors.assertMostlyNonZero;
import static dev.panamax.backend.purejava.TestTensors.distinct;
import static dev.panamax.backend.purejava.TestTensors.doubles;
import static dev.panamax.backend.purejava.TestTensors.floats;
import static dev.panamax.backend.purejava.TestTensors.numericGradient;
import static dev.panamax.backend.purejava.TestTensors.smallInts;
import static dev.panamax.backend.purejava.TestTensors.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.panamax.ComputeThreads;
import dev.panamax.backend.Pool2dSpec;
import dev.panamax.tensor.DType;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Max and average pooling, forward against the definition and backward against central differences. */
class JavaPoolingTest {
    private static final JavaBackend BACKEND = new JavaBackend();
    private static int savedThreads;

    static List<String> descriptors() {
        return List.of(
                "n2_c3h7w7_k3s2p1_max",
                "n2_c3h7w7_k3s2p1_avg",
                "n2_c3h7w7_k3s2p1_avgpad",
                "n1_c5h6w7_kh3kw2sh1sw2pt1pl0pb2pr1_max",  // overlapping windows, asymmetric padding
                "n1_c5h6w7_kh3kw2sh1sw2pt1pl0pb2pr1_avg",
                "n1_c5h6w7_kh3kw2sh1sw2pt1pl0pb2pr1_avgpad",
                "n2_c70h5w5_k2s2p0_max",                   // channel blocks; stride = kernel
                "n1_c70h9w8_k3s1p1_avg",
                "n1_c2h9w9_k2s3p1_max");                   // stride larger than the kernel
    }

    @BeforeAll
    static void saveThreads() {
        savedThreads = ComputeThreads.get();
    }

    @AfterAll
    static void restoreThreads() {
        ComputeThreads.set(savedThreads);
        BACKEND.close();
    }

    @ParameterizedTest
    @MethodSource("descriptors")
    void forwardMatchesTheDefinition(String descriptor) {
        Pool2dSpec spec = Pool2dSpec.parse(descriptor);
        Random random = new Random(descriptor.hashCode());
        try (MemoryScope scope = MemoryScope.open("pool")) {
            Tensor src = spec.kind() == Pool2dSpec.Kind.MAX ? distinct(scope, random, spec.srcShape())
                    : smallInts(scope, random, spec.srcShape());
            float[] expected = floats(ReferenceOps.pool2d(spec, doubles(src)));
            Tensor dst = Tensor.zeros(scope, DType.FLOAT32, spec.dstShape());
            Tensor workspace = BACKEND.pool2dWorkspace(spec, scope);
            if (spec.kind() != Pool2dSpec.Kind.MAX) assertNull(workspace);
            for (int threads : new int[] {1, 3}) {
                ComputeThreads.set(threads);
                dst.fill(Float.NaN);
                BACKEND.pool2dForward(spec, src, dst, workspace);
                assertArrayEquals(expected, dst.toFloatArray(), descriptor + " threads=" + threads);
                dst.fill(Float.NaN);
                BACKEND.pool2dForward(spec, src, dst, null); // inference keeps nothing
                assertArrayEquals(expected, dst.toFloatArray(), descriptor + " without workspace");
            }
            assertMostlyNonZero(expected, descriptor);
        }
    }

    @ParameterizedTest
    @MethodSource("descriptors")
    void backwardMatchesCentralDifferences(String descriptor) {
        Pool2dSpec spec = Pool2dSpec.parse(descriptor);
        Random random = new Random(descriptor.hashCode() + 1);
        try (MemoryScope scope = MemoryScope.open("pool grad")) {
            // Distinct values 0.25 apart: a step of h never changes which element is the maximum.
            Tensor src = distinct(scope, random, spec.srcShape());
            Tensor diffDst = uniform(scope, random, spec.dstShape());
            double[] expected = numericGradient(v -> ReferenceOps.pool2d(spec, v), doubles(src), doubles(diffDst),
                    1e-2);
            Tensor dst = Tensor.zeros(scope, DType.FLOAT32, spec.dstShape());
            Tensor workspace = BACKEND.pool2dWorkspace(spec, scope);
            BACKEND.pool2dForward(spec, src, dst, workspace);
            Tensor diffSrc = Tensor.zeros(scope, DType.FLOAT32, spec.srcShape());
            float[] first = null;
            for (int threads : new int[] {1, 4}) {
                ComputeThreads.set(threads);
                diffSrc.fill(Float.NaN);
                BACKEND.pool2dBackward(spec, diffDst, workspace, diffSrc);
                assertClose(expected, diffSrc.toFloatArray(), 1e-5, descriptor + " threads=" + threads);
                if (first == null) first = diffSrc.toFloatArray();
                else assertArrayEquals(first, diffSrc.toFloatArray(), descriptor + ": thread count changed the result");
            }
        }
    }

    @Test
    void maxGradientGoesToTheFirstMaximumOfATie() {
        Pool2dSpec spec = Pool2dSpec.parse("n1_c1h2w2_k2s1p0_max");
        try (MemoryScope scope = MemoryScope.open("tie")) {
            Tensor src = Tensor.of(scope, new float[] {1, 5, 5, 5}, 1, 2, 2, 1);
            Tensor dst = Tensor.zeros(scope, 1, 1, 1, 1);
            Tensor workspace = BACKEND.pool2dWorkspace(spec, scope);
            BACKEND.pool2dForward(spec, src, dst, workspace);
            Tensor diffSrc = Tensor.zeros(scope, 1, 2, 2, 1);
            BACKEND.pool2dBackward(spec, Tensor.of(scope, new float[] {3}, 1, 1, 1, 1), workspace, diffSrc);
            assertArrayEquals(new float[] {0, 3, 0, 0}, diffSrc.toFloatArray());
            assertEquals(5f, dst.getFloat(0, 0, 0, 0));
        }
    }

    @Test
    void badInputsAreNamed() {
        Pool2dSpec max = Pool2dSpec.parse("n2_c3h7w7_k3s2p1_max");
        Pool2dSpec avg = Pool2dSpec.parse("n2_c3h7w7_k3s2p1_avg");
        try (MemoryScope scope = MemoryScope.open("bad")) {
            Tensor src = Tensor.zeros(scope, DType.FLOAT32, max.srcShape());
            Tensor dst = Tensor.zeros(scope, DType.FLOAT32, max.dstShape());
            Tensor wrongDst = Tensor.zeros(scope, 2, 3, 3, 3);
            var e = assertThrows(IllegalArgumentException.class, () -> BACKEND.pool2dForward(max, src, wrongDst, null));
            assertMessage(e, "pool2d", "[2, 3, 3, 3]", "[2, 4, 4, 3]", "[2, 7, 7, 3]");
            Tensor wrongSrc = Tensor.zeros(scope, 2, 7, 7, 4);
            e = assertThrows(IllegalArgumentException.class, () -> BACKEND.pool2dForward(avg, wrongSrc, dst, null));
            assertMessage(e, "pool2d", "src", "[2, 7, 7, 4]", "[2, 7, 7, 3]");
            e = assertThrows(IllegalArgumentException.class, () -> BACKEND.pool2dBackward(max, dst, null, src));
            assertMessage(e, "pool2d_backward", "workspace", "[2, 4, 4, 3]", "[2, 7, 7, 3]");
            Tensor workspace = BACKEND.pool2dWorkspace(max, scope);
            e = assertThrows(IllegalArgumentException.class, () -> BACKEND.pool2dBackward(avg, dst, workspace, src));
            assertMessage(e, "pool2d_backward", "average", "[2, 4, 4, 3]");
            Tensor floatWorkspace = Tensor.zeros(scope, DType.FLOAT32, max.dstShape());
            e = assertThrows(IllegalArgumentException.class,
                    () -> BACKEND.pool2dForward(max, src, dst, floatWorkspace));
            assertMessage(e, "pool2d", "workspace", "int32", "float32[2, 4, 4, 3]");
        }
    }
}
