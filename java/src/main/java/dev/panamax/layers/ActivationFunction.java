package dev.panamax.layers;

import dev.panamax.autograd.Ops;
import dev.panamax.autograd.Var;
import dev.panamax.backend.Activation;
import java.util.Locale;

/**
 * An activation named as in Keras ({@code "relu"}, {@code "softmax"}, ...): the element-wise ones of
 * {@link Activation} plus softmax and log-softmax over the last axis. Layers take these by name.
 */
public record ActivationFunction(String name) {
    public static final ActivationFunction LINEAR = new ActivationFunction("linear");

    public ActivationFunction {
        name = name == null ? "linear" : name.toLowerCase(Locale.ROOT);
        if (!name.equals("softmax") && !name.equals("log_softmax")) {
            Activation.fromKerasName(name); // throws naming the value when unknown
        }
    }

    public static ActivationFunction of(String name) {
        return new ActivationFunction(name);
    }

    public boolean isLinear() {
        return name.equals("linear");
    }

    /** Keras' default slopes: leaky_relu 0.2, elu 1. */
    static float defaultAlpha(Activation a) {
        return switch (a) {
            case LEAKY_RELU -> 0.2f;
            case ELU -> 1f;
            default -> 0f;
        };
    }

    public Var apply(Var x) {
        Ops ops = x.ops();
        return switch (name) {
            case "softmax" -> ops.softmax(x);
            case "log_softmax" -> ops.logSoftmax(x);
            default -> {
                Activation a = Activation.fromKerasName(name);
                yield ops.activation(a, defaultAlpha(a), x);
            }
        };
    }
}
