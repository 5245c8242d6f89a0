package dev.panamax.bench.djl;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.List;

/**
 * ResNet-20 as Panamax's M3 defines it (bench/src/main/java/dev/panamax/bench/models/ResNet20.java):
 * bias-free convolutions each followed by batch norm (Keras' momentum 0.99 and epsilon 1e-3, in
 * DJL's convention, which is Keras'), projection shortcuts where a stage halves the resolution.
 * PyTorch pads symmetrically where Keras' "same" pads bottom-right; the work is the same.
 */
final class DjlResNet20 {
    private static final int[] STAGE_FILTERS = {16, 32, 64};
    private static final int BLOCKS_PER_STAGE = 3;

    private DjlResNet20() {
    }

    static Block create() {
        SequentialBlock net = new SequentialBlock()
                .add(convBn(STAGE_FILTERS[0], 3, 1))
                .add(Activation::relu);
        for (int stage = 0; stage < STAGE_FILTERS.length; stage++) {
            for (int block = 0; block < BLOCKS_PER_STAGE; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                net.add(basicBlock(STAGE_FILTERS[stage], stride));
            }
        }
        return net.add(Pool.globalAvgPool2dBlock())
                .add(Linear.builder().setUnits(10).build());
    }

    private static Block basicBlock(int filters, int stride) {
        Block main = new SequentialBlock()
                .add(convBn(filters, 3, stride))
                .add(Activation::relu)
                .add(convBn(filters, 3, 1));
        Block shortcut = stride == 1 ? Blocks.identityBlock() : convBn(filters, 1, stride);
        return new ParallelBlock(paths -> new NDList(Activation.relu(
                paths.get(0).singletonOrThrow().add(paths.get(1).singletonOrThrow()))), List.of(main, shortcut));
    }

    private static Block convBn(int filters, int kernel, int stride) {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).optStride(new Shape(stride, stride))
                        .optPadding(new Shape(kernel / 2, kernel / 2)).setFilters(filters).optBias(false).build())
                .add(BatchNorm.builder().optMomentum(0.99f).optEpsilon(1e-3f).build());
    }
}
