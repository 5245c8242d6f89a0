package dev.panamax.bench.djl;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;

/**
 * A workload's model with its trainer: a training step the way DJL's EasyTrain takes one
 * (forward, loss, backward, optimizer step), each step's temporaries freed with a sub-manager,
 * and inference straight through the block (no Predictor or translator in the way).
 */
final class DjlNetwork implements AutoCloseable {
    private final Model model;
    private final Trainer trainer;
    private final ParameterStore inference;

    DjlNetwork(DjlWorkload workload) {
        model = Model.newInstance(workload.name(), Device.cpu(), "PyTorch");
        model.setBlock(workload.architecture());
        trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(workload.optimizer())
                .optDevices(new Device[] {Device.cpu()}));
        long[] input = new long[workload.exampleShape().length + 1];
        input[0] = workload.trainBatch();
        System.arraycopy(workload.exampleShape(), 0, input, 1, input.length - 1);
        trainer.initialize(new Shape(input));
        inference = new ParameterStore(model.getNDManager(), false);
        long params = 0;
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) params += p.getValue().getArray().size();
        if (params != workload.params()) {
            throw new IllegalStateException("DJL " + workload + " has " + params + " parameters, expected "
                    + workload.params() + " as in Panamax's model");
        }
    }

    NDManager manager() {
        return model.getNDManager();
    }

    /** One optimizer step on one batch ({@code y}: class indices); returns the batch's loss. */
    float trainStep(NDArray x, NDArray y) {
        try (NDManager step = manager().newSubManager()) {
            x.tempAttach(step);
            y.tempAttach(step);
            float loss;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList predictions = trainer.forward(new NDList(x));
                NDArray value = trainer.getLoss().evaluate(new NDList(y), predictions);
                collector.backward(value);
                loss = value.getFloat();
            }
            trainer.step();
            return loss;
        }
    }

    /** Class probabilities in inference mode, copied to the Java heap as the other sides' are. */
    float[] predict(NDArray x) {
        try (NDManager step = manager().newSubManager()) {
            x.tempAttach(step);
            Block block = model.getBlock();
            return block.forward(inference, new NDList(x), false).singletonOrThrow().softmax(1).toFloatArray();
        }
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
    }
}
