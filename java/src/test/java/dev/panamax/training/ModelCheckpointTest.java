package dev.panamax.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.data.FloatArray;
import dev.panamax.layers.Dense;
import dev.panamax.layers.Input;
import dev.panamax.models.Model;
import dev.panamax.models.Sequential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCheckpointTest {
    @TempDir
    Path dir;

    private static final FloatArray X = FloatArray.of(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 10, 1);
    private static final FloatArray Y = FloatArray.of(new float[] {1, 3, 5, 7, 9, 11, 13, 15, 17, 19}, 10, 1);

    private static Sequential model() {
        Sequential m = new Sequential(Input.shape(1), new Dense(1));
        m.setBackend("java").setSeed(1);
        return m;
    }

    @Test
    void savesEveryEpochWithPlaceholdersInThePath() throws IOException {
        try (Sequential m = model()) {
            m.compile(new SGD(0.01), Losses.meanSquaredError());
            m.fit(X, Y, FitOptions.defaults().batchSize(5).epochs(3).verbose(0)
                    .callbacks(new ModelCheckpoint(dir.resolve("ckpt-{epoch:02d}-{loss:.2f}.safetensors"))));
        }
        List<String> names;
        try (var files = Files.list(dir)) {
            names = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(3, names.size(), names.toString());
        assertTrue(names.get(0).matches("ckpt-01-\\d+\\.\\d{2}\\.safetensors"), names.get(0));
        assertTrue(names.get(2).startsWith("ckpt-03-"), names.get(2));
    }

    @Test
    void saveBestOnlyKeepsTheBestEpochsModel() throws IOException {
        Path file = dir.resolve("best.safetensors");
        ModelCheckpoint checkpoint = new ModelCheckpoint(file).monitor("val_loss").saveBestOnly(true);
        try (Sequential m = model()) {
            // a learning rate that first descends, then diverges: the best epoch is an early one
            m.compile(new SGD(0.05, 0.9, false), Losses.meanSquaredError());
            var h = m.fit(X, Y, FitOptions.defaults().batchSize(10).epochs(8).verbose(0).validationSplit(0.2)
                    .callbacks(checkpoint));
            List<Double> val = h.get("val_loss");
            double bestSeen = val.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            assertEquals(bestSeen, checkpoint.best());
            try (Model saved = Model.load(file, "java")) {
                saved.compile(new SGD(0.01), Losses.meanSquaredError());
                Map<String, Double> logs = saved.evaluate(X.rows(8, 2), Y.rows(8, 2), 2);
                assertEquals(bestSeen, logs.get("loss"), 1e-5 * Math.max(1, bestSeen));
            }
        }
    }

    @Test
    void badPlaceholdersAndMissingMonitorsFailClearly() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ModelCheckpoint.format("m-{val_acc}.safetensors", 0, Map.of("loss", 1.0)));
        assertTrue(e.getMessage().contains("val_acc"), e.getMessage());
        assertEquals("m-07.safetensors", ModelCheckpoint.format("m-{epoch:02d}.safetensors", 6, Map.of()));
        try (Sequential m = model()) {
            m.compile(new SGD(0.01), Losses.meanSquaredError());
            var ise = assertThrows(IllegalStateException.class, () -> m.fit(X, Y, FitOptions.defaults().verbose(0)
                    .callbacks(new ModelCheckpoint(dir.resolve("x.safetensors")).saveBestOnly(true))));
            assertTrue(ise.getMessage().contains("val_loss"), ise.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new ModelCheckpoint(" "));
    }
}
