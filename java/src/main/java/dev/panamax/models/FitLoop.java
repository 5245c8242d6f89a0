package dev.panamax.models;

import dev.panamax.data.FloatArray;
import dev.panamax.training.Callback;
import dev.panamax.training.FitOptions;
import dev.panamax.training.History;
import dev.panamax.training.Metric;
import dev.panamax.training.ProgressBar;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The epoch loop behind every {@code fit} (Keras' trainer): batches, running loss and metric logs,
 * callbacks in Keras' order, validation after each epoch, and the History.
 */
final class FitLoop {
    private final Model model;

    FitLoop(Model model) {
        this.model = model;
    }

    /** One batch: an array per input and a target per output, with equal rows. */
    record Batch(List<FloatArray> x, List<FloatArray> y) {
        public Batch {
            x = List.copyOf(x);
            y = List.copyOf(y);
        }

        public int rows() {
            return x.get(0).rows();
        }
    }

    /** Batches of one epoch. */
    @FunctionalInterface
    interface BatchSource {
        Iterator<Batch> epoch(int epoch);
    }

    /** The training loop shared by every {@code fit}: epochs, batches, callbacks, validation, History. */
    History run(BatchSource train, int steps, Supplier<Map<String, Double>> validation, FitOptions options) {
        List<Callback> callbacks = new ArrayList<>(options.callbacks());
        // the bar goes last, so it prints what the other callbacks added (e.g. learning_rate)
        PrintStream out = model.output();
        ProgressBar bar = options.verbose() == 0 ? null : new ProgressBar(out, options.epochs(), steps,
                ProgressBar.stdoutIsTerminal() && out == System.out, options.verbose());
        if (bar != null) callbacks.add(bar);
        for (Callback c : callbacks) c.setModel(model);
        History history = new History();
        model.clearStopRequest();
        List<Metric> metrics = model.compiled().metrics();
        List<String> outputLossNames = model.compiled().outputLossNames();
        Map<String, Double> logs = new LinkedHashMap<>();
        for (Callback c : callbacks) c.onTrainBegin(logs);
        for (int epoch = options.initialEpoch(); epoch < options.epochs() && !model.stopRequested(); epoch++) {
            for (Callback c : callbacks) c.onEpochBegin(epoch, logs);
            metrics.forEach(Metric::reset);
            double[] lossSums = new double[1 + model.compiled().outputCount()];
            long seen = 0;
            var it = train.epoch(epoch);
            int step = 0;
            while (it.hasNext()) {
                Batch b = it.next();
                for (Callback c : callbacks) c.onTrainBatchBegin(step, logs);
                double[] batchLosses = model.trainBatch(b.x(), b.y());
                for (int i = 0; i < lossSums.length; i++) lossSums[i] += batchLosses[i] * b.rows();
                seen += b.rows();
                logs = new LinkedHashMap<>();
                logs.put("loss", lossSums[0] / seen);
                for (int o = 0; o < outputLossNames.size(); o++) logs.put(outputLossNames.get(o), lossSums[1 + o] / seen);
                for (int i = 0; i < metrics.size(); i++) {
                    logs.put(model.compiled().metricName(i, metrics.get(i)), metrics.get(i).result());
                }
                for (Callback c : callbacks) c.onTrainBatchEnd(step, logs);
                step++;
                if (model.stopRequested()) break; // e.g. TerminateOnNaN: stop at once, as Keras does
            }
            if (it instanceof AutoCloseable closeable) closeQuietly(closeable);
            if (validation != null) {
                Map<String, Double> val = validation.get();
                for (var e : val.entrySet()) logs.put("val_" + e.getKey(), e.getValue());
            }
            // History records after the callbacks (they may add e.g. learning_rate), before the bar prints
            for (Callback c : callbacks) if (c != bar) c.onEpochEnd(epoch, logs);
            history.record(epoch, logs);
            if (bar != null) bar.onEpochEnd(epoch, logs);
        }
        for (Callback c : callbacks) c.onTrainEnd(logs);
        return history;
    }

    /** Row order of one epoch: a seeded shuffle per epoch (the same for a seed and epoch), or 0..n-1. */
    static int[] order(int n, boolean shuffle, long seed, int epoch) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        if (shuffle) {
            SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
            for (int i = n - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }


    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            throw new IllegalStateException("fit: closing the batch iterator failed: " + e.getMessage(), e);
        }
    }
}
