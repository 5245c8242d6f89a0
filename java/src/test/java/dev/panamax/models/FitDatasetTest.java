package dev.panamax.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.data.Batches;
import dev.panamax.data.Dataset;
import dev.panamax.data.DatasetSplit;
import dev.panamax.data.LabeledArrays;
import dev.panamax.data.RandomTranslation;
import dev.panamax.data.SyntheticDigits;
import dev.panamax.layers.Conv2D;
import dev.panamax.layers.Dense;
import dev.panamax.layers.Flatten;
import dev.panamax.layers.Input;
import dev.panamax.layers.MaxPooling2D;
import dev.panamax.training.Adam;
import dev.panamax.training.FitOptions;
import dev.panamax.training.History;
import dev.panamax.training.Losses;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** fit on a data pipeline: shuffling, augmentation and prefetch on worker threads. */
class FitDatasetTest {

    private static Sequential model() {
        return new Sequential(Input.shape(28, 28, 1), new Conv2D(8, 3, "relu"), new MaxPooling2D(2),
                new Flatten(), new Dense(10, "softmax"));
    }

    private static History train(Dataset train, Dataset validation, boolean prefetch) {
        Batches batches = train.shuffle(5).mapRandom(6, RandomTranslation.of(0.1, 0.1)).batch(64);
        if (prefetch) batches = batches.prefetch(4, 2);
        try (Sequential m = model()) {
            m.setBackend("java").setSeed(2);
            m.compile(new Adam(3e-3), Losses.sparseCategoricalCrossentropy(false), "accuracy");
            return m.fit(batches, validation.batch(128), FitOptions.defaults().epochs(3).verbose(0));
        }
    }

    @Test
    void fitOnAPrefetchedAugmentedPipelineLearnsAndIsDeterministic() {
        LabeledArrays data = SyntheticDigits.generate(1200, 3);
        DatasetSplit split = data.toDataset().split(0.2);
        History plain = train(split.training(), split.validation(), false);
        History prefetched = train(split.training(), split.validation(), true);
        assertEquals(plain.asMap(), prefetched.asMap(), "prefetch changes nothing but speed");
        assertTrue(plain.get("loss").get(2) < plain.get("loss").get(0), plain.toString());
        assertTrue(plain.get("val_accuracy").get(2) > 0.5, plain.toString());
        try (Sequential m = model()) {
            m.setBackend("java").setSeed(2);
            m.compile(new Adam(3e-3), Losses.sparseCategoricalCrossentropy(false), "accuracy");
            Map<String, Double> logs = m.evaluate(split.validation().batch(100));
            assertEquals(m.evaluate(data.x().rows(960, 240), data.y().rows(960, 240), 100).get("loss"),
                    logs.get("loss"), 1e-6);
        }
    }
}
