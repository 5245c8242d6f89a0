package dev.panamax.layers;

import dev.panamax.tensor.Shape;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Weight initializers with Keras' names and definitions. Fan-in and fan-out follow Keras: for a
 * kernel {@code [..., in, out]} (dense {@code [in, out]}, conv HWIO) the receptive field is the
 * product of the leading axes.
 */
public enum Initializer {
    GLOROT_UNIFORM("glorot_uniform"),
    GLOROT_NORMAL("glorot_normal"),
    HE_NORMAL("he_normal"),
    HE_UNIFORM("he_uniform"),
    ZEROS("zeros"),
    ONES("ones"),
    RANDOM_NORMAL("random_normal"),
    RANDOM_UNIFORM("random_uniform");

    private final String kerasName;

    Initializer(String kerasName) {
        this.kerasName = kerasName;
    }

    public String kerasName() {
        return kerasName;
    }

    public static Initializer fromKerasName(String name) {
        for (Initializer i : values()) {
            if (i.kerasName.equals(name.toLowerCase(Locale.ROOT))) return i;
        }
        throw new IllegalArgumentException("Unknown initializer. Received: initializer=" + name);
    }

    /** Fills {@code shape.size()} values. */
    public float[] sample(Shape shape, SplittableRandom random) {
        float[] v = new float[Math.toIntExact(shape.size())];
        double fanIn;
        double fanOut;
        if (shape.rank() < 2) {
            fanIn = fanOut = shape.rank() == 0 ? 1 : shape.dim(0);
        } else {
            double receptive = 1;
            for (int i = 0; i < shape.rank() - 2; i++) receptive *= shape.dim(i);
            fanIn = shape.dim(shape.rank() - 2) * receptive;
            fanOut = shape.dim(shape.rank() - 1) * receptive;
        }
        switch (this) {
            case ZEROS -> { }
            case ONES -> java.util.Arrays.fill(v, 1f);
            case GLOROT_UNIFORM -> uniform(v, Math.sqrt(6.0 / (fanIn + fanOut)), random);
            case HE_UNIFORM -> uniform(v, Math.sqrt(6.0 / fanIn), random);
            case RANDOM_UNIFORM -> uniform(v, 0.05, random);
            case GLOROT_NORMAL -> truncatedNormal(v, Math.sqrt(2.0 / (fanIn + fanOut)), random);
            case HE_NORMAL -> truncatedNormal(v, Math.sqrt(2.0 / fanIn), random);
            case RANDOM_NORMAL -> {
                for (int i = 0; i < v.length; i++) v[i] = (float) (0.05 * gaussian(random));
            }
        }
        return v;
    }

    private static void uniform(float[] v, double limit, SplittableRandom random) {
        for (int i = 0; i < v.length; i++) v[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
    }

    /** Keras' truncated normal: redraw beyond two standard deviations, scaled to keep the variance. */
    private static void truncatedNormal(float[] v, double std, SplittableRandom random) {
        double scaled = std / 0.87962566103423978; // std of a unit normal truncated at ±2
        for (int i = 0; i < v.length; i++) {
            double g;
            do {
                g = gaussian(random);
            } while (Math.abs(g) > 2);
            v[i] = (float) (g * scaled);
        }
    }

    private static double gaussian(SplittableRandom random) {
        return random.nextGaussian();
    }
}
