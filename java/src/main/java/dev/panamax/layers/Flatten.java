package dev.panamax.layers;

import dev.panamax.autograd.Var;
import dev.panamax.tensor.Shape;
import java.util.Map;

/** Keras' {@code Flatten}: each example becomes a vector (row-major, so channels-last order is kept). */
public class Flatten extends Layer {

    public Flatten() {
        this(null);
    }

    public Flatten(String name) {
        super(name);
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        return Shape.of(inputShape.size());
    }

    @Override
    public Var call(Var input, boolean training) {
        long n = input.shape().dim(0);
        return input.ops().reshape(input, n, input.value().size() / n);
    }

    public static Flatten fromConfig(Map<String, Object> c) {
        return LayerConfigs.common(new Flatten(LayerConfigs.string(c, "name", null)), c);
    }
}
