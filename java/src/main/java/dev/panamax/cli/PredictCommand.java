package dev.panamax.cli;

import dev.panamax.data.ColorMode;
import dev.panamax.data.FloatArray;
import dev.panamax.data.ImageDecoder;
import dev.panamax.models.Model;
import dev.panamax.models.ModelFile;
import dev.panamax.tensor.Shape;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code panamax predict --model FILE IMAGE...}: the predicted class and probabilities of each image. */
final class PredictCommand {
    static final String USAGE = """
            Usage: panamax predict --model FILE IMAGE...

            Classifies each image (PNG or JPEG, resized to the model's input; grey for one channel)
            with a model saved by 'panamax train' or Model.save, and prints the predicted class and
            the probability of every class.

            Options:
              --model FILE        the saved model (.safetensors)
              -h, --help          print this text
            """;

    private PredictCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path modelFile = null;
        List<Path> images = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                out.print(USAGE);
                return 0;
            } else if (a.equals("--model")) {
                if (i + 1 >= args.length) return usage(err, "--model needs a value");
                modelFile = Path.of(args[++i]);
            } else if (a.startsWith("--model=")) {
                modelFile = Path.of(a.substring("--model=".length()));
            } else if (a.startsWith("--")) {
                return usage(err, "unknown option '" + a + "'");
            } else {
                images.add(Path.of(a));
            }
        }
        if (modelFile == null) return usage(err, "--model is required");
        if (images.isEmpty()) return usage(err, "give at least one image");
        for (Path p : images) {
            if (!Files.isRegularFile(p)) return usage(err, "no such image file: " + p);
        }
        try (Model model = ModelFile.load(modelFile)) {
            Shape in = model.inputShapes().get(0);
            if (in.rank() != 3 || (in.dim(2) != 1 && in.dim(2) != 3)) {
                err.println("panamax predict: the model takes " + in + ", not images [height, width, 1 or 3]");
                return 1;
            }
            ImageDecoder decoder = new ImageDecoder(Math.toIntExact(in.dim(0)), Math.toIntExact(in.dim(1)),
                    in.dim(2) == 1 ? ColorMode.GRAYSCALE : ColorMode.RGB);
            int rowSize = Math.toIntExact(in.size());
            float[] x = new float[images.size() * rowSize];
            for (int i = 0; i < images.size(); i++) {
                System.arraycopy(decoder.decode(images.get(i)), 0, x, i * rowSize, rowSize);
            }
            FloatArray p = model.predict(FloatArray.of(x, images.size(), in.dim(0), in.dim(1), in.dim(2)), 32);
            int classes = p.rowSize();
            for (int i = 0; i < images.size(); i++) {
                int best = 0;
                StringBuilder probs = new StringBuilder();
                for (int c = 0; c < classes; c++) {
                    float v = p.data()[i * classes + c];
                    if (v > p.data()[i * classes + best]) best = c;
                    probs.append(c == 0 ? "" : " ").append(String.format(Locale.ROOT, "%d:%.4f", c, v));
                }
                out.printf(Locale.ROOT, "%s: class %d (p=%.4f)  [%s]%n", images.get(i), best,
                        p.data()[i * classes + best], probs);
            }
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            err.println("panamax predict: " + e.getMessage());
            return 1;
        }
    }

    private static int usage(PrintStream err, String message) {
        err.println("panamax predict: " + message);
        err.print(USAGE);
        return 2;
    }
}
