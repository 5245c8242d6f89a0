package dev.panamax.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dense (inner product) problem as a descriptor, in the style of {@code Conv2dSpec}:
 * {@code n128_ic784_oc512} is x {@code [128, 784]} times a kernel {@code [784, 512]}.
 */
public record DenseSpec(long batch, long inFeatures, long outFeatures) {
    private static final Pattern DESCRIPTOR = Pattern.compile("n(\\d+)_ic(\\d+)_oc(\\d+)");

    public DenseSpec {
        if (batch < 1 || inFeatures < 1 || outFeatures < 1) {
            throw new IllegalArgumentException("DenseSpec: sizes must be positive; got batch=" + batch
                    + ", inFeatures=" + inFeatures + ", outFeatures=" + outFeatures);
        }
    }

    public static DenseSpec parse(String descriptor) {
        Matcher m = DESCRIPTOR.matcher(descriptor);
        if (!m.matches()) {
            throw new IllegalArgumentException("DenseSpec.parse: '" + descriptor
                    + "' is not of the form n<N>_ic<IN>_oc<OUT>, e.g. n128_ic784_oc512");
        }
        return new DenseSpec(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)));
    }

    /** Floating-point operations of the forward product (2 per multiply-add; the bias is left out). */
    public double flops() {
        return 2.0 * batch * inFeatures * outFeatures;
    }

    public String descriptor() {
        return "n" + batch + "_ic" + inFeatures + "_oc" + outFeatures;
    }
}
