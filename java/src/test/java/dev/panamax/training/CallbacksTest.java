package dev.panamax.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.autograd.Parameter;
import dev.panamax.data.FloatArray;
import dev.panamax.layers.Dense;
import dev.panamax.layers.Input;
import dev.panamax.models.Model;
import dev.panamax.models.Sequential;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The callbacks in real {@code fit} runs of a one-layer model (a scripted callback placed before them
 * supplies the monitored values), and on driving sequences for the finer rules.
 */
class CallbacksTest {
    private static final FloatArray X = FloatArray.of(new float[] {
        0, 1, 1, 0, 1, 1, 2, 0, 0, 2, 2, 1, 1, 2, 2, 2}, 8, 2);
    private static final FloatArray Y = FloatArray.of(new float[] {1, 1, 2, 2, 2, 3, 3, 4}, 8, 1);

    private static Sequential tinyModel(Optimizer optimizer, String... metrics) {
        Sequential m = new Sequential(Input.shape(2), new Dense(1));
        m.setBackend("java").setSeed(1);
        m.compile(optimizer, Losses.meanSquaredError(), metrics);
        return m;
    }

    private static FitOptions epochs(int n, Callback... callbacks) {
        return FitOptions.defaults().batchSize(4).epochs(n).verbose(0).shuffle(false).callbacks(callbacks);
    }

    private static float[][] weightsOf(Model m) {
        List<Parameter> ws = m.weights();
        float[][] copy = new float[ws.size()][];
        for (int i = 0; i < copy.length; i++) copy[i] = ws.get(i).value().toFloatArray();
        return copy;
    }

    /** Puts scripted values under {@code key} into each epoch's logs and remembers the weights then. */
    private static final class Script implements Callback {
        private final String key;
        private final double[] values;
        private final List<float[][]> weights = new ArrayList<>();
        private Model model;

        Script(String key, double... values) {
            this.key = key;
            this.values = values;
        }

        @Override
        public void setModel(Model model) {
            this.model = model;
        }

        @Override
        public void onEpochEnd(int epoch, Map<String, Double> logs) {
            logs.put(key, values[epoch]);
            weights.add(weightsOf(model));
        }
    }

    /** Copies of each epoch's final logs. */
    private static final class Recorder implements Callback {
        final List<Map<String, Double>> epochs = new ArrayList<>();

        @Override
        public void onEpochEnd(int epoch, Map<String, Double> logs) {
            epochs.add(new LinkedHashMap<>(logs));
        }
    }

    // ---- EarlyStopping --------------------------------------------------------------------

    @Test
    void earlyStoppingStopsAfterPatienceAndRestoresTheBestWeights() {
        try (Sequential m = tinyModel(new SGD(0.02))) {
            Script script = new Script("val_loss", 1.0, 0.8, 0.5, 0.6, 0.7, 0.4, 0.3, 0.2);
            EarlyStopping stop = new EarlyStopping().patience(2).restoreBestWeights(true);
            History h = m.fit(X, Y, epochs(8, script, stop));
            assertEquals(5, h.epochs().size(), "epochs run");
            assertEquals(4, stop.stoppedEpoch());
            assertEquals(2, stop.bestEpoch());
            float[][] now = weightsOf(m);
            for (int i = 0; i < now.length; i++) assertArrayEquals(script.weights.get(2)[i], now[i]);
            assertFalse(Arrays.equals(script.weights.get(4)[0], now[0]), "training moved the weights");
        }
    }

