package dev.panamax.data;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Renders one handwriting-like digit from its skeleton: picks a style, jitters the control
 * points, bends the strokes with a smooth random displacement field, applies a random
 * rotation, slant, aspect and scale, fits the ink into a box of about 20x20 with its centre of
 * mass at the image centre (as MNIST does), strokes it with a round pen of random width and
 * varying pressure, then blurs, adds noise and clamps to [0, 1].
 *
 * <p>Only Java2D shape rendering is used (no text, so no fonts are needed). Not thread-safe: it
 * owns its canvas; use one renderer per thread. Output depends only on the digit and the random
 * generator's state.
 */
final class DigitRenderer implements AutoCloseable {
    static final int SIZE = 28;
    /** MNIST fits each digit's ink into a 20x20 box. */
    private static final double BOX = 20;
    /** Flattened points per cubic segment; segments span a few pixels, so this is smooth. */
    private static final int STEPS_PER_SEGMENT = 8;
    /** Consecutive points drawn with one pen width; widths vary from piece to piece. */
    private static final int POINTS_PER_PIECE = 4;
    /** Largest relative swell of the pen width along a stroke. */
    private static final double MAX_PRESSURE = 0.25;
    /** Bound on the distortion field's derivative: at 0.3 a stroke bends but never folds back. */
    private static final double MAX_STRAIN = 0.3;

    private final BufferedImage canvas = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
    private final byte[] pixels = ((DataBufferByte) canvas.getRaster().getDataBuffer()).getData();
    private final Graphics2D g = canvas.createGraphics();
    /** The canvas blurred along rows, then along columns into {@link #ink}. */
    private final float[] rows = new float[SIZE * SIZE];
    private final float[] ink = new float[SIZE * SIZE];
    /** Jittered control points of the stroke being flattened. */
    private double[] control = new double[0];
    /** Flattened strokes as x, y pairs in glyph coordinates, then pixels; {@link #pointCounts} points each. */
    private double[][] strokes = new double[0][];
    private int[] pointCounts = new int[0];

    DigitRenderer() {
        // Antialiasing computes each pixel's coverage on a subpixel grid, which is already the area
        // average that drawing larger and shrinking would give (it looked the same at twice the cost).
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        // Pure strokes: no snapping of coordinates to pixel centres, which would quantise the jitter.
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setColor(Color.WHITE);
    }

    /** Releases the canvas's graphics context. */
    @Override
    public void close() {
        g.dispose();
    }

    /** Draws {@code digit} into {@code out[offset .. offset + 784)}, row-major, values in [0, 1]. */
    void render(int digit, SplittableRandom rng, float[] out, int offset) {
        DigitGlyphs.Style style = DigitGlyphs.pick(digit, rng);
        flatten(style.strokes(), rng);
        distort(rng);
        transform(rng);
        double penWidth = 1.7 + 2.3 * Math.pow(rng.nextDouble(), 1.4);
        fitToBox(penWidth, rng);
        draw(penWidth, rng);
        finish(rng, out, offset);
    }

    /** Jitters every control point, then samples each stroke's cubics into a polyline. */
    private void flatten(List<DigitStroke> skeleton, SplittableRandom rng) {
        if (strokes.length < skeleton.size()) {
            strokes = new double[skeleton.size()][];
            pointCounts = new int[skeleton.size()];
        }
        double sigma = 0.01 + 0.02 * rng.nextDouble();
        for (int s = 0; s < skeleton.size(); s++) {
            double[] xy = skeleton.get(s).xy();
            if (control.length < xy.length) control = new double[xy.length];
            for (int i = 0; i < xy.length; i++) control[i] = xy[i] + sigma * rng.nextGaussian();
            int segments = skeleton.get(s).segments();
            int points = segments * STEPS_PER_SEGMENT + 1;
            if (strokes[s] == null || strokes[s].length < 2 * points) strokes[s] = new double[2 * points];
            double[] p = strokes[s];
            p[0] = control[0];
            p[1] = control[1];
            int n = 1;
            for (int seg = 0; seg < segments; seg++) {
                int b = 6 * seg;
                for (int step = 1; step <= STEPS_PER_SEGMENT; step++) {
                    double t = (double) step / STEPS_PER_SEGMENT;
                    double u = 1 - t;
                    double w0 = u * u * u;
                    double w1 = 3 * u * u * t;
                    double w2 = 3 * u * t * t;
                    double w3 = t * t * t;
                    p[2 * n] = w0 * control[b] + w1 * control[b + 2] + w2 * control[b + 4] + w3 * control[b + 6];
                    p[2 * n + 1] = w0 * control[b + 1] + w1 * control[b + 3] + w2 * control[b + 5] + w3 * control[b + 7];
                    n++;
                }
            }
            pointCounts[s] = n;
        }
        for (int s = skeleton.size(); s < pointCounts.length; s++) pointCounts[s] = 0;
    }

