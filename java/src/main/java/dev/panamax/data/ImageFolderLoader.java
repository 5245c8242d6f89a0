package dev.panamax.data;

import dev.panamax.tensor.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Images in a folder with one sub-folder per class, like Keras'
 * {@code image_dataset_from_directory(labels="inferred")}: class i is the i-th sub-folder in
 * sorted name order, and each class folder's images (searched recursively, in sorted path order)
 * are labelled with its index. Files without an image extension (png, jpg, jpeg, bmp, gif) and
 * hidden entries are ignored.
 *
 * <p>Images are decoded with {@link ImageDecoder}: converted to the asked colour mode, resized to
 * the asked size, scaled to [0, 1]. {@link #load()} decodes everything up front; {@link #dataset()}
 * decodes each image when asked for it, so {@link Batches#prefetch} decodes on its workers.
 */
public final class ImageFolderLoader {
    private static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    private final Path root;
    private final List<String> classNames;
    private final List<Path> files;
    private final int[] labels;
    private final ImageDecoder decoder;

    private ImageFolderLoader(Path root, List<String> classNames, List<Path> files, int[] labels, ImageDecoder decoder) {
        this.root = root;
        this.classNames = classNames;
        this.files = files;
        this.labels = labels;
        this.decoder = decoder;
    }

    /** Lists the classes and image files under {@code root}; images are decoded later, by {@link #load} or {@link #dataset}. */
    public static ImageFolderLoader open(Path root, int height, int width, ColorMode colorMode) throws IOException {
        ImageDecoder decoder = new ImageDecoder(height, width, colorMode);
        if (!Files.isDirectory(root)) {
            throw new NotDirectoryException(root.toString());
        }
        List<Path> classDirs;
        try (Stream<Path> entries = Files.list(root)) {
            classDirs = entries.filter(p -> Files.isDirectory(p) && !isHidden(p))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        }
        if (classDirs.isEmpty()) {
            throw new MalformedDataException(root + ": no class sub-folders; expected one folder of images per class");
        }
        List<String> names = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path dir : classDirs) {
            int label = names.size();
            names.add(dir.getFileName().toString());
            for (Path f : imagesIn(dir)) {
                files.add(f);
                labels.add(label);
            }
        }
        if (files.isEmpty()) {
            throw new MalformedDataException(root + ": no image files (" + IMAGE_EXTENSIONS + ") in the class folders "
                    + names);
        }
        return new ImageFolderLoader(root, List.copyOf(names), List.copyOf(files),
                labels.stream().mapToInt(Integer::intValue).toArray(), decoder);
    }

    public Path root() {
        return root;
    }

    /** The class names, by class index. */
    public List<String> classNames() {
        return classNames;
    }

    /** The image files, in example order. */
    public List<Path> files() {
        return files;
    }

    /** Number of images. */
    public int size() {
        return files.size();
    }

    /** The shape of each image: {@code [height, width, channels]}. */
    public Shape imageShape() {
        return decoder.shape();
    }

    /**
     * Every image decoded, as {@code x [n, height, width, channels]} and {@code y [n]} class
     * indices; a file that cannot be decoded fails the whole load.
     */
    public LabeledArrays load() throws IOException {
        int imageSize = Math.toIntExact(decoder.shape().size());
        int n = files.size();
        float[] x = new float[Math.multiplyExact(n, imageSize)];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(decoder.decode(files.get(i)), 0, x, i * imageSize, imageSize);
            y[i] = labels[i];
        }
        long[] dims = decoder.shape().dims();
        return new LabeledArrays(FloatArray.of(x, n, dims[0], dims[1], dims[2]), FloatArray.of(y, n));
    }

    /**
     * The images as a dataset that decodes each one when asked for; a file that cannot be decoded
     * throws {@link java.io.UncheckedIOException} from {@link Dataset#get}.
     */
    public Dataset dataset() {
        return new ImageFileDataset(files, labels, decoder);
    }

    private static List<Path> imagesIn(Path classDir) throws IOException {
        try (Stream<Path> tree = Files.walk(classDir)) {
            return tree.filter(p -> Files.isRegularFile(p) && isImage(p) && !hiddenBelow(classDir, p))
                    .sorted(Comparator.comparing(p -> classDir.relativize(p).toString()))
                    .toList();
        }
    }

    private static boolean isImage(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static boolean hiddenBelow(Path dir, Path file) {
        for (Path part : dir.relativize(file)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isHidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }
}
