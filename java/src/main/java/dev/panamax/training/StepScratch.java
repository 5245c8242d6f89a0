package dev.panamax.training;

import dev.panamax.tensor.DType;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;

/**
 * Work space an optimizer reuses on every step: a few flat float32 buffers as large as its largest
 * parameter, plus a few one-element tensors, in the parameters' scope. They are allocated on the
 * first step that needs them (again only if a larger parameter or a new model comes along), so
 * steady-state training allocates nothing.
 */
final class StepScratch {
    private static final int SCALARS = 2;

    private Tensor[] buffers = new Tensor[0];
    private final Tensor[] scalars = new Tensor[SCALARS];

    /** Makes {@code count} buffers of at least {@code elements} each (and the scalars) usable now. */
    void reserve(MemoryScope scope, int count, long elements) {
        if (buffers.length < count) {
            Tensor[] grown = new Tensor[count];
            System.arraycopy(buffers, 0, grown, 0, buffers.length);
            buffers = grown;
        }
        for (int i = 0; i < count; i++) {
            Tensor b = buffers[i];
            if (b == null || !b.scope().isOpen() || b.scope() != scope || b.size() < elements) {
                buffers[i] = Tensor.zeros(scope, DType.FLOAT32, Shape.of(elements));
            }
        }
        for (int i = 0; i < SCALARS; i++) {
            Tensor s = scalars[i];
            if (s == null || !s.scope().isOpen() || s.scope() != scope) {
                scalars[i] = Tensor.zeros(scope, DType.FLOAT32, Shape.of(1));
            }
        }
    }

    /** Buffer {@code index} viewed as {@code shape} (its content is whatever the last user left). */
    Tensor buffer(int index, Shape shape) {
        if (index >= buffers.length || buffers[index] == null) {
            throw new IllegalStateException("StepScratch: buffer " + index + " was not reserved");
        }
        return buffers[index].slice(0, shape.size()).reshape(shape.dims());
    }

    /** One-element tensor {@code index} (0 or 1). */
    Tensor scalar(int index) {
        if (scalars[index] == null) {
            throw new IllegalStateException("StepScratch: scalars were not reserved");
        }
        return scalars[index];
    }
}
