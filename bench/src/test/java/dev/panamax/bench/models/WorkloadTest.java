package dev.panamax.bench.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.panamax.autograd.Parameter;
import dev.panamax.models.Model;
import dev.panamax.tensor.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The workloads are the networks the comparison names: parameter counts and shapes as published. */
class WorkloadTest {

    @Test
    void mnistConvnetHasKerasExampleParameterCount() {
        try (Model m = Workload.M1.create("java", 1)) {
            assertEquals(34_826, m.countParams());
            assertEquals(Shape.of(10), m.outputShape());
        }
    }

    @Test
    void mlpHas784x512x512x10Weights() {
        try (Model m = Workload.M2.create("java", 1)) {
            assertEquals(784 * 512 + 512 + 512 * 512 + 512 + 512 * 10 + 10, m.countParams());
        }
    }

    @Test
    void resnet20HasTheTrainableParameterCountOfThePaper() {
        try (Model m = Workload.M3.create("java", 1)) {
            long trainable = m.trainableWeights().stream().mapToLong(p -> p.shape().size()).sum();
            assertEquals(ResNet20.TRAINABLE_PARAMS, trainable);
            // plus the moving mean and variance of its 21 batch norms (688 + 96 channels)
            assertEquals(ResNet20.TRAINABLE_PARAMS + 2 * (688 + 96), m.countParams());
            assertEquals(Shape.of(10), m.outputShape());
            List<Parameter> convKernels = m.weights().stream().filter(p -> p.shape().rank() == 4).toList();
            assertEquals(2 * 9 + 1 + 2, convKernels.size()); // stem, 9 blocks of 2, 2 projections
        }
    }

    @Test
    void syntheticBatchIsSeededWithOneHotTargets() {
        SyntheticBatch a = SyntheticBatch.of(Workload.M3, 4, 5);
        SyntheticBatch b = SyntheticBatch.of(Workload.M3, 4, 5);
        assertEquals(Shape.of(4, 32, 32, 3), a.x().shape());
        assertEquals(Shape.of(4, 10), a.y().shape());
        assertEquals(a, b);
        for (int r = 0; r < 4; r++) {
            float sum = 0;
            for (int c = 0; c < 10; c++) sum += a.y().data()[r * 10 + c];
            assertEquals(1f, sum);
        }
    }
}
