package dev.panamax.data;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Mirrors images at random, each enabled direction with probability 1/2, like Keras'
 * {@code RandomFlip}.
 */
public final class RandomFlip extends ImageAugmentation {

    /** Which flips may happen. */
    public enum Mode {
        /** Left-right (along the width). */
        HORIZONTAL,
        /** Top-bottom (along the height). */
        VERTICAL,
        /** Each independently. */
        HORIZONTAL_AND_VERTICAL
    }

    private final Mode mode;

    private RandomFlip(Mode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    public static RandomFlip of(Mode mode) {
        return new RandomFlip(mode);
    }

    public static RandomFlip horizontal() {
        return new RandomFlip(Mode.HORIZONTAL);
    }

    public static RandomFlip vertical() {
        return new RandomFlip(Mode.VERTICAL);
    }

    public Mode mode() {
        return mode;
    }

    @Override
    protected float[] augment(float[] image, int h, int w, int c, RandomGenerator random) {
        boolean leftRight = mode != Mode.VERTICAL && random.nextBoolean();
        boolean upDown = mode != Mode.HORIZONTAL && random.nextBoolean();
        float[] out = leftRight ? flipLeftRight(image, h, w, c) : image.clone();
        return upDown ? flipUpDown(out, h, w, c) : out;
    }

    /** A copy of an {@code [h, w, c]} image mirrored left to right. */
    public static float[] flipLeftRight(float[] image, int h, int w, int c) {
        checkImage("RandomFlip.flipLeftRight", image, h, w, c);
        float[] out = new float[image.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                System.arraycopy(image, (y * w + x) * c, out, (y * w + (w - 1 - x)) * c, c);
            }
        }
        return out;
    }

    /** A copy of an {@code [h, w, c]} image mirrored top to bottom. */
    public static float[] flipUpDown(float[] image, int h, int w, int c) {
        checkImage("RandomFlip.flipUpDown", image, h, w, c);
        float[] out = new float[image.length];
        int row = w * c;
        for (int y = 0; y < h; y++) {
            System.arraycopy(image, y * row, out, (h - 1 - y) * row, row);
        }
        return out;
    }
}
