package dev.panamax.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Objects;

/**
 * An n-dimensional array in off-heap memory: contiguous row-major elements in a 64-byte
 * aligned {@link MemorySegment} owned by a {@link MemoryScope}. Views ({@link #reshape},
 * {@link #slice}) share memory with the tensor they come from.
 *
 * <p>A tensor whose {@link #layout()} is not row-major holds a backend's packed weights: its
 * shape is the logical shape, and its bytes cannot be read as elements.
 */
public final class Tensor {
    private static final int TO_STRING_VALUES = 6;

    private final MemoryScope scope;
    private final MemorySegment data;
    private final DType dtype;
    private final Shape shape;
    private final Layout layout;

    private Tensor(MemoryScope scope, MemorySegment data, DType dtype, Shape shape, Layout layout) {
        this.scope = scope;
        this.data = data;
        this.dtype = dtype;
        this.shape = shape;
        this.layout = layout;
    }

    /** A zero-filled tensor in {@code scope}. */
    public static Tensor zeros(MemoryScope scope, DType dtype, Shape shape) {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        long bytes = Math.multiplyExact(shape.size(), (long) dtype.byteSize());
        return new Tensor(scope, scope.allocate(bytes), dtype, shape, Layout.ROW_MAJOR);
    }

    /** A zero-filled float32 tensor in {@code scope}. */
    public static Tensor zeros(MemoryScope scope, long... dims) {
        return zeros(scope, DType.FLOAT32, Shape.of(dims));
    }

    /** A float32 tensor holding a copy of {@code values}, which must have exactly shape-size elements. */
    public static Tensor of(MemoryScope scope, float[] values, long... dims) {
        Shape shape = Shape.of(dims);
        if (values.length != shape.size()) {
            throw new IllegalArgumentException("Tensor.of: " + values.length + " values do not fill shape "
                    + shape + " (" + shape.size() + " elements)");
        }
        Tensor t = zeros(scope, DType.FLOAT32, shape);
        t.copyFrom(values);
        return t;
    }

    /**
     * Storage for a backend's packed form of a tensor of logical {@code shape}; {@code bytes}
     * is what the backend's layout needs. For backends only.
     */
    public static Tensor packed(MemoryScope scope, DType dtype, Shape shape, Layout layout, long bytes) {
        if (layout.isRowMajor()) {
            throw new IllegalArgumentException("Tensor.packed: layout must be backend-specific, got " + layout);
        }
        return new Tensor(scope, scope.allocate(bytes), dtype, shape, layout);
    }

    public Shape shape() {
        return shape;
    }

    public DType dtype() {
        return dtype;
    }

    public Layout layout() {
        return layout;
    }

    public MemoryScope scope() {
        return scope;
    }

    /** Number of elements. */
    public long size() {
        return shape.size();
    }

    /** Bytes of memory (for packed tensors, the packed size). */
    public long byteSize() {
        return data.byteSize();
    }

    /** The memory; throws {@link IllegalStateException} once the scope is closed. */
    public MemorySegment segment() {
        requireOpen();
        return data;
    }

    /** A view of the same elements with other dimensions of the same total size. */
    public Tensor reshape(long... dims) {
        requireRowMajor("reshape");
        Shape to = Shape.of(dims);
        if (to.size() != shape.size()) {
            throw new IllegalArgumentException("reshape: cannot view " + shape + " (" + shape.size()
                    + " elements) as " + to + " (" + to.size() + " elements)");
        }
        requireOpen();
        return new Tensor(scope, data, dtype, to, layout);
    }

    /** A view of rows {@code [start, start + length)} along axis 0, sharing memory. */
    public Tensor slice(long start, long length) {
        requireRowMajor("slice");
        if (shape.rank() == 0) {
            throw new IllegalArgumentException("slice: a scalar tensor has no axis 0");
        }
        long rows = shape.dim(0);
        if (start < 0 || length < 1 || start > rows - length) {
            throw new IndexOutOfBoundsException("slice: rows [" + start + ", " + (start + length)
                    + ") are outside axis 0 of " + shape);
        }
        long rowBytes = data.byteSize() / rows;
        return new Tensor(scope, segment().asSlice(start * rowBytes, length * rowBytes), dtype,
                shape.withDim0(length), layout);
    }

