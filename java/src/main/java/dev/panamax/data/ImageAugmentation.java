package dev.panamax.data;

import dev.panamax.tensor.Shape;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A random, shape-preserving change to an example's image {@code x} of shape
 * {@code [height, width, channels]} (channels last, one image, no batch axis), the counterpart of
 * Keras' random preprocessing layers. Use with {@link Dataset#mapRandom}; chain with
 * {@link RandomTransform#andThen}. The label is left alone.
 */
public abstract class ImageAugmentation implements RandomTransform {

    /** The example with its image augmented. */
    @Override
    public final Example apply(Example example, RandomGenerator random) {
        return example.withX(apply(example.x(), example.xShape(), random));
    }

    /** A new, augmented copy of {@code image}; the input is not modified. */
    public final float[] apply(float[] image, Shape shape, RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        if (shape.rank() != 3) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": expected one image of shape "
                    + "[height, width, channels], got shape " + shape);
        }
        int h = (int) shape.dim(0);
        int w = (int) shape.dim(1);
        int c = (int) shape.dim(2);
        checkImage(getClass().getSimpleName(), image, h, w, c);
        return augment(image, h, w, c, random);
    }

    /** Returns a new array; must not write into {@code image}. */
    protected abstract float[] augment(float[] image, int height, int width, int channels, RandomGenerator random);

    static void checkImage(String op, float[] image, int height, int width, int channels) {
        Objects.requireNonNull(image, "image");
        if (height < 1 || width < 1 || channels < 1 || image.length != (long) height * width * channels) {
            throw new IllegalArgumentException(op + ": an image of " + height + "x" + width + "x" + channels
                    + " needs " + ((long) height * width * channels) + " values, got " + image.length);
        }
    }
}
