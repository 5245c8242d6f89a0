package dev.panamax.backend;

import java.util.Objects;

/**
 * What a convolution does to its result before storing it, fused into the one primitive
 * (oneDNN post-ops): {@code dst = activation(conv + bias [+ dst])}. The sum adds the previous
 * content of dst, a residual connection.
 *
 * @param activation applied last; {@link Activation#LINEAR} for none
 * @param alpha the activation's parameter (negative slope of leaky ReLU, alpha of ELU)
 * @param sum whether the previous content of dst is added before the activation
 */
public record PostOps(Activation activation, float alpha, boolean sum) {
    public static final PostOps NONE = new PostOps(Activation.LINEAR, 0f, false);

    public PostOps {
        Objects.requireNonNull(activation, "activation");
        if (!Float.isFinite(alpha)) {
            throw new IllegalArgumentException("PostOps: alpha must be finite. Received: alpha=" + alpha);
        }
    }

    /** The activation alone, with its Keras default parameter (leaky ReLU 0.3, ELU 1.0). */
    public static PostOps of(Activation activation) {
        float alpha = switch (activation) {
            case LEAKY_RELU -> 0.3f;
            case ELU -> 1.0f;
            default -> 0f;
        };
        return new PostOps(activation, alpha, false);
    }

    public PostOps withSum() {
        return new PostOps(activation, alpha, true);
    }

    public boolean isNone() {
        return equals(NONE);
    }
}
