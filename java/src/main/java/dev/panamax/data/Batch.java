package dev.panamax.data;

import java.util.Objects;

/**
 * A batch of examples stacked along a new leading axis: {@code x} is {@code [batch, ...]} and
 * {@code y} is {@code [batch, ...]}; sparse class labels make {@code y} a 1-D array of class
 * indices.
 */
public record Batch(FloatArray x, FloatArray y) {

    public Batch {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (x.rows() != y.rows()) {
            throw new IllegalArgumentException("Batch: x " + x.shape() + " and y " + y.shape()
                    + " have different numbers of rows");
        }
    }

    /** Number of examples in this batch. */
    public int size() {
        return x.rows();
    }
}
