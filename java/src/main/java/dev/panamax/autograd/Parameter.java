package dev.panamax.autograd;

import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.util.Objects;

/**
 * A trainable weight (Keras' {@code Variable}, PyTorch's {@code Parameter}): a tensor that lives as
 * long as its model, in the model's scope, with a gradient tensor of the same shape beside it.
 * Gradients accumulate into {@link #grad()} until {@link #zeroGrad()}.
 */
public final class Parameter {
    private final String name;
    private final Tensor value;
    private final MemoryScope scope;
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

    public Tensor value() {
        return value;
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

    /** Copies {@code values} into this parameter (its shape's element count). */
    public void assign(float[] values) {
        value.copyFrom(values);
    }

    @Override
    public String toString() {
        return "Parameter(" + name + ", " + value.describeShape() + (trainable ? "" : ", frozen") + ")";
    }
}
