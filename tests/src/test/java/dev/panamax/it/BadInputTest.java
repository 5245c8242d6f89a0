package dev.panamax.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.backend.Backend;
import dev.panamax.backend.Backends;
import dev.panamax.backend.Conv2dSpec;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input gets a Java exception naming the op and the values at fault, on both backends, and the JVM goes on. */
class BadInputTest {

    private static void assertMessage(Throwable e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message lacks '" + p + "': " + e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void mismatchedMatmulShapesNameTheOpAndEveryShape(String backendName) {
        Backend backend = Backends.get(backendName);
        try (MemoryScope scope = MemoryScope.open("bad")) {
            Tensor a = Tensor.zeros(scope, 2, 3);
            Tensor b = Tensor.zeros(scope, 4, 5);
            Tensor dst = Tensor.zeros(scope, 2, 5);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> backend.matmul(a, false, b, false, dst));
            assertMessage(e, "matmul", "[2, 3]", "[4, 5]", "[2, 5]", "3 vs 4");

            Tensor wrongDst = Tensor.zeros(scope, 3, 3);
            Tensor b2 = Tensor.zeros(scope, 3, 5);
            e = assertThrows(IllegalArgumentException.class, () -> backend.matmul(a, false, b2, false, wrongDst));
            assertMessage(e, "matmul", "dst must be [2, 5]", "[3, 3]");

            Tensor vector = Tensor.zeros(scope, 3);
            e = assertThrows(IllegalArgumentException.class, () -> backend.matmul(a, false, vector, false, dst));
            assertMessage(e, "matmul", "2-D", "[3]");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void mismatchedConvShapesNameTheOpAndEveryShape(String backendName) {
        Backend backend = Backends.get(backendName);
        Conv2dSpec spec = Conv2dSpec.parse("n2_c3h8w8_oc4k3s1p1_b");
        try (MemoryScope scope = MemoryScope.open("bad")) {
            Tensor src = Tensor.zeros(scope, 2, 8, 8, 3);
            Tensor wei = Tensor.zeros(scope, 3, 3, 3, 4);
            Tensor bias = Tensor.zeros(scope, 4);
            Tensor dst = Tensor.zeros(scope, 2, 8, 8, 4);
            Tensor nchw = Tensor.zeros(scope, 2, 3, 8, 8);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> backend.conv2dForward(spec, nchw, wei, bias, dst));
            assertMessage(e, "conv2d", "src must be NHWC [2, 8, 8, 3]", "[2, 3, 8, 8]", "n2_c3h8w8_oc4k3s1p1_b");

            Tensor smallDst = Tensor.zeros(scope, 2, 6, 6, 4);
            e = assertThrows(IllegalArgumentException.class, () -> backend.conv2dForward(spec, src, wei, bias, smallDst));
            assertMessage(e, "conv2d", "dst must be NHWC [2, 8, 8, 4]", "[2, 6, 6, 4]");

            e = assertThrows(IllegalArgumentException.class, () -> backend.conv2dForward(spec, src, wei, null, dst));
            assertMessage(e, "conv2d", "has a bias but none was given");

            Tensor oihw = Tensor.zeros(scope, 4, 3, 3, 3);
            e = assertThrows(IllegalArgumentException.class, () -> backend.conv2dPackWeights(spec, oihw, scope));
            assertMessage(e, "conv2d", "HWIO [3, 3, 3, 4]", "[4, 3, 3, 3]");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void tensorsOfAClosedScopeAreRefused(String backendName) {
        Backend backend = Backends.get(backendName);
        MemoryScope closed = MemoryScope.open("closed-batch");
        Tensor a = Tensor.zeros(closed, 2, 2);
        closed.close();
        try (MemoryScope scope = MemoryScope.open("live")) {
            Tensor b = Tensor.zeros(scope, 2, 2);
            Tensor dst = Tensor.zeros(scope, 2, 2);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> backend.matmul(a, false, b, false, dst));
            assertMessage(e, "[2, 2]", "'closed-batch' is closed");
            // The JVM and the backend go on working.
            backend.matmul(b, false, b, false, dst);
            assertEquals(0f, dst.getFloat(0, 0));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"n0_c3h8w8_oc4k3s1p1", "n1_c3h8w8_oc4k3s0p1", "n1_c3h2w2_oc4k5s1p0", "n1_c3h8w8_oc4k3g2"})
    void impossibleConvSpecsAreRejectedWithTheValue(String descriptor) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Conv2dSpec.parse(descriptor));
        assertMessage(e, "conv2d");
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void negativeDimensionsNeverReachABackend(String backendName) {
        Backends.get(backendName);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shape.of(3, -1));
        assertMessage(e, "dimension 1 is -1");
        e = assertThrows(IllegalArgumentException.class, () -> Conv2dSpec.of(1, 8, 8, -3, 4, 3, 1, 1));
        assertMessage(e, "inChannels=-3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void weightsPackedForAnotherSpecAreRefused(String backendName) {
        Backend backend = Backends.get(backendName);
        Conv2dSpec spec = Conv2dSpec.parse("n1_c3h8w8_oc4k3s1p1");
        try (MemoryScope scope = MemoryScope.open("packed")) {
            Tensor wei = Tensor.zeros(scope, 3, 3, 3, 4);
            Tensor packedForBatch2 = Backends.get("native").conv2dPackWeights(spec.withBatch(2), wei, scope);
            Tensor src = Tensor.zeros(scope, 1, 8, 8, 3);
            Tensor dst = Tensor.zeros(scope, 1, 8, 8, 4);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> backend.conv2dForward(spec, src, packedForBatch2, null, dst));
            assertMessage(e, "conv2d", "n2_c3h8w8_oc4k3s1p1");
        }
    }
}
