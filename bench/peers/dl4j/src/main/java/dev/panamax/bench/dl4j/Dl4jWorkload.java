package dev.panamax.bench.dl4j;

import java.util.function.LongFunction;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Panamax's workloads M1-M3 (bench/src/main/java/dev/panamax/bench/models/Workload.java) in DL4J:
 * same layers, batch sizes and optimizers; images are NCHW, DL4J's native layout.
 */
public enum Dl4jWorkload {
    M1(128, new long[] {1, 28, 28}, 34_826, seed -> new Dl4jNetwork.Stack(stack(new NeuralNetConfiguration.Builder()
            .seed(seed).dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER_UNIFORM).updater(new Adam(1e-3))
            .list()
            .layer(new ConvolutionLayer.Builder(3, 3).nOut(32).activation(Activation.RELU).build())
            .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
            .layer(new ConvolutionLayer.Builder(3, 3).nOut(64).activation(Activation.RELU).build())
            .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
            // DL4J's dropOut takes the probability of keeping an input: Keras' Dropout(0.5) before the Dense
            .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX)
                    .dropOut(0.5).build())
            .setInputType(InputType.convolutional(28, 28, 1))
            .build()))),
    M2(128, new long[] {784}, 669_706, seed -> new Dl4jNetwork.Stack(stack(new NeuralNetConfiguration.Builder()
            .seed(seed).dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER_UNIFORM).updater(new Adam(1e-3))
            .list()
            .layer(new DenseLayer.Builder().nOut(512).activation(Activation.RELU).build())
            .layer(new DenseLayer.Builder().nOut(512).activation(Activation.RELU).build())
            .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build())
            .setInputType(InputType.feedForward(784))
            .build()))),
    /** 272,474 trainable weights plus the moving mean and variance of 784 batch-norm channels. */
    M3(64, new long[] {3, 32, 32}, 272_474 + 2 * 784, seed -> new Dl4jNetwork.Graph(Dl4jResNet20.create(seed)));

    static final int CLASSES = 10;
    static final int INFERENCE_BATCH = 128;

    private final int trainBatch;
    private final long[] exampleShape;
    private final long params;
    private final LongFunction<Dl4jNetwork> factory;

    Dl4jWorkload(int trainBatch, long[] exampleShape, long params, LongFunction<Dl4jNetwork> factory) {
        this.trainBatch = trainBatch;
        this.exampleShape = exampleShape;
        this.params = params;
        this.factory = factory;
    }

    int trainBatch() {
        return trainBatch;
    }

    long[] exampleShape() {
        return exampleShape.clone();
    }

    /** A new network; throws unless it has the parameter count of Panamax's model. */
    Dl4jNetwork create(long seed) {
        Dl4jNetwork net = factory.apply(seed);
        if (net.numParams() != params) {
            throw new IllegalStateException("DL4J " + this + " has " + net.numParams() + " parameters, expected "
                    + params + " as in Panamax's model");
        }
        return net;
    }

    private static MultiLayerNetwork stack(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}
