package dev.panamax.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * MNIST and Fashion-MNIST from their IDX files, like {@code keras.datasets.mnist.load_data()}
 * but from a local folder: images become {@code [n, 28, 28, 1]} floats scaled to [0, 1] (NHWC,
 * one grey channel) and labels a 1-D array of class indices 0 to 9.
 *
 * <p>Both data sets use the same four file names; each may be plain or gzipped, with or without
 * the {@code .gz} suffix (the content decides, not the name).
 */
public final class Mnist {
    public static final int CLASSES = 10;
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    /** Fashion-MNIST's class names, by class index. */
    public static final List<String> FASHION_CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    private Mnist() {
    }

    /** The training (60,000 for MNIST) and test (10,000) parts from the four standard files in {@code dir}. */
    public static TrainTestSplit load(Path dir) throws IOException {
        LabeledArrays train = load(find(dir, TRAIN_IMAGES), find(dir, TRAIN_LABELS));
        LabeledArrays test = load(find(dir, TEST_IMAGES), find(dir, TEST_LABELS));
        if (!train.x().rowShape().equals(test.x().rowShape())) {
            throw new MalformedDataException(dir + ": training images are " + train.x().rowShape()
                    + " but test images are " + test.x().rowShape());
        }
        return new TrainTestSplit(train, test);
    }

    /** Images and their labels from one pair of files, checking that the counts agree. */
    public static LabeledArrays load(Path imagesFile, Path labelsFile) throws IOException {
        FloatArray images = readImages(imagesFile);
        FloatArray labels = readLabels(labelsFile);
        if (images.rows() != labels.rows()) {
            throw new MalformedDataException(labelsFile + " holds " + labels.rows() + " labels but " + imagesFile
                    + " holds " + images.rows() + " images");
        }
        return new LabeledArrays(images, labels);
    }

    /** An IDX image file (magic 0x00000803) as {@code [n, rows, cols, 1]} floats in [0, 1]. */
    public static FloatArray readImages(Path file) throws IOException {
        IdxFile idx = read(file, IMAGES_MAGIC, "images");
        byte[] bytes = idx.data();
        float[] pixels = new float[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            pixels[i] = (bytes[i] & 0xFF) / 255f;
        }
        int[] d = idx.dims();
        return FloatArray.of(pixels, d[0], d[1], d[2], 1);
    }

    /** An IDX label file (magic 0x00000801) as a 1-D array of class indices, each checked to be 0 to 9. */
    public static FloatArray readLabels(Path file) throws IOException {
        IdxFile idx = read(file, LABELS_MAGIC, "labels");
        byte[] bytes = idx.data();
        float[] labels = new float[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            int label = bytes[i] & 0xFF;
            if (label >= CLASSES) {
                throw new MalformedDataException(file + ": label " + label + " at index " + i
                        + " is not a class index 0 to " + (CLASSES - 1));
            }
            labels[i] = label;
        }
        return FloatArray.of(labels, bytes.length);
    }

    private static IdxFile read(Path file, int expectedMagic, String what) throws IOException {
        IdxFile idx = IdxFile.read(file);
        if (idx.magic() != expectedMagic) {
            throw new MalformedDataException(file + ": IDX magic number " + IdxFile.hex(idx.magic()) + " (dimensions "
                    + Arrays.toString(idx.dims()) + ") is not " + IdxFile.hex(expectedMagic) + ", the magic number of MNIST "
                    + what);
        }
        return idx;
    }

    /** {@code dir/name.gz} or {@code dir/name}, whichever exists (the gzipped one first). */
    private static Path find(Path dir, String name) throws IOException {
        Path gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path plain = dir.resolve(name);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        throw new NoSuchFileException(plain.toString(), null, "MNIST: neither " + name + " nor " + name + ".gz is in " + dir);
    }
}
