package dev.panamax.data;

import java.util.Objects;

/** The two parts of {@link Dataset#split}: the examples to train on and those held out. */
public record DatasetSplit(Dataset training, Dataset validation) {

    public DatasetSplit {
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(validation, "validation");
    }
}
