package dev.panamax.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.backend.nativecpu.NativeBackend;
import dev.panamax.data.FloatArray;
import dev.panamax.data.LabeledArrays;
import dev.panamax.data.SyntheticDigits;
import dev.panamax.layers.BatchNormalization;
import dev.panamax.layers.Conv2D;
import dev.panamax.layers.Dense;
import dev.panamax.layers.Dropout;
import dev.panamax.layers.Flatten;
import dev.panamax.layers.Input;
import dev.panamax.layers.MaxPooling2D;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.training.Adam;
import dev.panamax.training.FitOptions;
import dev.panamax.training.History;
import dev.panamax.training.Losses;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reproducibility, concurrency and memory behaviour of whole models. */
class ModelRuntimeTest {

    private static Sequential convnet() {
        return new Sequential(Input.shape(28, 28, 1), new Conv2D(8, 3, "relu"), new BatchNormalization(),
                new MaxPooling2D(2), new Flatten(), new Dropout(0.25), new Dense(10, "softmax"));
    }

    private static History train(String backend, LabeledArrays data) {
        try (Sequential m = convnet()) {
            m.setBackend(backend).setSeed(21);
            m.compile(new Adam(1e-3), Losses.sparseCategoricalCrossentropy(false), "accuracy");
            return m.fit(data.x(), data.y(), FitOptions.defaults().batchSize(32).epochs(2).seed(8).verbose(0)
                    .validationSplit(0.25));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void oneSeedGivesIdenticalRuns(String backend) {
        LabeledArrays data = SyntheticDigits.generate(256, 5);
        History a = train(backend, data);
        History b = train(backend, data);
        assertEquals(a.asMap(), b.asMap(), "same seed, same thread count: identical loss curves");
    }

    @Test
    void predictIsSafeFromManyThreadsAtOnce() throws Exception {
        LabeledArrays data = SyntheticDigits.generate(64, 6);
        try (Sequential m = convnet()) {
            m.setSeed(3);
            m.compile(new Adam(1e-3), Losses.sparseCategoricalCrossentropy(false));
            m.fit(data.x(), data.y(), FitOptions.defaults().batchSize(16).verbose(0));
            float[] expected = m.predict(data.x(), 8).data();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<float[]>> results = new ArrayList<>();
                for (int t = 0; t < 32; t++) {
                    int batch = 1 + t % 8;
                    results.add(pool.submit(() -> {
                        float[] out = new float[expected.length];
                        // batches of different sizes, so the threads run different primitives too
                        for (int start = 0; start < 64; start += batch) {
                            int count = Math.min(batch, 64 - start);
                            FloatArray p = m.predict(data.x().rows(start, count), count);
                            System.arraycopy(p.data(), 0, out, start * 10, count * 10);
                        }
                        return out;
                    }));
                }
                for (Future<float[]> f : results) {
                    float[] got = f.get();
                    for (int i = 0; i < got.length; i++) assertEquals(expected[i], got[i], 1e-5f, "element " + i);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void offHeapMemoryStaysFlatOver10000Steps() {
        FloatArray x = FloatArray.of(new float[] {0, 0, 0, 1, 1, 0, 1, 1}, 4, 2);
        FloatArray y = FloatArray.of(new float[] {0, 1, 1, 0}, 4, 1);
        try (Sequential m = new Sequential(Input.shape(2), new Dense(16, "relu"), new Dense(1, "sigmoid"))) {
            m.setBackend("native").setSeed(1);
            m.compile(new Adam(1e-2), Losses.binaryCrossentropy(false), "accuracy");
            for (int i = 0; i < 100; i++) m.trainStep(x, y); // warm up: primitives, pools
            long poolAfterWarmup = m.stepMemoryBytes();
            long panamaxAfterWarmup = MemoryScope.liveBytes();
            long primitivesAfterWarmup = ((NativeBackend) m.backend()).primitiveCreations();
            for (int i = 0; i < 10_000; i++) m.trainStep(x, y);
            assertEquals(poolAfterWarmup, m.stepMemoryBytes(), "the step pool reserved nothing new");
            assertEquals(panamaxAfterWarmup, MemoryScope.liveBytes(), "no scope left open, no tensor leaked");
            assertEquals(primitivesAfterWarmup, ((NativeBackend) m.backend()).primitiveCreations(),
                    "no native primitive created in steady state");
            assertArrayEquals(new float[] {0, 1, 1, 0}, round(m.predict(x, 4).data()));
        }
    }

    private static float[] round(float[] v) {
        float[] r = new float[v.length];
        for (int i = 0; i < v.length; i++) r[i] = Math.round(v[i]);
        return r;
    }
}
