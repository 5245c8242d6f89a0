package dev.panamax.data;

import java.util.Arrays;

/**
 * One pen stroke of a digit skeleton: a chain of cubic Bézier segments in glyph coordinates
 * (the digit's box is about [0, 1] x [0, 1], y pointing down as on screen). Lines, quadratics
 * and elliptic arcs are stored as cubics, so jitter and flattening treat every segment alike.
 *
 * <p>{@code xy} holds {@code 3n + 1} points as x, y pairs: the start, then for each segment its
 * two control points and its end point.
 */
record DigitStroke(double[] xy) {

    DigitStroke {
        if (xy.length < 8 || (xy.length - 2) % 6 != 0) {
            throw new IllegalArgumentException("DigitStroke: " + xy.length
                    + " coordinates do not form a chain of cubic segments (2 + 6n, n >= 1)");
        }
    }

    /** Number of cubic segments. */
    int segments() {
        return (xy.length - 2) / 6;
    }

    /** A stroke starting at (x, y); add segments to the builder. */
    static Builder from(double x, double y) {
        return new Builder(x, y);
    }

    /**
     * A stroke along an elliptic arc; angles in degrees, 0 pointing right and 90 pointing down,
     * so a positive sweep runs clockwise on screen.
     */
    static Builder ellipse(double cx, double cy, double rx, double ry, double startDeg, double sweepDeg) {
        double a = Math.toRadians(startDeg);
        return new Builder(cx + rx * Math.cos(a), cy + ry * Math.sin(a)).arc(cx, cy, rx, ry, startDeg, sweepDeg);
    }

    /** Appends segments to a stroke; every segment starts where the previous one ended. */
    static final class Builder {
        private double[] xy = new double[32];
        private int size;

        private Builder(double x, double y) {
            add(x, y);
        }

        Builder line(double x, double y) {
            double x0 = xy[size - 2];
            double y0 = xy[size - 1];
            return cubic(x0 + (x - x0) / 3, y0 + (y - y0) / 3, x0 + 2 * (x - x0) / 3, y0 + 2 * (y - y0) / 3, x, y);
        }

        Builder quad(double cx, double cy, double x, double y) {
            double x0 = xy[size - 2];
            double y0 = xy[size - 1];
            return cubic(x0 + 2 * (cx - x0) / 3, y0 + 2 * (cy - y0) / 3, x + 2 * (cx - x) / 3, y + 2 * (cy - y) / 3, x, y);
        }

        Builder cubic(double c1x, double c1y, double c2x, double c2y, double x, double y) {
            add(c1x, c1y);
            add(c2x, c2y);
            add(x, y);
            return this;
        }

        /**
         * Continues along an elliptic arc (angles as in {@link DigitStroke#ellipse}), joined by a
         * straight segment if the arc does not start at the current point. Each piece of at most
         * 90 degrees becomes one cubic with the standard 4/3·tan(θ/4) handle length.
         */
        Builder arc(double cx, double cy, double rx, double ry, double startDeg, double sweepDeg) {
            double a = Math.toRadians(startDeg);
            double sx = cx + rx * Math.cos(a);
            double sy = cy + ry * Math.sin(a);
            if (Math.hypot(sx - xy[size - 2], sy - xy[size - 1]) > 1e-9) {
                line(sx, sy);
            }
            int pieces = Math.max(1, (int) Math.ceil(Math.abs(sweepDeg) / 90.0));
            double step = Math.toRadians(sweepDeg) / pieces;
            double k = 4.0 / 3.0 * Math.tan(step / 4);
            for (int i = 0; i < pieces; i++) {
                double a0 = a + i * step;
                double a1 = a0 + step;
                double c0 = Math.cos(a0);
                double s0 = Math.sin(a0);
                double c1 = Math.cos(a1);
                double s1 = Math.sin(a1);
                cubic(cx + rx * (c0 - k * s0), cy + ry * (s0 + k * c0),
                        cx + rx * (c1 + k * s1), cy + ry * (s1 - k * c1),
                        cx + rx * c1, cy + ry * s1);
            }
            return this;
        }

        DigitStroke build() {
            return new DigitStroke(Arrays.copyOf(xy, size));
        }

        private void add(double x, double y) {
            if (size + 2 > xy.length) {
                xy = Arrays.copyOf(xy, xy.length * 2);
            }
            xy[size++] = x;
            xy[size++] = y;
        }
    }
}
