package dev.panamax.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.panamax.data.Mnist;
import dev.panamax.data.TrainTestSplit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** MNIST from {@code ../shared/data/mnist} beside the project; tests that need it skip, saying so, when absent. */
final class RealMnist {
    private static TrainTestSplit cached;

    private RealMnist() {
    }

    static Path dir() {
        Path root = Path.of(System.getProperty("panamax.project.root", ".."));
        return root.resolve("..").resolve("shared").resolve("data").resolve("mnist").normalize();
    }

    /** The train and test splits, or a skipped test when the files are not there. */
    static synchronized TrainTestSplit load() throws IOException {
        Path dir = dir();
        assumeTrue(Files.isDirectory(dir), "MNIST not found at " + dir + ": skipping (see shared/data/mnist/README)");
        if (cached == null) cached = Mnist.load(dir);
        return cached;
    }
}
