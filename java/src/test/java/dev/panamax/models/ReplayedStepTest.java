package dev.panamax.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.autograd.Parameter;
import dev.panamax.autograd.Var;
import dev.panamax.data.FloatArray;
import dev.panamax.layers.BatchNormalization;
import dev.panamax.layers.Conv2D;
import dev.panamax.layers.Dense;
import dev.panamax.layers.Dropout;
import dev.panamax.layers.Embedding;
import dev.panamax.layers.Flatten;
import dev.panamax.layers.Input;
import dev.panamax.layers.Layer;
import dev.panamax.layers.LayerNormalization;
import dev.panamax.layers.MaxPooling2D;
import dev.panamax.layers.Regularizer;
import dev.panamax.tensor.Shape;
import dev.panamax.training.Adam;
import dev.panamax.training.Losses;
import dev.panamax.training.SGD;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A training step recorded once and replayed on later batches gives exactly what building the
 * graph anew each step ({@code runEagerly}) gives: losses, metrics, weights, batch-norm statistics,
 * dropout masks drawn per step, Java-side loss work, freezing, and bad input found on a replay.
 */
class ReplayedStepTest {

    private static float[] uniform(SplittableRandom r, int count) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) v[i] = (float) r.nextDouble(-1, 1);
        return v;
    }

    private static float[] classes(SplittableRandom r, int count, int classes) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) v[i] = r.nextInt(classes);
        return v;
    }

    /** Conv, batch norm, pooling, dropout and an L1/L2-regularized dense softmax head. */
    private static Sequential convnet() {
        return new Sequential(Input.shape(8, 8, 1), new Conv2D(4, 3, "relu"), new BatchNormalization(),
                new MaxPooling2D(2), new Flatten(), new Dropout(0.3),
                new Dense(5, "softmax").kernelRegularizer(Regularizer.l1l2(1e-3f, 1e-2f)));
    }

    /** A batch of {@code rows} 8x8 images and class indices. */
    private static List<List<FloatArray>> imageBatch(SplittableRandom r, int rows) {
        return List.of(List.of(FloatArray.of(uniform(r, rows * 64), rows, 8, 8, 1)),
                List.of(FloatArray.of(classes(r, rows, 5), rows)));
    }

    private static List<float[]> weights(Model m) {
        List<float[]> all = new ArrayList<>();
        for (Parameter p : m.weights()) all.add(p.value().toFloatArray());
        return all;
    }

    private static void assertSameWeights(Model expected, Model actual) {
        List<float[]> e = weights(expected);
        List<float[]> a = weights(actual);
        assertEquals(e.size(), a.size());
        for (int i = 0; i < e.size(); i++) {
            assertArrayEquals(e.get(i), a.get(i), "weight " + expected.weights().get(i).name());
        }
    }

    /** Trains a replaying and an eager copy of the same model on the same batches; returns both. */
    private static List<Model> trainBoth(Supplier<Model> factory, String backend,
                                         java.util.function.Consumer<Model> compile,
                                         List<List<List<FloatArray>>> batches) {
        Model replayed = factory.get();
        Model eager = factory.get();
        eager.setRunEagerly(true);
        for (Model m : List.of(replayed, eager)) {
            m.setBackend(backend).setSeed(17);
            compile.accept(m);
        }
        for (int step = 0; step < batches.size(); step++) {
            List<List<FloatArray>> b = batches.get(step);
            Map<String, Double> e = eager.trainOnBatch(b.get(0), b.get(1));
            Map<String, Double> r = replayed.trainOnBatch(b.get(0), b.get(1));
            assertEquals(e, r, "step " + step + ": replayed logs equal eager logs");
        }
        return List.of(replayed, eager);
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void replayedStepsEqualEagerSteps(String backend) {
        SplittableRandom r = new SplittableRandom(3);
        List<List<List<FloatArray>>> batches = new ArrayList<>();
        for (int rows : new int[] {16, 16, 16, 6, 16, 6, 16}) batches.add(imageBatch(r, rows));
        List<Model> both = trainBoth(ReplayedStepTest::convnet, backend,
                m -> m.compile(new Adam(1e-2), Losses.sparseCategoricalCrossentropy(false), "accuracy"), batches);
        try (Model replayed = both.get(0); Model eager = both.get(1)) {
            assertSameWeights(eager, replayed);
            assertEquals(2, replayed.stepPlanCount(), "one recorded step per batch shape");
            assertEquals(0, eager.stepPlanCount());
            // inference after replayed training sees the same moving statistics and weights
            FloatArray x = batches.get(0).get(0).get(0);
            assertArrayEquals(eager.predict(x, 16).data(), replayed.predict(x, 16).data());
        }
    }

    @Test
    void dropoutDrawsANewMaskOnEveryReplayedStep() {
        SplittableRandom r = new SplittableRandom(4);
        List<List<FloatArray>> batch = imageBatch(r, 16);
        try (Sequential m = new Sequential(Input.shape(8, 8, 1), new Flatten(), new Dropout(0.5),
                new Dense(5, "softmax"))) {
            m.setBackend("java").setSeed(1);
            m.compile(new SGD(0.0), Losses.sparseCategoricalCrossentropy(false));
            // the learning rate is 0: only the dropout mask changes the loss between steps
            double first = m.trainStep(batch.get(0), batch.get(1));
            double second = m.trainStep(batch.get(0), batch.get(1));
            double third = m.trainStep(batch.get(0), batch.get(1));
            assertEquals(1, m.stepPlanCount());
            assertNotEquals(second, third, "a replayed step draws its own dropout mask");
            assertNotEquals(first, second);
        }
    }

    /** Two outputs whose losses are computed partly in Java (clip and log of probabilities), weighted. */
    private static Functional twoHeads() {
        SymbolicTensor in = new Input(Shape.of(6), "features").output();
        SymbolicTensor trunk = new LayerNormalization("norm").apply(new Dense(16, "tanh", "trunk").apply(in));
        SymbolicTensor flag = new Dense(1, "sigmoid", "flag").apply(trunk);
        SymbolicTensor mix = new Dense(3, "sigmoid", "mix").apply(trunk);
        return new Functional(List.of(in), List.of(flag, mix), "two_heads");
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void lossesWorkedOutInJavaAreReplayed(String backend) {
        SplittableRandom r = new SplittableRandom(5);
        List<List<List<FloatArray>>> batches = new ArrayList<>();
        for (int step = 0; step < 5; step++) {
            float[] flags = new float[12];
            float[] oneHot = new float[12 * 3];
            for (int i = 0; i < 12; i++) {
                flags[i] = r.nextInt(2);
                oneHot[i * 3 + r.nextInt(3)] = 1f;
            }
            batches.add(List.of(List.of(FloatArray.of(uniform(r, 12 * 6), 12, 6)),
                    List.of(FloatArray.of(flags, 12, 1), FloatArray.of(oneHot, 12, 3))));
        }
        List<Model> both = trainBoth(ReplayedStepTest::twoHeads, backend,
                m -> m.compile(new Adam(1e-2), List.of(Losses.binaryCrossentropy(false),
                        Losses.categoricalCrossentropy(false)), List.of(0.5, 2.0), "accuracy"), batches);
        try (Model replayed = both.get(0); Model eager = both.get(1)) {
            assertSameWeights(eager, replayed);
            assertEquals(1, replayed.stepPlanCount());
        }
    }

    private static Sequential embedding() {
        return new Sequential(Input.shape(4), new Embedding(10, 3), new Flatten(), new Dense(2, "softmax"));
    }

    private static List<List<FloatArray>> indexBatch(SplittableRandom r, float badIndex) {
        float[] ix = classes(r, 8 * 4, 10);
        if (!Float.isNaN(badIndex)) ix[5] = badIndex;
        return List.of(List.of(FloatArray.of(ix, 8, 4)), List.of(FloatArray.of(classes(r, 8, 2), 8)));
    }

    @Test
    void badInputFoundOnAReplayedStepThrowsAndTrainingGoesOn() {
        SplittableRandom r = new SplittableRandom(6);
        List<List<FloatArray>> good1 = indexBatch(r, Float.NaN);
        List<List<FloatArray>> good2 = indexBatch(r, Float.NaN);
        List<List<FloatArray>> badIndex = indexBatch(r, 2.5f);
        List<List<FloatArray>> badLabel = List.of(good1.get(0), List.of(FloatArray.of(
                new float[] {0, 1, 0, 7, 1, 0, 1, 1}, 8)));
        List<Model> both = trainBoth(ReplayedStepTest::embedding, "java",
                m -> m.compile(new Adam(1e-2), Losses.sparseCategoricalCrossentropy(false)), List.of(good1));
        try (Model replayed = both.get(0); Model eager = both.get(1)) {
            for (Model m : both) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> m.trainStep(badIndex.get(0), badIndex.get(1)));
                assertTrue(e.getMessage().contains("Embedding") && e.getMessage().contains("2.5"), e.getMessage());
                e = assertThrows(IllegalArgumentException.class, () -> m.trainStep(badLabel.get(0), badLabel.get(1)));
                assertTrue(e.getMessage().contains("target 7.0 at row 3"), e.getMessage());
            }
            assertEquals(1, replayed.stepPlanCount(), "the bad batches ran the recorded step");
            assertEquals(eager.trainStep(good2.get(0), good2.get(1)), replayed.trainStep(good2.get(0), good2.get(1)));
            assertSameWeights(eager, replayed);
        }
    }

    @Test
    void freezingALayerRecordsANewStep() {
        SplittableRandom r = new SplittableRandom(7);
        List<List<FloatArray>> batch = imageBatch(r, 16);
        Model replayed = convnet();
        Model eager = convnet().setRunEagerly(true);
        try (replayed; eager) {
            for (Model m : List.of(replayed, eager)) {
                m.setBackend("java").setSeed(2);
                m.compile(new Adam(1e-2), Losses.sparseCategoricalCrossentropy(false));
                m.trainStep(batch.get(0), batch.get(1));
                m.trainStep(batch.get(0), batch.get(1));
                m.layers().get(0).setTrainable(false);
            }
            float[] frozen = replayed.layers().get(0).weights().get(0).value().toFloatArray();
            for (int step = 0; step < 2; step++) {
                assertEquals(eager.trainStep(batch.get(0), batch.get(1)), replayed.trainStep(batch.get(0), batch.get(1)));
            }
            assertArrayEquals(frozen, replayed.layers().get(0).weights().get(0).value().toFloatArray(),
                    "a frozen layer's weights stay as they were");
            assertSameWeights(eager, replayed);
            assertEquals(2, replayed.stepPlanCount());
        }
    }

    /** A user's layer: Panamax cannot tell whether its call is replayable, so steps run eagerly. */
    private static final class Doubling extends Layer {
        Doubling() {
            super("doubling");
        }

        @Override
        public Var call(Var input, boolean training) {
            return input.ops().affine(input, 2f, 0f);
        }
    }

    @Test
    void customLayersAndRunEagerlyTrainWithoutRecording() {
        SplittableRandom r = new SplittableRandom(8);
        List<List<FloatArray>> batch = imageBatch(r, 16);
        try (Sequential custom = new Sequential(Input.shape(8, 8, 1), new Flatten(), new Doubling(),
                new Dense(5, "softmax"));
             Sequential plain = convnet()) {
            for (Model m : List.of(custom, plain)) {
                m.setBackend("java").setSeed(3);
                m.compile(new Adam(1e-2), Losses.sparseCategoricalCrossentropy(false));
            }
            double before = custom.trainStep(batch.get(0), batch.get(1));
            for (int i = 0; i < 5; i++) custom.trainStep(batch.get(0), batch.get(1));
            assertTrue(custom.trainStep(batch.get(0), batch.get(1)) < before, "the custom model trains");
            assertEquals(0, custom.stepPlanCount());

            plain.trainStep(batch.get(0), batch.get(1));
            assertEquals(1, plain.stepPlanCount());
            plain.compile(new Adam(1e-3), Losses.sparseCategoricalCrossentropy(false));
            assertEquals(0, plain.stepPlanCount(), "compile drops recorded steps");
            plain.trainStep(batch.get(0), batch.get(1));
            plain.setRunEagerly(true);
            assertEquals(0, plain.stepPlanCount(), "run eagerly drops recorded steps");
            plain.trainStep(batch.get(0), batch.get(1));
            assertEquals(0, plain.stepPlanCount());
        }
    }
}
