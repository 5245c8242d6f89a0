package dev.panamax.data;

/** Moves an {@code [h, w, c]} image by whole pixels, filling uncovered pixels with 0. */
final class PixelShift {
    private PixelShift() {
    }

    /** {@code out[y][x] = image[y - dy][x - dx]}: positive dy moves content down, positive dx right. */
    static float[] shift(float[] image, int h, int w, int c, int dy, int dx) {
        float[] out = new float[image.length];
        int x0 = Math.max(0, dx);
        int x1 = Math.min(w, w + dx);
        if (x0 >= x1) {
            return out;
        }
        int rowValues = (x1 - x0) * c;
        for (int y = Math.max(0, dy); y < Math.min(h, h + dy); y++) {
            System.arraycopy(image, ((y - dy) * w + (x0 - dx)) * c, out, (y * w + x0) * c, rowValues);
        }
        return out;
    }
}
