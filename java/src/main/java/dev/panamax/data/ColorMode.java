package dev.panamax.data;

/** The channels an image is converted to when loaded, as in Keras' {@code color_mode}. */
public enum ColorMode {
    /** One channel: grey images as stored, colour ones by luma (0.2989 R + 0.5870 G + 0.1140 B). */
    GRAYSCALE(1),
    /** Three channels, red, green, blue; grey images repeat their one value. */
    RGB(3);

    private final int channels;

    ColorMode(int channels) {
        this.channels = channels;
    }

    public int channels() {
        return channels;
    }
}
