package dev.panamax.training;

import dev.panamax.models.Model;
import java.util.Map;

/**
 * Hooks into {@code fit} (Keras' callbacks). Logs hold the values so far ({@code loss}, metrics,
 * and {@code val_} ones at epoch end); as in Keras they are mutable, and a callback may add to them
 * for the callbacks after it ({@link ReduceLROnPlateau} adds {@code learning_rate}). A callback may
 * stop training with {@link Model#stopTraining()}. Built in: {@link EarlyStopping},
 * {@link ReduceLROnPlateau}, {@link LearningRateScheduler}, {@link CSVLogger}, {@link TerminateOnNaN}
 * and the {@link ProgressBar} that {@code fit} adds itself.
 */
public interface Callback {

    default void setModel(Model model) {
    }

    default void onTrainBegin(Map<String, Double> logs) {
    }

    default void onTrainEnd(Map<String, Double> logs) {
    }

    default void onEpochBegin(int epoch, Map<String, Double> logs) {
    }

    default void onEpochEnd(int epoch, Map<String, Double> logs) {
    }

    default void onTrainBatchBegin(int batch, Map<String, Double> logs) {
    }

    default void onTrainBatchEnd(int batch, Map<String, Double> logs) {
    }
}
