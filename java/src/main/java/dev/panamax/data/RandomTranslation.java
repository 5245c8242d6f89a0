package dev.panamax.data;

import java.util.random.RandomGenerator;

/**
 * Moves images by a random whole number of pixels, up to {@code heightFactor * height}
 * vertically and {@code widthFactor * width} horizontally in either direction, filling with 0,
 * like Keras' {@code RandomTranslation(fill_mode="constant")}.
 */
public final class RandomTranslation extends ImageAugmentation {
    private final double heightFactor;
    private final double widthFactor;

    private RandomTranslation(double heightFactor, double widthFactor) {
        checkFactor("heightFactor", heightFactor);
        checkFactor("widthFactor", widthFactor);
        if (heightFactor == 0 && widthFactor == 0) {
            throw new IllegalArgumentException("RandomTranslation: heightFactor and widthFactor are both 0; nothing would move");
        }
        this.heightFactor = heightFactor;
        this.widthFactor = widthFactor;
    }

    /** Fractions of the image size, each from 0 to 1. */
    public static RandomTranslation of(double heightFactor, double widthFactor) {
        return new RandomTranslation(heightFactor, widthFactor);
    }

    @Override
    protected float[] augment(float[] image, int h, int w, int c, RandomGenerator random) {
        int dy = offset(heightFactor, h, random);
        int dx = offset(widthFactor, w, random);
        return PixelShift.shift(image, h, w, c, dy, dx);
    }

    private static int offset(double factor, int size, RandomGenerator random) {
        int max = (int) Math.floor(factor * size);
        return max == 0 ? 0 : random.nextInt(-max, max + 1);
    }

    private static void checkFactor(String name, double factor) {
        if (!(factor >= 0 && factor <= 1)) {
            throw new IllegalArgumentException("RandomTranslation: " + name + " must be from 0 to 1, got " + factor);
        }
    }
}
