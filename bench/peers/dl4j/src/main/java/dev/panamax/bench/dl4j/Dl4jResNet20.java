package dev.panamax.bench.dl4j;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * ResNet-20 as Panamax's M3 defines it (bench/src/main/java/dev/panamax/bench/models/ResNet20.java):
 * bias-free convolutions each followed by batch norm (Keras' momentum 0.99 and epsilon 1e-3),
 * projection shortcuts where a stage halves the resolution. DL4J's only momentum updater is
 * Nesterov's, so SGD here is Nesterov momentum 0.9 (the same work per step).
 */
final class Dl4jResNet20 {
    private static final int[] STAGE_FILTERS = {16, 32, 64};
    private static final int BLOCKS_PER_STAGE = 3;

    private final ComputationGraphConfiguration.GraphBuilder graph;

    private Dl4jResNet20(long seed) {
        graph = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .updater(new Nesterovs(0.1, 0.9))
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs("input")
                .setInputTypes(InputType.convolutional(32, 32, 3));
    }

    static ComputationGraph create(long seed) {
        Dl4jResNet20 r = new Dl4jResNet20(seed);
        String x = r.relu("stem_relu", r.convBn("stem", "input", STAGE_FILTERS[0], 3, 1));
        for (int stage = 0; stage < STAGE_FILTERS.length; stage++) {
            for (int block = 0; block < BLOCKS_PER_STAGE; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                x = r.basicBlock("s" + (stage + 1) + "b" + (block + 1), x, STAGE_FILTERS[stage], stride);
            }
        }
        r.graph.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), x);
        r.graph.addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nOut(10).activation(Activation.SOFTMAX).build(), "pool");
        r.graph.setOutputs("output");
        ComputationGraph net = new ComputationGraph(r.graph.build());
        net.init();
        return net;
    }

    private String basicBlock(String name, String in, int filters, int stride) {
        String y = relu(name + "_relu1", convBn(name + "_1", in, filters, 3, stride));
        y = convBn(name + "_2", y, filters, 3, 1);
        String shortcut = stride == 1 ? in : convBn(name + "_proj", in, filters, 1, stride);
        graph.addVertex(name + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), y, shortcut);
        return relu(name + "_out", name + "_add");
    }

    private String convBn(String name, String in, int filters, int kernel, int stride) {
        graph.addLayer(name + "_conv", new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride)
                .nOut(filters).hasBias(false).activation(Activation.IDENTITY).build(), in);
        graph.addLayer(name + "_bn", new BatchNormalization.Builder().decay(0.99).eps(1e-3).build(), name + "_conv");
        return name + "_bn";
    }

    private String relu(String name, String in) {
        graph.addLayer(name, new ActivationLayer.Builder().activation(Activation.RELU).build(), in);
        return name;
    }
}
