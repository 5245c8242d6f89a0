package dev.panamax.tensor;

import java.util.Arrays;

/** Immutable tensor dimensions, outermost first (NHWC for images). Every dimension is positive. */
public final class Shape {
    private final long[] dims;
    private final long size;

    private Shape(long[] dims) {
        this.dims = dims;
        long n = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 1) {
                throw new IllegalArgumentException("Shape " + Arrays.toString(dims) + ": dimension " + i
                        + " is " + dims[i] + "; every dimension must be positive");
            }
            try {
                n = Math.multiplyExact(n, dims[i]);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("Shape " + Arrays.toString(dims) + ": element count overflows a long");
            }
        }
        this.size = n;
    }

    /** A shape with the given dimensions; no dimensions means a scalar. */
    public static Shape of(long... dims) {
        return new Shape(dims.clone());
    }

    /** A shape with the given int dimensions. */
    public static Shape of(int... dims) {
        return new Shape(Arrays.stream(dims).asLongStream().toArray());
    }

    public int rank() {
        return dims.length;
    }

    /** Dimension {@code axis}; negative axes count from the end, as in NumPy. */
    public long dim(int axis) {
        int a = axis < 0 ? axis + dims.length : axis;
        if (a < 0 || a >= dims.length) {
            throw new IndexOutOfBoundsException("Shape " + this + ": axis " + axis + " is out of range for rank " + dims.length);
        }
        return dims[a];
    }

    /** Number of elements. */
    public long size() {
        return size;
    }

    /** A copy of the dimensions. */
    public long[] dims() {
        return dims.clone();
    }

    /** Row-major offset (in elements) of {@code index}, checking each coordinate. */
    public long offsetOf(long... index) {
        if (index.length != dims.length) {
            throw new IllegalArgumentException("Shape " + this + ": index " + Arrays.toString(index)
                    + " has " + index.length + " coordinates, expected " + dims.length);
        }
        long offset = 0;
        for (int i = 0; i < dims.length; i++) {
            if (index[i] < 0 || index[i] >= dims[i]) {
                throw new IndexOutOfBoundsException("Shape " + this + ": index " + Arrays.toString(index)
                        + " is out of bounds at axis " + i);
            }
            offset = offset * dims[i] + index[i];
        }
        return offset;
    }

    /** This shape with dimension 0 replaced, e.g. for a slice of a batch. */
    public Shape withDim0(long dim0) {
        long[] d = dims.clone();
        d[0] = dim0;
        return new Shape(d);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
