package dev.panamax.data;

import static dev.panamax.data.DigitStroke.ellipse;
import static dev.panamax.data.DigitStroke.from;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Hand-designed pen skeletons of the ten digits, several handwriting styles each (a 7 with and
 * without a crossbar, open and closed 4s, a 1 with and without flag and base...). Coordinates
 * are glyph coordinates: the digit fills about [0, 1] vertically, y pointing down. Weights
 * favour the commoner ways of writing (a 7 without a crossbar over one with).
 */
final class DigitGlyphs {

    /** One way of writing a digit: its strokes in pen order, and how often it is chosen. */
    record Style(String name, double weight, List<DigitStroke> strokes) {
    }

    private static final List<List<Style>> STYLES = List.of(zero(), one(), two(), three(), four(), five(), six(),
            seven(), eight(), nine());

    private DigitGlyphs() {
    }

    /** The styles of {@code digit}. */
    static List<Style> styles(int digit) {
        if (digit < 0 || digit > 9) {
            throw new IllegalArgumentException("DigitGlyphs: digit must be 0 to 9, got " + digit);
        }
        return STYLES.get(digit);
    }

    /** A style of {@code digit} drawn in proportion to the style weights. */
    static Style pick(int digit, SplittableRandom rng) {
        List<Style> styles = styles(digit);
        double total = 0;
        for (Style s : styles) total += s.weight();
        double r = rng.nextDouble(total);
        for (Style s : styles) {
            r -= s.weight();
            if (r < 0) return s;
        }
        return styles.getLast();
    }

    private static Style style(String name, double weight, DigitStroke.Builder... strokes) {
        return new Style(name, weight, Arrays.stream(strokes).map(DigitStroke.Builder::build).toList());
    }

    private static List<Style> zero() {
        return List.of(
                // Written counter-clockwise from the top, overshooting the start a little.
                style("oval", 2, ellipse(0.5, 0.5, 0.3, 0.49, -95, -375)),
                style("narrow", 1, ellipse(0.5, 0.5, 0.21, 0.49, -80, -360)),
                style("open-top", 1, from(0.58, 0.02).cubic(0.2, -0.02, 0.18, 0.6, 0.25, 0.8)
                        .cubic(0.32, 1.02, 0.7, 1.04, 0.77, 0.7).cubic(0.83, 0.35, 0.72, 0.02, 0.5, 0.06)));
    }

    private static List<Style> one() {
        return List.of(
                style("stick", 4, from(0.5, 0.0).line(0.5, 1.0)),
                style("flag", 2, from(0.38, 0.15).line(0.53, 0.0).line(0.5, 1.0)),
                style("flag-and-base", 1, from(0.38, 0.15).line(0.53, 0.0).line(0.5, 1.0),
                        from(0.3, 1.0).line(0.72, 0.99)));
    }

    private static List<Style> two() {
        return List.of(
                style("plain", 3, from(0.2, 0.25).cubic(0.22, 0.0, 0.76, -0.04, 0.77, 0.24)
                        .cubic(0.78, 0.45, 0.45, 0.7, 0.18, 0.99).line(0.84, 0.97)),
                style("looped", 2, from(0.2, 0.22).cubic(0.24, -0.02, 0.8, -0.02, 0.75, 0.28)
                        .cubic(0.7, 0.52, 0.42, 0.74, 0.26, 0.9)
                        .cubic(0.14, 1.02, 0.08, 0.8, 0.3, 0.86).cubic(0.48, 0.92, 0.66, 1.0, 0.86, 0.94)),
                style("swan", 1, from(0.18, 0.3).cubic(0.18, 0.0, 0.8, -0.02, 0.76, 0.3)
                        .quad(0.66, 0.62, 0.2, 0.98).quad(0.5, 0.9, 0.86, 1.0)));
    }

    private static List<Style> three() {
        return List.of(
                style("round", 3, from(0.2, 0.15).cubic(0.35, -0.05, 0.8, -0.02, 0.72, 0.22)
                        .cubic(0.66, 0.42, 0.46, 0.46, 0.38, 0.47)
                        .cubic(0.66, 0.47, 0.82, 0.62, 0.78, 0.78).cubic(0.72, 1.02, 0.3, 1.02, 0.17, 0.86)),
                style("flat-top", 1, from(0.2, 0.02).line(0.78, 0.02).line(0.42, 0.42)
                        .cubic(0.7, 0.38, 0.85, 0.6, 0.78, 0.8).cubic(0.7, 1.02, 0.3, 1.02, 0.17, 0.87)),
                style("pointed", 1, from(0.22, 0.12).cubic(0.4, -0.04, 0.78, 0.02, 0.7, 0.24)
                        .quad(0.62, 0.42, 0.4, 0.48).quad(0.86, 0.54, 0.76, 0.8)
                        .cubic(0.68, 1.0, 0.3, 1.02, 0.18, 0.88)));
    }