    /** Copies {@code values} in; their count must equal {@link #size()}. */
    public void copyFrom(float[] values) {
        requireElements("copyFrom(float[])", DType.FLOAT32, values.length);
        MemorySegment.copy(values, 0, segment(), ValueLayout.JAVA_FLOAT, 0, values.length);
    }

    /** Copies {@link #size()} floats from the buffer's position, advancing it. */
    public void copyFrom(FloatBuffer src) {
        requireElements("copyFrom(FloatBuffer)", DType.FLOAT32, src.remaining());
        int n = (int) size();
        if (src.hasArray()) {
            MemorySegment.copy(src.array(), src.arrayOffset() + src.position(), segment(), ValueLayout.JAVA_FLOAT, 0, n);
        } else {
            MemorySegment.copy(MemorySegment.ofBuffer(src), ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(src.order()),
                    0, segment(), ValueLayout.JAVA_FLOAT, 0, n);
        }
        src.position(src.position() + n);
    }

    /**
     * Copies {@link #byteSize()} bytes of elements from the buffer's position, advancing it.
     * Elements are read in the buffer's byte order.
     */
    public void copyFrom(ByteBuffer src) {
        requireBytes("copyFrom(ByteBuffer)", src.remaining());
        ValueLayout element = elementLayout();
        MemorySegment.copy(MemorySegment.ofBuffer(src), unaligned(element).withOrder(src.order()), 0,
                segment(), element, 0, size());
        src.position(src.position() + (int) byteSize());
    }

    /** A new array with the elements. */
    public float[] toFloatArray() {
        requireRowMajor("toFloatArray");
        requireDType("toFloatArray", DType.FLOAT32);
        if (size() > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("toFloatArray: " + shape + " has too many elements for a Java array");
        }
        return segment().toArray(ValueLayout.JAVA_FLOAT);
    }

    /** Copies the elements into {@code dst}, whose length must equal {@link #size()}. */
    public void copyTo(float[] dst) {
        requireElements("copyTo(float[])", DType.FLOAT32, dst.length);
        MemorySegment.copy(segment(), ValueLayout.JAVA_FLOAT, 0, dst, 0, dst.length);
    }

    /** Copies the elements to the buffer's position, advancing it. */
    public void copyTo(FloatBuffer dst) {
        requireElements("copyTo(FloatBuffer)", DType.FLOAT32, dst.remaining());
        int n = (int) size();
        if (dst.hasArray()) {
            MemorySegment.copy(segment(), ValueLayout.JAVA_FLOAT, 0, dst.array(), dst.arrayOffset() + dst.position(), n);
        } else {
            MemorySegment.copy(segment(), ValueLayout.JAVA_FLOAT, 0, MemorySegment.ofBuffer(dst),
                    ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(dst.order()), 0, n);
        }
        dst.position(dst.position() + n);
    }

