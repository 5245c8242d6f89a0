package dev.panamax.data;

import java.util.Objects;

/**
 * Features and targets as whole arrays, row i of {@code x} labelled by row i of {@code y}: what
 * loaders return, like the {@code (x, y)} tuples of {@code keras.datasets}.
 */
public record LabeledArrays(FloatArray x, FloatArray y) {

    public LabeledArrays {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (x.rows() != y.rows()) {
            throw new IllegalArgumentException("LabeledArrays: x " + x.shape() + " and y " + y.shape()
                    + " have different numbers of rows");
        }
    }

    /** Number of examples. */
    public int size() {
        return x.rows();
    }

    /** These arrays as a dataset, one example per row. */
    public Dataset toDataset() {
        return Dataset.fromArrays(x, y);
    }
}
