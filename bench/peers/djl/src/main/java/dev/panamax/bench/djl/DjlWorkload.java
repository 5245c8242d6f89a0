package dev.panamax.bench.djl;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.function.Supplier;

/**
 * Panamax's workloads M1-M3 (bench/src/main/java/dev/panamax/bench/models/Workload.java) in DJL
 * on PyTorch: same layers, batch sizes and optimizers. Images are NCHW, PyTorch's layout; the
 * networks end in logits and the loss applies the softmax, as PyTorch code does.
 */
public enum DjlWorkload {
    M1(128, new long[] {1, 28, 28}, 34_826, () -> new SequentialBlock()
            .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(32).build())
            .add(Activation::relu)
            .add(Pool.maxPool2dBlock(new Shape(2, 2)))
            .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(64).build())
            .add(Activation::relu)
            .add(Pool.maxPool2dBlock(new Shape(2, 2)))
            .add(Blocks.batchFlattenBlock())
            .add(Dropout.builder().optRate(0.5f).build())
            .add(Linear.builder().setUnits(10).build()),
            DjlWorkload::adam),
    M2(128, new long[] {784}, 669_706, () -> new SequentialBlock()
            .add(Linear.builder().setUnits(512).build())
            .add(Activation::relu)
            .add(Linear.builder().setUnits(512).build())
            .add(Activation::relu)
            .add(Linear.builder().setUnits(10).build()),
            DjlWorkload::adam),
    /** 272,474 trainable weights plus the running mean and variance of 784 batch-norm channels. */
    M3(64, new long[] {3, 32, 32}, 272_474 + 2 * 784, DjlResNet20::create,
            () -> Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).optMomentum(0.9f).build());

    static final int CLASSES = 10;
    static final int INFERENCE_BATCH = 128;

    private final int trainBatch;
    private final long[] exampleShape;
    private final long params;
    private final Supplier<Block> architecture;
    private final Supplier<Optimizer> optimizer;

    DjlWorkload(int trainBatch, long[] exampleShape, long params, Supplier<Block> architecture,
                Supplier<Optimizer> optimizer) {
        this.trainBatch = trainBatch;
        this.exampleShape = exampleShape;
        this.params = params;
        this.architecture = architecture;
        this.optimizer = optimizer;
    }

    int trainBatch() {
        return trainBatch;
    }

    /** One example's shape, channels first. */
    long[] exampleShape() {
        return exampleShape.clone();
    }

    /** Weights, batch-norm running statistics included: Panamax's countParams for the same model. */
    long params() {
        return params;
    }

    Block architecture() {
        return architecture.get();
    }

    Optimizer optimizer() {
        return optimizer.get();
    }

    private static Optimizer adam() {
        return Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build();
    }
}