    /**
     * Elastic-style distortion: a smooth displacement field made of a few random plane waves
     * (wavelengths about the size of a digit's loop) moves every point of every stroke alike,
     * so strokes bend without tearing apart. The field's steepness is capped so that it never
     * folds a stroke over itself.
     */
    private void distort(SplittableRandom rng) {
        double amplitude = 0.04 * rng.nextDouble();
        int waves = 3;
        double[] kx = new double[2 * waves];
        double[] ky = new double[2 * waves];
        double[] phase = new double[2 * waves];
        double[] amp = new double[2 * waves];
        double[] steepness = new double[2];
        for (int i = 0; i < 2 * waves; i++) {
            double freq = 2 * Math.PI * (0.5 + rng.nextDouble());
            double dir = 2 * Math.PI * rng.nextDouble();
            kx[i] = freq * Math.cos(dir);
            ky[i] = freq * Math.sin(dir);
            phase[i] = 2 * Math.PI * rng.nextDouble();
            amp[i] = amplitude * rng.nextGaussian() / Math.sqrt(waves);
            steepness[i / waves] += Math.abs(amp[i]) * freq;
        }
        double cap = Math.min(1, MAX_STRAIN / Math.max(steepness[0], steepness[1]));
        for (int i = 0; i < 2 * waves; i++) amp[i] *= cap;
        forEachPoint((p, i) -> {
            double x = p[i];
            double y = p[i + 1];
            double dx = 0;
            double dy = 0;
            for (int w = 0; w < waves; w++) {
                dx += amp[w] * Math.sin(kx[w] * x + ky[w] * y + phase[w]);
                dy += amp[waves + w] * Math.sin(kx[waves + w] * x + ky[waves + w] * y + phase[waves + w]);
            }
            p[i] = x + dx;
            p[i + 1] = y + dy;
        });
    }

    /** Random slant (shear), aspect ratio and rotation about the glyph's centre. */
    private void transform(SplittableRandom rng) {
        // Handwriting leans right more often than left.
        double slant = Math.clamp(0.15 + 0.14 * rng.nextGaussian(), -0.2, 0.45);
        double aspect = Math.clamp(Math.exp(0.1 + 0.18 * rng.nextGaussian()), 0.7, 1.5);
        double angle = Math.toRadians(Math.clamp(5 * rng.nextGaussian(), -15, 15));
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        forEachPoint((p, i) -> {
            double y = p[i + 1] - 0.5;
            double x = (p[i] - 0.5) * aspect - slant * y;
            p[i] = 0.5 + cos * x - sin * y;
            p[i + 1] = 0.5 + sin * x + cos * y;
        });
    }

    /**
     * Scales the skeleton so its ink (skeleton plus pen) fills a randomly scaled 20x20 box,
     * keeping its aspect ratio, and, as MNIST does, puts the ink's centre of mass (here the
     * centre of the pen's path) at the image centre, plus a small random offset; the result is
     * in pixels. A digit whose mass sits far off its box centre (a 7) is shifted back just
     * enough to keep its ink inside the image.
     */
    private void fitToBox(double penWidth, SplittableRandom rng) {
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        double mass = 0;
        double massX = 0;
        double massY = 0;
        for (int s = 0; s < pointCounts.length; s++) {
            double[] p = strokes[s];
            for (int i = 0; i < 2 * pointCounts[s]; i += 2) {
                minX = Math.min(minX, p[i]);
                minY = Math.min(minY, p[i + 1]);
                maxX = Math.max(maxX, p[i]);
                maxY = Math.max(maxY, p[i + 1]);
                if (i > 0) {
                    double length = Math.hypot(p[i] - p[i - 2], p[i + 1] - p[i - 1]);
                    mass += length;
                    massX += length * (p[i] + p[i - 2]) / 2;
                    massY += length * (p[i + 1] + p[i - 1]) / 2;
                }
            }
        }
        double extent = Math.max(Math.max(maxX - minX, maxY - minY), 1e-6);
        double scale = (BOX * (0.8 + 0.3 * rng.nextDouble()) - penWidth) / extent;
        double cx = mass > 0 ? massX / mass : (minX + maxX) / 2;
        double cy = mass > 0 ? massY / mass : (minY + maxY) / 2;
        // Half the widest pen, plus a pixel for the blur.
        double margin = penWidth * (1 + MAX_PRESSURE) / 2 + 1;
        double shiftX = Math.clamp(rng.nextGaussian(), -2, 2);
        double shiftY = Math.clamp(rng.nextGaussian(), -2, 2);
        double ox = keepInside(SIZE / 2.0 + shiftX, (minX - cx) * scale, (maxX - cx) * scale, margin);
        double oy = keepInside(SIZE / 2.0 + shiftY, (minY - cy) * scale, (maxY - cy) * scale, margin);
        forEachPoint((p, i) -> {
            p[i] = ox + (p[i] - cx) * scale;
            p[i + 1] = oy + (p[i + 1] - cy) * scale;
        });
    }

