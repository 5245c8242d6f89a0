package dev.panamax.models;

import dev.panamax.autograd.Parameter;
import dev.panamax.autograd.RecordedStep;
import dev.panamax.autograd.Var;
import dev.panamax.data.FloatArray;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * A model's training step for one set of batch shapes, recorded on its first run and replayed on
 * later batches ({@link RecordedStep}): the step's tensors stay allocated, each new batch is copied
 * into the recorded input and target tensors, and the same backend calls run again. A replayed step
 * builds no graph, so steady-state training makes almost no Java objects.
 */
final class TrainStepPlan implements AutoCloseable {
    private final MemoryScope scope;
    private final RecordedStep recorded;
    private final Tensor[] inputs;
    private final Tensor[] targets;
    private final Var total;
    private final Var[] outputLosses;
    private final Var[] predictions;
    /** Every weight of the model, and whether each was trainable when recorded (freezing changes the step). */
    private final Parameter[] weights;
    private final boolean[] trainableWhenRecorded;
    private final List<Parameter> trainable;
    private final FloatArray[] predictionCopies;

    TrainStepPlan(MemoryScope scope, RecordedStep recorded, List<Tensor> inputs, List<Tensor> targets, Var total,
                  Var[] outputLosses, List<Var> predictions, List<Parameter> weights, List<Parameter> trainable) {
        this.scope = scope;
        this.recorded = recorded;
        this.inputs = inputs.toArray(Tensor[]::new);
        this.targets = targets.toArray(Tensor[]::new);
        this.total = total;
        this.outputLosses = outputLosses.clone();
        this.predictions = predictions.toArray(Var[]::new);
        this.weights = weights.toArray(Parameter[]::new);
        this.trainableWhenRecorded = new boolean[this.weights.length];
        for (int i = 0; i < this.weights.length; i++) trainableWhenRecorded[i] = this.weights[i].trainable();
        this.trainable = List.copyOf(trainable);
        this.predictionCopies = new FloatArray[this.predictions.length];
    }

    /** Whether a batch of these arrays runs this recorded step: same shapes, same frozen weights. */
    boolean matches(List<FloatArray> x, List<FloatArray> y) {
        if (x.size() != inputs.length || y.size() != targets.length) return false;
        for (int i = 0; i < inputs.length; i++) {
            if (!sameShape(x.get(i), inputs[i].shape())) return false;
        }
        for (int i = 0; i < targets.length; i++) {
            if (!sameShape(y.get(i), targets[i].shape())) return false;
        }
        for (int i = 0; i < weights.length; i++) {
            if (weights[i].trainable() != trainableWhenRecorded[i]) return false;
        }
        return true;
    }

    private static boolean sameShape(FloatArray a, Shape shape) {
        return a != null && a.shape().equals(shape);
    }

    /** The parameters this step trains. */
    List<Parameter> trainable() {
        return trainable;
    }

    /**
     * Runs the step on a new batch as training step {@code step}: resets the step's memory, copies
     * the batch in and replays the recorded calls; gradients are then in the trainable parameters.
     */
    void run(List<FloatArray> x, List<FloatArray> y, long step) {
        scope.zeroAllocations();
        for (int i = 0, n = trainable.size(); i < n; i++) trainable.get(i).zeroGrad();
        for (int i = 0; i < inputs.length; i++) inputs[i].copyFrom(x.get(i).data());
        for (int i = 0; i < targets.length; i++) targets[i].copyFrom(y.get(i).data());
        recorded.replay(step);
    }

    /** The weighted total loss of the last run, without regularization. */
    float totalLoss() {
        return total.value().segment().get(ValueLayout.JAVA_FLOAT, 0);
    }

    /** Output {@code o}'s own loss in the last run. */
    float outputLoss(int o) {
        return outputLosses[o].value().segment().get(ValueLayout.JAVA_FLOAT, 0);
    }

    /** Output {@code o}'s predictions of the last run, in an array this plan reuses. */
    FloatArray prediction(int o) {
        Tensor value = predictions[o].value();
        if (predictionCopies[o] == null) {
            predictionCopies[o] = new FloatArray(new float[Math.toIntExact(value.size())], value.shape());
        }
        value.copyTo(predictionCopies[o].data());
        return predictionCopies[o];
    }

    /** Frees the step's tensors. */
    @Override
    public void close() {
        scope.close();
    }
}
