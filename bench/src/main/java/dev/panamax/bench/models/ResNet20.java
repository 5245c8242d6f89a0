package dev.panamax.bench.models;

import dev.panamax.layers.Activation;
import dev.panamax.layers.Add;
import dev.panamax.layers.BatchNormalization;
import dev.panamax.layers.Conv2D;
import dev.panamax.layers.Dense;
import dev.panamax.layers.GlobalAveragePooling2D;
import dev.panamax.layers.Input;
import dev.panamax.models.Functional;
import dev.panamax.models.Model;
import dev.panamax.models.SymbolicTensor;

/**
 * ResNet-20 for 32x32x3 images (He et al. 2016, section 4.2): a 3x3 stem, three stages of three
 * basic blocks with 16, 32 and 64 filters, global average pooling and a 10-way softmax. Each block
 * is conv-BN-ReLU-conv-BN plus a shortcut, then ReLU; where a stage halves the resolution the
 * shortcut is a strided 1x1 convolution with BN (a projection). Convolutions have no bias (BN
 * follows), which gives 272,474 trainable parameters, the count PyTorch reports for this network.
 */
public final class ResNet20 {
    public static final int BLOCKS_PER_STAGE = 3;
    public static final int[] STAGE_FILTERS = {16, 32, 64};
    public static final long TRAINABLE_PARAMS = 272_474;

    private ResNet20() {
    }

    public static Functional create() {
        SymbolicTensor in = Input.tensor(32, 32, 3);
        SymbolicTensor x = convBn(in, STAGE_FILTERS[0], 3, 1);
        x = new Activation("relu").apply(x);
        for (int stage = 0; stage < STAGE_FILTERS.length; stage++) {
            for (int block = 0; block < BLOCKS_PER_STAGE; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                x = basicBlock(x, STAGE_FILTERS[stage], stride);
            }
        }
        x = new GlobalAveragePooling2D().apply(x);
        SymbolicTensor out = new Dense(10, "softmax").apply(x);
        return Model.of(in, out);
    }

    private static SymbolicTensor basicBlock(SymbolicTensor in, int filters, int stride) {
        SymbolicTensor y = convBn(in, filters, 3, stride);
        y = new Activation("relu").apply(y);
        y = convBn(y, filters, 3, 1);
        SymbolicTensor shortcut = stride == 1 ? in : convBn(in, filters, 1, stride);
        return new Activation("relu").apply(new Add().apply(y, shortcut));
    }

    private static SymbolicTensor convBn(SymbolicTensor in, int filters, int kernel, int stride) {
        Conv2D conv = new Conv2D(filters, kernel).strides(stride).padding("same").useBias(false);
        return new BatchNormalization().apply(conv.apply(in));
    }
}
