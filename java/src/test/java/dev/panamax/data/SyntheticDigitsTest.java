package dev.panamax.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.panamax.tensor.Shape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticDigitsTest {
    private static final int PIXELS = 28 * 28;

    @Test
    void sameSeedGivesIdenticalArraysAndOtherSeedsDiffer() {
        LabeledArrays a = SyntheticDigits.generate(300, 11);
        LabeledArrays b = SyntheticDigits.generate(300, 11);
        LabeledArrays c = SyntheticDigits.generate(300, 12);
        assertEquals(a, b);
        assertNotEquals(a.x(), c.x());
        assertNotEquals(a.y(), c.y());
    }

    @Test
    void outputDoesNotDependOnTheThreadCount() {
        // 700 examples are three chunks, so three threads really share the work.
        LabeledArrays serial = SyntheticDigits.generate(700, 5, 1);
        LabeledArrays parallel = SyntheticDigits.generate(700, 5, 3);
        assertArrayEquals(serial.x().data(), parallel.x().data());
        assertArrayEquals(serial.y().data(), parallel.y().data());
    }

    @Test
    void imagesAreMnistShapedWithValuesInTheUnitInterval() {
        LabeledArrays s = SyntheticDigits.generate(57, 3);
        assertEquals(Shape.of(57, 28, 28, 1), s.x().shape());
        assertEquals(Shape.of(57), s.y().shape());
        for (float v : s.x().data()) assertTrue(v >= 0f && v <= 1f, "pixel " + v);
        for (float label : s.y().data()) {
            assertTrue(label == Math.rint(label) && label >= 0 && label <= 9, "label " + label);
        }
    }

    @Test
    void classesAreBalancedAndShuffled() {
        float[] labels = SyntheticDigits.generate(403, 8).y().data();
        int[] counts = new int[10];
        for (float label : labels) counts[(int) label]++;
        for (int c = 0; c < 10; c++) {
            assertTrue(counts[c] == 40 || counts[c] == 41, "class " + c + " has " + counts[c] + " of 403");
        }
        int inCycleOrder = 0;
        for (int i = 0; i < labels.length; i++) if (labels[i] == i % 10) inCycleOrder++;
        assertTrue(inCycleOrder < 80, inCycleOrder + " of 403 labels still sit at their unshuffled position");
    }

    /** Every image carries a plausible amount of ink, near the centre, inside the frame, MNIST-sized. */
    @Test
    void everyImageHoldsOneCentredDigit() {
        LabeledArrays s = SyntheticDigits.generate(1000, 21);
        float[] images = s.x().data();
        for (int n = 0; n < 1000; n++) {
            int inked = 0;
            double mass = 0;
            double mx = 0;
            double my = 0;
            int minX = 28;
            int minY = 28;
            int maxX = -1;
            int maxY = -1;
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    float v = images[n * PIXELS + y * 28 + x];
                    mass += v;
                    mx += v * x;
                    my += v * y;
                    if (v > 0.5f) {
                        inked++;
                        minX = Math.min(minX, x);
                        maxX = Math.max(maxX, x);
                        minY = Math.min(minY, y);
                        maxY = Math.max(maxY, y);
                    }
                }
            }
            String what = "image " + n + " (digit " + (int) s.y().data()[n] + ")";
            double fraction = inked / (double) PIXELS;
            assertTrue(fraction > 0.02 && fraction < 0.45, what + ": ink covers " + fraction + " of the image");
            int extent = Math.max(maxX - minX, maxY - minY) + 1;
            assertTrue(extent >= 12 && extent <= 26, what + ": ink spans " + extent + " pixels");
            assertTrue(minX > 0 && minY > 0 && maxX < 27 && maxY < 27, what + ": ink touches the frame");
            assertEquals(13.5, mx / mass, 4, what + ": horizontal centre of mass");
            assertEquals(13.5, my / mass, 4, what + ": vertical centre of mass");
        }
    }

    @Test
    void trainAndTestComeFromIndependentStreamsOfTheSameGenerator() {
        TrainTestSplit a = SyntheticDigits.trainTest(200, 200, 4);
        TrainTestSplit b = SyntheticDigits.trainTest(200, 200, 4);
        assertEquals(a, b);
        assertNotEquals(a.train().x(), a.test().x());
        assertEquals(Shape.of(200, 28, 28, 1), a.test().x().shape());
        assertFalse(sharesAnImage(a.train(), a.test()), "an image appears in both splits");
        assertNotEquals(a.train(), SyntheticDigits.trainTest(200, 200, 5).train());
    }

    /**
     * The classes differ in shape enough for a nearest-centroid classifier (about 80% on MNIST)
     * to do far better than chance, yet vary enough that templates alone do not solve the task.
     */
    @Test
    void classesAreLearnableButNotTriviallySeparable() {
        TrainTestSplit data = SyntheticDigits.trainTest(2000, 1000, 2024);
        double[][] centroids = new double[10][PIXELS];
        int[] counts = new int[10];
        float[] trainImages = data.train().x().data();
        float[] trainLabels = data.train().y().data();
        for (int n = 0; n < 2000; n++) {
            int label = (int) trainLabels[n];
            counts[label]++;
            for (int p = 0; p < PIXELS; p++) centroids[label][p] += trainImages[n * PIXELS + p];
        }
        for (int c = 0; c < 10; c++) for (int p = 0; p < PIXELS; p++) centroids[c][p] /= counts[c];

        float[] testImages = data.test().x().data();
        float[] testLabels = data.test().y().data();
        int correct = 0;
        for (int n = 0; n < 1000; n++) {
            int best = -1;
            double bestDistance = Double.MAX_VALUE;
            for (int c = 0; c < 10; c++) {
                double d = 0;
                for (int p = 0; p < PIXELS; p++) {
                    double e = testImages[n * PIXELS + p] - centroids[c][p];
                    d += e * e;
                }
                if (d < bestDistance) {
                    bestDistance = d;
                    best = c;
                }
            }
            if (best == (int) testLabels[n]) correct++;
        }
        double accuracy = correct / 1000.0;
        assertTrue(accuracy > 0.6, "nearest-centroid accuracy " + accuracy + " is too close to chance");
        assertTrue(accuracy < 0.99, "nearest-centroid accuracy " + accuracy + ": the digits are too uniform");
    }

    @Test
    void everyDigitHasSeveralStylesAndEachIsDrawn() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int digit = 0; digit < 10; digit++) {
            List<DigitGlyphs.Style> styles = DigitGlyphs.styles(digit);
            assertTrue(styles.size() >= 2, "digit " + digit + " has " + styles.size() + " style(s)");
            Set<String> drawn = new HashSet<>();
            for (int i = 0; i < 2000; i++) drawn.add(DigitGlyphs.pick(digit, rng).name());
            assertEquals(styles.size(), drawn.size(), "digit " + digit + " drew styles " + drawn);
        }
    }

    @Test
    void badArgumentsAreRejectedWithTheirValues() {
        var zero = assertThrows(IllegalArgumentException.class, () -> SyntheticDigits.generate(0, 1));
        assertTrue(zero.getMessage().contains("SyntheticDigits.generate") && zero.getMessage().contains("got 0"),
                zero.getMessage());
        var huge = assertThrows(IllegalArgumentException.class,
                () -> SyntheticDigits.generate(SyntheticDigits.MAX_COUNT + 1, 1));
        assertTrue(huge.getMessage().contains(String.valueOf(SyntheticDigits.MAX_COUNT + 1)), huge.getMessage());
        var test = assertThrows(IllegalArgumentException.class, () -> SyntheticDigits.trainTest(10, -3, 1));
        assertTrue(test.getMessage().contains("testCount") && test.getMessage().contains("-3"), test.getMessage());
        var threads = assertThrows(IllegalArgumentException.class, () -> SyntheticDigits.generate(10, 1, 0));
        assertTrue(threads.getMessage().contains("threads"), threads.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DigitGlyphs.styles(10));
    }

    /**
     * Generation never touches fonts, so it works on a bare headless server. A fresh JVM
     * generates 10,000 digits while logging every class it loads; none of the classes that
     * find, read or rasterise fonts may appear (drawing a single character loads them all).
     */
    @Test
    void generatesTenThousandDigitsWithoutLoadingAnyFontMachinery(@TempDir Path dir)
            throws IOException, InterruptedException {
        Path log = dir.resolve("classes.log");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx512m",
                "-Xlog:class+load=info:file=" + log, "-cp", System.getProperty("java.class.path"),
                FontFreeGeneration.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // No font configuration either: any attempt to find fonts would come up empty.
        builder.environment().put("FONTCONFIG_FILE", dir.resolve("no-fonts.conf").toString());
        builder.environment().remove("DISPLAY");
        Process child = builder.start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        assertEquals(0, child.exitValue(), "child JVM failed:\n" + output);
        assertTrue(output.contains("generated 10000"), output);

        String loaded = Files.readString(log);
        assertTrue(loaded.contains("dev.panamax.data.DigitRenderer"), "the class log misses the renderer");
        assertTrue(loaded.contains("java.awt.BasicStroke"), "the class log misses Java2D");
        var fontMachinery = Pattern.compile("\\S*(FontManager|FontConfiguration|FileFont|TrueTypeFont|Type1Font|FontScaler)")
                .matcher(loaded);
        if (fontMachinery.find()) fail("generating digits loaded font machinery: " + fontMachinery.group());
    }

    /** Entry point of the child JVM of the font test. */
    public static final class FontFreeGeneration {
        public static void main(String[] args) {
            LabeledArrays s = SyntheticDigits.generate(10_000, 99);
            System.out.println("generated " + s.x().rows());
        }
    }

    private static boolean sharesAnImage(LabeledArrays a, LabeledArrays b) {
        Set<FloatArray> images = new HashSet<>();
        for (int n = 0; n < a.x().rows(); n++) images.add(a.x().rows(n, 1));
        for (int n = 0; n < b.x().rows(); n++) if (images.contains(b.x().rows(n, 1))) return true;
        return false;
    }
}
