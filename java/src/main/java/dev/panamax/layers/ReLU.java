package dev.panamax.layers;

import dev.panamax.autograd.Ops;
import dev.panamax.autograd.Var;
import dev.panamax.backend.Activation;
import java.util.Map;

/**
 * Keras' {@code ReLU} layer: {@code f(x) = min(x, max_value)} for {@code x >= 0} and
 * {@code negative_slope · x} below 0 ({@code max_value} null: no upper limit). Keras' {@code threshold}
 * is supported at its default, 0 only: the backends have no step function to build other values from.
 */
public class ReLU extends Layer {
    private final Float maxValue;
    private final float negativeSlope;

    public ReLU() {
        this(null, 0f, 0f, null);
    }

    /**
     * @param maxValue the upper limit, or null for none
     * @param negativeSlope the slope below 0
     * @param threshold must be 0 (Keras' default)
     */
    public ReLU(Float maxValue, float negativeSlope, float threshold, String name) {
        super(name);
        if (maxValue != null && !(maxValue >= 0f)) {
            throw new IllegalArgumentException("max_value of a ReLU layer cannot be a negative value. Received:"
                    + " max_value=" + maxValue);
        }
        if (!(negativeSlope >= 0f) || Float.isInfinite(negativeSlope)) {
            throw new IllegalArgumentException("negative_slope of a ReLU layer cannot be a negative value. Received:"
                    + " negative_slope=" + negativeSlope);
        }
        if (threshold != 0f) {
            throw new IllegalArgumentException("ReLU: only threshold=0 is supported (the backends have no step"
                    + " function). Received: threshold=" + threshold);
        }
        this.maxValue = maxValue;
        this.negativeSlope = negativeSlope;
    }

    /** ReLU capped at {@code maxValue}, e.g. {@code ReLU.withMaxValue(6)} for ReLU6. */
    public static ReLU withMaxValue(float maxValue) {
        return new ReLU(maxValue, 0f, 0f, null);
    }

    /** The upper limit, or null. */
    public Float maxValue() {
        return maxValue;
    }

    public float negativeSlope() {
        return negativeSlope;
    }

    /** Whether this is plain {@code max(x, 0)} (no cap, no slope), which a batch norm before it can fuse. */
    public boolean isPlain() {
        return maxValue == null && negativeSlope == 0f;
    }

    @Override
    public Var call(Var input, boolean training) {
        Ops ops = input.ops();
        Var y = negativeSlope == 0f ? ops.activation(Activation.RELU, 0f, input)
                : ops.activation(Activation.LEAKY_RELU, negativeSlope, input);
        // Below 0 the output is negativeSlope·x <= 0 <= maxValue, so capping the whole result caps the positive part.
        return maxValue == null ? y : ops.minimum(y, maxValue);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("max_value", maxValue == null ? null : (double) maxValue);
        c.put("negative_slope", (double) negativeSlope);
        c.put("threshold", 0.0);
        return c;
    }

    public static ReLU fromConfig(Map<String, Object> c) {
        Float maxValue = c.get("max_value") == null ? null : LayerConfigs.floatValue(c, "max_value", 0f);
        return LayerConfigs.common(new ReLU(maxValue, LayerConfigs.floatValue(c, "negative_slope", 0f),
                LayerConfigs.floatValue(c, "threshold", 0f), LayerConfigs.string(c, "name", null)), c);
    }
}
