package dev.panamax.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.data.TrainTestSplit;
import dev.panamax.layers.Conv2D;
import dev.panamax.layers.Dense;
import dev.panamax.layers.Dropout;
import dev.panamax.layers.Flatten;
import dev.panamax.layers.Input;
import dev.panamax.layers.MaxPooling2D;
import dev.panamax.models.Sequential;
import dev.panamax.training.Adam;
import dev.panamax.training.Callback;
import dev.panamax.training.FitOptions;
import dev.panamax.training.History;
import dev.panamax.training.Losses;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The acceptance run of the models issue: Keras' MNIST convnet, Adam 1e-3, batch 128, reaches 99% test
 * accuracy within 12 epochs, and (run under -Xmx512m by the long profile) trains with no full GC.
 * Runs only with {@code -Plong}: several minutes on 2 cores.
 */
@Tag("long")
class MnistConvnetLongTest {

    @Test
    void kerasMnistConvnetReaches99PercentWithin12Epochs() throws IOException {
        TrainTestSplit mnist = RealMnist.load();
        try (Sequential m = new Sequential(Input.shape(28, 28, 1), new Conv2D(32, 3, "relu"), new MaxPooling2D(2),
                new Conv2D(64, 3, "relu"), new MaxPooling2D(2), new Flatten(), new Dropout(0.5),
                new Dense(10, "softmax"))) {
            m.setSeed(42);
            m.compile(new Adam(1e-3), Losses.sparseCategoricalCrossentropy(false), "accuracy");
            long fullGcsBefore = fullCollections();
            double[] best = {0};
            int[] reachedAt = {-1};
            Callback stopAt99 = new Callback() {
                @Override
                public void onEpochEnd(int epoch, Map<String, Double> logs) {
                    Map<String, Double> test = m.evaluate(mnist.test().x(), mnist.test().y(), 512);
                    double acc = test.get("accuracy");
                    System.out.printf(Locale.ROOT, "epoch %d: test accuracy %.4f%n", epoch + 1, acc);
                    best[0] = Math.max(best[0], acc);
                    if (acc >= 0.99 && reachedAt[0] < 0) reachedAt[0] = epoch + 1;
                }
            };
            History h = m.fit(mnist.train().x(), mnist.train().y(), FitOptions.defaults().batchSize(128).epochs(12)
                    .validationSplit(0.1).seed(42).verbose(2).callbacks(stopAt99));
            System.out.printf(Locale.ROOT, "MNIST convnet: best test accuracy %.4f, 99%% first reached at epoch %d%n",
                    best[0], reachedAt[0]);
            assertTrue(reachedAt[0] > 0, "99% test accuracy within 12 epochs; best " + best[0] + ", " + h);
            assertEquals(0, fullCollections() - fullGcsBefore, "full GCs while training at " + maxHeap());
        }
    }

    /** Collections of the old generation as a whole (G1's and Serial's full GCs), not young or concurrent ones. */
    private static long fullCollections() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            String name = gc.getName();
            if (name.contains("Old") || name.contains("MarkSweep") || name.equals("G1 Full")) n += gc.getCollectionCount();
        }
        return n;
    }

    private static String maxHeap() {
        return (Runtime.getRuntime().maxMemory() >> 20) + " MiB of heap";
    }
}
