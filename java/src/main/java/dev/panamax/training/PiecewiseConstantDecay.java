package dev.panamax.training;

import java.util.List;

/**
 * Keras' {@code PiecewiseConstantDecay}, a step decay: {@code values[0]} while
 * {@code step <= boundaries[0]}, {@code values[i]} while {@code boundaries[i-1] < step <= boundaries[i]},
 * and the last value after the last boundary.
 */
public record PiecewiseConstantDecay(List<Long> boundaries, List<Double> values) implements LearningRateSchedule {

    public PiecewiseConstantDecay {
        boundaries = List.copyOf(boundaries);
        values = List.copyOf(values);
        if (values.size() != boundaries.size() + 1) {
            throw new IllegalArgumentException("PiecewiseConstantDecay: the length of boundaries should be 1 less than"
                    + " the length of values. Received: boundaries=" + boundaries + " of length " + boundaries.size()
                    + ", and values=" + values + " of length " + values.size());
        }
        for (int i = 1; i < boundaries.size(); i++) {
            if (boundaries.get(i) <= boundaries.get(i - 1)) {
                throw new IllegalArgumentException("PiecewiseConstantDecay: boundaries must be strictly increasing."
                        + " Received: boundaries=" + boundaries);
            }
        }
        for (double v : values) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("PiecewiseConstantDecay: values must be finite numbers >= 0."
                        + " Received: values=" + values);
            }
        }
    }

    @Override
    public float rate(long step) {
        int i = 0;
        while (i < boundaries.size() && step > boundaries.get(i)) i++;
        return values.get(i).floatValue();
    }
}
