package dev.panamax.layers;

import dev.panamax.autograd.Ops;
import dev.panamax.autograd.Var;
import dev.panamax.tensor.Shape;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Keras' {@code UpSampling2D} with nearest-neighbour interpolation: each pixel of {@code [h, w, c]}
 * becomes a {@code size[0] x size[1]} block, giving {@code [h·size[0], w·size[1], c]}.
 */
public class UpSampling2D extends Layer {
    private final int[] size;

    public UpSampling2D() {
        this(new int[] {2, 2}, "nearest", null);
    }

    public UpSampling2D(int size) {
        this(new int[] {size, size}, "nearest", null);
    }

    /** @param interpolation must be {@code "nearest"}, the only mode implemented */
    public UpSampling2D(int[] size, String interpolation, String name) {
        super(name);
        if (size == null || size.length != 2 || size[0] < 1 || size[1] < 1) {
            throw new IllegalArgumentException("The `size` argument must be two positive integers. Received: size="
                    + Arrays.toString(size));
        }
        String mode = interpolation == null ? "" : interpolation.toLowerCase(Locale.ROOT);
        if (!mode.equals("nearest")) {
            throw new IllegalArgumentException("UpSampling2D: `interpolation` must be \"nearest\", the only mode"
                    + " Panamax implements. Received: interpolation=" + interpolation);
        }
        this.size = size.clone();
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        if (inputShape.rank() != 3) {
            throw shapeError("expects images [height, width, channels] (rank 4 with the batch)", inputShape);
        }
        return Shape.of(inputShape.dim(0) * size[0], inputShape.dim(1) * size[1], inputShape.dim(2));
    }

    @Override
    public Var call(Var input, boolean training) {
        Ops ops = input.ops();
        long[] d = input.shape().dims(); // [n, h, w, c]
        // Broadcast [n, h, 1, w, 1, c] against zeros [n, h, sh, w, sw, c]: every pixel fills its block, and
        // the broadcast's gradient sums each block back to its pixel.
        Var pixels = ops.reshape(input, d[0], d[1], 1, d[2], 1, d[3]);
        Var blocks = ops.constant(ops.allocate(d[0], d[1], size[0], d[2], size[1], d[3]));
        return ops.reshape(ops.add(blocks, pixels), d[0], d[1] * size[0], d[2] * size[1], d[3]);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("size", LayerConfigs.list(size));
        c.put("interpolation", "nearest");
        return c;
    }

    public static UpSampling2D fromConfig(Map<String, Object> c) {
        return LayerConfigs.common(new UpSampling2D(LayerConfigs.ints(c, "size", 2),
                LayerConfigs.string(c, "interpolation", "nearest"), LayerConfigs.string(c, "name", null)), c);
    }
}
