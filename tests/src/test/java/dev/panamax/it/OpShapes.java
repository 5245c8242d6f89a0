package dev.panamax.it;

import dev.panamax.backend.Conv2dSpec;
import dev.panamax.backend.Pool2dSpec;
import java.util.List;
import java.util.stream.Stream;

/**
 * The shared list of problem shapes every native-vs-Java comparison runs on, forward and
 * backward: 1x1 kernels, strides larger than the kernel, padding (symmetric, asymmetric,
 * "same"), batch 1, odd sizes, groups and depthwise, dilation. Descriptors are those of
 * {@link Conv2dSpec#parse} and {@link Pool2dSpec#parse}, as in the benchmarks.
 */
final class OpShapes {
    private OpShapes() {
    }

    static final List<String> CONVS = List.of(
            "n1_c1h5w5_oc1k3s1p0",                      // batch 1, one channel
            "n2_c3h7w9_oc5k3s2p1_b",                    // odd sizes, stride 2, padding
            "n3_c4h8w8_oc6k1s1p0",                      // 1x1 kernel
            "n1_c3h8w8_oc2k2s3p0",                      // stride larger than the kernel
            "n2_c3h8w7_oc2k1s3p0_b",                    // 1x1 kernel, stride 3
            "n2_c6h9w7_oc4k3s1p1g2_b",                  // groups and bias
            "n1_c8h10w10_oc8k3s1p2d2g8",                // depthwise, dilated
            "n2_c8h9w9_oc16k3s1p1g8_b",                 // depthwise with a channel multiplier of 2
            "n1_c4h10w9_oc6k3s1p2d2_b",                 // dilated
            "n1_c2h6w5_oc3kh3kw2sh2sw1pt1pl0pb0pr1_b",  // everything asymmetric
            "n2_c5h9w9_oc7k4s2pt1pl1pb2pr2",            // "same" padding of an even kernel
            "n4_c16h14w14_oc32k3s1p1_b",                // channel blocks of the optimized kernels
            "n2_c32h13w11_oc64k5s2p2",                  // large kernel, odd sizes
            "n1_c1h28w28_oc32k3s1p0_b");                // an MNIST model's first layer

    static final List<String> POOLS = List.of(
            "n2_c3h8w8_k2s2p0_max",
            "n1_c4h7w9_k3s2p1_max",                     // padding never wins a max
            "n1_c3h5w5_k2s3p0_max",                     // stride larger than the kernel
            "n2_c5h7w6_kh3kw2sh1sw2pt1pl1pb1pr0_max",   // asymmetric
            "n2_c5h6w6_k3s1p1_avg",                     // padding excluded (Keras "same")
            "n1_c2h7w5_k3s2p1_avgpad",                  // padding included
            "n1_c3h9w9_k3s2pt0pl0pb2pr2_avg",           // padding only after: exclusion matters at the edges
            "n2_c4h5w7_k2s3p0_avg",                     // stride larger than the kernel
            "n1_c17h6w6_k3s3p0_avgpad");                // channels not a multiple of the vector width

    /** Global average pooling over images of several sizes. */
    static final List<Pool2dSpec> GLOBAL_AVERAGE = List.of(
            Pool2dSpec.globalAverage(2, 7, 7, 8),
            Pool2dSpec.globalAverage(1, 5, 3, 17),
            Pool2dSpec.globalAverage(3, 1, 1, 4));

    static Stream<String> convs() {
        return CONVS.stream();
    }

    static Stream<Pool2dSpec> pools() {
        return Stream.concat(POOLS.stream().map(Pool2dSpec::parse), GLOBAL_AVERAGE.stream());
    }
}
