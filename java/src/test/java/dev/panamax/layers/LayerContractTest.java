package dev.panamax.layers;

import static dev.panamax.layers.LayerCase.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every layer type, built-in and new, through every check of {@link LayerTester}. */
class LayerContractTest {

    static List<LayerCase> cases() {
        return List.of(
                LayerCase.of("InputLayer", () -> Input.shape(3, 4), shape(3, 4)).output(3, 4),
                LayerCase.of("Dense tanh", () -> new Dense(3, "tanh"), shape(4)).output(3)
                        .weights(shape(4, 3), shape(3)),
                LayerCase.of("Dense on rank 2, no bias", () -> new Dense(3).useBias(false), shape(2, 4)).output(2, 3)
                        .weights(shape(4, 3)),
                LayerCase.of("Conv2D tanh", () -> new Conv2D(2, 3, "tanh"), shape(5, 5, 2)).output(3, 3, 2)
                        .weights(shape(3, 3, 2, 2), shape(2)),
                LayerCase.of("Conv2D strides 2 same", () -> new Conv2D(3, 3).strides(2).padding("same"),
                        shape(5, 5, 2)).output(3, 3, 3).weights(shape(3, 3, 2, 3), shape(3)),
                LayerCase.of("Conv2DTranspose valid", () -> new Conv2DTranspose(2, 3), shape(3, 3, 2))
                        .output(5, 5, 2).weights(shape(3, 3, 2, 2), shape(2)),
                LayerCase.of("Conv2DTranspose strides 2 same", () -> new Conv2DTranspose(3, 3).strides(2)
                        .padding("same"), shape(3, 3, 2)).output(6, 6, 3).weights(shape(3, 3, 3, 2), shape(3)),
                LayerCase.of("Conv2DTranspose kernel below stride", () -> new Conv2DTranspose(2, new int[] {2, 1},
                        "tanh", null).strides(3, 2), shape(2, 3, 1)).output(6, 6, 2)
                        .weights(shape(2, 1, 2, 1), shape(2)),
                LayerCase.of("Conv2DTranspose output_padding", () -> new Conv2DTranspose(2, 3).strides(2)
                        .outputPadding(new int[] {1, 0}), shape(3, 3, 2)).output(8, 7, 2)
                        .weights(shape(3, 3, 2, 2), shape(2)),
                LayerCase.of("Conv2DTranspose dilated same", () -> new Conv2DTranspose(2, 3).padding("same")
                        .dilationRate(2, 2).useBias(false), shape(4, 4, 2)).output(4, 4, 2)
                        .weights(shape(3, 3, 2, 2)),
                LayerCase.of("MaxPooling2D", () -> new MaxPooling2D(2), shape(4, 4, 2)).output(2, 2, 2),
                LayerCase.of("AveragePooling2D", () -> new AveragePooling2D(2), shape(4, 4, 2)).output(2, 2, 2),
                LayerCase.of("AveragePooling2D 3x3 strides 2 same", () -> new AveragePooling2D(new int[] {3, 3},
                        new int[] {2, 2}, "same", null), shape(5, 5, 2)).output(3, 3, 2),
                LayerCase.of("GlobalAveragePooling2D", GlobalAveragePooling2D::new, shape(3, 4, 2)).output(2),
                LayerCase.of("GlobalAveragePooling2D keepdims", () -> new GlobalAveragePooling2D(true, null),
                        shape(3, 4, 2)).output(1, 1, 2),
                LayerCase.of("Flatten", Flatten::new, shape(2, 3, 2)).output(12),
                LayerCase.of("Dropout", () -> new Dropout(0.5), shape(10)).output(10),
                LayerCase.of("Activation tanh", () -> new Activation("tanh"), shape(6)).output(6),
                LayerCase.of("BatchNormalization", BatchNormalization::new, shape(3, 3, 2)).output(3, 3, 2)
                        .weights(shape(2), shape(2), shape(2), shape(2)).trainable(2),
                LayerCase.of("BatchNormalization without center and scale", () -> new BatchNormalization()
                        .center(false).scale(false).momentum(0.9).epsilon(1e-2), shape(5)).output(5)
                        .weights(shape(5), shape(5)).trainable(0).batch(4),
                LayerCase.of("LayerNormalization", LayerNormalization::new, shape(3, 4)).output(3, 4)
                        .weights(shape(4), shape(4)),
                LayerCase.of("LayerNormalization without center", () -> new LayerNormalization().center(false)
                        .epsilon(1e-5), shape(6)).output(6).weights(shape(6)),
                LayerCase.of("Reshape with -1", () -> new Reshape(2, -1), shape(3, 4)).output(2, 6),
                LayerCase.of("ReLU", ReLU::new, shape(8)).output(8),
                LayerCase.of("ReLU max_value negative_slope", () -> new ReLU(0.5f, 0.1f, 0f, null), shape(8)).output(8),
                LayerCase.of("LeakyReLU", LeakyReLU::new, shape(8)).output(8),
                LayerCase.of("Softmax", Softmax::new, shape(5)).output(5),
                LayerCase.of("Softmax axis 1", () -> new Softmax(1, null), shape(3, 4)).output(3, 4),
                LayerCase.of("Add three inputs", Add::new, shape(2, 3), shape(2, 3), shape(2, 3)).output(2, 3),
                LayerCase.of("Concatenate last axis", Concatenate::new, shape(2, 3), shape(2, 1)).output(2, 4),
                LayerCase.of("Concatenate axis 1", () -> new Concatenate(1), shape(2, 3), shape(1, 3)).output(3, 3),
                LayerCase.of("UpSampling2D", () -> new UpSampling2D(new int[] {2, 3}, "nearest", null),
                        shape(2, 2, 2)).output(4, 6, 2),
                LayerCase.of("ZeroPadding2D", () -> new ZeroPadding2D(new int[][] {{1, 0}, {2, 1}}, null),
                        shape(2, 3, 2)).output(3, 6, 2),
                LayerCase.of("Embedding", () -> new Embedding(7, 3), shape(5)).output(5, 3).weights(shape(7, 3))
                        .integerInputs(7));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void weightsAndShapes(LayerCase c) {
        LayerTester.checkWeightsAndShapes(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void configRoundTrip(LayerCase c) {
        LayerTester.checkConfigRoundTrip(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void trainingStepLowersLoss(LayerCase c) {
        LayerTester.checkTrainingStepLowersLoss(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void nativeMatchesJava(LayerCase c) {
        LayerTester.checkNativeMatchesJava(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatchCentralDifferences(LayerCase c) {
        LayerTester.checkGradients(c);
    }

    @Test
    void everyRegisteredLayerHasACase() {
        Set<String> tested = new TreeSet<>();
        for (LayerCase c : cases()) tested.add(c.factory.get().typeName());
        assertEquals(LayerRegistry.builtInClassNames(), tested);
    }
}
