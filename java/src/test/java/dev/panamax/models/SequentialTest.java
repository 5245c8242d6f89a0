package dev.panamax.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.data.FloatArray;
import dev.panamax.layers.Conv2D;
import dev.panamax.layers.Dense;
import dev.panamax.layers.Dropout;
import dev.panamax.layers.Flatten;
import dev.panamax.layers.Input;
import dev.panamax.layers.MaxPooling2D;
import dev.panamax.training.Adam;
import dev.panamax.training.FitOptions;
import dev.panamax.training.History;
import dev.panamax.training.Losses;
import dev.panamax.training.SGD;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SequentialTest {

    static Sequential kerasMnistConvnet() {
        return new Sequential(Input.shape(28, 28, 1),
                new Conv2D(32, 3, "relu"), new MaxPooling2D(2),
                new Conv2D(64, 3, "relu"), new MaxPooling2D(2),
                new Flatten(), new Dropout(0.5), new Dense(10, "softmax"));
    }

    @Test
    void summaryMatchesKerasParameterCounts() {
        try (Sequential convnet = kerasMnistConvnet()) {
            convnet.build();
            assertEquals(34_826, convnet.countParams());
            String s = convnet.summary();
            assertTrue(s.contains("(None, 26, 26, 32)"), s);
            assertTrue(s.contains("Total params: 34,826 (136.04 KB)"), s);
            assertTrue(s.contains("Non-trainable params: 0 (0.00 B)"), s);
        }
        try (Sequential ae = new Sequential(Input.shape(784), new Dense(32, "relu"), new Dense(784, "sigmoid"))) {
            ae.build();
            assertEquals(50_992, ae.countParams());
        }
        try (Sequential deep = new Sequential(Input.shape(784), new Dense(128, "relu"), new Dense(64, "relu"),
                new Dense(32, "relu"), new Dense(64, "relu"), new Dense(128, "relu"), new Dense(784, "sigmoid"))) {
            deep.build();
            assertEquals(222_384, deep.countParams());
            assertEquals(101_136, deep.layers().get(5).countParams());
        }
    }

    @Test
    void shapeErrorsNameTheLayerAndShapeAtBuild() {
        Sequential bad = new Sequential(Input.shape(10), new Conv2D(4, 3));
        var e = assertThrows(IllegalArgumentException.class, bad::build);
        assertTrue(e.getMessage().contains("Conv2D") && e.getMessage().contains("(None, 10)"), e.getMessage());
        Sequential tooSmall = new Sequential(Input.shape(2, 2, 1), new Conv2D(4, 3));
        e = assertThrows(IllegalArgumentException.class, tooSmall::build);
        assertTrue(e.getMessage().contains("(None, 2, 2, 1)"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void mlpLearnsXor(String backend) {
        float[] x = {0, 0, 0, 1, 1, 0, 1, 1};
        float[] y = {0, 1, 1, 0};
        try (Sequential m = new Sequential(Input.shape(2), new Dense(8, "tanh"), new Dense(1, "sigmoid"))) {
            m.setBackend(backend).setSeed(3);
            m.compile(new Adam(0.05), Losses.meanSquaredError(), "accuracy");
            History h = m.fit(FloatArray.of(x, 4, 2), FloatArray.of(y, 4, 1),
                    FitOptions.defaults().batchSize(4).epochs(300).verbose(0));
            assertTrue(h.get("loss").get(299) < 0.02, "final loss " + h.get("loss").get(299));
            assertEquals(1.0, h.get("accuracy").get(299));
            FloatArray p = m.predict(FloatArray.of(x, 4, 2), 4);
            for (int i = 0; i < 4; i++) assertEquals(y[i], Math.round(p.data()[i]));
        }
    }

    @Test
    void javaAndNativeTrainTheSameConvnet() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        // each class is a bright 4x4 patch at its own place, over noise
        float[] x = new float[16 * 28 * 28];
        for (int i = 0; i < x.length; i++) x[i] = r.nextInt(4) / 16f;
        float[] y = new float[16];
        for (int i = 0; i < y.length; i++) {
            int c = i % 10;
            y[i] = c;
            for (int dy = 0; dy < 4; dy++) {
                for (int dx = 0; dx < 4; dx++) x[i * 784 + (c / 5 * 14 + 5 + dy) * 28 + (c % 5) * 5 + 2 + dx] = 1f;
            }
        }
        double[] finalLoss = new double[2];
        String[] backends = {"java", "native"};
        for (int b = 0; b < 2; b++) {
            try (Sequential m = kerasMnistConvnet()) {
                m.setBackend(backends[b]).setSeed(11);
                m.compile(new Adam(0.003), Losses.sparseCategoricalCrossentropy(false), "accuracy");
                History h = m.fit(FloatArray.of(x, 16, 28, 28, 1), FloatArray.of(y, 16),
                        FitOptions.defaults().batchSize(8).epochs(10).verbose(0).shuffle(false));
                finalLoss[b] = h.get("loss").get(9);
                assertTrue(h.get("loss").get(9) < 0.5 * h.get("loss").get(0), backends[b] + " " + h);
            }
        }
        assertEquals(finalLoss[0], finalLoss[1], 1e-3 * Math.abs(finalLoss[0]));
    }
}
