package dev.panamax.data;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Rotates images about their centre by a random angle drawn uniformly from
 * {@code [-factor * 2pi, factor * 2pi]}, filling uncovered pixels with 0, like Keras'
 * {@code RandomRotation(factor, fill_mode="constant")}. Positive angles turn counter-clockwise.
 */
public final class RandomRotation extends ImageAugmentation {
    private final double factor;
    private final Interpolation interpolation;

    private RandomRotation(double factor, Interpolation interpolation) {
        if (!(factor > 0 && factor <= 1)) {
            throw new IllegalArgumentException("RandomRotation: factor (a fraction of a full turn) must be in (0, 1], got "
                    + factor);
        }
        this.factor = factor;
        this.interpolation = Objects.requireNonNull(interpolation, "interpolation");
    }

    /** Bilinear rotation by up to {@code factor} of a full turn either way. */
    public static RandomRotation of(double factor) {
        return new RandomRotation(factor, Interpolation.BILINEAR);
    }

    public static RandomRotation of(double factor, Interpolation interpolation) {
        return new RandomRotation(factor, interpolation);
    }

    @Override
    protected float[] augment(float[] image, int h, int w, int c, RandomGenerator random) {
        double limit = factor * 2 * Math.PI;
        return rotate(image, h, w, c, random.nextDouble(-limit, limit), interpolation);
    }

    /** A copy of an {@code [h, w, c]} image turned counter-clockwise by {@code radians} about its centre. */
    public static float[] rotate(float[] image, int h, int w, int c, double radians, Interpolation interpolation) {
        checkImage("RandomRotation.rotate", image, h, w, c);
        float[] out = new float[image.length];
        double cos = Math.cos(radians);
        double sin = Math.sin(radians);
        double cy = (h - 1) / 2.0;
        double cx = (w - 1) / 2.0;
        for (int y = 0; y < h; y++) {
            double v = y - cy;
            for (int x = 0; x < w; x++) {
                double u = x - cx;
                // Inverse map: with y pointing down, the source of (u, v) is it turned clockwise.
                double sx = u * cos - v * sin + cx;
                double sy = u * sin + v * cos + cy;
                int o = (y * w + x) * c;
                if (interpolation == Interpolation.NEAREST) {
                    sampleNearest(image, h, w, c, sy, sx, out, o);
                } else {
                    sampleBilinear(image, h, w, c, sy, sx, out, o);
                }
            }
        }
        return out;
    }

    private static void sampleNearest(float[] image, int h, int w, int c, double sy, double sx, float[] out, int o) {
        long y = Math.round(sy);
        long x = Math.round(sx);
        if (y >= 0 && y < h && x >= 0 && x < w) {
            System.arraycopy(image, (int) ((y * w + x) * c), out, o, c);
        }
    }

    /** Neighbours outside the image count as 0 (constant fill), so edges fade rather than smear. */
    private static void sampleBilinear(float[] image, int h, int w, int c, double sy, double sx, float[] out, int o) {
        int y0 = (int) Math.floor(sy);
        int x0 = (int) Math.floor(sx);
        if (y0 < -1 || y0 >= h || x0 < -1 || x0 >= w) {
            return;
        }
        float fy = (float) (sy - y0);
        float fx = (float) (sx - x0);
        float w00 = (1 - fy) * (1 - fx);
        float w01 = (1 - fy) * fx;
        float w10 = fy * (1 - fx);
        float w11 = fy * fx;
        for (int ch = 0; ch < c; ch++) {
            out[o + ch] = w00 * pixel(image, h, w, c, y0, x0, ch) + w01 * pixel(image, h, w, c, y0, x0 + 1, ch)
                    + w10 * pixel(image, h, w, c, y0 + 1, x0, ch) + w11 * pixel(image, h, w, c, y0 + 1, x0 + 1, ch);
        }
    }

    private static float pixel(float[] image, int h, int w, int c, int y, int x, int ch) {
        return y >= 0 && y < h && x >= 0 && x < w ? image[(y * w + x) * c + ch] : 0f;
    }
}
