package dev.panamax.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ReLU, LeakyReLU and Softmax layers: Keras' definitions, defaults and argument errors. */
class ActivationLayersTest {
    private static final float[] X = {-3, -0.5f, 0, 0.25f, 1, 5, 6, 7.5f};

    private static float[] apply(Layer layer, String backend, float[] x, long... dims) {
        try (MemoryScope scope = MemoryScope.open("test")) {
            long[] example = Arrays.copyOfRange(dims, 1, dims.length);
            LayerTester.built(layer, scope, example);
            return LayerTester.run(layer, backend, false, Tensor.of(scope, x, dims));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void reluWithSlopeAndCapFollowsKeras(String backend) {
        assertArrayEquals(new float[] {0, 0, 0, 0.25f, 1, 5, 6, 7.5f}, apply(new ReLU(), backend, X, 1, 8));
        assertArrayEquals(new float[] {0, 0, 0, 0.25f, 1, 5, 6, 6}, apply(ReLU.withMaxValue(6), backend, X, 1, 8));
        assertArrayEquals(new float[] {-0.3f, -0.05f, 0, 0.25f, 1, 2, 2, 2},
                apply(new ReLU(2f, 0.1f, 0f, null), backend, X, 1, 8), 1e-7f);
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void leakyReluDefaultsToKeras3sSlope(String backend) {
        assertEquals(0.3f, new LeakyReLU().negativeSlope());
        assertArrayEquals(new float[] {-0.9f, -0.15f, 0, 0.25f, 1, 5, 6, 7.5f},
                apply(new LeakyReLU(), backend, X, 1, 8), 1e-6f);
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void softmaxNormalizesAlongItsAxis(String backend) {
        float[] x = {1, 2, 3, 4, 5, 6};
        float[] last = apply(new Softmax(), backend, x, 1, 2, 3);
        float[] first = apply(new Softmax(1, null), backend, x, 1, 2, 3);
        double e = Math.E, s = 1 + e + e * e;
        assertArrayEquals(new float[] {(float) (1 / s), (float) (e / s), (float) (e * e / s), (float) (1 / s),
            (float) (e / s), (float) (e * e / s)}, last, 1e-6f);
        float low = (float) (1 / (1 + Math.exp(3))), high = (float) (1 / (1 + Math.exp(-3)));
        assertArrayEquals(new float[] {low, low, low, high, high, high}, first, 1e-6f);
    }

    @Test
    void badArgumentsNameTheArgumentAndValue() {
        assertMessage(() -> new ReLU(-1f, 0f, 0f, null), "max_value=-1.0");
        assertMessage(() -> new ReLU(null, -0.1f, 0f, null), "negative_slope=-0.1");
        assertMessage(() -> new ReLU(null, 0f, 0.5f, null), "threshold=0.5");
        assertMessage(() -> new LeakyReLU(-0.2f), "negative_slope=-0.2");
        assertMessage(() -> new Softmax(0, "sm").computeOutputShape(Shape.of(3)), "axis=0");
    }

    private static void assertMessage(Runnable r, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(part), "message lacks '" + part + "': " + e.getMessage());
    }
}
