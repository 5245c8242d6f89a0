package dev.panamax.layers;

import dev.panamax.backend.Pool2dSpec;
import java.util.Map;

/**
 * Keras' {@code AveragePooling2D}: the mean of each window (pool size 2, stride = pool size by
 * default). With {@code "same"} padding, a window at the border averages only the pixels inside the image.
 */
public class AveragePooling2D extends Pooling2D {

    public AveragePooling2D() {
        this(2);
    }

    public AveragePooling2D(int poolSize) {
        this(new int[] {poolSize, poolSize}, null, "valid", null);
    }

    public AveragePooling2D(int[] poolSize, int[] strides, String padding, String name) {
        super(Pool2dSpec.Kind.AVG_EXCLUDE_PAD, poolSize, strides, padding, name);
    }

    public static AveragePooling2D fromConfig(Map<String, Object> c) {
        return LayerConfigs.common(new AveragePooling2D(LayerConfigs.ints(c, "pool_size", 2),
                c.get("strides") == null ? null : LayerConfigs.ints(c, "strides", 2),
                LayerConfigs.string(c, "padding", "valid"), LayerConfigs.string(c, "name", null)), c);
    }
}
