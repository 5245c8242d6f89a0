package dev.panamax.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.tensor.Shape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderLoaderTest {
    @TempDir
    Path root;

    /** A grey image whose pixel (y, x) is {@code values[y][x]}. */
    private static Path writeGrey(Path file, int[][] values) throws IOException {
        BufferedImage image = new BufferedImage(values[0].length, values.length, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < values.length; y++) {
            for (int x = 0; x < values[0].length; x++) {
                image.getRaster().setSample(x, y, 0, values[y][x]);
            }
        }
        return write(file, image);
    }

    /** A colour image with every pixel (r, g, b). */
    private static Path writeRgb(Path file, int h, int w, int r, int g, int b) throws IOException {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return write(file, image);
    }

    private static Path write(Path file, BufferedImage image) throws IOException {
        Files.createDirectories(file.getParent());
        String name = file.getFileName().toString();
        String format = name.substring(name.lastIndexOf('.') + 1).replace("jpg", "jpeg");
        assertTrue(ImageIO.write(image, format, file.toFile()), "no writer for " + format);
        return file;
    }

    @Test
    void classesAreSortedSubFoldersAndImagesAreFoundRecursively() throws IOException {
        writeRgb(root.resolve("dogs/b.png"), 3, 3, 10, 20, 30);
        writeRgb(root.resolve("dogs/a.png"), 3, 3, 40, 50, 60);
        writeRgb(root.resolve("dogs/more/c.jpg"), 3, 3, 200, 100, 50);
        writeRgb(root.resolve("cats/z.PNG"), 3, 3, 0, 0, 0);
        Files.createDirectories(root.resolve("birds"));
        Files.writeString(root.resolve("cats/notes.txt"), "not an image");
        writeRgb(root.resolve(".cache/x.png"), 3, 3, 1, 1, 1);
        writeRgb(root.resolve("cats/.thumbs/y.png"), 3, 3, 1, 1, 1);
        writeRgb(root.resolve("stray.png"), 3, 3, 1, 1, 1);

        ImageFolderLoader loader = ImageFolderLoader.open(root, 3, 3, ColorMode.RGB);
        assertEquals(List.of("birds", "cats", "dogs"), loader.classNames());
        List<String> files = loader.files().stream().map(p -> root.relativize(p).toString().replace('\\', '/')).toList();
        assertEquals(List.of("cats/z.PNG", "dogs/a.png", "dogs/b.png", "dogs/more/c.jpg"), files);

        LabeledArrays data = loader.load();
        assertEquals(Shape.of(4, 3, 3, 3), data.x().shape());
        assertArrayEquals(new float[] {1, 2, 2, 2}, data.y().data());
        float[] x = data.x().data();
        assertArrayEquals(new float[] {40 / 255f, 50 / 255f, 60 / 255f}, new float[] {x[27], x[28], x[29]});
        float[] jpeg = {x[81], x[82], x[83]};
        float[] expected = {200 / 255f, 100 / 255f, 50 / 255f};
        for (int c = 0; c < 3; c++) {
            assertEquals(expected[c], jpeg[c], 4 / 255f, "JPEG channel " + c + " (lossy)");
        }
    }

    @Test
    void greyImagesKeepTheirStoredValues() throws IOException {
        int[][] values = {{0, 64, 128}, {200, 250, 255}};
        writeGrey(root.resolve("digits/one.png"), values);
        LabeledArrays grey = ImageFolderLoader.open(root, 2, 3, ColorMode.GRAYSCALE).load();
        assertEquals(Shape.of(1, 2, 3, 1), grey.x().shape());
        float[] expected = {0, 64 / 255f, 128 / 255f, 200 / 255f, 250 / 255f, 1};
        assertArrayEquals(expected, grey.x().data(), 0f);

        float[] rgb = ImageFolderLoader.open(root, 2, 3, ColorMode.RGB).load().x().data();
        for (int i = 0; i < 6; i++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(expected[i], rgb[3 * i + c], 0f, "grey repeats over RGB");
            }
        }
    }

    @Test
    void colourBecomesLumaInGrayscaleMode() throws IOException {
        writeRgb(root.resolve("a/p.png"), 2, 2, 255, 0, 0);
        writeRgb(root.resolve("b/q.png"), 2, 2, 30, 200, 90);
        float[] x = ImageFolderLoader.open(root, 2, 2, ColorMode.GRAYSCALE).load().x().data();
        assertEquals(0.2989f, x[0], 1e-6f);
        assertEquals((0.2989f * 30 + 0.5870f * 200 + 0.1140f * 90) / 255f, x[4], 1e-6f);
    }

    @Test
    void resizesBilinearlyWithHalfPixelCentres() throws IOException {
        writeGrey(root.resolve("c/up.png"), new int[][] {{0, 100}, {200, 40}});
        float[] up = ImageFolderLoader.open(root, 4, 4, ColorMode.GRAYSCALE).load().x().data();
        // Source coordinates of the 4 output columns: clamp(-0.25) = 0, 0.25, 0.75, clamp(1.25) = 1.
        float[] firstRow = {0, 25 / 255f, 75 / 255f, 100 / 255f};
        assertArrayEquals(firstRow, Arrays.copyOf(up, 4), 1e-6f);
        // Row 1 samples y = 0.25: a quarter of the way to the second row.
        assertEquals((0.75f * 25 + 0.25f * (0.75f * 200 + 0.25f * 40)) / 255f, up[5], 1e-6f);

        Files.delete(root.resolve("c/up.png"));
        writeGrey(root.resolve("c/down.png"), new int[][] {
            {0, 40, 80, 120}, {40, 80, 120, 160}, {10, 10, 20, 20}, {30, 30, 60, 100}});
        float[] down = ImageFolderLoader.open(root, 2, 2, ColorMode.GRAYSCALE).load().x().data();
        // Halving samples at 0.5 and 2.5: the mean of each 2x2 block.
        assertArrayEquals(new float[] {40 / 255f, 120 / 255f, 20 / 255f, 50 / 255f}, down, 1e-6f);
    }

    @Test
    void theLazyDatasetMatchesTheEagerLoad() throws IOException {
        for (int i = 0; i < 5; i++) {
            writeRgb(root.resolve((i % 2 == 0 ? "even" : "odd") + "/img" + i + ".png"), 5, 4, 10 * i, 20, 250 - i);
        }
        ImageFolderLoader loader = ImageFolderLoader.open(root, 3, 3, ColorMode.RGB);
        LabeledArrays eager = loader.load();
        Dataset lazy = loader.dataset();
        assertEquals(5, lazy.size());
        Batch all = lazy.batch(5).prefetch(2).get(0, 0);
        assertEquals(eager.x(), all.x());
        assertEquals(eager.y(), all.y());
        List<Batch> prefetched = new ArrayList<>();
        try (BatchIterator it = lazy.batch(2).prefetch(2).epoch(0)) {
            it.forEachRemaining(prefetched::add);
        }
        assertEquals(3, prefetched.size());
        assertEquals(eager.x().rows(0, 2), prefetched.get(0).x());
    }

    @Test
    void anUndecodableFileFailsWithItsName() throws IOException {
        writeRgb(root.resolve("a/good.png"), 2, 2, 1, 2, 3);
        Files.createDirectories(root.resolve("b"));
        Files.write(root.resolve("b/broken.png"), new byte[] {1, 2, 3, 4, 5});
        ImageFolderLoader loader = ImageFolderLoader.open(root, 2, 2, ColorMode.RGB);
        var e = assertThrows(MalformedDataException.class, loader::load);
        assertTrue(e.getMessage().contains("broken.png"), e.getMessage());

        var unchecked = assertThrows(UncheckedIOException.class, () -> loader.dataset().get(0, 1));
        assertTrue(unchecked.getCause().getMessage().contains("broken.png"));
        try (BatchIterator it = loader.dataset().batch(2).prefetch(1).epoch(0)) {
            var pipeline = assertThrows(DataPipelineException.class, it::next);
            assertInstanceOf(UncheckedIOException.class, pipeline.getCause());
        }
    }

    @Test
    void rejectsFoldersWithoutClassesOrImages() throws IOException {
        var none = assertThrows(MalformedDataException.class, () -> ImageFolderLoader.open(root, 2, 2, ColorMode.RGB));
        assertTrue(none.getMessage().contains("no class sub-folders"), none.getMessage());
        Files.createDirectories(root.resolve("empty"));
        var noImages = assertThrows(MalformedDataException.class, () -> ImageFolderLoader.open(root, 2, 2, ColorMode.RGB));
        assertTrue(noImages.getMessage().contains("no image files"), noImages.getMessage());
        Path file = Files.writeString(root.resolve("file.txt"), "x");
        assertThrows(NotDirectoryException.class, () -> ImageFolderLoader.open(file, 2, 2, ColorMode.RGB));
        assertThrows(IllegalArgumentException.class, () -> ImageFolderLoader.open(root, 0, 2, ColorMode.RGB));
    }
}
