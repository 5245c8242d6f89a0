package dev.panamax.layers;

import dev.panamax.autograd.Var;
import dev.panamax.backend.Activation;
import java.util.Map;

/**
 * Keras' {@code LeakyReLU}: {@code x} for {@code x > 0}, {@code negative_slope · x} otherwise, with Keras 3's
 * default slope 0.3.
 */
public class LeakyReLU extends Layer {
    private final float negativeSlope;

    public LeakyReLU() {
        this(0.3f, null);
    }

    public LeakyReLU(float negativeSlope) {
        this(negativeSlope, null);
    }

    public LeakyReLU(float negativeSlope, String name) {
        super(name);
        if (!(negativeSlope >= 0f) || Float.isInfinite(negativeSlope)) {
            throw new IllegalArgumentException("The negative_slope value of a Leaky ReLU layer cannot be None or"
                    + " negative value. Expected a float. Received: negative_slope=" + negativeSlope);
        }
        this.negativeSlope = negativeSlope;
    }

    public float negativeSlope() {
        return negativeSlope;
    }

    @Override
    public Var call(Var input, boolean training) {
        return input.ops().activation(Activation.LEAKY_RELU, negativeSlope, input);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("negative_slope", (double) negativeSlope);
        return c;
    }

    public static LeakyReLU fromConfig(Map<String, Object> c) {
        return LayerConfigs.common(new LeakyReLU(LayerConfigs.floatValue(c, "negative_slope", 0.3f),
                LayerConfigs.string(c, "name", null)), c);
    }
}
