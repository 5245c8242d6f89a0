package dev.panamax.data;

import java.util.function.UnaryOperator;

/**
 * Multiplies features by {@code scale} and adds {@code offset}, like Keras' {@code Rescaling}:
 * {@code Rescaling.of(1 / 255f, 0)} maps bytes to [0, 1], {@code of(1 / 127.5f, -1)} to [-1, 1].
 */
public record Rescaling(float scale, float offset) implements UnaryOperator<Example> {

    public Rescaling {
        if (!Float.isFinite(scale) || !Float.isFinite(offset)) {
            throw new IllegalArgumentException("Rescaling: scale and offset must be finite, got scale=" + scale
                    + ", offset=" + offset);
        }
    }

    public static Rescaling of(float scale, float offset) {
        return new Rescaling(scale, offset);
    }

    @Override
    public Example apply(Example example) {
        return example.withX(apply(example.x()));
    }

    /** A rescaled copy of the whole array. */
    public FloatArray apply(FloatArray x) {
        return new FloatArray(apply(x.data()), x.shape());
    }

    /** A rescaled copy. */
    public float[] apply(float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] * scale + offset;
        }
        return out;
    }
}
