package dev.panamax.backend;

import java.util.Locale;

/**
 * Element-wise activations, with Keras' names. {@link #apply} and {@link #derivative} are the
 * definitions (in double precision) that the Java backend and the tests use.
 */
public enum Activation {
    LINEAR("linear"),
    RELU("relu"),
    /** Negative slope {@code alpha}. */
    LEAKY_RELU("leaky_relu"),
    /** {@code alpha * (exp(x) - 1)} for negative x. */
    ELU("elu"),
    /** The exact form {@code x * Phi(x)}, Keras' default ({@code approximate=False}). */
    GELU("gelu"),
    SIGMOID("sigmoid"),
    TANH("tanh"),
    /** {@code x * sigmoid(x)}, also called SiLU. */
    SWISH("swish");

    private final String kerasName;

    Activation(String kerasName) {
        this.kerasName = kerasName;
    }

    public String kerasName() {
        return kerasName;
    }

    /** The activation called {@code name} in Keras ({@code "relu"}, {@code "silu"} for swish, ...). */
    public static Activation fromKerasName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals("silu")) return SWISH;
        for (Activation a : values()) {
            if (a.kerasName.equals(n)) return a;
        }
        throw new IllegalArgumentException("Unknown activation: '" + name + "'. Expected one of linear, relu,"
                + " leaky_relu, elu, gelu, sigmoid, tanh, swish");
    }

    /** f(x). */
    public double apply(double x, double alpha) {
        return switch (this) {
            case LINEAR -> x;
            case RELU -> Math.max(x, 0);
            case LEAKY_RELU -> x > 0 ? x : alpha * x;
            case ELU -> x > 0 ? x : alpha * Math.expm1(x);
            case GELU -> 0.5 * x * (1 + erf(x / Math.sqrt(2)));
            case SIGMOID -> sigmoid(x);
            case TANH -> Math.tanh(x);
            case SWISH -> x * sigmoid(x);
        };
    }

    /** f'(x); ReLU's derivative at 0 is taken as 0, as in oneDNN, PyTorch and TensorFlow. */
    public double derivative(double x, double alpha) {
        return switch (this) {
            case LINEAR -> 1;
            case RELU -> x > 0 ? 1 : 0;
            case LEAKY_RELU -> x > 0 ? 1 : alpha;
            case ELU -> x > 0 ? 1 : alpha * Math.exp(x);
            case GELU -> 0.5 * (1 + erf(x / Math.sqrt(2))) + x * Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
            case SIGMOID -> {
                double s = sigmoid(x);
                yield s * (1 - s);
            }
            case TANH -> {
                double t = Math.tanh(x);
                yield 1 - t * t;
            }
            case SWISH -> {
                double s = sigmoid(x);
                yield s + x * s * (1 - s);
            }
        };
    }

    private static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    /** erf to about 1e-15 (Abramowitz-Stegun 7.1.26 is too coarse for gradient checks). */
    static double erf(double x) {
        double t = Math.abs(x);
        double r;
        if (t < 2.5) {
            // Maclaurin series: converges fast for small |x|.
            double term = t, sum = t, t2 = t * t;
            for (int n = 1; n < 60; n++) {
                term *= -t2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
            }
            r = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            // Continued fraction for erfc.
            double f = 0;
            for (int n = 60; n >= 1; n--) f = n / 2.0 / (t + f);
            r = 1 - Math.exp(-t * t) / Math.sqrt(Math.PI) / (t + f);
        }
        return x < 0 ? -r : r;
    }
}
