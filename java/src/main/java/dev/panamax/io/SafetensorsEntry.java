package dev.panamax.io;

import dev.panamax.tensor.DType;
import dev.panamax.tensor.Shape;
import java.util.Objects;

/**
 * One tensor as a safetensors header describes it: element type, shape, and where its bytes
 * lie as {@code [begin, end)} offsets into the data that follows the header.
 */
public record SafetensorsEntry(String name, DType dtype, Shape shape, long begin, long end) {

    public SafetensorsEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        if (begin < 0 || end - begin != Math.multiplyExact(shape.size(), (long) dtype.byteSize())) {
            throw new IllegalArgumentException("SafetensorsEntry '" + name + "': offsets [" + begin + ", " + end
                    + ") do not hold " + dtype + shape);
        }
    }

    /** Bytes of data. */
    public long byteSize() {
        return end - begin;
    }
}
