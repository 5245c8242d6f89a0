package dev.panamax.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.panamax.tensor.Shape;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class MnistTest {
    /** The real files sit at ../shared/data/mnist from the repository root; tests may run from a module folder. */
    private static final Path REAL_MNIST = findRealMnist();

    @TempDir
    Path dir;

    static byte[] idx(int magic, int[] dims, byte[] values) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(values);
        }
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(plain);
        }
        return bytes.toByteArray();
    }

    /** n images of 2x3 pixels; pixel j of image i is 10 i + j, so the values are recognisable. */
    static byte[] images(int n) throws IOException {
        byte[] pixels = new byte[n * 6];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 6; j++) {
                pixels[i * 6 + j] = (byte) (10 * i + j);
            }
        }
        return idx(0x803, new int[] {n, 2, 3}, pixels);
    }

    static byte[] labels(int n) throws IOException {
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
        }
        return idx(0x801, new int[] {n}, labels);
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private void writeSet(boolean gzipped, int train, int test) throws IOException {
        String suffix = gzipped ? ".gz" : "";
        write(Mnist.TRAIN_IMAGES + suffix, gzipped ? gzip(images(train)) : images(train));
        write(Mnist.TRAIN_LABELS + suffix, gzipped ? gzip(labels(train)) : labels(train));
        write(Mnist.TEST_IMAGES + suffix, gzipped ? gzip(images(test)) : images(test));
        write(Mnist.TEST_LABELS + suffix, gzipped ? gzip(labels(test)) : labels(test));
    }

    private <T extends Throwable> void assertMessage(Class<T> type, Executable action, String... parts) {
        T e = assertThrows(type, action);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' missing from: " + e.getMessage());
        }
    }

    @Test
    void readsIdxFilesPlainOrGzippedAlike() throws IOException {
        byte[] plain = idx(0x803, new int[] {2, 1, 3}, new byte[] {0, 1, 2, (byte) 253, (byte) 254, (byte) 255});
        IdxFile a = IdxFile.read(write("a", plain));
        IdxFile b = IdxFile.read(write("b.bin", gzip(plain)));
        assertEquals(a, b);
        assertArrayEquals(new int[] {2, 1, 3}, a.dims());
        assertEquals(0x803, a.magic());
        assertEquals(255, a.data()[5] & 0xFF, "bytes are unsigned");
    }

    @Test
    void loadsTheFourStandardFilesWithOrWithoutGz() throws IOException {
        for (boolean gzipped : new boolean[] {true, false}) {
            writeSet(gzipped, 12, 5);
            TrainTestSplit mnist = Mnist.load(dir);
            assertEquals(Shape.of(12, 2, 3, 1), mnist.train().x().shape(), "gzipped " + gzipped);
            assertEquals(Shape.of(12), mnist.train().y().shape());
            assertEquals(Shape.of(5, 2, 3, 1), mnist.test().x().shape());
            float[] x = mnist.train().x().data();
            assertEquals((10 * 3 + 4) / 255f, x[3 * 6 + 4], 0f, "pixel 4 of image 3, scaled to [0, 1]");
            assertEquals(1f, mnist.test().y().data()[11 % 5], 0f);
            assertEquals(1f, mnist.train().y().data()[11], 0f);
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void gzipIsDetectedByContentNotName() throws IOException {
        write(Mnist.TRAIN_IMAGES, gzip(images(3)));
        write(Mnist.TRAIN_LABELS + ".gz", labels(3));
        LabeledArrays train = Mnist.load(dir.resolve(Mnist.TRAIN_IMAGES), dir.resolve(Mnist.TRAIN_LABELS + ".gz"));
        assertEquals(3, train.size());
    }

    @Test
    void rejectsAWrongMagicNumber() throws IOException {
        Path bad = write("bad", idx(0x0803_0000, new int[] {1}, new byte[1]));
        assertMessage(MalformedDataException.class, () -> IdxFile.read(bad), "bad", "0x08030000", "magic");
        Path floats = write("floats", idx(0x0D01, new int[] {1}, new byte[4]));
        assertMessage(MalformedDataException.class, () -> IdxFile.read(floats), "0x00000D01");
        Path labelsAsImages = write("labels", labels(4));
        assertMessage(MalformedDataException.class, () -> Mnist.readImages(labelsAsImages),
                "labels", "0x00000801", "0x00000803");
    }

    @Test
    void rejectsTruncatedFilesPlainAndGzipped() throws IOException {
        byte[] full = images(4);
        Path shortBody = write("short", Arrays.copyOf(full, full.length - 1));
        assertMessage(MalformedDataException.class, () -> IdxFile.read(shortBody),
                "short", "truncated", "[4, 2, 3]", "24 values", "23");
        Path shortHeader = write("header", Arrays.copyOf(full, 9));
        assertMessage(MalformedDataException.class, () -> IdxFile.read(shortHeader), "truncated", "3 dimensions");
        byte[] gz = gzip(full);
        Path shortGzip = write("short.gz", Arrays.copyOf(gz, gz.length - 12));
        assertMessage(MalformedDataException.class, () -> IdxFile.read(shortGzip), "short.gz", "truncated");
        Path empty = write("empty", new byte[0]);
        assertMessage(MalformedDataException.class, () -> IdxFile.read(empty), "truncated");
    }

    @Test
    void rejectsTrailingDataAndNonPositiveDimensions() throws IOException {
        byte[] full = images(2);
        Path longer = write("long", Arrays.copyOf(full, full.length + 1));
        assertMessage(MalformedDataException.class, () -> IdxFile.read(longer), "more data follows");
        Path zero = write("zero", idx(0x801, new int[] {0}, new byte[0]));
        assertMessage(MalformedDataException.class, () -> IdxFile.read(zero), "dimension 0", "is 0");
    }

    @Test
    void rejectsACountMismatchBetweenImagesAndLabels() throws IOException {
        Path images = write("img", images(5));
        Path labels = write("lbl", labels(4));
        assertMessage(MalformedDataException.class, () -> Mnist.load(images, labels), "4 labels", "5 images");
    }

    @Test
    void rejectsTrainAndTestImagesOfDifferentSizes() throws IOException {
        writeSet(false, 3, 2);
        write(Mnist.TEST_IMAGES, idx(0x803, new int[] {2, 3, 3}, new byte[18]));
        assertMessage(MalformedDataException.class, () -> Mnist.load(dir), "[2, 3, 1]", "[3, 3, 1]");
    }

    @Test
    void rejectsLabelsOutsideTheTenClasses() throws IOException {
        Path labels = write("lbl", idx(0x801, new int[] {3}, new byte[] {1, 10, 2}));
        assertMessage(MalformedDataException.class, () -> Mnist.readLabels(labels), "label 10", "index 1");
    }

    @Test
    void namesTheMissingFile() throws IOException {
        writeSet(true, 2, 2);
        Files.delete(dir.resolve(Mnist.TEST_LABELS + ".gz"));
        assertMessage(NoSuchFileException.class, () -> Mnist.load(dir), Mnist.TEST_LABELS);
    }

    private static Path findRealMnist() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(Path.of("shared", "data", "mnist"));
            if (Files.isRegularFile(candidate.resolve(Mnist.TRAIN_IMAGES + ".gz"))) {
                return candidate;
            }
        }
        return null;
    }

    @Test
    void loadsTheRealMnistWhenPresent() throws IOException {
        assumeTrue(REAL_MNIST != null, "no shared/data/mnist above " + Path.of("").toAbsolutePath());
        TrainTestSplit mnist = Mnist.load(REAL_MNIST);
        assertEquals(Shape.of(60000, 28, 28, 1), mnist.train().x().shape());
        assertEquals(Shape.of(60000), mnist.train().y().shape());
        assertEquals(Shape.of(10000, 28, 28, 1), mnist.test().x().shape());
        assertEquals(Shape.of(10000), mnist.test().y().shape());
        for (LabeledArrays part : new LabeledArrays[] {mnist.train(), mnist.test()}) {
            int[] perClass = new int[10];
            for (float label : part.y().data()) {
                assertTrue(label >= 0 && label <= 9 && label == (int) label, "label " + label);
                perClass[(int) label]++;
            }
            for (int c = 0; c < 10; c++) {
                assertTrue(perClass[c] > part.size() / 20, "class " + c + " has " + perClass[c] + " examples");
            }
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (float p : part.x().data()) {
                min = Math.min(min, p);
                max = Math.max(max, p);
            }
            assertEquals(0f, min);
            assertEquals(1f, max);
        }
        // The published first test label is 7; the first training label is 5.
        assertEquals(7f, mnist.test().y().data()[0]);
        assertEquals(5f, mnist.train().y().data()[0]);
    }
}
