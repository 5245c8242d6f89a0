package dev.panamax.training;

import dev.panamax.autograd.Var;
import dev.panamax.tensor.Tensor;
import java.util.Locale;

/**
 * The losses, by Keras name. Each is the mean over the batch of a per-example loss (Keras'
 * {@code sum_over_batch_size} reduction).
 */
public final class Losses {
    private Losses() {
    }

    /**
     * The loss called {@code name} in Keras, with Keras' default arguments: a function name
     * ({@code "mean_squared_error"}), a class name ({@code "MeanSquaredError"}) or an alias
     * ({@code "mse"}, {@code "mae"}, {@code "bce"}, {@code "huber"}).
     */
    public static Loss get(String name) {
        return switch (name.toLowerCase(Locale.ROOT).replace("_", "")) {
            case "meansquarederror", "mse" -> meanSquaredError();
            case "meanabsoluteerror", "mae" -> meanAbsoluteError();
            case "huber", "huberloss" -> huber();
            case "binarycrossentropy", "bce" -> binaryCrossentropy(false);
            case "categoricalcrossentropy" -> categoricalCrossentropy(false);
            case "sparsecategoricalcrossentropy" -> sparseCategoricalCrossentropy(false);
            default -> throw new IllegalArgumentException("Unknown loss: '" + name + "'. Expected one of"
                    + " mean_squared_error (mse), mean_absolute_error (mae), huber, binary_crossentropy (bce),"
                    + " categorical_crossentropy, sparse_categorical_crossentropy");
        };
    }

    /** {@code mean((yPred - yTrue)²)}. */
    public static Loss meanSquaredError() {
        return new MeanSquaredErrorLoss();
    }

    /** {@code mean(|yPred - yTrue|)}. */
    public static Loss meanAbsoluteError() {
        return new MeanAbsoluteErrorLoss();
    }

    /** Huber loss with Keras' default {@code delta = 1.0}. */
    public static Loss huber() {
        return huber(1.0);
    }

    /** Quadratic for errors up to {@code delta}, linear beyond. */
    public static Loss huber(double delta) {
        return new HuberLoss((float) delta);
    }

    /**
     * Binary cross-entropy of targets in [0, 1] and predictions of the same shape: probabilities, or
     * logits when {@code fromLogits} (numerically stable for any logit).
     */
    public static Loss binaryCrossentropy(boolean fromLogits) {
        return new BinaryCrossentropyLoss(fromLogits);
    }

    /**
     * Cross-entropy with one-hot (or probability) targets {@code [n, classes]}. With
     * {@code fromLogits} false, predictions are probabilities; when they come straight from a softmax
     * the fused, numerically stable kernel runs on its logits instead (as Keras does).
     */
    public static Loss categoricalCrossentropy(boolean fromLogits) {
        return new CategoricalCrossentropyLoss(fromLogits, false);
    }

    /** Cross-entropy with class-index targets {@code [n]}. */
    public static Loss sparseCategoricalCrossentropy(boolean fromLogits) {
        return new CategoricalCrossentropyLoss(fromLogits, true);
    }

    /** yTrue viewed with yPred's shape, or an exception naming {@code loss} when they do not match. */
    static Tensor targetsLike(String loss, Var yPred, Tensor yTrue) {
        if (yPred.value().size() != yTrue.size() || yPred.shape().dim(0) != yTrue.shape().dim(0)) {
            throw new IllegalArgumentException(loss + ": targets " + yTrue.describeShape()
                    + " do not match predictions " + yPred.value().describeShape());
        }
        return yTrue.reshape(yPred.shape().dims());
    }
}
