package dev.panamax.training;

import java.util.Locale;

/** Metrics by Keras name. */
public final class Metrics {
    private Metrics() {
    }

    public static Metric get(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "accuracy", "acc" -> new Accuracy();
            default -> throw new IllegalArgumentException("Unknown metric: '" + name + "'");
        };
    }
}
