package dev.panamax.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.panamax.autograd.Parameter;
import dev.panamax.data.FloatArray;
import dev.panamax.layers.Activation;
import dev.panamax.layers.Conv2D;
import dev.panamax.layers.Dense;
import dev.panamax.layers.Flatten;
import dev.panamax.layers.Input;
import dev.panamax.training.Losses;
import dev.panamax.training.SGD;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Conv2D/Dense with activation "relu" run fused primitives; they must equal the unfused layers exactly. */
class FusedActivationTest {

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void fusedReluEqualsSeparateActivation(String backend) {
        SplittableRandom r = new SplittableRandom(3);
        float[] x = new float[4 * 8 * 8 * 3];
        for (int i = 0; i < x.length; i++) x[i] = r.nextInt(-4, 5) / 4f;
        float[] y = {0, 1, 2, 1};
        FloatArray xa = FloatArray.of(x, 4, 8, 8, 3);
        FloatArray ya = FloatArray.of(y, 4);
        try (Sequential fused = new Sequential(Input.shape(8, 8, 3), new Conv2D(4, 3, "relu"), new Flatten(),
                new Dense(6, "relu"), new Dense(3, "softmax"));
             Sequential separate = new Sequential(Input.shape(8, 8, 3), new Conv2D(4, 3), new Activation("relu"),
                     new Flatten(), new Dense(6), new Activation("relu"), new Dense(3, "softmax"))) {
            for (Sequential m : List.of(fused, separate)) {
                m.setBackend(backend);
                m.build();
                m.compile(new SGD(0.1), Losses.sparseCategoricalCrossentropy(false));
            }
            List<Parameter> a = fused.weights();
            List<Parameter> b = separate.weights();
            for (int i = 0; i < a.size(); i++) b.get(i).assign(a.get(i).value().toFloatArray());
            assertArrayEquals(separate.predict(xa, 4).data(), fused.predict(xa, 4).data());
            for (int step = 0; step < 3; step++) {
                assertEquals(separate.trainStep(xa, ya), fused.trainStep(xa, ya), "step " + step);
            }
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(b.get(i).value().toFloatArray(), a.get(i).value().toFloatArray(), a.get(i).name());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void batchNormThenReluRunsFusedWithTheSameResult(String backend) {
        SplittableRandom r = new SplittableRandom(4);
        float[] x = new float[4 * 6 * 6 * 2];
        for (int i = 0; i < x.length; i++) x[i] = r.nextInt(-8, 9) / 8f;
        FloatArray xa = FloatArray.of(x, 4, 6, 6, 2);
        FloatArray ya = FloatArray.of(new float[] {0, 1, 2, 1}, 4);
        // the fused path: BatchNormalization then a plain ReLU; the other has a ReLU with a slope of 0 and a cap
        // far above any value, which no model fuses but which computes the same function
        try (Sequential fused = new Sequential(Input.shape(6, 6, 2), new Conv2D(4, 3),
                new dev.panamax.layers.BatchNormalization(), new dev.panamax.layers.ReLU(), new Flatten(),
                new Dense(3, "softmax"));
             Sequential separate = new Sequential(Input.shape(6, 6, 2), new Conv2D(4, 3),
                     new dev.panamax.layers.BatchNormalization(),
                     new dev.panamax.layers.ReLU(1e30f, 0f, 0f, null), new Flatten(), new Dense(3, "softmax"))) {
            for (Sequential m : List.of(fused, separate)) {
                m.setBackend(backend);
                m.build();
                m.compile(new SGD(0.1), Losses.sparseCategoricalCrossentropy(false));
            }
            List<Parameter> a = fused.weights();
            List<Parameter> b = separate.weights();
            for (int i = 0; i < a.size(); i++) b.get(i).assign(a.get(i).value().toFloatArray());
            for (int step = 0; step < 3; step++) {
                assertEquals(separate.trainStep(xa, ya), fused.trainStep(xa, ya), 1e-6, "step " + step);
            }
            for (int i = 0; i < a.size(); i++) {
                float[] expected = b.get(i).value().toFloatArray();
                float[] actual = a.get(i).value().toFloatArray();
                for (int j = 0; j < expected.length; j++) {
                    assertEquals(expected[j], actual[j], 1e-5 * Math.max(1, Math.abs(expected[j])), a.get(i).name());
                }
            }
            float[] pe = separate.predict(xa, 4).data();
            float[] pa = fused.predict(xa, 4).data();
            for (int j = 0; j < pe.length; j++) assertEquals(pe[j], pa[j], 1e-6);
        }
    }
}
