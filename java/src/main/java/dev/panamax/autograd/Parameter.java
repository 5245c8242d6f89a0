package dev.panamax.autograd;

import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A trainable weight (Keras' {@code Variable}, PyTorch's {@code Parameter}): a tensor that lives as
 * long as its model, in the model's scope, with a gradient tensor of the same shape beside it.
 * Gradients accumulate into {@link #grad()} until {@link #zeroGrad()}.
 *
 * <p>{@link #version()} counts the writes of the value, so that forms derived from it (a convolution
 * kernel packed into a backend's layout) are rebuilt only when the value changed.
 */
public final class Parameter {
    private final String name;
    private final Tensor value;
    private final MemoryScope scope;
    private final AtomicLong version = new AtomicLong();
    private Tensor grad;
    private boolean trainable;

    public Parameter(String name, Tensor value, boolean trainable) {
        this.name = Objects.requireNonNull(name, "name");
        this.value = Objects.requireNonNull(value, "value");
        this.scope = value.scope();
        this.trainable = trainable;
    }

    public String name() {
        return name;
    }

    /**
     * The value, for reading, and for writing by code that then calls {@link #markModified()}:
     * whoever writes this tensor directly (an optimizer's update kernel, a loader, a test probing a
     * weight) must call it once the write is complete, or caches derived from the value go stale.
     */
    public Tensor value() {
        return value;
    }

    /**
     * Records that the value was written: bumps {@link #version()}. Call it after the write, not
     * before, so that nothing derived in between is taken for the new value.
     */
    public void markModified() {
        version.incrementAndGet();
    }

    /** How many writes of the value were recorded ({@link #assign}, {@link #markModified()}); starts at 0. */
    public long version() {
        return version.get();
    }

    public Shape shape() {
        return value.shape();
    }

    public boolean trainable() {
        return trainable;
    }

    public void setTrainable(boolean trainable) {
        this.trainable = trainable;
    }

    /** The accumulated gradient, allocated (zeroed) in the value's scope on first use. */
    public Tensor grad() {
        if (grad == null) {
            grad = Tensor.zeros(scope, value.dtype(), value.shape());
        }
        return grad;
    }

    /** Whether a gradient tensor exists (it does after the first backward pass that reached this). */
    public boolean hasGrad() {
        return grad != null;
    }

    public void zeroGrad() {
        if (grad != null) {
            grad.fill(0f);
        }
    }

    /** Copies {@code values} into this parameter (its shape's element count) and marks it modified. */
    public void assign(float[] values) {
        value.copyFrom(values);
        markModified();
    }

    @Override
    public String toString() {
        return "Parameter(" + name + ", " + value.describeShape() + (trainable ? "" : ", frozen") + ")";
    }
}
