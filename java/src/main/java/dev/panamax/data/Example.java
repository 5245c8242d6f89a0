package dev.panamax.data;

import dev.panamax.tensor.Shape;
import java.util.Arrays;
import java.util.Objects;

/**
 * One example: features {@code x} and target {@code y}, each a row-major float array with its
 * shape (no batch axis). Images are {@code [height, width, channels]}; a sparse class label is a
 * scalar (shape {@code []}) holding the class index.
 *
 * <p>Transforms return new examples with new arrays; they never write into the arrays they are
 * given, which may be shared with the source data.
 */
public record Example(float[] x, Shape xShape, float[] y, Shape yShape) {

    public Example {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(xShape, "xShape");
        Objects.requireNonNull(y, "y");
        Objects.requireNonNull(yShape, "yShape");
        if (x.length != xShape.size()) {
            throw new IllegalArgumentException("Example: " + x.length + " feature values do not fill x shape " + xShape);
        }
        if (y.length != yShape.size()) {
            throw new IllegalArgumentException("Example: " + y.length + " target values do not fill y shape " + yShape);
        }
    }

    /** This example with new features of the same shape. */
    public Example withX(float[] newX) {
        return new Example(newX, xShape, y, yShape);
    }

    /** This example with new features of a new shape. */
    public Example withX(float[] newX, Shape newXShape) {
        return new Example(newX, newXShape, y, yShape);
    }

    /** This example with a new target. */
    public Example withY(float[] newY, Shape newYShape) {
        return new Example(x, xShape, newY, newYShape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Example e && xShape.equals(e.xShape) && yShape.equals(e.yShape)
                && Arrays.equals(x, e.x) && Arrays.equals(y, e.y);
    }

    @Override
    public int hashCode() {
        return Objects.hash(xShape, yShape, Arrays.hashCode(x), Arrays.hashCode(y));
    }

    @Override
    public String toString() {
        return "Example(x " + xShape + ", y " + yShape + ")";
    }
}
