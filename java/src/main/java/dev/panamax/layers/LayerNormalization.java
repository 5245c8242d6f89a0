package dev.panamax.layers;

import dev.panamax.autograd.Ops;
import dev.panamax.autograd.Var;
import dev.panamax.tensor.Shape;
import java.util.Map;

/**
 * Keras' {@code LayerNormalization} over the last axis of each example:
 * {@code gamma · (x - mean) / sqrt(variance + epsilon) + beta} with the mean and biased variance of
 * that axis. Same in training and inference; epsilon 1e-3 as in Keras.
 */
public class LayerNormalization extends BaseNormalization<LayerNormalization> {

    public LayerNormalization() {
        this(null);
    }

    public LayerNormalization(String name) {
        super(name, "last axis");
    }

    @Override
    public Var call(Var input, boolean training) {
        Ops ops = input.ops();
        Shape features = Shape.of(input.shape().dim(-1));
        return ops.layerNorm(input, gamma(ops, features), beta(ops, features), epsilon());
    }

    public static LayerNormalization fromConfig(Map<String, Object> c) {
        return LayerConfigs.common(fromBaseConfig(c, LayerNormalization::new), c);
    }
}
