package dev.panamax.layers;

import dev.panamax.autograd.Var;
import dev.panamax.backend.ReduceOp;
import dev.panamax.tensor.Shape;
import java.util.Map;

/**
 * Keras' {@code GlobalAveragePooling2D}: the mean over height and width of channels-last images
 * {@code [h, w, c]}, giving {@code [c]}, or {@code [1, 1, c]} with {@code keepdims}.
 */
public class GlobalAveragePooling2D extends Layer {
    private final boolean keepDims;

    public GlobalAveragePooling2D() {
        this(false, null);
    }

    public GlobalAveragePooling2D(boolean keepDims, String name) {
        super(name);
        this.keepDims = keepDims;
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        if (inputShape.rank() != 3) {
            throw shapeError("expects images [height, width, channels] (rank 4 with the batch)", inputShape);
        }
        return keepDims ? Shape.of(1, 1, inputShape.dim(2)) : Shape.of(inputShape.dim(2));
    }

    @Override
    public Var call(Var input, boolean training) {
        return input.ops().reduce(ReduceOp.MEAN, input, new int[] {1, 2}, keepDims);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("keepdims", keepDims);
        return c;
    }

    public static GlobalAveragePooling2D fromConfig(Map<String, Object> c) {
        return LayerConfigs.common(new GlobalAveragePooling2D(LayerConfigs.bool(c, "keepdims", false),
                LayerConfigs.string(c, "name", null)), c);
    }
}
