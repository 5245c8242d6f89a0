package dev.panamax.backend;

import dev.panamax.tensor.Shape;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A 2-D convolution problem over NHWC activations with HWIO weights (Keras' layouts):
 * src {@code [batch, inHeight, inWidth, inChannels]}, weights
 * {@code [kernelHeight, kernelWidth, inChannels / groups, outChannels]}, bias
 * {@code [outChannels]}, dst {@code [batch, outHeight, outWidth, outChannels]}.
 *
 * <p>Problems have descriptor strings shared by tests and benchmarks, after oneDNN's benchdnn:
 * {@code n32_c64h56w56_oc64k3s1p1}; see {@link #parse} and {@link #descriptor}.
 */
public record Conv2dSpec(
        long batch, long inHeight, long inWidth, long inChannels, long outChannels,
        long kernelHeight, long kernelWidth, long strideHeight, long strideWidth,
        long padTop, long padLeft, long padBottom, long padRight,
        long dilationHeight, long dilationWidth, long groups, boolean hasBias) {

    public Conv2dSpec {
        positive("batch", batch);
        positive("inHeight", inHeight);
        positive("inWidth", inWidth);
        positive("inChannels", inChannels);
        positive("outChannels", outChannels);
        positive("kernelHeight", kernelHeight);
        positive("kernelWidth", kernelWidth);
        positive("strideHeight", strideHeight);
        positive("strideWidth", strideWidth);
        nonNegative("padTop", padTop);
        nonNegative("padLeft", padLeft);
        nonNegative("padBottom", padBottom);
        nonNegative("padRight", padRight);
        positive("dilationHeight", dilationHeight);
        positive("dilationWidth", dilationWidth);
        positive("groups", groups);
        if (inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("conv2d: inChannels=" + inChannels + " and outChannels="
                    + outChannels + " must both be divisible by groups=" + groups);
        }
        long effH = (kernelHeight - 1) * dilationHeight + 1;
        long effW = (kernelWidth - 1) * dilationWidth + 1;
        if (inHeight + padTop + padBottom < effH || inWidth + padLeft + padRight < effW) {
            throw new IllegalArgumentException("conv2d: padded input " + (inHeight + padTop + padBottom) + "x"
                    + (inWidth + padLeft + padRight) + " is smaller than the dilated kernel " + effH + "x" + effW);
        }
    }

    /** A square problem: kernel k, stride s, symmetric padding p, no dilation, no groups, no bias. */
    public static Conv2dSpec of(long batch, long height, long width, long inChannels, long outChannels,
                                long kernel, long stride, long pad) {
        return new Conv2dSpec(batch, height, width, inChannels, outChannels, kernel, kernel, stride, stride,
                pad, pad, pad, pad, 1, 1, 1, false);
    }

    /**
     * Keras' {@code padding="same"} amounts for one spatial axis: the output is
     * {@code ceil(in / stride)} and any odd padding goes to the bottom/right, as in TensorFlow.
     * Returns {@code {before, after}}.
     */
    public static long[] samePadding(long in, long kernel, long stride, long dilation) {
        long eff = (kernel - 1) * dilation + 1;
        long out = (in + stride - 1) / stride;
        long total = Math.max((out - 1) * stride + eff - in, 0);
        return new long[] {total / 2, total - total / 2};
    }

    public Conv2dSpec withBias(boolean bias) {
        return new Conv2dSpec(batch, inHeight, inWidth, inChannels, outChannels, kernelHeight, kernelWidth,
                strideHeight, strideWidth, padTop, padLeft, padBottom, padRight, dilationHeight, dilationWidth,
                groups, bias);
    }

    public Conv2dSpec withGroups(long g) {
        return new Conv2dSpec(batch, inHeight, inWidth, inChannels, outChannels, kernelHeight, kernelWidth,
                strideHeight, strideWidth, padTop, padLeft, padBottom, padRight, dilationHeight, dilationWidth,
                g, hasBias);
    }

    public Conv2dSpec withDilation(long dh, long dw) {
        return new Conv2dSpec(batch, inHeight, inWidth, inChannels, outChannels, kernelHeight, kernelWidth,
                strideHeight, strideWidth, padTop, padLeft, padBottom, padRight, dh, dw, groups, hasBias);
    }

    public Conv2dSpec withBatch(long n) {
        return new Conv2dSpec(n, inHeight, inWidth, inChannels, outChannels, kernelHeight, kernelWidth,
                strideHeight, strideWidth, padTop, padLeft, padBottom, padRight, dilationHeight, dilationWidth,
                groups, hasBias);
    }

    public long outHeight() {
        return (inHeight + padTop + padBottom - ((kernelHeight - 1) * dilationHeight + 1)) / strideHeight + 1;
    }

    public long outWidth() {
        return (inWidth + padLeft + padRight - ((kernelWidth - 1) * dilationWidth + 1)) / strideWidth + 1;
    }

    public Shape srcShape() {
        return Shape.of(batch, inHeight, inWidth, inChannels);
    }

    /** HWIO: {@code [kernelHeight, kernelWidth, inChannels / groups, outChannels]}. */
    public Shape weightsShape() {
        return Shape.of(kernelHeight, kernelWidth, inChannels / groups, outChannels);
    }

    public Shape biasShape() {
        return Shape.of(outChannels);
    }

    public Shape dstShape() {
        return Shape.of(batch, outHeight(), outWidth(), outChannels);
    }

    /** Floating-point operations of one forward pass (a multiply-add counts as 2). */
    public double flops() {
        return 2.0 * batch * outHeight() * outWidth() * outChannels * kernelHeight * kernelWidth
                * (inChannels / groups);
    }

    private static final Pattern DESCRIPTOR = Pattern.compile("n(\\d+)_c(\\d+)h(\\d+)w(\\d+)_oc(\\d+)((?:[a-z]+\\d+)*)(_b)?");
    private static final Pattern FIELD = Pattern.compile("([a-z]+)(\\d+)");

    /**
     * Parses a descriptor such as {@code n32_c64h56w56_oc64k3s1p1}: batch n, input channels c,
     * height h, width w, output channels oc, then optional fields: kernel k (or kh, kw), stride
     * s (or sh, sw), padding p (or pt, pl, pb, pr), dilation d (or dh, dw), groups g, and a
     * trailing {@code _b} for a bias. Omitted fields default to k1 s1 p0 d1 g1.
     */
    public static Conv2dSpec parse(String descriptor) {
        Matcher m = DESCRIPTOR.matcher(descriptor);
        if (!m.matches()) {
            throw new IllegalArgumentException("Conv2dSpec.parse: '" + descriptor
                    + "' does not match n<N>_c<C>h<H>w<W>_oc<OC>[k<K>][s<S>][p<P>][d<D>][g<G>][_b]");
        }
        long[] f = {1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1}; // kh kw sh sw pt pl pb pr dh dw g
        Matcher fm = FIELD.matcher(m.group(6));
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
                case "d" -> { f[8] = v; f[9] = v; }
                case "dh" -> f[8] = v;
                case "dw" -> f[9] = v;
                case "g" -> f[10] = v;
                default -> throw new IllegalArgumentException("Conv2dSpec.parse: unknown field '" + fm.group(1)
                        + "' in '" + descriptor + "'");
            }
        }
        return new Conv2dSpec(Long.parseLong(m.group(1)), Long.parseLong(m.group(3)), Long.parseLong(m.group(4)),
                Long.parseLong(m.group(2)), Long.parseLong(m.group(5)), f[0], f[1], f[2], f[3], f[4], f[5], f[6],
                f[7], f[8], f[9], f[10], m.group(7) != null);
    }

    /** The descriptor of this problem, in the shortest form {@link #parse} reads back. */
    public String descriptor() {
        StringBuilder b = new StringBuilder()
                .append('n').append(batch).append("_c").append(inChannels).append('h').append(inHeight)
                .append('w').append(inWidth).append("_oc").append(outChannels);
        pair(b, "k", "kh", "kw", kernelHeight, kernelWidth, -1);
        pair(b, "s", "sh", "sw", strideHeight, strideWidth, -1);
        if (padTop == padLeft && padTop == padBottom && padTop == padRight) {
            b.append('p').append(padTop);
        } else {
            b.append("pt").append(padTop).append("pl").append(padLeft).append("pb").append(padBottom)
                    .append("pr").append(padRight);
        }
        pair(b, "d", "dh", "dw", dilationHeight, dilationWidth, 1);
        if (groups != 1) b.append('g').append(groups);
        if (hasBias) b.append("_b");
        return b.toString();
    }

    private static void pair(StringBuilder b, String both, String first, String second, long v1, long v2, long omit) {
        if (v1 == v2) {
            if (v1 != omit) b.append(both).append(v1);
        } else {
            b.append(first).append(v1).append(second).append(v2);
        }
    }

    @Override
    public String toString() {
        return "Conv2dSpec[" + descriptor() + "]";
    }

    private static void positive(String name, long v) {
        if (v < 1) {
            throw new IllegalArgumentException("conv2d: " + name + " must be positive. Received: " + name + "=" + v);
        }
    }

    private static void nonNegative(String name, long v) {
        if (v < 0) {
            throw new IllegalArgumentException("conv2d: " + name + " must be non-negative. Received: " + name + "=" + v);
        }
    }
}
