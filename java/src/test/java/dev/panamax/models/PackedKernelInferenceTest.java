package dev.panamax.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.panamax.autograd.GradientTape;
import dev.panamax.autograd.Ops;
import dev.panamax.autograd.Parameter;
import dev.panamax.backend.nativecpu.NativeBackend;
import dev.panamax.backend.nativecpu.NativeStats;
import dev.panamax.data.FloatArray;
import dev.panamax.layers.BatchNormalization;
import dev.panamax.layers.Conv2D;
import dev.panamax.layers.Dense;
import dev.panamax.layers.Flatten;
import dev.panamax.layers.Input;
import dev.panamax.layers.MaxPooling2D;
import dev.panamax.layers.ReLU;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.training.Adam;
import dev.panamax.training.Losses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Conv2D packs its kernel for the backend once per weight version and batch shape in inference:
 * predict and evaluate run again on the same shapes pack nothing, create no primitive and reorder
 * no activation, and give exactly what the unpacked path (the training path, used under a tape)
 * gives.
 */
class PackedKernelInferenceTest {
    private static final int ROWS = 12;
    private static final int BATCH = 8; // batches of 8 and 4: two shapes, two packed kernels per conv

    /** conv -> batch norm -> ReLU -> max pool, then a conv with a fused ReLU, and a classifier. */
    private static Sequential model(String backend) {
        Sequential m = new Sequential(Input.shape(10, 10, 3), new Conv2D(8, 3), new BatchNormalization(), new ReLU(),
                new MaxPooling2D(2), new Conv2D(6, 2, "relu"), new Flatten(), new Dense(3, "softmax"));
        m.setBackend(backend).setSeed(5);
        m.compile(new Adam(1e-2), Losses.sparseCategoricalCrossentropy(false));
        return m;
    }

    private static FloatArray images() {
        SplittableRandom r = new SplittableRandom(9);
        float[] x = new float[ROWS * 10 * 10 * 3];
        for (int i = 0; i < x.length; i++) x[i] = r.nextInt(-8, 9) / 8f;
        return FloatArray.of(x, ROWS, 10, 10, 3);
    }

    private static FloatArray labels() {
        float[] y = new float[ROWS];
        for (int i = 0; i < ROWS; i++) y[i] = i % 3;
        return FloatArray.of(y, ROWS);
    }

    /** The model's output on x through the unpacked path: conv2d under a tape, in inference mode. */
    private static float[] unpacked(Sequential m, FloatArray x) {
        float[] out = new float[ROWS * 3];
        for (int start = 0; start < ROWS; start += BATCH) {
            int count = Math.min(BATCH, ROWS - start);
            try (MemoryScope step = MemoryScope.open("unpacked")) {
                Ops ops = new Ops(m.backend(), step, new GradientTape());
                float[] y = m.call(ops.constant(Model.toTensor(step, x.rows(start, count))), false).value()
                        .toFloatArray();
                System.arraycopy(y, 0, out, start * 3, y.length);
            }
        }
        return out;
    }

    @Test
    void predictTwicePacksNothingTheSecondTimeAndAfterATrainingStepRepacksOnce() {
        FloatArray x = images();
        FloatArray y = labels();
        try (Sequential m = model("native")) {
            NativeBackend nat = (NativeBackend) m.backend();
            float[] first = m.predict(x, BATCH).data();
            m.evaluate(x, y, BATCH);

            NativeStats before = nat.stats();
            float[] second = m.predict(x, BATCH).data();
            m.evaluate(x, y, BATCH);
            m.testOnBatch(x.rows(0, BATCH), y.rows(0, BATCH));
            assertEquals(new NativeStats(0, 0, 0), nat.stats().since(before),
                    "creations and reorders of a second predict, evaluate and testOnBatch");
            assertArrayEquals(first, second);
            assertArrayEquals(unpacked(m, x), second, "packed once vs. packed on every call");

            m.trainStep(x.rows(0, BATCH), y.rows(0, BATCH));
            NativeStats afterStep = nat.stats();
            float[] trained = m.predict(x, BATCH).data();
            NativeStats repack = nat.stats().since(afterStep);
            // 2 convolutions x 2 batch shapes, each packed once from the updated kernel
            assertEquals(new NativeStats(0, 4, 0), repack, "a predict after the weights changed");
            assertFalse(Arrays.equals(second, trained), "the training step changed the predictions");
            assertArrayEquals(unpacked(m, x), trained, "packed from the updated kernel");

            NativeStats again = nat.stats();
            m.predict(x, BATCH);
            assertEquals(new NativeStats(0, 0, 0), nat.stats().since(again), "a second predict after training");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void weightsWrittenThroughAssignOrLoadedAreUsedByTheNextPredict(String backend) throws Exception {
        FloatArray x = images();
        Path file = Files.createTempFile("packed-kernel", ".safetensors");
        try (Sequential m = model(backend)) {
            float[] before = m.predict(x, BATCH).data();
            m.saveWeights(file);
            Parameter kernel = m.weights().get(0);
            float[] doubled = kernel.value().toFloatArray();
            for (int i = 0; i < doubled.length; i++) doubled[i] *= 2;
            kernel.assign(doubled);
            float[] assigned = m.predict(x, BATCH).data();
            assertFalse(Arrays.equals(before, assigned), "the doubled kernel changed the predictions");
            assertArrayEquals(unpacked(m, x), assigned, "predict after assign");
            m.loadWeights(file, true);
            assertArrayEquals(before, m.predict(x, BATCH).data(), "predict after loading the saved weights");
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
