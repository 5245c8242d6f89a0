package dev.panamax.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.data.FloatArray;
import dev.panamax.layers.Dense;
import dev.panamax.layers.Input;
import dev.panamax.tensor.Shape;
import dev.panamax.training.Accuracy;
import dev.panamax.training.Adam;
import dev.panamax.training.FitOptions;
import dev.panamax.training.History;
import dev.panamax.training.Loss;
import dev.panamax.training.Losses;
import dev.panamax.training.Metric;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** fit, evaluate and predict with several inputs and outputs, and Keras' per-output log names. */
class MultiInputOutputTest {
    private static final int N = 32;

    private static float[] uniform(SplittableRandom r, int count) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) v[i] = (float) r.nextDouble(-1, 1);
        return v;
    }

    /** Two inputs, each through its own Dense, merged, and one regression output. */
    private static Functional twoInputs() {
        SymbolicTensor a = new Input(Shape.of(4), "a").output();
        SymbolicTensor b = new Input(Shape.of(3), "b").output();
        SymbolicTensor merged = new TestAdd("merge").apply(new Dense(8, "tanh", "from_a").apply(a),
                new Dense(8, "tanh", "from_b").apply(b));
        return new Functional(List.of(a, b), List.of(new Dense(1, null, "y").apply(merged)), "two_inputs");
    }

    @Test
    void twoInputModelLearnsAFunctionOfBoth() {
        SplittableRandom r = new SplittableRandom(1);
        float[] a = uniform(r, N * 4);
        float[] b = uniform(r, N * 3);
        float[] y = new float[N];
        for (int i = 0; i < N; i++) y[i] = a[4 * i] - a[4 * i + 3] + 0.5f * b[3 * i + 1];
        List<FloatArray> x = List.of(FloatArray.of(a, N, 4), FloatArray.of(b, N, 3));
        List<FloatArray> t = List.of(FloatArray.of(y, N, 1));
        try (Functional m = twoInputs()) {
            m.setBackend("java").setSeed(5);
            m.compile(new Adam(0.03), Losses.meanSquaredError());
            double before = m.evaluate(x, t, 8).get("loss");
            History h = m.fit(x, t, FitOptions.defaults().batchSize(8).epochs(60).verbose(0));
            double after = m.evaluate(x, t, 8).get("loss");
            assertTrue(after < 0.1 * before, "loss " + before + " -> " + after);
            assertEquals(after, h.get("loss").get(59), 0.5 * h.get("loss").get(59) + 1e-3);
            List<FloatArray> p = m.predict(x, 5);
            assertEquals(1, p.size());
            assertEquals(Shape.of(N, 1), p.get(0).shape());
            double mse = 0;
            for (int i = 0; i < N; i++) mse += Math.pow(p.get(0).data()[i] - y[i], 2) / N;
            assertEquals(after, mse, 1e-4 + 1e-3 * mse);
        }
    }

    /** One trunk, a 3-class head and a regression head. */
    private static Functional twoOutputs() {
        SymbolicTensor in = new Input(Shape.of(6), "features").output();
        SymbolicTensor trunk = new Dense(16, "tanh", "trunk").apply(in);
        SymbolicTensor cls = new Dense(3, "softmax", "cls").apply(trunk);
        SymbolicTensor reg = new Dense(1, null, "reg").apply(trunk);
        return new Functional(List.of(in), List.of(cls, reg), "two_outputs");
    }

    private static List<FloatArray> twoOutputData(float[] x, int n) {
        float[] label = new float[n];
        float[] value = new float[n];
        for (int i = 0; i < n; i++) {
            label[i] = x[6 * i] > 0.3f ? 2 : x[6 * i] > -0.3f ? 1 : 0;
            value[i] = x[6 * i + 1] * x[6 * i + 2] + x[6 * i + 5];
        }
        return List.of(FloatArray.of(label, n), FloatArray.of(value, n, 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void twoOutputModelTrainsOnTwoWeightedLosses(String backend) {
        SplittableRandom r = new SplittableRandom(2);
        float[] xs = uniform(r, N * 6);
        List<FloatArray> x = List.of(FloatArray.of(xs, N, 6));
        List<FloatArray> y = twoOutputData(xs, N);
        try (Functional m = twoOutputs()) {
            m.setBackend(backend).setSeed(3);
            assertEquals(List.of("cls", "reg"), m.outputNames());
            m.compile(new Adam(0.02), List.of(Losses.sparseCategoricalCrossentropy(false), Losses.meanSquaredError()),
                    List.of(1.0, 0.5), "accuracy");
            Map<String, Double> start = m.evaluate(x, y, 10);
            assertEquals(List.of("loss", "cls_loss", "reg_loss", "cls_accuracy", "reg_accuracy"),
                    List.copyOf(start.keySet()));
            assertEquals(start.get("cls_loss") + 0.5 * start.get("reg_loss"), start.get("loss"), 1e-9);
            History h = m.fit(x, y, FitOptions.defaults().batchSize(8).epochs(40).verbose(0));
            assertEquals(List.of("loss", "cls_loss", "reg_loss", "cls_accuracy", "reg_accuracy"),
                    List.copyOf(h.asMap().keySet()));
            Map<String, Double> end = m.evaluate(x, y, 10);
            assertTrue(end.get("cls_loss") < 0.5 * start.get("cls_loss"), start + " -> " + end);
            assertTrue(end.get("reg_loss") < 0.5 * start.get("reg_loss"), start + " -> " + end);
            assertTrue(end.get("cls_accuracy") > 0.8, end.toString());

            List<FloatArray> p = m.predict(x, 7);
            assertEquals(Shape.of(N, 3), p.get(0).shape());
            assertEquals(Shape.of(N, 1), p.get(1).shape());
            Accuracy acc = new Accuracy();
            acc.update(y.get(0), p.get(0));
            assertEquals(end.get("cls_accuracy"), acc.result(), 1e-12);
        }
    }

    @Test
    void lossWeightsScaleEachOutputsGradient() {
        // With weight 0 on the regression head, training must leave that head's weights as they were.
        SplittableRandom r = new SplittableRandom(6);
        float[] xs = uniform(r, N * 6);
        List<FloatArray> x = List.of(FloatArray.of(xs, N, 6));
        try (Functional m = twoOutputs()) {
            m.setBackend("java").setSeed(1);
            m.compile(new Adam(0.01), List.of(Losses.sparseCategoricalCrossentropy(false), Losses.meanSquaredError()),
                    List.of(1.0, 0.0));
            m.build();
            float[] regKernel = m.getLayer("reg").weights().get(0).value().toFloatArray();
            float[] trunkKernel = m.getLayer("trunk").weights().get(0).value().toFloatArray();
            Map<String, Double> logs = m.trainOnBatch(x, twoOutputData(xs, N));
            assertEquals(logs.get("cls_loss"), logs.get("loss"), 1e-6);
            assertTrue(logs.get("reg_loss") > 0);
            assertEquals(FloatArray.of(regKernel, regKernel.length),
                    FloatArray.of(m.getLayer("reg").weights().get(0).value().toFloatArray(), regKernel.length));
            assertTrue(!FloatArray.of(trunkKernel, trunkKernel.length).equals(
                    FloatArray.of(m.getLayer("trunk").weights().get(0).value().toFloatArray(), trunkKernel.length)));
        }
    }

    @Test
    void perOutputMetricInstancesAndOneLossForEveryOutput() {
        SplittableRandom r = new SplittableRandom(8);
        float[] xs = uniform(r, 10 * 6);
        float[] oneHot = new float[10 * 3];
        for (int i = 0; i < 10; i++) oneHot[3 * i + i % 3] = 1;
        List<FloatArray> y = List.of(FloatArray.of(oneHot, 10, 3), twoOutputData(xs, 10).get(1));
        try (Functional m = twoOutputs()) {
            m.setBackend("java");
            m.compile(new Adam(0.01), List.of(Losses.categoricalCrossentropy(false), Losses.meanSquaredError()), null,
                    List.<List<Metric>>of(List.of(new Accuracy("acc")), List.of()));
            Map<String, Double> logs = m.trainOnBatch(List.of(FloatArray.of(xs, 10, 6)), y);
            assertEquals(List.of("loss", "cls_loss", "reg_loss", "cls_acc"), List.copyOf(logs.keySet()));

            m.compile(new Adam(0.01), Losses.meanSquaredError());
            List<Loss> losses = m.losses();
            assertEquals(2, losses.size());
            logs = m.testOnBatch(List.of(FloatArray.of(xs, 10, 6)), y);
            assertEquals(logs.get("cls_loss") + logs.get("reg_loss"), logs.get("loss"), 1e-9);
        }
    }

    @Test
    void mismatchedArgumentsFailNamingWhatIsWrong() {
        try (Functional m = twoOutputs()) {
            m.setBackend("java");
            Adam adam = new Adam(0.01);
            var e = assertThrows(IllegalArgumentException.class,
                    () -> m.compile(adam, List.of(Losses.meanSquaredError())));
            assertTrue(e.getMessage().contains("2 output(s) [cls, reg]") && e.getMessage().contains("1 losses"),
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> m.compile(adam,
                    List.of(Losses.meanSquaredError(), Losses.meanSquaredError()), List.of(1.0), "accuracy"));
            assertTrue(e.getMessage().contains("loss_weights=[1.0]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> m.compile(adam, Losses.meanSquaredError(),
                    List.<Metric>of(new Accuracy())));
            assertTrue(e.getMessage().contains("one list of metric instances per output"), e.getMessage());
            Accuracy shared = new Accuracy();
            e = assertThrows(IllegalArgumentException.class, () -> m.compile(adam,
                    List.of(Losses.meanSquaredError(), Losses.meanSquaredError()), null,
                    List.<List<Metric>>of(List.of(shared), List.of(shared))));
            assertTrue(e.getMessage().contains("given twice"), e.getMessage());

            m.compile(adam, Losses.meanSquaredError());
            FloatArray x = FloatArray.of(new float[4 * 6], 4, 6);
            FloatArray y = FloatArray.of(new float[4], 4, 1);
            e = assertThrows(IllegalArgumentException.class, () -> m.fit(x, y, FitOptions.defaults().verbose(0)));
            assertTrue(e.getMessage().contains("2 output(s)") && e.getMessage().contains("1 target"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> m.fit(List.of(x), List.of(y, FloatArray.of(new float[3], 3, 1)), FitOptions.defaults()));
            assertTrue(e.getMessage().contains("but y[1] has 3 [3, 1]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> m.predict(x, 2));
            assertTrue(e.getMessage().contains("predict(List.of(x), batchSize)"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> m.predict(List.of(x, x), 2));
            assertTrue(e.getMessage().contains("inputs [(None, 6)]") && e.getMessage().contains("[(None, 6), (None, 6)]"), e.getMessage());
            var state = assertThrows(IllegalStateException.class, m::outputShape);
            assertTrue(state.getMessage().contains("outputShapes()"), state.getMessage());
        }
        try (Functional m = twoInputs()) {
            m.setBackend("java");
            FloatArray a = FloatArray.of(new float[8], 2, 4);
            var e = assertThrows(IllegalArgumentException.class, () -> m.predict(a, 2));
            assertTrue(e.getMessage().contains("[(None, 4), (None, 3)]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> m.predict(List.of(a, FloatArray.of(new float[9], 3, 3)), 2));
            assertTrue(e.getMessage().contains("x[1] has 3 rows"), e.getMessage());
        }
    }

    @Test
    void validationSplitTakesTheLastRowsOfEveryArray() {
        SplittableRandom r = new SplittableRandom(3);
        float[] a = uniform(r, N * 4);
        float[] b = uniform(r, N * 3);
        float[] y = uniform(r, N);
        List<FloatArray> x = List.of(FloatArray.of(a, N, 4), FloatArray.of(b, N, 3));
        List<FloatArray> t = List.of(FloatArray.of(y, N, 1));
        try (Functional m = twoInputs()) {
            m.setBackend("java").setSeed(2);
            m.compile(new Adam(0.01), Losses.meanSquaredError());
            History h = m.fit(x, t, FitOptions.defaults().batchSize(8).epochs(1).validationSplit(0.25).verbose(0));
            int v = N / 4;
            Map<String, Double> expected = m.evaluate(List.of(x.get(0).rows(N - v, v), x.get(1).rows(N - v, v)),
                    List.of(t.get(0).rows(N - v, v)), 8);
            assertEquals(expected.get("loss"), h.get("val_loss").get(0), 1e-9);
        }
    }
}
