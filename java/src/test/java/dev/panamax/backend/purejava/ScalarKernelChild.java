package dev.panamax.backend.purejava;

import dev.panamax.backend.Conv2dSpec;
import dev.panamax.backend.PostOps;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.util.Arrays;
import java.util.Random;

/**
 * The process {@link KernelFallbackTest} starts without {@code --add-modules jdk.incubator.vector}:
 * prints the kernel the Java backend reports, then a fingerprint of the bits of a few products
 * and convolutions, which the test compares with the Vector API kernel's in its own JVM.
 */
public final class ScalarKernelChild {
    private ScalarKernelChild() {
    }

    public static void main(String[] args) {
        System.out.println("kernel: " + JavaBackend.multiplyAddKernel());
        System.out.println("fingerprint: " + fingerprint());
    }

    /** Hashes of the raw bits of sgemm and conv2d forward results on seeded data; shapes leave tails. */
    static String fingerprint() {
        StringBuilder sb = new StringBuilder();
        Random random = new Random(5);
        try (JavaBackend backend = new JavaBackend(); MemoryScope scope = MemoryScope.open("fingerprint")) {
            for (int[] mnk : new int[][] {{37, 83, 129}, {64, 256, 300}, {5, 7, 3}}) {
                Tensor a = TestTensors.uniform(scope, random, Shape.of(mnk[0], mnk[2]));
                Tensor b = TestTensors.uniform(scope, random, Shape.of(mnk[2], mnk[1]));
                Tensor c = Tensor.zeros(scope, mnk[0], mnk[1]);
                backend.matmul(a, false, b, false, c);
                sb.append(bitsHash(c)).append(' ');
            }
            for (String descriptor : new String[] {"n2_c8h12w11_oc32k3s1p1_b", "n1_c5h9w9_oc7k3s2p1"}) {
                Conv2dSpec spec = Conv2dSpec.parse(descriptor);
                Tensor src = TestTensors.uniform(scope, random, spec.srcShape());
                Tensor w = TestTensors.uniform(scope, random, spec.weightsShape());
                Tensor bias = spec.hasBias() ? TestTensors.uniform(scope, random, spec.biasShape()) : null;
                Tensor dst = Tensor.zeros(scope, spec.dstShape().dims());
                backend.conv2dForward(spec, PostOps.NONE, src, w, bias, dst);
                sb.append(bitsHash(dst)).append(' ');
            }
        }
        return sb.toString().strip();
    }

    private static int bitsHash(Tensor t) {
        float[] values = t.toFloatArray();
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) bits[i] = Float.floatToRawIntBits(values[i]);
        return Arrays.hashCode(bits);
    }
}
