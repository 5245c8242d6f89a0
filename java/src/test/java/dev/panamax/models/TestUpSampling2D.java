package dev.panamax.models;

import dev.panamax.autograd.Ops;
import dev.panamax.autograd.Var;
import dev.panamax.backend.BinaryOp;
import dev.panamax.layers.Layer;
import dev.panamax.layers.LayerConfigs;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.util.Map;

/**
 * A test-only 2x nearest-neighbour upsampling of {@code [h, w, c]} images, for the decoder half of a
 * U-Net: each pixel is broadcast over a 2x2 block ({@code [n, h, 1, w, 1, c] * ones[2, 1, 2, 1]}).
 */
final class TestUpSampling2D extends Layer {

    TestUpSampling2D(String name) {
        super(name);
    }

    @Override
    public Shape computeOutputShape(Shape in) {
        if (in.rank() != 3) throw shapeError("expects images [h, w, c]", in);
        return Shape.of(2 * in.dim(0), 2 * in.dim(1), in.dim(2));
    }

    @Override
    public Var call(Var input, boolean training) {
        Ops ops = input.ops();
        long[] d = input.shape().dims();
        Tensor ones = ops.allocate(2, 1, 2, 1);
        ones.fill(1f);
        Var blocks = ops.binary(BinaryOp.MUL, ops.reshape(input, d[0], d[1], 1, d[2], 1, d[3]), ops.constant(ones));
        return ops.reshape(blocks, d[0], 2 * d[1], 2 * d[2], d[3]);
    }

    static TestUpSampling2D fromConfig(Map<String, Object> c) {
        return LayerConfigs.common(new TestUpSampling2D(LayerConfigs.string(c, "name", null)), c);
    }
}
