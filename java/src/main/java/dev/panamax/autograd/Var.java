package dev.panamax.autograd;

import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;

/**
 * A value in a computation run through {@link Ops}: the tensor an op produced, and, while a
 * {@link GradientTape} records, the gradient flowing back to it. A Var made from a
 * {@link Parameter} sends its gradient to that parameter.
 */
public final class Var {
    private final Ops ops;
    private final Tensor value;
    private final Parameter parameter;
    private final boolean requiresGrad;
    Tensor grad;
    /** For a softmax output: its logits, so a cross-entropy loss can use the fused, stable kernel. */
    Var softmaxOf;

    Var(Ops ops, Tensor value, Parameter parameter, boolean requiresGrad) {
        this.ops = ops;
        this.value = value;
        this.parameter = parameter;
        this.requiresGrad = requiresGrad;
    }

    /** The ops (backend, scope, tape) this value belongs to; later ops on it use the same. */
    public Ops ops() {
        return ops;
    }

    public Tensor value() {
        return value;
    }

    public Shape shape() {
        return value.shape();
    }

    /** The parameter this value reads, or null. */
    public Parameter parameter() {
        return parameter;
    }

    /** Whether a gradient is computed for this value when the tape runs backward. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** The gradient after {@link GradientTape#backward}, or null when none reached this value. */
    public Tensor grad() {
        return parameter != null ? (parameter.hasGrad() ? parameter.grad() : null) : grad;
    }

    /** For a softmax output, the logits it came from; else null. */
    public Var softmaxLogits() {
        return softmaxOf;
    }

    @Override
    public String toString() {
        return "Var(" + value.describeShape() + (requiresGrad ? ", requires grad" : "") + ")";
    }
}
