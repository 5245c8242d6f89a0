package dev.panamax.data;

import dev.panamax.tensor.Shape;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Standardises features per channel (the last axis): {@code (x - mean[c]) / std[c]}, like Keras'
 * {@code Normalization(axis=-1)}. Give the statistics, or {@link #adapt} them to training data.
 * Use with {@link Dataset#map}, or on whole arrays with {@link #apply(FloatArray)}.
 */
public final class Normalization implements UnaryOperator<Example> {
    /** Keras' floor on the standard deviation, so constant channels do not divide by zero. */
    private static final double MIN_STD = 1e-7;

    private final float[] mean;
    private final float[] std;

    private Normalization(float[] mean, float[] std) {
        this.mean = mean;
        this.std = std;
    }

    /** One mean and standard deviation per channel; a single value of each applies to every channel. */
    public static Normalization of(float[] mean, float[] std) {
        Objects.requireNonNull(mean, "mean");
        Objects.requireNonNull(std, "std");
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("Normalization: mean " + Arrays.toString(mean) + " and std "
                    + Arrays.toString(std) + " must have the same, non-zero length");
        }
        for (int i = 0; i < std.length; i++) {
            if (!(std[i] > 0) || !Float.isFinite(std[i]) || !Float.isFinite(mean[i])) {
                throw new IllegalArgumentException("Normalization: channel " + i + " has mean " + mean[i] + " and std "
                        + std[i] + "; std must be positive and both finite");
            }
        }
        return new Normalization(mean.clone(), std.clone());
    }

    /** The same mean and standard deviation for every channel. */
    public static Normalization of(float mean, float std) {
        return of(new float[] {mean}, new float[] {std});
    }

    /**
     * The per-channel mean and (population) standard deviation of {@code x}, the channel being its
     * last axis, computed in double, like Keras' {@code Normalization.adapt}.
     */
    public static Normalization adapt(FloatArray x) {
        int channels = x.shape().rank() < 2 ? 1 : (int) x.shape().dim(-1);
        float[] data = x.data();
        double[] sum = new double[channels];
        for (int i = 0; i < data.length; i++) {
            sum[i % channels] += data[i];
        }
        long count = data.length / channels;
        double[] mean = new double[channels];
        for (int c = 0; c < channels; c++) {
            mean[c] = sum[c] / count;
        }
        double[] squares = new double[channels];
        for (int i = 0; i < data.length; i++) {
            double d = data[i] - mean[i % channels];
            squares[i % channels] += d * d;
        }
        float[] m = new float[channels];
        float[] s = new float[channels];
        for (int c = 0; c < channels; c++) {
            m[c] = (float) mean[c];
            s[c] = (float) Math.max(Math.sqrt(squares[c] / count), MIN_STD);
        }
        return of(m, s);
    }

    public float[] mean() {
        return mean.clone();
    }

    public float[] std() {
        return std.clone();
    }

    @Override
    public Example apply(Example example) {
        return example.withX(apply(example.x(), example.xShape()));
    }

    /** A normalised copy of the whole array (the channel being its last axis). */
    public FloatArray apply(FloatArray x) {
        return new FloatArray(apply(x.data(), x.shape()), x.shape());
    }

    /** A normalised copy of {@code x} of shape {@code shape}. */
    public float[] apply(float[] x, Shape shape) {
        int channels = shape.rank() == 0 ? 1 : (int) shape.dim(-1);
        if (mean.length != 1 && mean.length != channels) {
            throw new IllegalArgumentException("Normalization: " + mean.length + " channel statistics do not match shape "
                    + shape + " (" + channels + " channels on the last axis)");
        }
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            int c = mean.length == 1 ? 0 : i % channels;
            out[i] = (x[i] - mean[c]) / std[c];
        }
        return out;
    }
}
