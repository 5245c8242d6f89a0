package dev.panamax.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.autograd.GradientTape;
import dev.panamax.autograd.Ops;
import dev.panamax.autograd.Parameter;
import dev.panamax.autograd.Var;
import dev.panamax.backend.Backends;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Tensor;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each loss's value against its formula worked out in double, and its gradient against central
 * differences, on both backends.
 */
class LossesTest {
    private static final double H = 1e-3;

    /** A loss evaluated at predictions {@code pred} (of shape {@code dims}), optionally through a head op. */
    private record Setup(String backend, Loss loss, long[] dims, float[] target, long[] targetDims,
                         UnaryOperator<Var> head) {

        Setup(String backend, Loss loss, long[] dims, float[] target, long[] targetDims) {
            this(backend, loss, dims, target, targetDims, v -> v);
        }

        double value(float[] pred) {
            try (MemoryScope s = MemoryScope.open("loss value")) {
                Ops ops = new Ops(Backends.get(backend), s, null);
                Var out = head.apply(ops.constant(Tensor.of(s, pred, dims)));
                return loss.compute(out, Tensor.of(s, target, targetDims)).value().getFloat(0);
            }
        }

        float[] gradient(float[] pred) {
            try (MemoryScope s = MemoryScope.open("loss gradient")) {
                Parameter p = new Parameter("y_pred", Tensor.of(s, pred, dims), true);
                GradientTape tape = new GradientTape();
                Ops ops = new Ops(Backends.get(backend), s, tape);
                tape.backward(loss.compute(head.apply(ops.param(p)), Tensor.of(s, target, targetDims)));
                return p.grad().toFloatArray();
            }
        }

        /** The value is {@code expected}, and the gradient matches central differences. */
        void check(float[] pred, double expected) {
            assertEquals(expected, value(pred), 1e-6 + 1e-6 * Math.abs(expected), loss.name() + " value");
            float[] g = gradient(pred);
            for (int i = 0; i < pred.length; i++) {
                float[] up = pred.clone();
                float[] down = pred.clone();
                up[i] += (float) H;
                down[i] -= (float) H;
                double numeric = (value(up) - value(down)) / ((double) up[i] - down[i]);
                assertEquals(numeric, g[i], 1e-3 + 1e-2 * Math.abs(numeric), loss.name() + " gradient [" + i + "]");
            }
        }
    }

