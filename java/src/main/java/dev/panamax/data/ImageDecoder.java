package dev.panamax.data;

import dev.panamax.tensor.Shape;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes an image file (PNG, JPEG, BMP, GIF: whatever {@code javax.imageio} reads) into an
 * {@code [height, width, channels]} float array in [0, 1], converted to the asked colour mode and
 * resized bilinearly to the asked size. Alpha is dropped. Safe to use from several threads.
 */
public final class ImageDecoder {
    private static final float[] LUMA = {0.2989f, 0.5870f, 0.1140f};

    private final int height;
    private final int width;
    private final ColorMode colorMode;

    public ImageDecoder(int height, int width, ColorMode colorMode) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("ImageDecoder: image size must be positive, got " + height + "x" + width);
        }
        this.height = height;
        this.width = width;
        this.colorMode = Objects.requireNonNull(colorMode, "colorMode");
    }

    /** The shape of every decoded image: {@code [height, width, channels]}. */
    public Shape shape() {
        return Shape.of(height, width, colorMode.channels());
    }

    public float[] decode(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        BufferedImage image;
        // An in-memory stream cache: ImageIO's default would write a temporary file per image.
        // ImageIO.read closes the image stream itself when it finds a reader; it holds only memory.
        try (InputStream in = Files.newInputStream(file)) {
            image = ImageIO.read(new MemoryCacheImageInputStream(in));
        } catch (IOException | RuntimeException e) {
            throw new MalformedDataException(file + ": cannot decode the image: " + e.getMessage(), e);
        }
        if (image == null) {
            throw new MalformedDataException(file + ": not an image format javax.imageio can read");
        }
        int h = image.getHeight();
        int w = image.getWidth();
        int channels = colorMode.channels();
        float[] pixels = isStoredGrey(image) ? greyPixels(image, channels) : colourPixels(image, channels);
        return BilinearResize.resize(pixels, h, w, channels, height, width);
    }

    /**
     * A grey image whose samples we read directly: {@code getRGB} would treat them as linear
     * grey and brighten them on the way to sRGB, unlike every other image library.
     */
    private static boolean isStoredGrey(BufferedImage image) {
        return image.getColorModel() instanceof ComponentColorModel cm
                && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
    }

    private static float[] greyPixels(BufferedImage image, int channels) {
        Raster raster = image.getRaster();
        int h = image.getHeight();
        int w = image.getWidth();
        float max = (float) ((1L << image.getColorModel().getComponentSize(0)) - 1);
        float[] out = new float[h * w * channels];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            raster.getSamples(0, y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                float g = row[x] / max;
                for (int c = 0; c < channels; c++) {
                    out[(y * w + x) * channels + c] = g;
                }
            }
        }
        return out;
    }

    private static float[] colourPixels(BufferedImage image, int channels) {
        int h = image.getHeight();
        int w = image.getWidth();
        float[] out = new float[h * w * channels];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int argb = row[x];
                float r = ((argb >> 16) & 0xFF) / 255f;
                float g = ((argb >> 8) & 0xFF) / 255f;
                float b = (argb & 0xFF) / 255f;
                int o = (y * w + x) * channels;
                if (channels == 1) {
                    out[o] = LUMA[0] * r + LUMA[1] * g + LUMA[2] * b;
                } else {
                    out[o] = r;
                    out[o + 1] = g;
                    out[o + 2] = b;
                }
            }
        }
        return out;
    }
}
