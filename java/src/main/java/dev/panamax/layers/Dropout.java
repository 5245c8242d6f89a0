package dev.panamax.layers;

import dev.panamax.autograd.Var;
import java.util.Map;

/**
 * Keras' {@code Dropout}: in training, zeroes a fraction {@code rate} of the inputs and scales the
 * rest by {@code 1 / (1 - rate)}; in inference, the identity. Each call draws a new mask from the
 * layer's seed and the training step, so one seed gives the same masks on every backend and a
 * resumed run draws the masks the uninterrupted one would have.
 */
public class Dropout extends Layer {
    private final float rate;
    private final long seed;

    public Dropout(double rate) {
        this(rate, 1337L, null);
    }

    public Dropout(double rate, long seed, String name) {
        super(name);
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("Invalid value received for argument `rate`. Expected a float value"
                    + " between 0 and 1. Received: rate=" + rate);
        }
        this.rate = (float) rate;
        this.seed = seed;
    }

    public float rate() {
        return rate;
    }

    @Override
    public Var call(Var input, boolean training) {
        if (!training || rate == 0f) return input;
        return input.ops().dropout(input, rate, input.ops().randomSeed(seed));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("rate", (double) rate);
        c.put("seed", seed);
        return c;
    }

    public static Dropout fromConfig(Map<String, Object> c) {
        Object s = c.get("seed");
        return LayerConfigs.common(new Dropout(LayerConfigs.floatValue(c, "rate", 0f),
                s instanceof Number n ? n.longValue() : 1337L, LayerConfigs.string(c, "name", null)), c);
    }
}
