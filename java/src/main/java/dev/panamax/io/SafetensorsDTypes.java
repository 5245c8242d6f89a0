package dev.panamax.io;

import dev.panamax.tensor.DType;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** The safetensors dtype codes of Panamax's element types, and how their elements sit in memory and in files. */
final class SafetensorsDTypes {
    /** The codes Panamax reads and writes, for error messages. */
    static final String SUPPORTED = "F32, BF16, I32 and I8";

    private SafetensorsDTypes() {
    }

    /** The code written to headers for {@code dtype}. */
    static String code(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> "F32";
            case BFLOAT16 -> "BF16";
            case INT32 -> "I32";
            case INT8 -> "I8";
        };
    }

    /** The element type for a header's code, or null when Panamax has none. */
    static DType fromCode(String code) {
        return switch (code) {
            case "F32" -> DType.FLOAT32;
            case "BF16" -> DType.BFLOAT16;
            case "I32" -> DType.INT32;
            case "I8" -> DType.INT8;
            default -> null;
        };
    }

    /** An element as a tensor holds it: native byte order, aligned. */
    static ValueLayout memoryLayout(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> ValueLayout.JAVA_FLOAT;
            case BFLOAT16 -> ValueLayout.JAVA_SHORT;
            case INT32 -> ValueLayout.JAVA_INT;
            case INT8 -> ValueLayout.JAVA_BYTE;
        };
    }

    /**
     * An element as safetensors stores it: little-endian, at any byte offset. Copying between
     * this and {@link #memoryLayout} swaps bytes only on big-endian machines.
     */
    static ValueLayout fileLayout(DType dtype) {
        return memoryLayout(dtype).withOrder(ByteOrder.LITTLE_ENDIAN).withByteAlignment(1);
    }
}