    /** Copies the elements to the buffer's position in the buffer's byte order, advancing it. */
    public void copyTo(ByteBuffer dst) {
        requireBytes("copyTo(ByteBuffer)", dst.remaining());
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("copyTo(ByteBuffer): the buffer is read-only");
        }
        ValueLayout element = elementLayout();
        MemorySegment.copy(segment(), element, 0, MemorySegment.ofBuffer(dst),
                unaligned(element).withOrder(dst.order()), 0, size());
        dst.position(dst.position() + (int) byteSize());
    }

    /** Sets every element to {@code value}. */
    public void fill(float value) {
        requireRowMajor("fill");
        requireDType("fill", DType.FLOAT32);
        MemorySegment s = segment();
        if (Float.floatToRawIntBits(value) == 0) { // +0.0 is all zero bytes: one memset
            s.fill((byte) 0);
            return;
        }
        long n = size();
        for (long i = 0; i < n; i++) {
            s.setAtIndex(ValueLayout.JAVA_FLOAT, i, value);
        }
    }

    /** The float32 element at {@code index}. */
    public float getFloat(long... index) {
        requireRowMajor("getFloat");
        requireDType("getFloat", DType.FLOAT32);
        return segment().getAtIndex(ValueLayout.JAVA_FLOAT, shape.offsetOf(index));
    }

    /** Sets the float32 element at {@code index}. */
    public void setFloat(float value, long... index) {
        requireRowMajor("setFloat");
        requireDType("setFloat", DType.FLOAT32);
        segment().setAtIndex(ValueLayout.JAVA_FLOAT, shape.offsetOf(index), value);
    }

    /** The int32 element at {@code index}. */
    public int getInt(long... index) {
        requireRowMajor("getInt");
        requireDType("getInt", DType.INT32);
        return segment().getAtIndex(ValueLayout.JAVA_INT, shape.offsetOf(index));
    }

    /** Sets the int32 element at {@code index}. */
    public void setInt(int value, long... index) {
        requireRowMajor("setInt");
        requireDType("setInt", DType.INT32);
        segment().setAtIndex(ValueLayout.JAVA_INT, shape.offsetOf(index), value);
    }

    /** Every op calls this several times: the message is built only when the scope is closed. */
    private void requireOpen() {
        if (!scope.isOpen()) scope.checkOpen(describe());
    }

    private ValueLayout elementLayout() {
        requireRowMajor("element access");
        return switch (dtype) {
            case FLOAT32 -> ValueLayout.JAVA_FLOAT;
            case BFLOAT16 -> ValueLayout.JAVA_SHORT;
            case INT32 -> ValueLayout.JAVA_INT;
            case INT8 -> ValueLayout.JAVA_BYTE;
        };
    }

    private static ValueLayout unaligned(ValueLayout layout) {
        return layout.withByteAlignment(1);
    }

    private void requireRowMajor(String op) {
        if (!layout.isRowMajor()) {
            throw new IllegalStateException(op + ": " + describe() + " is in the backend layout '" + layout
                    + "', which cannot be read as elements");
        }
    }

    private void requireDType(String op, DType expected) {
        if (dtype != expected) {
            throw new IllegalArgumentException(op + ": " + describe() + " has dtype " + dtype + ", expected " + expected);
        }
    }

    private void requireElements(String op, DType expected, long count) {
        requireRowMajor(op);
        requireDType(op, expected);
        if (count != size()) {
            throw new IllegalArgumentException(op + ": " + count + " elements given, but " + describe()
                    + " holds " + size());
        }
    }

    private void requireBytes(String op, long bytes) {
        requireRowMajor(op);
        if (bytes < byteSize()) {
            throw new IllegalArgumentException(op + ": the buffer has " + bytes + " bytes remaining, but "
                    + describe() + " needs " + byteSize());
        }
    }

    private String describe() {
        return "Tensor(" + dtype + ", " + shape + ")";
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Tensor(").append(dtype).append(", ").append(shape);
        if (!scope.isOpen()) {
            return b.append(", scope '").append(scope.name()).append("' closed)").toString();
        }
        if (!layout.isRowMajor()) {
            return b.append(", layout ").append(layout).append(", ").append(byteSize()).append(" bytes)").toString();
        }
        b.append(", [");
        long n = size();
        long shown = Math.min(n, TO_STRING_VALUES);
        for (long i = 0; i < shown; i++) {
            if (i > 0) b.append(", ");
            if (i == TO_STRING_VALUES - 1 && n > TO_STRING_VALUES) {
                b.append("..., ");
                i = n - 1;
            }
            b.append(elementText(i));
        }
        return b.append("])").toString();
    }

    private String elementText(long i) {
        return switch (dtype) {
            case FLOAT32 -> Float.toString(data.getAtIndex(ValueLayout.JAVA_FLOAT, i));
            case INT32 -> Integer.toString(data.getAtIndex(ValueLayout.JAVA_INT, i));
            case INT8 -> Byte.toString(data.get(ValueLayout.JAVA_BYTE, i));
            case BFLOAT16 -> Float.toString(Float.intBitsToFloat(
                    (data.getAtIndex(ValueLayout.JAVA_SHORT, i) & 0xffff) << 16));
        };
    }

    /** Shape and dtype only, for error messages; see {@link #toString()} for values. */
    public String describeShape() {
        return dtype + shape.toString();
    }
}
