package dev.panamax.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.autograd.GradientTape;
import dev.panamax.autograd.Ops;
import dev.panamax.autograd.Parameter;
import dev.panamax.autograd.Var;
import dev.panamax.backend.Activation;
import dev.panamax.backend.Backends;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** BatchNormalization's conventions: Keras' moving-average update, inference with moving statistics, freezing. */
class BatchNormalizationTest {
    // Four examples of two channels: channel 0 has mean 2.5 and biased variance 1.25, channel 1 mean 0, variance 8.
    private static final float[] BATCH = {1, -4, 2, 0, 3, 4, 4, 0};

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void trainingUpdatesMovingStatisticsAsKerasDoes(String backend) {
        try (MemoryScope scope = MemoryScope.open("test")) {
            BatchNormalization bn = LayerTester.built(new BatchNormalization().momentum(0.9), scope, new long[] {2});
            float[] y = LayerTester.run(bn, backend, true, Tensor.of(scope, BATCH, 4, 2));
            // moving = moving · momentum + batch · (1 - momentum), from mean 0 and variance 1
            assertArrayEquals(new float[] {0.25f, 0f}, bn.movingMean().value().toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {0.9f + 0.125f, 0.9f + 0.8f}, bn.movingVariance().value().toFloatArray(),
                    1e-6f);
            // the output is normalized with the batch's statistics
            float[] mean = {2.5f, 0f};
            float[] variance = {1.25f, 8f};
            for (int i = 0; i < y.length; i++) {
                int ch = i % 2;
                assertEquals((BATCH[i] - mean[ch]) / Math.sqrt(variance[ch] + 1e-3), y[i], 1e-5, "y[" + i + "]");
            }
            LayerTester.run(bn, backend, true, Tensor.of(scope, BATCH, 4, 2));
            assertEquals(0.25f * 0.9f + 0.25f, bn.movingMean().value().toFloatArray()[0], 1e-6f, "second step");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void inferenceUsesMovingStatisticsAndLeavesThem(String backend) {
        try (MemoryScope scope = MemoryScope.open("test")) {
            BatchNormalization bn = LayerTester.built(new BatchNormalization(), scope, new long[] {2});
            List<Parameter> w = bn.weights(); // gamma, beta, moving_mean, moving_variance
            w.get(0).assign(new float[] {2, 0.5f});
            w.get(1).assign(new float[] {1, -1});
            w.get(2).assign(new float[] {1, 2});
            w.get(3).assign(new float[] {4, 0.25f});
            float[] y = LayerTester.run(bn, backend, false, Tensor.of(scope, BATCH, 4, 2));
            float[] gamma = {2, 0.5f}, beta = {1, -1}, mean = {1, 2}, variance = {4, 0.25f};
            for (int i = 0; i < y.length; i++) {
                int ch = i % 2;
                double expected = gamma[ch] * (BATCH[i] - mean[ch]) / Math.sqrt(variance[ch] + 1e-3) + beta[ch];
                assertEquals(expected, y[i], 1e-5, "y[" + i + "]");
            }
            assertArrayEquals(new float[] {1, 2}, w.get(2).value().toFloatArray());
            assertArrayEquals(new float[] {4, 0.25f}, w.get(3).value().toFloatArray());
        }
    }

    @Test
    void aFrozenLayerRunsInInferenceModeAndItsStatisticsStayNonTrainable() {
        try (MemoryScope scope = MemoryScope.open("test")) {
            BatchNormalization bn = LayerTester.built(new BatchNormalization(), scope, new long[] {2});
            assertEquals(List.of("gamma", "beta"), bn.trainableWeights().stream()
                    .map(p -> p.name().substring(p.name().indexOf('/') + 1)).toList());
            bn.setTrainable(false);
            assertTrue(bn.trainableWeights().isEmpty());
            float[] frozen = LayerTester.run(bn, "java", true, Tensor.of(scope, BATCH, 4, 2));
            assertArrayEquals(LayerTester.run(bn, "java", false, Tensor.of(scope, BATCH, 4, 2)), frozen);
            assertArrayEquals(new float[] {0, 0}, bn.movingMean().value().toFloatArray(), "no update while frozen");
            bn.setTrainable(true);
            assertEquals(2, bn.trainableWeights().size());
            assertFalse(bn.movingMean().trainable() || bn.movingVariance().trainable());
        }
    }

    /** Ops.batchNorm with the fused ReLU equals batch norm followed by ReLU, forward and backward. */
    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void fusedReluIsBatchNormThenRelu(String backend) {
        for (boolean training : new boolean[] {true, false}) {
            float[][] fused = batchNormRelu(backend, training, true);
            float[][] separate = batchNormRelu(backend, training, false);
            for (int i = 0; i < fused.length; i++) {
                assertArrayEquals(separate[i], fused[i], 1e-5f, "result " + i + ", training=" + training);
            }
        }
    }

    /** {output, dx, dgamma, dbeta} of batch norm + ReLU on a fixed [3, 2, 2, 4] batch. */
    private static float[][] batchNormRelu(String backend, boolean training, boolean fused) {
        SplittableRandom r = new SplittableRandom(9);
        try (MemoryScope scope = MemoryScope.open("test")) {
            Shape shape = Shape.of(3, 2, 2, 4);
            float[] x = new float[(int) shape.size()];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble(-2, 2);
            Parameter input = new Parameter("x", Tensor.of(scope, x, shape.dims()), true);
            Parameter gamma = new Parameter("gamma", Tensor.of(scope, new float[] {1, 0.5f, 2, -1}, 4), true);
            Parameter beta = new Parameter("beta", Tensor.of(scope, new float[] {0.1f, -0.2f, 0, 0.3f}, 4), true);
            Tensor movingMean = Tensor.of(scope, new float[] {0.1f, 0.2f, -0.1f, 0}, 4);
            Tensor movingVariance = Tensor.of(scope, new float[] {1, 2, 0.5f, 1.5f}, 4);
            float[] dy = new float[x.length];
            for (int i = 0; i < dy.length; i++) dy[i] = (float) r.nextDouble(-1, 1);
            GradientTape tape = new GradientTape();
            Ops ops = new Ops(Backends.get(backend), scope, tape);
            Var y = ops.batchNorm(ops.param(input), ops.param(gamma), ops.param(beta), movingMean, movingVariance,
                    0.99f, 1e-3f, training, fused);
            if (!fused) y = ops.activation(Activation.RELU, 0f, y);
            tape.backward(y, Tensor.of(scope, dy, shape.dims()));
            return new float[][] {y.value().toFloatArray(), input.grad().toFloatArray(), gamma.grad().toFloatArray(),
                beta.grad().toFloatArray()};
        }
    }

    @Test
    void badArgumentsNameTheArgumentAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BatchNormalization().momentum(1.5));
        assertTrue(e.getMessage().contains("momentum=1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BatchNormalization().epsilon(0));
        assertTrue(e.getMessage().contains("epsilon=0.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new BatchNormalization("bn").axis(1).computeOutputShape(Shape.of(4, 4, 3)));
        assertTrue(e.getMessage().contains("'bn'") && e.getMessage().contains("axis=1")
                && e.getMessage().contains("(None, 4, 4, 3)"), e.getMessage());
        assertEquals(Shape.of(4, 4, 3), new BatchNormalization().axis(3).computeOutputShape(Shape.of(4, 4, 3)));
    }
}