    @Test
    void earlyStoppingWithoutRestoreKeepsTheLastWeightsAndSaysSoWhenVerbose() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Sequential m = tinyModel(new SGD(0.02))) {
            Script script = new Script("val_loss", 1.0, 1.0, 1.0, 1.0);
            EarlyStopping stop = new EarlyStopping().patience(1).verbose(1)
                    .output(new PrintStream(out, true, StandardCharsets.UTF_8));
            m.fit(X, Y, epochs(4, script, stop));
            assertArrayEquals(script.weights.get(1)[0], weightsOf(m)[0]);
        }
        assertEquals("Epoch 2: early stopping\n", out.toString(StandardCharsets.UTF_8).replace("\r", ""));
    }

    /** Runs EarlyStopping over a sequence of monitored values; returns the epoch it stopped at (0: never). */
    private static int drive(EarlyStopping stop, Model model, String key, double... values) {
        stop.setModel(model);
        stop.onTrainBegin(new HashMap<>());
        for (int epoch = 0; epoch < values.length && stop.stoppedEpoch() == 0; epoch++) {
            Map<String, Double> logs = new HashMap<>();
            logs.put(key, values[epoch]);
            stop.onEpochEnd(epoch, logs);
        }
        stop.onTrainEnd(new HashMap<>());
        return stop.stoppedEpoch();
    }

    @Test
    void earlyStoppingRules() {
        try (Sequential m = tinyModel(new SGD(0.1), "accuracy", "mae")) {
            // an improvement smaller than min_delta does not count
            assertEquals(1, drive(new EarlyStopping().minDelta(0.1).patience(1), m, "val_loss", 1.0, 0.95, 0.92));
            assertEquals(0, drive(new EarlyStopping().patience(1), m, "val_loss", 1.0, 0.95, 0.92));
            // improving on the best but not on the baseline does not reset the wait
            assertEquals(3, drive(new EarlyStopping().patience(2).baseline(0.3), m, "val_loss", 0.5, 0.45, 0.4, 0.42));
            assertEquals(0, drive(new EarlyStopping().patience(2), m, "val_loss", 0.5, 0.45, 0.4, 0.42));
            // auto mode maximizes accuracy-like metrics and minimizes errors and losses
            assertEquals(0, drive(new EarlyStopping().monitor("val_accuracy"), m, "val_accuracy", 0.5, 0.6, 0.7));
            assertEquals(1, drive(new EarlyStopping().monitor("mae"), m, "mae", 0.5, 0.6, 0.7));
            assertEquals(1, drive(new EarlyStopping().monitor("score").mode("max"), m, "score", 0.5, 0.4));
            // epochs before start_from_epoch are not watched
            assertEquals(3, drive(new EarlyStopping().startFromEpoch(2), m, "val_loss", 1.0, 2.0, 3.0, 4.0));
            // a monitor that never appears only warns
            assertEquals(0, drive(new EarlyStopping(), m, "loss", 1.0, 2.0, 3.0));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> drive(new EarlyStopping().monitor("val_custom"), m, "val_custom", 1.0));
            assertTrue(e.getMessage().contains("monitor=val_custom"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EarlyStopping().mode("biggest"));
        assertTrue(e.getMessage().contains("mode=biggest"), e.getMessage());
    }

    // ---- ReduceLROnPlateau ----------------------------------------------------------------

    @Test
    void reduceLrOnPlateauLowersTheRateAfterPatience() {
        SGD sgd = new SGD(0.1);
        try (Sequential m = tinyModel(sgd)) {
            Recorder recorder = new Recorder();
            Script flat = new Script("val_loss", 1.0, 1.0, 1.0, 1.0, 1.0, 1.0);
            m.fit(X, Y, epochs(6, flat, new ReduceLROnPlateau().patience(2).factor(0.5), recorder));
            double[] logged = recorder.epochs.stream().mapToDouble(l -> l.get("learning_rate")).toArray();
            assertArrayEquals(new double[] {0.1f, 0.1f, 0.1f, 0.05f, 0.05f, 0.025f}, logged, 1e-9);
            assertEquals(0.025f, sgd.learningRate(), 1e-9);
        }
    }

    @Test
    void reduceLrOnPlateauHonoursCooldownMinLrAndMode() {
        SGD sgd = new SGD(0.1);
        try (Sequential m = tinyModel(sgd)) {
            ReduceLROnPlateau r = new ReduceLROnPlateau().patience(1).factor(0.5).cooldown(2).minLr(0.03);
            r.setModel(m);
            r.onTrainBegin(new HashMap<>());
            List<Float> rates = new ArrayList<>();
            for (int epoch = 0; epoch < 6; epoch++) {
                Map<String, Double> logs = new HashMap<>();
                logs.put("val_loss", 1.0);
                r.onEpochEnd(epoch, logs);
                rates.add(sgd.learningRate());
            }
            // reductions at epochs 1 and 3 (two epochs of cooldown between), never below min_lr
            assertEquals(List.of(0.1f, 0.05f, 0.05f, 0.03f, 0.03f, 0.03f), rates);

            SGD other = new SGD(0.1);
            m.compile(other, Losses.meanSquaredError());
            ReduceLROnPlateau acc = new ReduceLROnPlateau().monitor("val_accuracy").patience(1);
            acc.setModel(m);
            acc.onTrainBegin(new HashMap<>());
            for (int epoch = 0; epoch < 4; epoch++) {
                Map<String, Double> logs = new HashMap<>();
                logs.put("val_accuracy", 0.5 + 0.1 * epoch);
                acc.onEpochEnd(epoch, logs);
            }
            assertEquals(0.1f, other.learningRate(), "rising accuracy is an improvement in auto mode");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ReduceLROnPlateau().factor(1.0));
        assertTrue(e.getMessage().contains("factor >= 1.0") && e.getMessage().contains("factor=1.0"),
                e.getMessage());
    }

    // ---- LearningRateScheduler ------------------------------------------------------------

    @Test
    void learningRateSchedulerSetsTheRateEachEpoch() {
        SGD sgd = new SGD(0.1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Sequential m = tinyModel(sgd)) {
            Recorder recorder = new Recorder();
            LearningRateScheduler scheduler = new LearningRateScheduler((epoch, lr) -> epoch < 2 ? lr : lr * 0.5, 1)
                    .output(new PrintStream(out, true, StandardCharsets.UTF_8));
            m.fit(X, Y, epochs(4, scheduler, recorder));
            double[] logged = recorder.epochs.stream().mapToDouble(l -> l.get("learning_rate")).toArray();
            assertArrayEquals(new double[] {0.1f, 0.1f, 0.05f, 0.025f}, logged, 1e-9);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("\nEpoch 3: LearningRateScheduler setting learning rate to 0.05"), printed);
        try (Sequential scheduled = tinyModel(new SGD(new ExponentialDecay(0.1, 10, 0.5)))) {
            assertThrows(IllegalStateException.class,
                    () -> scheduled.fit(X, Y, epochs(1, new LearningRateScheduler((epoch, lr) -> 0.01))));
        }
    }

    // ---- CSVLogger ------------------------------------------------------------------------

    @Test
    void csvLoggerWritesKerasFormat(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("log.csv");
        CSVLogger csv = new CSVLogger(file);
        csv.onTrainBegin(new HashMap<>());
        Map<String, Double> first = new LinkedHashMap<>();
        first.put("loss", 0.5);
        first.put("val_loss", 1e-5);
        first.put("accuracy", 0.25);
        csv.onEpochEnd(0, first);
        Map<String, Double> second = new LinkedHashMap<>();
        second.put("loss", 0.1);
        second.put("accuracy", 1.0);
        csv.onEpochEnd(1, second);
        csv.onTrainEnd(new HashMap<>());
        assertEquals("epoch,accuracy,loss,val_loss\r\n0,0.25,0.5,1e-05\r\n1,1.0,0.1,NA\r\n",
                Files.readString(file));

        // append: rows go after the existing ones, without a second header
        CSVLogger more = new CSVLogger(file, ";", true);
        more.onTrainBegin(new HashMap<>());
        more.onEpochEnd(0, Map.of("loss", 123456.75));
        more.onTrainEnd(new HashMap<>());
        assertTrue(Files.readString(file).endsWith("1,1.0,0.1,NA\r\n0;123456.75\r\n"));

        // a new file in append mode gets its header; a separator inside a key is quoted
        Path fresh = dir.resolve("fresh.csv");
        CSVLogger quoted = new CSVLogger(fresh, ";", true);
        quoted.onTrainBegin(new HashMap<>());
        quoted.onEpochEnd(0, Map.of("a;b", 2.0));
        quoted.onTrainEnd(new HashMap<>());
        assertEquals("epoch;\"a;b\"\r\n0;2.0\r\n", Files.readString(fresh));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CSVLogger(file, "::", false));
        assertTrue(e.getMessage().contains("separator=\"::\""), e.getMessage());
    }

    @Test
    void csvLoggerInAFitRunMatchesHistory(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("fit.csv");
        try (Sequential m = tinyModel(new SGD(0.02), "mae")) {
            History h = m.fit(X, Y, X, Y, epochs(3, new CSVLogger(file)));
            List<String> lines = Files.readAllLines(file);
            assertEquals("epoch,loss,mae,val_loss,val_mae", lines.get(0));
            assertEquals(4, lines.size());
            for (int epoch = 0; epoch < 3; epoch++) {
                String[] fields = lines.get(epoch + 1).split(",");
                assertEquals(Integer.toString(epoch), fields[0]);
                assertEquals(h.get("loss").get(epoch), Double.parseDouble(fields[1]));
                assertEquals(h.get("val_mae").get(epoch), Double.parseDouble(fields[4]));
            }
        }
    }

    // ---- TerminateOnNaN -------------------------------------------------------------------

    @Test
    void terminateOnNaNStopsTrainingOnANaNLoss() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        float[] bad = X.data().clone();
        bad[3] = Float.NaN;
        try (Sequential m = tinyModel(new SGD(0.02))) {
            TerminateOnNaN terminate = new TerminateOnNaN(new PrintStream(out, true, StandardCharsets.UTF_8));
            History h = m.fit(FloatArray.of(bad, 8, 2), Y, epochs(5, terminate));
            assertEquals(1, h.epochs().size());
            assertTrue(Double.isNaN(h.get("loss").get(0)));
        }
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Batch 0: Invalid loss, terminating training"),
                out.toString(StandardCharsets.UTF_8));
        try (Sequential m = tinyModel(new SGD(0.02))) {
            History h = m.fit(X, Y, epochs(3, new TerminateOnNaN(new PrintStream(out))));
            assertEquals(3, h.epochs().size(), "finite losses train on");
        }
    }
}
