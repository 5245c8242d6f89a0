package dev.panamax.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Values and errors of the layers that move, merge, pad, resample and normalize: Reshape, Add,
 * Concatenate, ZeroPadding2D, UpSampling2D, the average poolings and LayerNormalization.
 */
class ShapeLayersTest {

    @Test
    void reshapeInfersOneUnknownDimension() {
        assertEquals(Shape.of(3, 4), new Reshape(3, -1).computeOutputShape(Shape.of(2, 6)));
        assertEquals(Shape.of(12), new Reshape(-1).computeOutputShape(Shape.of(2, 2, 3)));
        assertMessage(() -> new Reshape(-1, -1), "at most one unknown dimension", "target_shape=(-1, -1)");
        assertMessage(() -> new Reshape(0, 2), "target_shape=(0, 2)");
        assertMessage(() -> new Reshape(new long[] {5, -1}, "r").computeOutputShape(Shape.of(2, 6)), "'r'",
                "(None, 2, 6)", "target_shape=(5, -1)");
        assertMessage(() -> new Reshape(5).computeOutputShape(Shape.of(2, 3)), "target_shape=(5,)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void addSumsAndConcatenateJoins(String backend) {
        try (MemoryScope scope = MemoryScope.open("test")) {
            Tensor a = Tensor.of(scope, new float[] {1, 2, 3, 4}, 2, 2);
            Tensor b = Tensor.of(scope, new float[] {10, 20, 30, 40}, 2, 2);
            Tensor c = Tensor.of(scope, new float[] {5, 6}, 2, 1);
            Add add = LayerTester.built(new Add(), scope, new long[] {2}, new long[] {2}, new long[] {2});
            assertArrayEquals(new float[] {21, 42, 63, 84}, LayerTester.run(add, backend, false, a, b, b));
            Concatenate cat = LayerTester.built(new Concatenate(), scope, new long[] {2}, new long[] {1});
            assertArrayEquals(new float[] {1, 2, 5, 3, 4, 6}, LayerTester.run(cat, backend, false, a, c));
        }
    }

    @Test
    void mergeShapeErrorsNameTheLayerAndEveryShape() {
        assertMessage(() -> new Add("sum").computeOutputShape(List.of(Shape.of(3), Shape.of(4))), "'sum'",
                "[(None, 3), (None, 4)]");
        assertMessage(() -> new Concatenate(-1, "cat").computeOutputShape(List.of(Shape.of(4, 5), Shape.of(3, 4))),
                "'cat'", "except for the concatenation axis", "[(None, 4, 5), (None, 3, 4)]");
        assertMessage(() -> new Concatenate(0, "cat").computeOutputShape(List.of(Shape.of(4), Shape.of(4))),
                "axis=0");
        assertMessage(() -> new Add().computeOutputShape(List.of()), "at least 1 input");
        assertEquals(Shape.of(7, 5), new Concatenate(1).computeOutputShape(List.of(Shape.of(4, 5), Shape.of(3, 5))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void zeroPaddingSurroundsEachImage(String backend) {
        try (MemoryScope scope = MemoryScope.open("test")) {
            ZeroPadding2D pad = LayerTester.built(new ZeroPadding2D(new int[][] {{1, 0}, {0, 2}}, null), scope,
                    new long[] {2, 2, 1});
            float[] y = LayerTester.run(pad, backend, false, Tensor.of(scope, new float[] {1, 2, 3, 4}, 1, 2, 2, 1));
            assertArrayEquals(new float[] {
                0, 0, 0, 0,
                1, 2, 0, 0,
                3, 4, 0, 0}, y);
        }
    }

    @Test
    void zeroPaddingTakesKerasThreeForms() {
        Shape in = Shape.of(2, 3, 1);
        assertEquals(Shape.of(4, 5, 1), new ZeroPadding2D().computeOutputShape(in));
        assertEquals(Shape.of(2, 7, 1), new ZeroPadding2D(0, 2).computeOutputShape(in));
        assertEquals(Shape.of(5, 4, 1), ZeroPadding2D.fromConfig(Map.of("padding", List.of(List.of(1, 2),
                List.of(0, 1)))).computeOutputShape(in));
        assertEquals(Shape.of(4, 7, 1), ZeroPadding2D.fromConfig(Map.of("padding", List.of(1, 2)))
                .computeOutputShape(in));
        assertEquals(Shape.of(8, 9, 1), ZeroPadding2D.fromConfig(Map.of("padding", 3)).computeOutputShape(in));
        assertMessage(() -> new ZeroPadding2D(-1), "padding=[[-1, -1], [-1, -1]]");
        assertMessage(() -> ZeroPadding2D.fromConfig(Map.of("padding", List.of(List.of(1, 2), 3))), "'padding'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void upSamplingRepeatsEachPixelIntoABlock(String backend) {
        try (MemoryScope scope = MemoryScope.open("test")) {
            UpSampling2D up = LayerTester.built(new UpSampling2D(new int[] {2, 3}, "nearest", null), scope,
                    new long[] {2, 2, 1});
            float[] y = LayerTester.run(up, backend, false, Tensor.of(scope, new float[] {1, 2, 3, 4}, 1, 2, 2, 1));
            assertArrayEquals(new float[] {
                1, 1, 1, 2, 2, 2,
                1, 1, 1, 2, 2, 2,
                3, 3, 3, 4, 4, 4,
                3, 3, 3, 4, 4, 4}, y);
        }
        assertMessage(() -> new UpSampling2D(new int[] {2, 2}, "bilinear", null), "interpolation=bilinear");
        assertMessage(() -> new UpSampling2D(0), "size=[0, 0]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void averagePoolingAveragesWindowsAndGlobalPoolingWholeImages(String backend) {
        try (MemoryScope scope = MemoryScope.open("test")) {
            float[] image = {
                1, 2, 3, 4,
                5, 6, 7, 8,
                9, 10, 11, 12,
                13, 14, 15, 16};
            Tensor x = Tensor.of(scope, image, 1, 4, 4, 1);
            AveragePooling2D avg = LayerTester.built(new AveragePooling2D(2), scope, new long[] {4, 4, 1});
            assertArrayEquals(new float[] {3.5f, 5.5f, 11.5f, 13.5f}, LayerTester.run(avg, backend, false, x));
            // "same" 3x3 windows with stride 2 average only the pixels inside the image
            AveragePooling2D same = LayerTester.built(new AveragePooling2D(new int[] {3, 3}, new int[] {2, 2}, "same",
                    null), scope, new long[] {4, 4, 1});
            assertArrayEquals(new float[] {6, 7.5f, 12, 13.5f}, LayerTester.run(same, backend, false, x));
            GlobalAveragePooling2D global = LayerTester.built(new GlobalAveragePooling2D(), scope,
                    new long[] {4, 4, 1});
            assertArrayEquals(new float[] {8.5f}, LayerTester.run(global, backend, false, x));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void layerNormalizationNormalizesEachExampleWithKerasEpsilon(String backend) {
        try (MemoryScope scope = MemoryScope.open("test")) {
            LayerNormalization ln = LayerTester.built(new LayerNormalization(), scope, new long[] {4});
            float[] x = {1, 2, 3, 4, 0, 0, 0, 8};
            float[] y = LayerTester.run(ln, backend, false, Tensor.of(scope, x, 2, 4));
            double[] mean = {2.5, 2}, variance = {1.25, 12};
            for (int i = 0; i < 8; i++) {
                assertEquals((x[i] - mean[i / 4]) / Math.sqrt(variance[i / 4] + 1e-3), y[i], 1e-5, "y[" + i + "]");
            }
            assertMessage(() -> new LayerNormalization("ln").axis(1).computeOutputShape(Shape.of(3, 4)), "'ln'",
                    "axis=1");
            assertMessage(() -> new LayerNormalization().epsilon(-1), "epsilon=-1.0");
        }
    }

    private static void assertMessage(Runnable r, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message lacks '" + part + "': " + e.getMessage());
        }
    }
}
