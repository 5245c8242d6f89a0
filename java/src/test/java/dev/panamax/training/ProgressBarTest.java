package dev.panamax.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The progress bar's lines against Keras 3's format. */
class ProgressBarTest {

    private static String run(int epochs, int steps, boolean terminal, int verbose) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), epochs, steps,
                terminal, verbose);
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("val_loss", 0.25);
        logs.put("loss", 1.23456e-4);
        logs.put("accuracy", 0.5);
        bar.onEpochBegin(0, logs);
        for (int b = 0; b < steps; b++) bar.onTrainBatchEnd(b, logs);
        bar.onEpochEnd(0, logs);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static final String METRICS = " - accuracy: 0.5000 - loss: 1.2346e-04 - val_loss: 0.2500\n";

    @Test
    void oneLinePerEpochWhenNotATerminal() {
        String out = run(2, 12, false, 1);
        assertTrue(out.matches("Epoch 1/2\n12/12 ━{20} \\d+s \\d+(s|ms|us)/step" + METRICS.replace("+", "\\+")), out);
        assertFalse(out.contains("\u001b"), "no escape codes in a file");
        // a single epoch has no heading, as in Keras
        assertTrue(run(1, 3, false, 1).startsWith("3/3 ━"), run(1, 3, false, 1));
    }

    @Test
    void verboseTwoLeavesOutTheBar() {
        String out = run(3, 7, false, 2);
        assertTrue(out.matches("Epoch 1/3\n7/7 - \\d+s - \\d+(s|ms|us)/step" + METRICS.replace("+", "\\+")), out);
    }

    @Test
    void terminalRedrawsInPlaceWithKerasColours() {
        String out = run(1, 3, true, 1);
        assertTrue(out.startsWith("\r\u001b[1m1/3\u001b[0m \u001b[32m" + "━".repeat(6) + "\u001b[0m\u001b[37m"
                + "━".repeat(14) + "\u001b[0m \u001b[1m"), out);
        assertTrue(out.endsWith(METRICS.replace("\n", "") + "\u001b[K\n"), out);
        assertEquals(1, out.chars().filter(c -> c == '\n').count());
    }

    @Test
    void numbersAreFormattedAsKerasDoes() {
        assertEquals("0.0000e+00", ProgressBar.formatValue(0));
        assertEquals("1.0000e-03", ProgressBar.formatValue(0.001));
        assertEquals("0.0011", ProgressBar.formatValue(0.0011));
        assertEquals("-2.5000", ProgressBar.formatValue(-2.5));
        assertEquals("nan", ProgressBar.formatValue(Double.NaN));
        assertEquals("59s", ProgressBar.formatEta(59.9));
        assertEquals("1:01", ProgressBar.formatEta(61.5));
        assertEquals("1:01:01", ProgressBar.formatEta(3661));
        assertEquals("0s/step", ProgressBar.formatPerStep(0));
        assertEquals("2s/step", ProgressBar.formatPerStep(2.4));
        assertEquals("12ms/step", ProgressBar.formatPerStep(0.0123));
        assertEquals("50us/step", ProgressBar.formatPerStep(5e-5));
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("val_accuracy", 1.0);
        logs.put("loss", 2.0);
        logs.put("accuracy", 3.0);
        assertEquals(" - accuracy: 3.0000 - loss: 2.0000 - val_accuracy: 1.0000", ProgressBar.formatLogs(logs));
    }
}
