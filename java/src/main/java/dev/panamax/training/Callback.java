package dev.panamax.training;

import dev.panamax.models.Model;
import java.util.Map;

/**
 * Hooks into {@code fit} (Keras' callbacks). Logs hold the values so far ({@code loss}, metrics,
 * and {@code val_} ones at epoch end). A callback may stop training with {@link Model#stopTraining()}.
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
