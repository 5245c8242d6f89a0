package dev.panamax.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.autograd.Parameter;
import dev.panamax.backend.Conv2dSpec;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Conv2DTranspose: Keras' output sizes, TensorFlow's alignment of windows, and its argument errors. */
class Conv2DTransposeTest {

    @ParameterizedTest(name = "in {0}, kernel {1}, stride {2}, {3}, output_padding {4}, dilation {5} -> {6}")
    @CsvSource({
        "3, 3, 1, valid, -1, 1, 5",
        "3, 3, 1, same,  -1, 1, 3",
        "3, 3, 2, valid, -1, 1, 7",
        "3, 3, 2, same,  -1, 1, 6",
        "3, 2, 3, valid, -1, 1, 9",
        "3, 2, 3, same,  -1, 1, 9",
        "3, 3, 2, valid,  1, 1, 8",
        "3, 3, 2, same,   1, 1, 6",
        "3, 3, 2, same,   0, 1, 5",
        "4, 3, 1, valid, -1, 2, 8",
        "4, 3, 1, same,  -1, 2, 4",
    })
    void outputSizeIsKeras(int in, int kernel, int stride, String padding, int outputPadding, int dilation,
                           long expected) {
        Conv2DTranspose layer = new Conv2DTranspose(2, kernel).strides(stride).padding(padding)
                .dilationRate(dilation, dilation);
        if (outputPadding >= 0) layer.outputPadding(new int[] {outputPadding, outputPadding});
        assertEquals(Shape.of(expected, expected, 2), layer.computeOutputShape(Shape.of(in, in, 3)));
    }

    @Test
    void kernelOfOnesWithStrideTwoCopiesEachPixelToItsBlock() {
        try (MemoryScope scope = MemoryScope.open("test")) {
            Conv2DTranspose layer = LayerTester.built(new Conv2DTranspose(1, 2).strides(2).useBias(false)
                    .kernelInitializer(Initializer.ONES), scope, new long[] {2, 2, 1});
            Tensor x = Tensor.of(scope, new float[] {1, 2, 3, 4}, 1, 2, 2, 1);
            float[] expected = {
                1, 1, 2, 2,
                1, 1, 2, 2,
                3, 3, 4, 4,
                3, 3, 4, 4};
            for (String backend : new String[] {"java", "native"}) {
                assertArrayEquals(expected, LayerTester.run(layer, backend, false, x), backend);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"same", "valid"})
    void matchesTheScatterDefinitionWithTensorFlowsPadding(String padding) {
        int n = 2, h = 3, w = 2, c = 2, filters = 3, k = 3, s = 2;
        try (MemoryScope scope = MemoryScope.open("test")) {
            Conv2DTranspose layer = LayerTester.built(new Conv2DTranspose(filters, k).strides(s).padding(padding)
                    .biasInitializer(Initializer.RANDOM_NORMAL), scope, new long[] {h, w, c});
            Shape out = layer.computeOutputShape(Shape.of(h, w, c));
            float[] x = random(n * h * w * c, 3);
            float[] kernel = layer.weights().get(0).value().toFloatArray(); // [k, k, filters, c]
            float[] bias = layer.weights().get(1).value().toFloatArray();
            long oh = out.dim(0), ow = out.dim(1);
            // TensorFlow aligns the windows as the forward "same" convolution of the output would: pad before
            long top = padding.equals("same") ? Conv2dSpec.samePadding(oh, k, s, 1)[0] : 0;
            long left = padding.equals("same") ? Conv2dSpec.samePadding(ow, k, s, 1)[0] : 0;
            double[] expected = new double[(int) (n * oh * ow * filters)];
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        for (int ci = 0; ci < c; ci++) {
                            for (int ki = 0; ki < k; ki++) {
                                for (int kj = 0; kj < k; kj++) {
                                    long y = (long) i * s + ki - top;
                                    long z = (long) j * s + kj - left;
                                    if (y < 0 || y >= oh || z < 0 || z >= ow) continue;
                                    for (int f = 0; f < filters; f++) {
                                        expected[(int) (((b * oh + y) * ow + z) * filters + f)] +=
                                                x[((b * h + i) * w + j) * c + ci]
                                                        * kernel[((ki * k + kj) * filters + f) * c + ci];
                                    }
                                }
                            }
                        }
                    }
                }
            }
            for (int i = 0; i < expected.length; i++) expected[i] += bias[i % filters];
            Tensor input = Tensor.of(scope, x, n, h, w, c);
            for (String backend : new String[] {"java", "native"}) {
                float[] actual = LayerTester.run(layer, backend, false, input);
                assertEquals(expected.length, actual.length);
                for (int i = 0; i < actual.length; i++) {
                    assertEquals(expected[i], actual[i], 1e-5, backend + " output " + i);
                }
            }
        }
    }

    @Test
    void kernelIsHeightWidthFiltersInputChannels() {
        try (MemoryScope scope = MemoryScope.open("test")) {
            Conv2DTranspose layer = LayerTester.built(new Conv2DTranspose(5, new int[] {3, 2}, null, null), scope,
                    new long[] {4, 4, 7});
            assertEquals(Shape.of(3, 2, 5, 7), layer.weights().get(0).shape());
            assertEquals(Shape.of(5), layer.weights().get(1).shape());
            assertTrue(layer.weights().stream().allMatch(Parameter::trainable));
        }
    }

    @Test
    void badArgumentsNameTheArgumentAndValue() {
        assertMessage(() -> new Conv2DTranspose(0, 3), "filters=0");
        assertMessage(() -> new Conv2DTranspose(2, new int[] {3, 0}, null, null), "kernel_size=[3, 0]");
        assertMessage(() -> new Conv2DTranspose(2, 3).padding("full"), "Received: full");
        assertMessage(() -> new Conv2DTranspose(2, 3).strides(2).outputPadding(new int[] {2, 1}),
                "Received strides=[2, 2], output_padding=[2, 1]");
        assertMessage(() -> new Conv2DTranspose(2, 3).computeOutputShape(Shape.of(4, 4)), "(None, 4, 4)");
        assertMessage(() -> new Conv2DTranspose(2, 4).strides(2).padding("same").outputPadding(new int[] {0, 0})
                .computeOutputShape(Shape.of(4, 4, 1)), "change output_padding");
    }

    private static void assertMessage(Runnable r, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(part), "message lacks '" + part + "': " + e.getMessage());
    }

    private static float[] random(int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[size];
        for (int i = 0; i < size; i++) v[i] = (float) r.nextDouble(-1, 1);
        return v;
    }
}
