package dev.panamax.data;

/**
 * Bilinear resizing of an {@code [h, w, c]} image with half-pixel centres and clamped edges, the
 * convention of {@code tf.image.resize(method="bilinear", antialias=False)} that Keras' image
 * loaders use.
 */
final class BilinearResize {
    private BilinearResize() {
    }

    static float[] resize(float[] src, int srcH, int srcW, int channels, int dstH, int dstW) {
        if (srcH == dstH && srcW == dstW) {
            return src.clone();
        }
        float[] dst = new float[dstH * dstW * channels];
        double scaleY = (double) srcH / dstH;
        double scaleX = (double) srcW / dstW;
        for (int y = 0; y < dstH; y++) {
            double sy = Math.clamp((y + 0.5) * scaleY - 0.5, 0, srcH - 1);
            int y0 = (int) sy;
            int y1 = Math.min(y0 + 1, srcH - 1);
            float fy = (float) (sy - y0);
            for (int x = 0; x < dstW; x++) {
                double sx = Math.clamp((x + 0.5) * scaleX - 0.5, 0, srcW - 1);
                int x0 = (int) sx;
                int x1 = Math.min(x0 + 1, srcW - 1);
                float fx = (float) (sx - x0);
                for (int c = 0; c < channels; c++) {
                    float top = lerp(src[(y0 * srcW + x0) * channels + c], src[(y0 * srcW + x1) * channels + c], fx);
                    float bottom = lerp(src[(y1 * srcW + x0) * channels + c], src[(y1 * srcW + x1) * channels + c], fx);
                    dst[(y * dstW + x) * channels + c] = lerp(top, bottom, fy);
                }
            }
        }
        return dst;
    }

    private static float lerp(float a, float b, float t) {
        return a + (b - a) * t;
    }
}
