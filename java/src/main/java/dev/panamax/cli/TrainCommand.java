package dev.panamax.cli;

import dev.panamax.ComputeThreads;
import dev.panamax.backend.Backend;
import dev.panamax.backend.Backends;
import dev.panamax.data.Mnist;
import dev.panamax.data.SyntheticDigits;
import dev.panamax.data.TrainTestSplit;
import dev.panamax.models.ModelFile;
import dev.panamax.models.Sequential;
import dev.panamax.training.Adam;
import dev.panamax.training.FitOptions;
import dev.panamax.training.History;
import dev.panamax.training.Losses;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * {@code panamax train}: trains a digit classifier (the embedded synthetic digits by default, or
 * MNIST IDX files), shows Keras' progress bar, saves the model and a chart, and ends with the line
 * {@code test accuracy: 0.xxxx}.
 */
final class TrainCommand {
    static final String USAGE = """
            Usage: panamax train [options]

            Trains a digit classifier and prints its test accuracy (the last line).
            Without --data it uses Panamax's embedded synthetic digits (no download).

            Options:
              --data DIR          train on the MNIST IDX files in DIR (gzip or plain), e.g. ../shared/data/mnist
              --model NAME        mnist-convnet (default: Keras' MNIST convnet), lenet5 or mlp
              --epochs N          passes over the training data (default 3)
              --batch-size N      examples per step (default 128)
              --backend NAME      native (default where its libraries load) or java
              --threads N         compute threads (default: available processors)
              --seed N            seed of weights, shuffling, dropout and synthetic data (default 42)
              --train-size N      synthetic training examples (default 12000; ignored with --data)
              --test-size N       synthetic test examples (default 2000; ignored with --data)
              --out DIR           where model.safetensors and training.png go (default panamax-out)
              -h, --help          print this text
            """;

    record Options(Path data, String model, int epochs, int batchSize, String backend, Integer threads, long seed,
                   int trainSize, int testSize, Path out) {
    }

    private TrainCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("panamax train: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        if (o == null) {
            out.print(USAGE);
            return 0;
        }
        try {
            return train(o, out);
        } catch (IOException e) {
            err.println("panamax train: " + e.getMessage());
            return 1;
        }
    }

    /** The options, or null when help was asked for; IllegalArgumentException for bad ones. */
    static Options parse(String[] args) {
        Path data = null;
        String model = "mnist-convnet";
        int epochs = 3;
        int batchSize = 128;
        String backend = null;
        Integer threads = null;
        long seed = 42;
        int trainSize = 12_000;
        int testSize = 2_000;
        Path out = Path.of("panamax-out");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) return null;
            if (!a.startsWith("--")) throw new IllegalArgumentException("unexpected argument '" + a + "'");
            String name = a;
            String value;
            int eq = a.indexOf('=');
            if (eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            } else {
                if (i + 1 >= args.length) throw new IllegalArgumentException(a + " needs a value");
                value = args[++i];
            }
            switch (name) {
                case "--data" -> data = Path.of(value);
                case "--model" -> {
                    if (!ModelPresets.NAMES.contains(value)) {
                        throw new IllegalArgumentException("--model must be one of " + String.join(", ",
                                ModelPresets.NAMES) + "; got '" + value + "'");
                    }
                    model = value;
                }
                case "--epochs" -> epochs = positive(name, value);
                case "--batch-size" -> batchSize = positive(name, value);
                case "--backend" -> {
                    if (!Backends.names().contains(value)) {
                        throw new IllegalArgumentException("--backend must be one of " + Backends.names() + "; got '"
                                + value + "'");
                    }
                    backend = value;
                }
                case "--threads" -> threads = positive(name, value);
                case "--seed" -> {
                    try {
                        seed = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--seed must be an integer; got '" + value + "'");
                    }
                }
                case "--train-size" -> trainSize = positive(name, value);
                case "--test-size" -> testSize = positive(name, value);
                case "--out" -> out = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option '" + name + "'");
            }
        }
        return new Options(data, model, epochs, batchSize, backend, threads, seed, trainSize, testSize, out);
    }

    private static int positive(String name, String value) {
        try {
            int v = Integer.parseInt(value);
            if (v >= 1) return v;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a positive integer; got '" + value + "'");
    }

    private static int train(Options o, PrintStream out) throws IOException {
        if (o.threads() != null) ComputeThreads.set(o.threads());
        Backend backend = o.backend() != null ? Backends.get(o.backend()) : Backends.preferred();
        TrainTestSplit data;
        String source;
        if (o.data() != null) {
            if (!Files.isDirectory(o.data())) throw new IOException("--data " + o.data() + " is not a directory");
            data = Mnist.load(o.data());
            source = "MNIST from " + o.data();
        } else {
            data = SyntheticDigits.trainTest(o.trainSize(), o.testSize(), o.seed());
            source = "synthetic digits (seed " + o.seed() + ")";
        }
        out.printf(Locale.ROOT, "Data: %s: %d training, %d test images%n", source, data.train().size(),
                data.test().size());
        out.printf(Locale.ROOT, "Backend: %s, %d threads%n", backend.name(), ComputeThreads.get());
        try (Sequential model = ModelPresets.create(o.model())) {
            model.setBackend(backend).setSeed(o.seed()).setOutput(out);
            model.compile(new Adam(1e-3), Losses.sparseCategoricalCrossentropy(false), "accuracy");
            out.print(model.summary());
            History history = model.fit(data.train().x(), data.train().y(), FitOptions.defaults()
                    .batchSize(o.batchSize()).epochs(o.epochs()).validationSplit(0.1).seed(o.seed()));
            Map<String, Double> test = model.evaluate(data.test().x(), data.test().y(), 256);
            Files.createDirectories(o.out());
            Path modelFile = o.out().resolve("model.safetensors");
            ModelFile.save(model, modelFile);
            out.println("Saved the model to " + modelFile);
            Path chart = o.out().resolve("training.png");
            try {
                TrainingChart.write(history, o.model(), chart);
                out.println("Saved the training chart to " + chart);
            } catch (IOException | RuntimeException | LinkageError e) {
                // a machine without fonts cannot draw text; the trained model is still good
                out.println("Could not draw the training chart: " + e);
            }
            out.printf(Locale.ROOT, "test loss: %.4f%n", test.get("loss"));
            out.printf(Locale.ROOT, "test accuracy: %.4f%n", test.get("accuracy"));
        }
        return 0;
    }
}
