package dev.panamax.backend;

import dev.panamax.tensor.Shape;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A 2-D pooling problem over NHWC tensors: src {@code [batch, inHeight, inWidth, channels]},
 * dst {@code [batch, outHeight, outWidth, channels]}. Padded positions never win a max and,
 * for {@link Kind#AVG_EXCLUDE_PAD}, are not counted in an average (Keras' {@code "same"}
 * average pooling); {@link Kind#AVG_INCLUDE_PAD} divides by the full window.
 *
 * <p>Descriptor strings, shared with the benchmarks: {@code n32_c64h56w56_k3s2p1_max};
 * kernel k (or kh, kw), stride s (or sh, sw), padding p (or pt, pl, pb, pr), then the kind
 * {@code max}, {@code avg} (padding excluded) or {@code avgpad} (padding included).
 */
public record Pool2dSpec(long batch, long inHeight, long inWidth, long channels,
                         long kernelHeight, long kernelWidth, long strideHeight, long strideWidth,
                         long padTop, long padLeft, long padBottom, long padRight, Kind kind) {

    /** How a window is reduced. */
    public enum Kind {
        MAX("max"), AVG_EXCLUDE_PAD("avg"), AVG_INCLUDE_PAD("avgpad");

        private final String code;

        Kind(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    public Pool2dSpec {
        positive("batch", batch);
        positive("inHeight", inHeight);
        positive("inWidth", inWidth);
        positive("channels", channels);
        positive("kernelHeight", kernelHeight);
        positive("kernelWidth", kernelWidth);
        positive("strideHeight", strideHeight);
        positive("strideWidth", strideWidth);
        nonNegative("padTop", padTop);
        nonNegative("padLeft", padLeft);
        nonNegative("padBottom", padBottom);
        nonNegative("padRight", padRight);
        if (kind == null) throw new IllegalArgumentException("pool2d: kind must not be null");
        if (padTop >= kernelHeight || padBottom >= kernelHeight || padLeft >= kernelWidth || padRight >= kernelWidth) {
            throw new IllegalArgumentException("pool2d: padding must be smaller than the kernel " + kernelHeight + "x"
                    + kernelWidth + ". Received: pads=" + padTop + "," + padLeft + "," + padBottom + "," + padRight);
        }
        if (inHeight + padTop + padBottom < kernelHeight || inWidth + padLeft + padRight < kernelWidth) {
            throw new IllegalArgumentException("pool2d: padded input " + (inHeight + padTop + padBottom) + "x"
                    + (inWidth + padLeft + padRight) + " is smaller than the kernel " + kernelHeight + "x" + kernelWidth);
        }
    }

    /** Square window k, stride s, symmetric padding p. */
    public static Pool2dSpec of(long batch, long height, long width, long channels, long kernel, long stride,
                                long pad, Kind kind) {
        return new Pool2dSpec(batch, height, width, channels, kernel, kernel, stride, stride, pad, pad, pad, pad, kind);
    }

    /** Global average pooling: one window over the whole image. */
    public static Pool2dSpec globalAverage(long batch, long height, long width, long channels) {
        return new Pool2dSpec(batch, height, width, channels, height, width, 1, 1, 0, 0, 0, 0, Kind.AVG_INCLUDE_PAD);
    }

    public long outHeight() {
        return (inHeight + padTop + padBottom - kernelHeight) / strideHeight + 1;
    }

    public long outWidth() {
        return (inWidth + padLeft + padRight - kernelWidth) / strideWidth + 1;
    }

    public Shape srcShape() {
        return Shape.of(batch, inHeight, inWidth, channels);
    }

    public Shape dstShape() {
        return Shape.of(batch, outHeight(), outWidth(), channels);
    }

    public Pool2dSpec withBatch(long n) {
        return new Pool2dSpec(n, inHeight, inWidth, channels, kernelHeight, kernelWidth, strideHeight, strideWidth,
                padTop, padLeft, padBottom, padRight, kind);
    }

    private static final Pattern DESCRIPTOR = Pattern.compile("n(\\d+)_c(\\d+)h(\\d+)w(\\d+)_((?:[a-z]+\\d+)*)_(max|avg|avgpad)");
    private static final Pattern FIELD = Pattern.compile("([a-z]+)(\\d+)");

    /** Parses a descriptor such as {@code n32_c64h56w56_k3s2p1_max}; omitted fields: s = k, p0. */
    public static Pool2dSpec parse(String descriptor) {
        Matcher m = DESCRIPTOR.matcher(descriptor.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("Pool2dSpec.parse: '" + descriptor
                    + "' does not match n<N>_c<C>h<H>w<W>_k<K>[s<S>][p<P>]_<max|avg|avgpad>");
        }
        long[] f = {-1, -1, -1, -1, 0, 0, 0, 0}; // kh kw sh sw pt pl pb pr
        Matcher fm = FIELD.matcher(m.group(5));
        while (fm.find()) {
            long v = Long.parseLong(fm.group(2));
            switch (fm.group(1)) {
                case "k" -> { f[0] = v; f[1] = v; }
                case "kh" -> f[0] = v;
                case "kw" -> f[1] = v;
                case "s" -> { f[2] = v; f[3] = v; }
                case "sh" -> f[2] = v;
                case "sw" -> f[3] = v;
                case "p" -> { f[4] = v; f[5] = v; f[6] = v; f[7] = v; }
                case "pt" -> f[4] = v;
                case "pl" -> f[5] = v;
                case "pb" -> f[6] = v;
                case "pr" -> f[7] = v;
                default -> throw new IllegalArgumentException("Pool2dSpec.parse: unknown field '" + fm.group(1)
                        + "' in '" + descriptor + "'");
            }
        }
        if (f[0] < 0 || f[1] < 0) {
            throw new IllegalArgumentException("Pool2dSpec.parse: '" + descriptor + "' has no kernel size (k<K>)");
        }
        Kind kind = switch (m.group(6)) {
            case "max" -> Kind.MAX;
            case "avg" -> Kind.AVG_EXCLUDE_PAD;
            default -> Kind.AVG_INCLUDE_PAD;
        };
        return new Pool2dSpec(Long.parseLong(m.group(1)), Long.parseLong(m.group(3)), Long.parseLong(m.group(4)),
                Long.parseLong(m.group(2)), f[0], f[1], f[2] < 0 ? f[0] : f[2], f[3] < 0 ? f[1] : f[3],
                f[4], f[5], f[6], f[7], kind);
    }

    /** The descriptor of this problem, which {@link #parse} reads back. */
    public String descriptor() {
        StringBuilder b = new StringBuilder().append('n').append(batch).append("_c").append(channels)
                .append('h').append(inHeight).append('w').append(inWidth).append('_');
        if (kernelHeight == kernelWidth) b.append('k').append(kernelHeight);
        else b.append("kh").append(kernelHeight).append("kw").append(kernelWidth);
        if (strideHeight == strideWidth) b.append('s').append(strideHeight);
        else b.append("sh").append(strideHeight).append("sw").append(strideWidth);
        if (padTop == padLeft && padTop == padBottom && padTop == padRight) b.append('p').append(padTop);
        else b.append("pt").append(padTop).append("pl").append(padLeft).append("pb").append(padBottom).append("pr").append(padRight);
        return b.append('_').append(kind.code()).toString();
    }

    @Override
    public String toString() {
        return "Pool2dSpec[" + descriptor() + "]";
    }

    private static void positive(String name, long v) {
        if (v < 1) throw new IllegalArgumentException("pool2d: " + name + " must be positive. Received: " + name + "=" + v);
    }

    private static void nonNegative(String name, long v) {
        if (v < 0) throw new IllegalArgumentException("pool2d: " + name + " must be non-negative. Received: " + name + "=" + v);
    }
}
