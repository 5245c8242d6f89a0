package dev.panamax.layers;

import dev.panamax.backend.Pool2dSpec;

/** Keras' {@code MaxPooling2D}: the maximum of each window (pool size 2, stride = pool size by default). */
public class MaxPooling2D extends Pooling2D {

    public MaxPooling2D() {
        this(2);
    }

    public MaxPooling2D(int poolSize) {
        this(new int[] {poolSize, poolSize}, null, "valid", null);
    }

    public MaxPooling2D(int[] poolSize, int[] strides, String padding, String name) {
        super(Pool2dSpec.Kind.MAX, poolSize, strides, padding, name);
    }

    public static MaxPooling2D fromConfig(java.util.Map<String, Object> c) {
        return LayerConfigs.common(new MaxPooling2D(LayerConfigs.ints(c, "pool_size", 2), c.get("strides") == null ? null
                : LayerConfigs.ints(c, "strides", 2), LayerConfigs.string(c, "padding", "valid"),
                LayerConfigs.string(c, "name", null)), c);
    }
}
