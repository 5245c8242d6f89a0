package dev.panamax.bench.models;

import dev.panamax.layers.Conv2D;
import dev.panamax.layers.Dense;
import dev.panamax.layers.Dropout;
import dev.panamax.layers.Flatten;
import dev.panamax.layers.Input;
import dev.panamax.layers.MaxPooling2D;
import dev.panamax.models.Model;
import dev.panamax.models.Sequential;
import dev.panamax.training.Adam;
import dev.panamax.training.Losses;
import dev.panamax.training.Optimizer;
import dev.panamax.training.SGD;
import java.util.function.Supplier;

/**
 * The three model workloads every side of the comparison runs (the peers under bench/peers
 * define the same networks in their own APIs): the model, its training batch size and optimizer.
 * All classify into 10 classes with softmax and categorical cross-entropy.
 */
public enum Workload {
    /** Keras' "Simple MNIST convnet" example: 34,826 parameters. */
    M1("MNIST convnet", 128, new long[] {28, 28, 1}, () -> new Sequential("m1_mnist_convnet",
            Input.shape(28, 28, 1),
            new Conv2D(32, 3, "relu"), new MaxPooling2D(2),
            new Conv2D(64, 3, "relu"), new MaxPooling2D(2),
            new Flatten(), new Dropout(0.5), new Dense(10, "softmax")),
            () -> new Adam(1e-3)),
    /** A multi-layer perceptron on flattened MNIST digits, 784-512-512-10: 669,706 parameters. */
    M2("MLP 784-512-512-10", 128, new long[] {784}, () -> new Sequential("m2_mlp",
            Input.shape(784),
            new Dense(512, "relu"), new Dense(512, "relu"), new Dense(10, "softmax")),
            () -> new Adam(1e-3)),
    /** ResNet-20 on 32x32x3 images, SGD with momentum 0.9 as in He et al. */
    M3("ResNet-20", 64, new long[] {32, 32, 3}, ResNet20::create,
            () -> new SGD(0.1, 0.9, false));

    public static final int CLASSES = 10;
    /** The batch of the throughput inference benchmarks. */
    public static final int INFERENCE_BATCH = 128;

    private final String title;
    private final int trainBatch;
    private final long[] exampleShape;
    private final Supplier<Model> architecture;
    private final Supplier<Optimizer> optimizer;

    Workload(String title, int trainBatch, long[] exampleShape, Supplier<Model> architecture,
             Supplier<Optimizer> optimizer) {
        this.title = title;
        this.trainBatch = trainBatch;
        this.exampleShape = exampleShape;
        this.architecture = architecture;
        this.optimizer = optimizer;
    }

    /** What the model is, e.g. "MNIST convnet". */
    public String title() {
        return title;
    }

    public int trainBatch() {
        return trainBatch;
    }

    /** One input example's shape, channels last. */
    public long[] exampleShape() {
        return exampleShape.clone();
    }

    /** A new model on the named backend, weights drawn from {@code seed}, compiled for training. */
    public Model create(String backend, long seed) {
        Model model = architecture.get();
        model.setBackend(backend).setSeed(seed);
        model.compile(optimizer.get(), Losses.categoricalCrossentropy(false));
        model.build();
        return model;
    }
}
