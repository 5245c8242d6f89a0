package dev.panamax.models;

import dev.panamax.autograd.Ops;
import dev.panamax.autograd.Var;
import dev.panamax.tensor.Tensor;
import dev.panamax.training.Loss;
import dev.panamax.training.Metric;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * What {@code compile} fixed for each output of a model (Keras' {@code CompileLoss} and
 * {@code CompileMetrics}): its loss, the loss's weight in the total, and its metrics; and the names
 * they have in logs. A single-output model logs {@code loss} and {@code accuracy}; a multi-output
 * one also logs each output's unweighted loss and prefixes metrics with the output's name
 * ({@code dense_loss}, {@code dense_accuracy}), as Keras does.
 */
final class CompiledLosses {
    private final List<String> outputNames;
    private final List<Loss> losses;
    private final double[] weights;
    private final List<Metric> metrics;
    private final int[] metricOutputs;

    /**
     * @param weights one per output, or null for all 1
     * @param metrics one list per output (distinct instances: each keeps its own state)
     */
    CompiledLosses(String op, List<String> outputNames, List<Loss> losses, List<Double> weights,
                   List<List<Metric>> metrics) {
        int outputs = outputNames.size();
        this.outputNames = List.copyOf(outputNames);
        if (losses.size() != outputs) {
            throw new IllegalArgumentException(op + ": the model has " + outputs + " output(s) " + outputNames
                    + " but " + losses.size() + " losses were given");
        }
        for (int o = 0; o < outputs; o++) {
            if (losses.get(o) == null) throw new IllegalArgumentException(op + ": the loss of output " + o + " is null");
        }
        this.losses = List.copyOf(losses);
        this.weights = new double[outputs];
        if (weights == null) {
            java.util.Arrays.fill(this.weights, 1.0);
        } else {
            if (weights.size() != outputs) {
                throw new IllegalArgumentException(op + ": the model has " + outputs + " output(s) " + outputNames
                        + " but " + weights.size() + " loss_weights were given. Received: loss_weights=" + weights);
            }
            for (int o = 0; o < outputs; o++) {
                Double w = weights.get(o);
                if (w == null || !Double.isFinite(w) || w < 0) {
                    throw new IllegalArgumentException(op + ": loss_weights must be finite and >= 0. Received: "
                            + "loss_weights=" + weights);
                }
                this.weights[o] = w;
            }
        }
        if (metrics.size() != outputs) {
            throw new IllegalArgumentException(op + ": the model has " + outputs + " output(s) " + outputNames
                    + " but metrics for " + metrics.size() + " were given");
        }
        Set<Metric> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Metric> flat = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        for (int o = 0; o < outputs; o++) {
            for (Metric m : metrics.get(o)) {
                if (m == null) throw new IllegalArgumentException(op + ": a metric of output " + o + " is null");
                if (!seen.add(m)) {
                    throw new IllegalArgumentException(op + ": metric '" + m.name() + "' is given twice; each output"
                            + " needs its own instance (its state is per output)");
                }
                flat.add(m);
                owners.add(o);
            }
        }
        this.metrics = List.copyOf(flat);
        this.metricOutputs = owners.stream().mapToInt(Integer::intValue).toArray();
    }

    int outputCount() {
        return losses.size();
    }

    List<Loss> losses() {
        return losses;
    }

    double weight(int output) {
        return weights[output];
    }

    /** Every output's metrics, in output order. */
    List<Metric> metrics() {
        return metrics;
    }

    /** The output metric {@code i} of {@link #metrics()} watches. */
    int metricOutput(int i) {
        return metricOutputs[i];
    }

    /**
     * The weighted sum of the outputs' losses, as a differentiable value; each output's own
     * (unweighted) loss goes to {@code perOutput}.
     */
    Var total(Ops ops, List<Var> predictions, List<Tensor> targets, double[] perOutput) {
        Var[] outputLosses = new Var[losses.size()];
        Var total = total(ops, predictions, targets, outputLosses);
        for (int o = 0; o < outputLosses.length; o++) perOutput[o] = outputLosses[o].value().getFloat(0);
        return total;
    }

    /** As {@link #total(Ops, List, List, double[])}, giving each output's loss as a value in {@code outputLosses}. */
    Var total(Ops ops, List<Var> predictions, List<Tensor> targets, Var[] outputLosses) {
        Var total = null;
        for (int o = 0; o < losses.size(); o++) {
            Var l = losses.get(o).compute(predictions.get(o), targets.get(o));
            outputLosses[o] = l;
            Var weighted = weights[o] == 1.0 ? l : ops.affine(l, (float) weights[o], 0f);
            total = total == null ? weighted : ops.add(total, weighted);
        }
        return total;
    }

    /** Whether every loss can be part of a recorded, replayed training step. */
    boolean replayable() {
        for (Loss l : losses) {
            if (!l.replayable()) return false;
        }
        return true;
    }

    /** The weighted sum of per-output loss values. */
    double total(double[] perOutput) {
        double sum = 0;
        for (int o = 0; o < perOutput.length; o++) sum += weights[o] * perOutput[o];
        return sum;
    }

    /** The log names of the per-output losses ({@code dense_loss}, ...); none for a single output. */
    List<String> outputLossNames() {
        if (outputNames.size() == 1) return List.of();
        return outputNames.stream().map(n -> n + "_loss").toList();
    }

    /** The log name of {@code metric}, the {@code i}-th of {@link #metrics()} or a fresh copy of it. */
    String metricName(int i, Metric metric) {
        return outputNames.size() == 1 ? metric.name() : outputNames.get(metricOutputs[i]) + "_" + metric.name();
    }
}
