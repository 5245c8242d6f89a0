package dev.panamax.tensor;

/**
 * Element type of a {@link Tensor}. Ops run on {@link #FLOAT32} today; the other
 * types already have storage, copies and element access so that bf16 training and
 * int8 inference can be added without changing the tensor.
 */
public enum DType {
    FLOAT32("float32", 4),
    BFLOAT16("bfloat16", 2),
    INT32("int32", 4),
    INT8("int8", 1);

    private final String keyword;
    private final int byteSize;

    DType(String keyword, int byteSize) {
        this.keyword = keyword;
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** The name used in configs and in safetensors-style headers, e.g. {@code float32}. */
    public String keyword() {
        return keyword;
    }

    @Override
    public String toString() {
        return keyword;
    }
}
