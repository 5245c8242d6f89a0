package dev.panamax.training;

import java.util.ArrayList;
import java.util.List;

/**
 * The keyword arguments of Keras' {@code fit}, as an immutable value with withers:
 * {@code FitOptions.defaults().batchSize(128).epochs(12).validationSplit(0.1)}.
 */
public record FitOptions(int batchSize, int epochs, double validationSplit, boolean shuffle, long seed,
                         int verbose, List<Callback> callbacks, int initialEpoch) {

    public FitOptions {
        if (batchSize < 1) throw new IllegalArgumentException("fit: batch_size must be >= 1. Received: " + batchSize);
        if (epochs < 0) throw new IllegalArgumentException("fit: epochs must be >= 0. Received: " + epochs);
        if (!(validationSplit >= 0 && validationSplit < 1)) {
            throw new IllegalArgumentException("fit: validation_split must be in [0, 1). Received: " + validationSplit);
        }
        if (verbose < 0 || verbose > 2) {
            throw new IllegalArgumentException("fit: verbose must be 0, 1 or 2. Received: " + verbose);
        }
        if (initialEpoch < 0 || initialEpoch > epochs) {
            throw new IllegalArgumentException("fit: initial_epoch must be in [0, epochs]. Received: " + initialEpoch);
        }
        callbacks = List.copyOf(callbacks);
    }

    /** Keras' defaults: batch 32, 1 epoch, no validation split, shuffle, verbose 1 (progress bar). */
    public static FitOptions defaults() {
        return new FitOptions(32, 1, 0, true, 0, 1, List.of(), 0);
    }

    public FitOptions batchSize(int v) {
        return new FitOptions(v, epochs, validationSplit, shuffle, seed, verbose, callbacks, initialEpoch);
    }

    public FitOptions epochs(int v) {
        return new FitOptions(batchSize, v, validationSplit, shuffle, seed, verbose, callbacks, initialEpoch);
    }

    public FitOptions validationSplit(double v) {
        return new FitOptions(batchSize, epochs, v, shuffle, seed, verbose, callbacks, initialEpoch);
    }

    public FitOptions shuffle(boolean v) {
        return new FitOptions(batchSize, epochs, validationSplit, v, seed, verbose, callbacks, initialEpoch);
    }

    /** Seed of the per-epoch shuffle. */
    public FitOptions seed(long v) {
        return new FitOptions(batchSize, epochs, validationSplit, shuffle, v, verbose, callbacks, initialEpoch);
    }

    /** 0 silent, 1 progress bar, 2 one line per epoch. */
    public FitOptions verbose(int v) {
        return new FitOptions(batchSize, epochs, validationSplit, shuffle, seed, v, callbacks, initialEpoch);
    }

    public FitOptions callbacks(Callback... v) {
        List<Callback> all = new ArrayList<>(callbacks);
        all.addAll(List.of(v));
        return new FitOptions(batchSize, epochs, validationSplit, shuffle, seed, verbose, all, initialEpoch);
    }

    /** The epoch to start at (resuming a run); epochs counts from 0, so training runs epochs - initialEpoch. */
    public FitOptions initialEpoch(int v) {
        return new FitOptions(batchSize, epochs, validationSplit, shuffle, seed, verbose, callbacks, v);
    }
}
