package dev.panamax.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.data.SyntheticDigits;
import dev.panamax.data.LabeledArrays;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrainAndPredictCommandTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--epochs 0", "--epochs x", "--model resnet", "--backend cuda9", "--bogus 1", "stray",
            "--batch-size"})
    void badArgumentsGiveAOneLineErrorTheUsageAndExitCode2(String args) {
        Run r = run(("train " + args).split(" "));
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("panamax train: "), r.err());
        assertTrue(r.err().lines().skip(1).findFirst().orElse("").startsWith("Usage: panamax train"),
                "one error line, then the usage: " + r.err());
    }

    @Test
    void helpListsEveryOption() {
        Run r = run("train", "--help");
        assertEquals(0, r.code());
        for (String option : List.of("--data", "--model", "--epochs", "--batch-size", "--backend", "--threads",
                "--seed", "--out")) {
            assertTrue(r.out().contains(option), option);
        }
    }

    @Test
    void trainsSavesAndPredicts() throws Exception {
        Path out = dir.resolve("out");
        Run r = run("train", "--model", "mlp", "--epochs", "2", "--train-size", "1500", "--test-size", "300",
                "--backend", "java", "--seed", "7", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.lines();
        String last = lines.get(lines.size() - 1);
        assertTrue(last.matches("test accuracy: 0\\.\\d{4}"), last);
        double accuracy = Double.parseDouble(last.substring("test accuracy: ".length()));
        assertTrue(accuracy > 0.6, "an MLP on 1,500 synthetic digits reaches well above chance: " + accuracy);
        assertTrue(r.out().contains("Epoch 2/2"), r.out());
        assertTrue(Files.size(out.resolve("model.safetensors")) > 0);
        BufferedImage chart = ImageIO.read(out.resolve("training.png").toFile());
        assertTrue(chart.getWidth() > 500 && chart.getHeight() > 300);

        // predict classifies PNGs of digits the model has not seen
        LabeledArrays digits = SyntheticDigits.generate(20, 12345);
        String[] args = new String[2 + digits.size()];
        args[0] = "predict";
        args[1] = "--model=" + out.resolve("model.safetensors");
        for (int i = 0; i < digits.size(); i++) {
            BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            for (int p = 0; p < 784; p++) {
                int v = Math.round(digits.x().data()[i * 784 + p] * 255);
                img.getRaster().setSample(p % 28, p / 28, 0, v);
            }
            Path png = dir.resolve("digit" + i + ".png");
            ImageIO.write(img, "png", png.toFile());
            args[2 + i] = png.toString();
        }
        Run p = run(args);
        assertEquals(0, p.code(), p.err());
        List<String> predictions = p.lines();
        assertEquals(digits.size(), predictions.size());
        int correct = 0;
        for (int i = 0; i < digits.size(); i++) {
            String line = predictions.get(i);
            assertTrue(line.contains("digit" + i + ".png: class "), line);
            int predicted = Integer.parseInt(line.replaceAll(".*: class (\\d+) .*", "$1"));
            if (predicted == (int) digits.y().data()[i]) correct++;
        }
        assertTrue(correct >= 12, correct + " of 20 digits right");

        Run missing = run("predict", "--model", out.resolve("nope.safetensors").toString(),
                dir.resolve("digit0.png").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().startsWith("panamax predict: "), missing.err());
        assertEquals(2, run("predict", dir.resolve("digit0.png").toString()).code());
    }
}
