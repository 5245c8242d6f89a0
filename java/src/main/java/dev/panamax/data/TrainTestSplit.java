package dev.panamax.data;

import java.util.Objects;

/** A data set's training and test parts, as published (for example MNIST's 60,000 and 10,000). */
public record TrainTestSplit(LabeledArrays train, LabeledArrays test) {

    public TrainTestSplit {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
    }
}
