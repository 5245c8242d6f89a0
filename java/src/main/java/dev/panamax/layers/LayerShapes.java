package dev.panamax.layers;

import dev.panamax.tensor.Shape;

/** Keras' way of writing per-example shapes: with the batch axis as {@code None}. */
public final class LayerShapes {
    private LayerShapes() {
    }

    /** {@code [26, 26, 32]} is written {@code (None, 26, 26, 32)}. */
    public static String withBatch(Shape shape) {
        StringBuilder b = new StringBuilder("(None");
        for (long d : shape.dims()) b.append(", ").append(d);
        return b.append(')').toString();
    }

    /** The per-example shape with a batch axis of size {@code n} prepended. */
    public static long[] batched(long n, Shape shape) {
        long[] dims = new long[shape.rank() + 1];
        dims[0] = n;
        System.arraycopy(shape.dims(), 0, dims, 1, shape.rank());
        return dims;
    }
}
