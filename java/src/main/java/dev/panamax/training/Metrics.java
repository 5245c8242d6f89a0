package dev.panamax.training;

import java.util.Locale;

/** Metrics by Keras name. */
public final class Metrics {
    private Metrics() {
    }

    /**
     * A new metric for the Keras name or alias {@code name}, with Keras' default configuration and
     * {@code name} as its name in logs (as Keras' compile does): {@code "accuracy"} / {@code "acc"}
     * (kind chosen from the shapes), {@code "binary_accuracy"}, {@code "categorical_accuracy"},
     * {@code "sparse_categorical_accuracy"}, {@code "top_k_categorical_accuracy"},
     * {@code "sparse_top_k_categorical_accuracy"}, {@code "precision"}, {@code "recall"}, {@code "auc"},
     * {@code "mean_squared_error"} / {@code "mse"}, {@code "mean_absolute_error"} / {@code "mae"}; class
     * names ({@code "AUC"}, {@code "BinaryAccuracy"}) work too.
     */
    public static Metric get(String name) {
        return switch (name.toLowerCase(Locale.ROOT).replace("_", "")) {
            case "accuracy", "acc" -> new Accuracy(name);
            case "binaryaccuracy" -> new BinaryAccuracy(name, 0.5);
            case "categoricalaccuracy" -> new CategoricalAccuracy(name);
            case "sparsecategoricalaccuracy" -> new SparseCategoricalAccuracy(name);
            case "topkcategoricalaccuracy" -> new TopKCategoricalAccuracy(name, 5);
            case "sparsetopkcategoricalaccuracy" -> new SparseTopKCategoricalAccuracy(name, 5);
            case "precision" -> new Precision(name, 0.5, ConfusionMetric.ALL_CLASSES);
            case "recall" -> new Recall(name, 0.5, ConfusionMetric.ALL_CLASSES);
            case "auc" -> new AUC(name, 200);
            case "meansquarederror", "mse" -> new MeanSquaredError(name);
            case "meanabsoluteerror", "mae" -> new MeanAbsoluteError(name);
            default -> throw new IllegalArgumentException("Unknown metric: '" + name + "'. Expected one of accuracy,"
                    + " binary_accuracy, categorical_accuracy, sparse_categorical_accuracy,"
                    + " top_k_categorical_accuracy, sparse_top_k_categorical_accuracy, precision, recall, auc,"
                    + " mean_squared_error (mse), mean_absolute_error (mae)");
        };
    }
}
