package dev.panamax.data;

import dev.panamax.tensor.Shape;
import java.util.Arrays;
import java.util.Objects;

/**
 * A float32 array on the Java heap with a shape, the user-facing counterpart of NumPy arrays:
 * what loaders return and what {@code fit}, {@code evaluate} and {@code predict} take. Rows are
 * the leading axis (examples). Class labels are stored as their index in a 1-D array.
 *
 * <p>The data array is shared, not copied: the record is a view, like a NumPy array.
 */
public record FloatArray(float[] data, Shape shape) {

    public FloatArray {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(shape, "shape");
        if (data.length != shape.size()) {
            throw new IllegalArgumentException("FloatArray: " + data.length + " values do not fill shape " + shape
                    + " (" + shape.size() + " elements)");
        }
    }

    public static FloatArray of(float[] data, long... dims) {
        return new FloatArray(data, Shape.of(dims));
    }

    /** Number of rows (examples): the size of the leading axis. */
    public int rows() {
        if (shape.rank() == 0) {
            throw new IllegalStateException("FloatArray: a scalar has no rows");
        }
        return Math.toIntExact(shape.dim(0));
    }

    /** Elements per row. */
    public int rowSize() {
        return Math.toIntExact(shape.size() / shape.dim(0));
    }

    /** The shape of one row (the shape without its leading axis). */
    public Shape rowShape() {
        return Shape.of(Arrays.copyOfRange(shape.dims(), 1, shape.rank()));
    }

    /** A copy of rows {@code indices[0], indices[1], ...} in that order. */
    public FloatArray gather(int[] indices) {
        int rowSize = rowSize();
        int rows = rows();
        float[] out = new float[Math.multiplyExact(indices.length, rowSize)];
        for (int i = 0; i < indices.length; i++) {
            int r = indices[i];
            if (r < 0 || r >= rows) {
                throw new IndexOutOfBoundsException("FloatArray.gather: row " + r + " of " + shape);
            }
            System.arraycopy(data, r * rowSize, out, i * rowSize, rowSize);
        }
        return new FloatArray(out, shape.withDim0(indices.length));
    }

    /** A copy of rows {@code [start, start + count)}. */
    public FloatArray rows(int start, int count) {
        if (start < 0 || count < 1 || start + count > rows()) {
            throw new IndexOutOfBoundsException("FloatArray.rows: [" + start + ", " + (start + count) + ") of " + shape);
        }
        int rowSize = rowSize();
        return new FloatArray(Arrays.copyOfRange(data, start * rowSize, (start + count) * rowSize),
                shape.withDim0(count));
    }

    /** The same data with another shape of the same size (a view: the data array is shared). */
    public FloatArray reshape(long... dims) {
        Shape newShape = Shape.of(dims);
        if (newShape.size() != shape.size()) {
            throw new IllegalArgumentException("FloatArray.reshape: " + shape + " (" + shape.size()
                    + " elements) cannot become " + newShape + " (" + newShape.size() + " elements)");
        }
        return new FloatArray(data, newShape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatArray f && shape.equals(f.shape) && Arrays.equals(data, f.data);
    }

    @Override
    public int hashCode() {
        return 31 * shape.hashCode() + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FloatArray(" + shape + ")";
    }
}
