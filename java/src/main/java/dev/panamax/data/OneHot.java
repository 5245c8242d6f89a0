package dev.panamax.data;

import dev.panamax.tensor.Shape;
import java.util.function.UnaryOperator;

/**
 * Turns a sparse class index into a one-hot vector of {@code numClasses}, like Keras'
 * {@code to_categorical}: for {@code categorical_crossentropy} instead of its sparse variant.
 * As a {@link Dataset#map} transform it rewrites an example's {@code y} (a scalar or {@code [1]})
 * to {@code [numClasses]}; {@link #encode} does a whole label array.
 */
public record OneHot(int numClasses) implements UnaryOperator<Example> {

    public OneHot {
        if (numClasses < 2) {
            throw new IllegalArgumentException("OneHot: numClasses must be 2 or more, got " + numClasses);
        }
    }

    public static OneHot of(int numClasses) {
        return new OneHot(numClasses);
    }

    @Override
    public Example apply(Example example) {
        if (example.y().length != 1) {
            throw new IllegalArgumentException("OneHot: y must be one class index, got shape " + example.yShape());
        }
        float[] y = new float[numClasses];
        y[classIndex(example.y()[0], -1)] = 1f;
        return example.withY(y, Shape.of(numClasses));
    }

    /** Labels {@code [n]} or {@code [n, 1]} of class indices as {@code [n, numClasses]}. */
    public static FloatArray encode(FloatArray labels, int numClasses) {
        OneHot oneHot = new OneHot(numClasses);
        Shape s = labels.shape();
        if (!(s.rank() == 1 || (s.rank() == 2 && s.dim(1) == 1))) {
            throw new IllegalArgumentException("OneHot.encode: labels must be [n] or [n, 1] class indices, got shape " + s);
        }
        int n = labels.rows();
        float[] out = new float[Math.multiplyExact(n, numClasses)];
        for (int i = 0; i < n; i++) {
            out[i * numClasses + oneHot.classIndex(labels.data()[i], i)] = 1f;
        }
        return FloatArray.of(out, n, numClasses);
    }

    private int classIndex(float label, int row) {
        if (label != Math.rint(label) || label < 0 || label >= numClasses) {
            throw new IllegalArgumentException("OneHot: label " + label + (row >= 0 ? " at row " + row : "")
                    + " is not a class index 0 to " + (numClasses - 1));
        }
        return (int) label;
    }
}
