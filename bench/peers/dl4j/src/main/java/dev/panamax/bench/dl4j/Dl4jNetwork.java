package dev.panamax.bench.dl4j;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A DL4J network of either kind (layer stack or graph) behind the three calls the benchmarks make. */
sealed interface Dl4jNetwork {

    /** One optimizer step on one batch; returns the batch's loss. */
    double trainStep(INDArray x, INDArray y);

    /** Class probabilities for {@code x} in inference mode, copied to the Java heap as the other sides' are. */
    float[] predict(INDArray x);

    /** Weights, batch-norm moving statistics included. */
    long numParams();

    record Stack(MultiLayerNetwork net) implements Dl4jNetwork {
        @Override
        public double trainStep(INDArray x, INDArray y) {
            net.fit(x, y);
            return net.score();
        }

        @Override
        public float[] predict(INDArray x) {
            return net.output(x, false).ravel().toFloatVector();
        }

        @Override
        public long numParams() {
            return net.numParams();
        }
    }

    record Graph(ComputationGraph net) implements Dl4jNetwork {
        @Override
        public double trainStep(INDArray x, INDArray y) {
            net.fit(new INDArray[] {x}, new INDArray[] {y});
            return net.score();
        }

        @Override
        public float[] predict(INDArray x) {
            return net.outputSingle(false, x).ravel().toFloatVector();
        }

        @Override
        public long numParams() {
            return net.numParams();
        }
    }
}
