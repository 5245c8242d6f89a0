package dev.panamax.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code fit} returns: each logged value ({@code loss}, {@code val_accuracy}, ...) per epoch. */
public final class History {
    private final Map<String, List<Double>> history = new LinkedHashMap<>();
    private final List<Integer> epochs = new ArrayList<>();

    /** Records the logs of one epoch (0-based index). */
    public void record(int epoch, Map<String, Double> logs) {
        epochs.add(epoch);
        logs.forEach((k, v) -> history.computeIfAbsent(k, key -> new ArrayList<>()).add(v));
    }

    /** The values of {@code key} per epoch; empty when it was never logged. */
    public List<Double> get(String key) {
        return Collections.unmodifiableList(history.getOrDefault(key, List.of()));
    }

    public Map<String, List<Double>> asMap() {
        return Collections.unmodifiableMap(history);
    }

    public List<Integer> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    @Override
    public String toString() {
        return "History" + history;
    }
}
