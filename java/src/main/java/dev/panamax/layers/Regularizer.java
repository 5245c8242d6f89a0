package dev.panamax.layers;

/**
 * L1/L2 weight penalty added to the loss: {@code l1 · Σ|w| + l2 · Σw²} (Keras' definition).
 */
public record Regularizer(float l1, float l2) {

    public Regularizer {
        if (!(l1 >= 0) || !(l2 >= 0)) {
            throw new IllegalArgumentException("Regularizer factors must be >= 0. Received: l1=" + l1 + ", l2=" + l2);
        }
    }

    public static Regularizer l1(float factor) {
        return new Regularizer(factor, 0f);
    }

    public static Regularizer l2(float factor) {
        return new Regularizer(0f, factor);
    }

    public static Regularizer l1l2(float l1, float l2) {
        return new Regularizer(l1, l2);
    }
}
