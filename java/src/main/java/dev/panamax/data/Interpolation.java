package dev.panamax.data;

/** How a geometric augmentation samples between source pixels. */
public enum Interpolation {
    /** The closest source pixel: values are copied, never blended. */
    NEAREST,
    /** A weighted mean of the four surrounding source pixels. */
    BILINEAR
}