    /**
     * The position nearest {@code centre} at which the span {@code [position + lo, position + hi]}
     * stays {@code margin} inside the image (or starts at the margin, if it is too long to fit).
     */
    private static double keepInside(double centre, double lo, double hi, double margin) {
        return Math.clamp(centre, margin - lo, Math.max(margin - lo, SIZE - margin - hi));
    }

    /** Strokes each polyline with a round pen whose width swells and thins along the stroke. */
    private void draw(double penWidth, SplittableRandom rng) {
        Arrays.fill(pixels, (byte) 0);
        double pressureDepth = MAX_PRESSURE * rng.nextDouble();
        for (int s = 0; s < pointCounts.length; s++) {
            int n = pointCounts[s];
            if (n == 0) continue;
            double[] p = strokes[s];
            double phase = 2 * Math.PI * rng.nextDouble();
            double rate = 0.1 + 0.25 * rng.nextDouble();
            for (int start = 0; start < n - 1; start += POINTS_PER_PIECE) {
                int end = Math.min(start + POINTS_PER_PIECE, n - 1);
                Path2D.Double piece = new Path2D.Double(Path2D.WIND_NON_ZERO, end - start + 1);
                piece.moveTo(p[2 * start], p[2 * start + 1]);
                for (int i = start + 1; i <= end; i++) piece.lineTo(p[2 * i], p[2 * i + 1]);
                double width = penWidth * (1 + pressureDepth * Math.sin(phase + rate * start));
                g.setStroke(new BasicStroke((float) width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                g.draw(piece);
            }
        }
    }

    /** Mild blur, contrast so the stroke core saturates like MNIST's, noise, clamp to [0, 1]. */
    private void finish(SplittableRandom rng, float[] out, int offset) {
        blur((float) (0.25 * rng.nextDouble()));
        float max = 0;
        for (float v : ink) max = Math.max(max, v);
        float gain = max > 0 ? (float) ((1.1 + 0.4 * rng.nextDouble()) / max) : 0f;
        float inkNoise = (float) (0.08 * rng.nextDouble());
        float backgroundNoise = (float) (0.02 * rng.nextDouble());
        for (int i = 0; i < SIZE * SIZE; i++) {
            float v = ink[i] * gain;
            v += (float) rng.nextGaussian() * (v > 0.05f ? inkNoise : backgroundNoise);
            out[offset + i] = Math.clamp(v, 0f, 1f);
        }
    }

    /**
     * Canvas coverage to {@link #ink} in [0, 1], blurred by the separable 3x3 kernel
     * [side, 1, side] / (1 + 2 side) with zeros outside the image.
     */
    private void blur(float side) {
        float norm = 1f / (255f * (1 + 2 * side) * (1 + 2 * side));
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int i = y * SIZE + x;
                int left = x > 0 ? pixels[i - 1] & 0xFF : 0;
                int right = x < SIZE - 1 ? pixels[i + 1] & 0xFF : 0;
                rows[i] = (pixels[i] & 0xFF) + side * (left + right);
            }
        }
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int i = y * SIZE + x;
                float up = y > 0 ? rows[i - SIZE] : 0;
                float down = y < SIZE - 1 ? rows[i + SIZE] : 0;
                ink[i] = (rows[i] + side * (up + down)) * norm;
            }
        }
    }

    private interface PointVisitor {
        void visit(double[] xy, int index);
    }

    private void forEachPoint(PointVisitor visitor) {
        for (int s = 0; s < pointCounts.length; s++) {
            double[] p = strokes[s];
            for (int i = 0; i < 2 * pointCounts[s]; i += 2) visitor.visit(p, i);
        }
    }

}
