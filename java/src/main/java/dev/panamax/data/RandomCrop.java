package dev.panamax.data;

import java.util.random.RandomGenerator;

/**
 * Pads an image with {@code padding} zero pixels on every side and crops a random window of the
 * original size back out: the standard CIFAR augmentation ({@code pad 4, crop 32}). The content
 * moves by up to {@code padding} pixels in each direction, every offset equally likely.
 */
public final class RandomCrop extends ImageAugmentation {
    private final int padding;

    private RandomCrop(int padding) {
        if (padding < 1) {
            throw new IllegalArgumentException("RandomCrop: padding must be 1 or more, got " + padding);
        }
        this.padding = padding;
    }

    public static RandomCrop withPadding(int padding) {
        return new RandomCrop(padding);
    }

    public int padding() {
        return padding;
    }

    @Override
    protected float[] augment(float[] image, int h, int w, int c, RandomGenerator random) {
        // The window's top-left corner in the padded image is (padding - dy, padding - dx).
        int dy = random.nextInt(-padding, padding + 1);
        int dx = random.nextInt(-padding, padding + 1);
        return PixelShift.shift(image, h, w, c, dy, dx);
    }
}
