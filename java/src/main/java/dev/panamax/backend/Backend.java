package dev.panamax.backend;

import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Tensor;

/**
 * The primitives every backend provides: layers and models call these, never a native
 * library. Implementations: {@code java} (pure Java, the specification) and {@code native}
 * (oneDNN and OpenBLAS); get one by name from {@link Backends}. Both can live in one JVM.
 *
 * <p>Every op checks its arguments first, with {@link OpChecks}, and throws
 * {@link IllegalArgumentException} naming the op and every shape involved. Outputs are
 * written into tensors the caller allocated, in the scope the caller chose.
 */
public interface Backend extends AutoCloseable {

    /** The name this backend is registered under, e.g. {@code "native"}. */
    String name();

    /**
     * {@code dst = op(a) · op(b)} on float32 matrices, where {@code op(x)} is {@code x} or its
     * transpose. {@code op(a)} is {@code [m, k]}, {@code op(b)} is {@code [k, n]}, dst {@code [m, n]}.
     */
    void matmul(Tensor a, boolean transposeA, Tensor b, boolean transposeB, Tensor dst);

    /**
     * Returns the convolution weights (HWIO, {@link Conv2dSpec#weightsShape()}) in the layout this
     * backend runs {@code spec} with, allocated in {@code scope}. Pack once, run many times.
     * The result may be a backend-private layout that only this backend reads.
     */
    Tensor conv2dPackWeights(Conv2dSpec spec, Tensor weights, MemoryScope scope);

    /**
     * Forward convolution {@code dst = conv(src, weights) + bias} over NHWC tensors.
     * {@code weights} are plain HWIO or the result of {@link #conv2dPackWeights} for the same
     * spec; {@code bias} is {@code [outChannels]}, or null when {@code spec.hasBias()} is false.
     */
    void conv2dForward(Conv2dSpec spec, Tensor src, Tensor weights, Tensor bias, Tensor dst);

    /**
     * Frees what the backend cached (native primitives, worker threads). The backend stays
     * usable and re-creates them when needed, so closing a shared backend is safe.
     * Tensors stay with their scopes.
     */
    @Override
    void close();
}
