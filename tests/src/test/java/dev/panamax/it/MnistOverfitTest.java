package dev.panamax.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.panamax.data.FloatArray;
import dev.panamax.data.TrainTestSplit;
import dev.panamax.layers.Conv2D;
import dev.panamax.layers.Dense;
import dev.panamax.layers.Flatten;
import dev.panamax.layers.Input;
import dev.panamax.layers.MaxPooling2D;
import dev.panamax.models.Sequential;
import dev.panamax.training.Adam;
import dev.panamax.training.FitOptions;
import dev.panamax.training.Losses;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Gradient-descent sanity on real data: a small CNN memorizes 64 MNIST images. */
class MnistOverfitTest {

    @ParameterizedTest
    @ValueSource(strings = {"native", "java"})
    void smallCnnOverfits64ImagesTo100Percent(String backend) throws IOException {
        TrainTestSplit mnist = RealMnist.load();
        FloatArray x = mnist.train().x().rows(0, 64);
        FloatArray y = mnist.train().y().rows(0, 64);
        try (Sequential m = new Sequential(Input.shape(28, 28, 1), new Conv2D(16, 3, "relu"), new MaxPooling2D(2),
                new Conv2D(32, 3, "relu"), new MaxPooling2D(2), new Flatten(), new Dense(10, "softmax"))) {
            m.setBackend(backend).setSeed(1);
            m.compile(new Adam(3e-3), Losses.sparseCategoricalCrossentropy(false), "accuracy");
            m.fit(x, y, FitOptions.defaults().batchSize(16).epochs(25).verbose(0).seed(1));
            Map<String, Double> logs = m.evaluate(x, y, 64);
            assertEquals(1.0, logs.get("accuracy"), backend + ": " + logs);
        }
    }
}
