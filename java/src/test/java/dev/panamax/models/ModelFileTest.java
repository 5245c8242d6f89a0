package dev.panamax.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.data.FloatArray;
import dev.panamax.io.CorruptFileException;
import dev.panamax.layers.Add;
import dev.panamax.layers.BatchNormalization;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {
    @TempDir
    Path dir;

    private static FloatArray images(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 8 * 8 * 1];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
        return FloatArray.of(x, n, 8, 8, 1);
    }

    private static FloatArray labels(int n) {
        float[] y = new float[n];
        for (int i = 0; i < n; i++) y[i] = i % 3;
        return FloatArray.of(y, n);
    }

    private static Sequential convnet() {
        return new Sequential(Input.shape(8, 8, 1), new Conv2D(4, 3, "relu"), new BatchNormalization(),
                new MaxPooling2D(2), new Flatten(), new Dropout(0.3), new Dense(3, "softmax"));
    }

    private static Model functional() {
        var in = Input.tensor(8, 8, 1);
        var a = new Conv2D(4, 3).padding("same").apply(in);
        var b = new Conv2D(4, 1, "relu").apply(a);
        var sum = new Add().apply(a, b);
        var out = new Dense(3, "softmax").apply(new Flatten().apply(sum));
        return Model.of(in, out);
    }

    @Test
    void savedModelsLoadWithIdenticalPredictions() throws IOException {
        FloatArray x = images(6, 1);
        for (Model m : List.of(convnet(), functional())) {
            try (m) {
                m.setBackend("java").setSeed(4);
                m.compile(new Adam(0.01), Losses.sparseCategoricalCrossentropy(false), "accuracy");
                m.fit(x, labels(6), FitOptions.defaults().batchSize(3).epochs(2).verbose(0));
                Path file = dir.resolve(m.name() + ".safetensors");
                m.save(file);
                try (Model loaded = Model.load(file, "java")) {
                    assertEquals(m.getConfig(), loaded.getConfig());
                    assertEquals(m.typeName(), loaded.typeName());
                    assertArrayEquals(m.predict(x, 6).data(), loaded.predict(x, 6).data(), m.name());
                    loaded.compile(new Adam(0.01), Losses.sparseCategoricalCrossentropy(false));
                    assertTrue(ModelFile.loadOptimizerState(loaded, file));
                    assertEquals(m.optimizer().iterations(), loaded.optimizer().iterations());
                }
                Path lean = dir.resolve(m.name() + "-no-optimizer.safetensors");
                ModelFile.save(m, lean, false);
                assertTrue(Files.size(lean) < Files.size(file), "no optimizer slots in the file");
                try (Model loaded = Model.load(lean, "java")) {
                    assertArrayEquals(m.predict(x, 6).data(), loaded.predict(x, 6).data(), m.name());
                    loaded.compile(new Adam(0.01), Losses.sparseCategoricalCrossentropy(false));
                    assertFalse(ModelFile.loadOptimizerState(loaded, lean));
                }
            }
        }
    }

    @Test
    void resumingFromACheckpointContinuesTheSameLossCurve() throws IOException {
        FloatArray x = images(24, 2);
        FloatArray y = labels(24);
        FitOptions options = FitOptions.defaults().batchSize(8).epochs(4).verbose(0).seed(9);
        History full;
        try (Sequential m = convnet()) {
            m.setBackend("java").setSeed(3);
            m.compile(new Adam(0.01), Losses.sparseCategoricalCrossentropy(false));
            full = m.fit(x, y, options);
        }
        Path checkpoint = dir.resolve("checkpoint.safetensors");
        try (Sequential m = convnet()) {
            m.setBackend("java").setSeed(3);
            m.compile(new Adam(0.01), Losses.sparseCategoricalCrossentropy(false));
            History first = m.fit(x, y, options.epochs(2));
            assertEquals(full.get("loss").subList(0, 2), first.get("loss"));
            m.save(checkpoint);
        }
        try (Model resumed = Model.load(checkpoint, "java")) {
            resumed.compile(new Adam(0.01), Losses.sparseCategoricalCrossentropy(false));
            assertTrue(ModelFile.loadOptimizerState(resumed, checkpoint));
            assertEquals(6, resumed.optimizer().iterations());
            History rest = resumed.fit(x, y, options.initialEpoch(2));
            assertEquals(full.get("loss").subList(2, 4), rest.get("loss"), "bit-identical continuation");
        }
    }

    @Test
    void weightsLoadByNameStrictlyOrPartially() throws IOException {
        Path weights = dir.resolve("weights.safetensors");
        try (Sequential source = new Sequential(Input.shape(4), new Dense(5, "relu", "backbone"),
                new Dense(2, null, "head"))) {
            source.setBackend("java").setSeed(1);
            source.build();
            source.saveWeights(weights);
            // transfer learning: same backbone, a new head of another size
            try (Sequential target = new Sequential(Input.shape(4), new Dense(5, "relu", "backbone"),
                    new Dense(7, null, "classifier"))) {
                target.setBackend("java").setSeed(2);
                var strict = assertThrows(IllegalArgumentException.class, () -> target.loadWeights(weights, true));
                assertTrue(strict.getMessage().contains("classifier/kernel") && strict.getMessage().contains("head/kernel"),
                        strict.getMessage());
                ModelFile.LoadReport report = target.loadWeights(weights, false);
                assertEquals(List.of("backbone/kernel", "backbone/bias"), report.loaded());
                assertEquals(List.of("classifier/kernel", "classifier/bias"), report.missingInFile());
                assertEquals(List.of("head/kernel", "head/bias"), report.unexpectedInFile());
                assertArrayEquals(source.weights().get(0).value().toFloatArray(),
                        target.weights().get(0).value().toFloatArray());
            }
            // the same names with another shape: an error naming the tensor, and nothing loaded
            try (Sequential wrong = new Sequential(Input.shape(4), new Dense(6, "relu", "backbone"),
                    new Dense(2, null, "head"))) {
                wrong.setBackend("java");
                wrong.build();
                float[] before = wrong.weights().get(2).value().toFloatArray();
                var e = assertThrows(IllegalArgumentException.class, () -> wrong.loadWeights(weights, false));
                assertTrue(e.getMessage().contains("backbone/kernel") && e.getMessage().contains("[4, 5]"),
                        e.getMessage());
                assertArrayEquals(before, wrong.weights().get(2).value().toFloatArray());
            }
        }
    }

    @Test
    void badFilesFailClearly() throws IOException {
        Path file = dir.resolve("m.safetensors");
        try (Sequential m = convnet()) {
            m.setBackend("java");
            m.build();
            m.saveWeights(file);
            var e = assertThrows(IOException.class, () -> Model.load(file));
            assertTrue(e.getMessage().contains("loadWeights"), e.getMessage());
            m.save(file);
        }
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        assertThrows(CorruptFileException.class, () -> Model.load(file));
        Files.writeString(file, "not a model");
        assertThrows(CorruptFileException.class, () -> Model.load(file));
        assertFalse(Files.exists(dir.resolve("missing")));
        assertThrows(IOException.class, () -> Model.load(dir.resolve("missing")));
    }
}