    private static final float[] PRED = {1f, 2f, 3f, 4f, -1f, 0.5f};
    private static final float[] TARGET = {1.5f, 2.2f, 2.1f, 6f, -0.2f, 2.5f};

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void meanSquaredError(String backend) {
        double sum = 0;
        for (int i = 0; i < PRED.length; i++) sum += Math.pow((double) PRED[i] - TARGET[i], 2);
        new Setup(backend, Losses.get("mse"), new long[] {3, 2}, TARGET, new long[] {3, 2})
                .check(PRED, sum / PRED.length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void meanAbsoluteError(String backend) {
        double sum = 0;
        for (int i = 0; i < PRED.length; i++) sum += Math.abs((double) PRED[i] - TARGET[i]);
        new Setup(backend, Losses.get("mae"), new long[] {3, 2}, TARGET, new long[] {3, 2})
                .check(PRED, sum / PRED.length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void huberIsQuadraticUpToDeltaAndLinearBeyond(String backend) {
        for (double delta : new double[] {1.0, 0.3}) {
            double sum = 0;
            for (int i = 0; i < PRED.length; i++) {
                double e = Math.abs((double) PRED[i] - TARGET[i]);
                sum += e <= delta ? 0.5 * e * e : delta * e - 0.5 * delta * delta;
            }
            Loss huber = delta == 1.0 ? Losses.get("huber") : Losses.huber(delta);
            new Setup(backend, huber, new long[] {3, 2}, TARGET, new long[] {3, 2}).check(PRED, sum / PRED.length);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void binaryCrossentropyFromProbabilities(String backend) {
        float[] p = {0.9f, 0.2f, 0.6f, 0.3f};
        float[] y = {1f, 0f, 1f, 1f};
        double expected = -(Math.log(0.9f) + Math.log(1 - (double) 0.2f) + Math.log(0.6f) + Math.log(0.3f)) / 4;
        new Setup(backend, Losses.get("binary_crossentropy"), new long[] {4, 1}, y, new long[] {4, 1})
                .check(p, expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void binaryCrossentropyClipsProbabilitiesAsKerasDoes(String backend) {
        // p = 1 with target 0: Keras clips p to 1 - 1e-7 (in float32) and takes log(1 - clipped); no gradient
        Setup s = new Setup(backend, Losses.binaryCrossentropy(false), new long[] {2, 1}, new float[] {0f, 1f},
                new long[] {2, 1});
        float[] p = {1f, 0f};
        double clippedHigh = 1f - 1e-7f;
        double expected = -(Math.log(1 - clippedHigh) + Math.log(1e-7f)) / 2;
        assertEquals(expected, s.value(p), 1e-5);
        float[] g = s.gradient(p);
        assertEquals(0f, g[0]);
        assertEquals(0f, g[1]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void binaryCrossentropyFromLogitsIsStable(String backend) {
        float[] x = {2f, -1f, 0.5f, -3f, 0.1f, 4f};
        float[] z = {1f, 0f, 0f, 1f, 0.3f, 1f};
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += Math.max(x[i], 0) - x[i] * z[i] + Math.log1p(Math.exp(-Math.abs(x[i])));
        }
        new Setup(backend, Losses.binaryCrossentropy(true), new long[] {3, 2}, z, new long[] {3, 2})
                .check(x, sum / x.length);
        Setup extreme = new Setup(backend, Losses.binaryCrossentropy(true), new long[] {2}, new float[] {0f, 1f},
                new long[] {2});
        float[] far = {100f, -100f};
        assertEquals(100.0, extreme.value(far), 1e-4);
        float[] g = extreme.gradient(far);
        assertEquals(0.5f, g[0], 1e-6);
        assertEquals(-0.5f, g[1], 1e-6);
    }

    private static final float[] LOGITS = {1f, 2f, 0.5f, 0.1f, -1f, 2f};
    private static final float[] ONE_HOT = {0f, 1f, 0f, 1f, 0f, 0f};
    private static final float[] INDICES = {1f, 0f};

    private static double logitsCrossEntropy(float[] logits, int[] labels) {
        double sum = 0;
        for (int r = 0; r < labels.length; r++) {
            double norm = 0;
            for (int c = 0; c < 3; c++) norm += Math.exp(logits[r * 3 + c]);
            sum -= logits[r * 3 + labels[r]] - Math.log(norm);
        }
        return sum / labels.length;
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void categoricalCrossentropyFromLogitsAndThroughSoftmax(String backend) {
        double expected = logitsCrossEntropy(LOGITS, new int[] {1, 0});
        long[] dims = {2, 3};
        new Setup(backend, Losses.categoricalCrossentropy(true), dims, ONE_HOT, dims).check(LOGITS, expected);
        new Setup(backend, Losses.sparseCategoricalCrossentropy(true), dims, INDICES, new long[] {2})
                .check(LOGITS, expected);
        // probabilities straight from a softmax take the fused kernel on the logits
        new Setup(backend, Losses.get("categorical_crossentropy"), dims, ONE_HOT, dims, v -> v.ops().softmax(v))
                .check(LOGITS, expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void categoricalCrossentropyFromProbabilitiesNormalizesRowsFirst(String backend) {
        float[] p = {0.2f, 0.5f, 0.3f, 0.3f, 0.3f, 0.6f};
        double expected = -(Math.log(0.5f / (0.2 + 0.5 + 0.3)) + Math.log(0.3f / (0.3 + 0.3 + 0.6))) / 2;
        long[] dims = {2, 3};
        new Setup(backend, Losses.categoricalCrossentropy(false), dims, ONE_HOT, dims).check(p, expected);
        new Setup(backend, Losses.sparseCategoricalCrossentropy(false), dims, INDICES, new long[] {2})
                .check(p, expected);
    }

    @Test
    void namesAndAliasesAsKeras() {
        assertEquals("mean_squared_error", Losses.get("MSE").name());
        assertEquals("mean_squared_error", Losses.get("MeanSquaredError").name());
        assertEquals("mean_absolute_error", Losses.get("mae").name());
        assertEquals("huber_loss", Losses.get("Huber").name());
        assertEquals(new HuberLoss(1f), Losses.get("huber"));
        assertEquals("binary_crossentropy", Losses.get("bce").name());
        assertEquals(new BinaryCrossentropyLoss(false), Losses.get("BinaryCrossentropy"));
        assertEquals("categorical_crossentropy", Losses.get("CategoricalCrossentropy").name());
        assertInstanceOf(CategoricalCrossentropyLoss.class, Losses.get("sparse_categorical_crossentropy"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Losses.get("hinge"));
        assertTrue(e.getMessage().contains("'hinge'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.huber(0));
        assertTrue(e.getMessage().contains("delta=0.0"), e.getMessage());
    }

    @Test
    void mismatchedTargetsNameTheLossAndShapes() {
        Setup s = new Setup("java", Losses.get("mae"), new long[] {3, 2}, new float[] {1f, 2f, 3f}, new long[] {3});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.value(PRED));
        assertTrue(e.getMessage().contains("mean_absolute_error") && e.getMessage().contains("[3, 2]"),
                e.getMessage());
        Setup sparse = new Setup("java", Losses.sparseCategoricalCrossentropy(true), new long[] {2, 3},
                new float[] {1f, 3f}, new long[] {2});
        e = assertThrows(IllegalArgumentException.class, () -> sparse.value(LOGITS));
        assertTrue(e.getMessage().contains("target 3.0 at row 1"), e.getMessage());
    }
}