    private static List<Style> four() {
        return List.of(
                style("open", 3, from(0.26, 0.0).line(0.17, 0.6).line(0.86, 0.6),
                        from(0.68, 0.08).line(0.66, 1.0)),
                style("closed", 2, from(0.62, 0.0).line(0.12, 0.66).line(0.88, 0.66),
                        from(0.62, 0.0).line(0.62, 1.0)),
                style("curved-open", 2, from(0.22, 0.0).cubic(0.17, 0.35, 0.22, 0.6, 0.5, 0.6).line(0.87, 0.57),
                        from(0.7, 0.04).line(0.68, 1.0)),
                style("leaning", 1, from(0.42, 0.0).line(0.15, 0.6).line(0.86, 0.58),
                        from(0.66, 0.22).line(0.65, 1.0)));
    }

    private static List<Style> five() {
        // Stem, then belly; the flag is a separate stroke or comes first in one stroke.
        return List.of(
                style("two-strokes", 3, from(0.32, 0.02).line(0.28, 0.46)
                        .cubic(0.45, 0.34, 0.86, 0.4, 0.79, 0.72).cubic(0.72, 1.03, 0.3, 1.02, 0.17, 0.86),
                        from(0.32, 0.02).line(0.8, 0.0)),
                style("one-stroke", 2, from(0.8, 0.0).line(0.33, 0.02).line(0.28, 0.46)
                        .cubic(0.45, 0.34, 0.86, 0.4, 0.79, 0.72).cubic(0.72, 1.03, 0.3, 1.02, 0.17, 0.86)));
    }

    private static List<Style> six() {
        return List.of(
                style("curved", 3, from(0.7, 0.04).cubic(0.45, 0.04, 0.22, 0.35, 0.22, 0.66)
                        .cubic(0.22, 0.9, 0.4, 1.0, 0.52, 1.0).cubic(0.72, 1.0, 0.8, 0.86, 0.78, 0.72)
                        .cubic(0.76, 0.52, 0.48, 0.46, 0.24, 0.64)),
                style("long-stem", 2, from(0.68, 0.0).quad(0.3, 0.35, 0.3, 0.76)
                        .cubic(0.3, 0.98, 0.7, 1.02, 0.72, 0.8).cubic(0.74, 0.6, 0.45, 0.55, 0.3, 0.72)),
                style("straight", 1, from(0.62, 0.0).line(0.28, 0.66)
                        .arc(0.51, 0.75, 0.24, 0.24, 160, -340)));
    }

    private static List<Style> seven() {
        return List.of(
                style("plain", 4, from(0.18, 0.02).line(0.82, 0.0).quad(0.58, 0.42, 0.44, 1.0)),
                style("crossbar", 1, from(0.18, 0.02).line(0.82, 0.0).quad(0.58, 0.42, 0.44, 1.0),
                        from(0.36, 0.52).line(0.76, 0.5)),
                style("hooked", 1, from(0.18, 0.16).line(0.2, 0.0).line(0.82, 0.02).line(0.46, 1.0)));
    }

    private static List<Style> eight() {
        return List.of(
                style("one-stroke", 3, from(0.7, 0.14).cubic(0.6, -0.04, 0.25, -0.02, 0.28, 0.2)
                        .cubic(0.3, 0.38, 0.74, 0.5, 0.77, 0.74).cubic(0.8, 1.02, 0.2, 1.02, 0.23, 0.74)
                        .cubic(0.26, 0.52, 0.72, 0.4, 0.72, 0.2)),
                style("narrow", 2, from(0.62, 0.12).cubic(0.56, -0.02, 0.36, 0.0, 0.38, 0.18)
                        .cubic(0.4, 0.34, 0.66, 0.46, 0.68, 0.72).cubic(0.7, 1.0, 0.3, 1.02, 0.32, 0.74)
                        .cubic(0.34, 0.52, 0.62, 0.36, 0.62, 0.18)),
                style("stacked", 1, ellipse(0.5, 0.24, 0.2, 0.23, -90, 360),
                        ellipse(0.5, 0.73, 0.26, 0.26, -90, -360)));
    }

    private static List<Style> nine() {
        return List.of(
                style("straight-tail", 3, ellipse(0.46, 0.27, 0.25, 0.25, 0, -360).line(0.68, 1.0)),
                style("curved-tail", 2, ellipse(0.46, 0.27, 0.25, 0.25, 0, -360)
                        .cubic(0.72, 0.6, 0.66, 0.96, 0.4, 0.99)),
                style("small-loop", 2, ellipse(0.48, 0.22, 0.2, 0.2, 10, -360).line(0.66, 1.0)),
                style("retraced", 1, from(0.68, 0.1).cubic(0.5, -0.04, 0.2, 0.04, 0.22, 0.26)
                        .cubic(0.24, 0.5, 0.62, 0.48, 0.7, 0.28).line(0.72, 0.0).line(0.64, 1.0)),
                style("slanted-loop", 1, ellipse(0.44, 0.28, 0.27, 0.22, 10, -350).line(0.6, 1.0)));
    }
}
