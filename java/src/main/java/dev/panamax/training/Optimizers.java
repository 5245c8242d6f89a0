package dev.panamax.training;

import java.util.Locale;

/** Optimizers by Keras name, with Keras' default arguments. */
public final class Optimizers {
    private Optimizers() {
    }

    /** A new optimizer called {@code name} in Keras ({@code "adam"}, {@code "SGD"}, ...; case does not matter). */
    public static Optimizer get(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "sgd" -> new SGD();
            case "adam" -> new Adam();
            case "adamw" -> new AdamW();
            case "rmsprop" -> new RMSprop();
            case "adagrad" -> new Adagrad();
            default -> throw new IllegalArgumentException("Unknown optimizer: '" + name
                    + "'. Expected one of sgd, adam, adamw, rmsprop, adagrad");
        };
    }
}
