package dev.panamax.backend.purejava;

import static dev.panamax.backend.purejava.TestTensors.doubles;
import static dev.panamax.backend.purejava.TestTensors.dot;
import static dev.panamax.backend.purejava.TestTensors.smallInts;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.panamax.backend.Conv2dSpec;
import dev.panamax.backend.Pool2dSpec;
import dev.panamax.tensor.DType;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Tensor;
import java.util.Random;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Properties over random shapes. Convolution's passes are adjoint linear maps:
 * {@code <conv(x, w), dy> = <x, bwdData(dy, w)> = <w, bwdWeights(x, dy)>}; with small integers
 * every side is exact, so they must be equal in double. Pooling keeps its shapes and moves
 * gradient mass as its definition says.
 */
class ConvPoolPropertiesTest {
    private static final JavaBackend BACKEND = new JavaBackend();

    @AfterContainer
    static void close() {
        BACKEND.close();
    }

    @Property(tries = 150)
    void convolutionPassesAreAdjoint(@ForAll @IntRange(min = 1, max = 3) int batch,
                                     @ForAll @IntRange(min = 1, max = 11) int height,
                                     @ForAll @IntRange(min = 1, max = 11) int width,
                                     @ForAll @IntRange(min = 1, max = 3) int groups,
                                     @ForAll @IntRange(min = 1, max = 4) int cig,
                                     @ForAll @IntRange(min = 1, max = 4) int og,
                                     @ForAll @IntRange(min = 1, max = 4) int kh,
                                     @ForAll @IntRange(min = 1, max = 4) int kw,
                                     @ForAll @IntRange(min = 1, max = 4) int sh,
                                     @ForAll @IntRange(min = 1, max = 4) int sw,
                                     @ForAll @IntRange(min = 0, max = 3) int padTop,
                                     @ForAll @IntRange(min = 0, max = 3) int padRight,
                                     @ForAll @IntRange(min = 1, max = 3) int dilation,
                                     @ForAll boolean bias,
                                     @ForAll long seed) {
        long effH = (kh - 1L) * dilation + 1, effW = (kw - 1L) * dilation + 1;
        Assume.that(height + padTop >= effH && width + padRight >= effW);
        Conv2dSpec spec = new Conv2dSpec(batch, height, width, (long) groups * cig, (long) groups * og, kh, kw, sh, sw,
                padTop, 0, 0, padRight, dilation, dilation, groups, bias);
        Random random = new Random(seed);
        try (MemoryScope scope = MemoryScope.open("adjoint")) {
            Tensor x = smallInts(scope, random, spec.srcShape());
            Tensor w = smallInts(scope, random, spec.weightsShape());
            Tensor b = bias ? smallInts(scope, random, spec.biasShape()) : null;
            Tensor dy = smallInts(scope, random, spec.dstShape());
            Tensor y = Tensor.zeros(scope, DType.FLOAT32, spec.dstShape());
            Tensor dx = Tensor.zeros(scope, DType.FLOAT32, spec.srcShape());
            Tensor dw = Tensor.zeros(scope, DType.FLOAT32, spec.weightsShape());
            Tensor db = bias ? Tensor.zeros(scope, DType.FLOAT32, spec.biasShape()) : null;
            BACKEND.conv2dForward(spec, x, w, b, y);
            BACKEND.conv2dBackwardData(spec, dy, w, dx);
            BACKEND.conv2dBackwardWeights(spec, x, dy, dw, db);
            double[] dyd = doubles(dy);
            double biasTerm = bias ? dot(doubles(b), doubles(db)) : 0; // <b, Σ dy>
            double forward = dot(doubles(y), dyd) - biasTerm;
            assertEquals(forward, dot(doubles(x), doubles(dx)), 0, spec + ": <conv(x,w), dy> vs <x, bwdData>");
            assertEquals(forward, dot(doubles(w), doubles(dw)), 0, spec + ": <conv(x,w), dy> vs <w, bwdWeights>");
            if (bias) {
                assertArrayEquals(TestTensors.floats(ReferenceOps.conv2dBackwardBias(spec, dyd)), db.toFloatArray());
            }
        }
    }

    @Property(tries = 150)
    void poolingKeepsShapesAndGradientMass(@ForAll @IntRange(min = 1, max = 2) int batch,
                                           @ForAll @IntRange(min = 1, max = 10) int height,
                                           @ForAll @IntRange(min = 1, max = 10) int width,
                                           @ForAll @IntRange(min = 1, max = 70) int channels,
                                           @ForAll @IntRange(min = 1, max = 4) int kh,
                                           @ForAll @IntRange(min = 1, max = 4) int kw,
                                           @ForAll @IntRange(min = 1, max = 4) int stride,
                                           @ForAll @IntRange(min = 0, max = 3) int padBefore,
                                           @ForAll @IntRange(min = 0, max = 3) int padAfter,
                                           @ForAll Pool2dSpec.Kind kind,
                                           @ForAll long seed) {
        Assume.that(padBefore < Math.min(kh, kw) && padAfter < Math.min(kh, kw));
        Assume.that(height + padBefore + padAfter >= kh && width + padBefore + padAfter >= kw);
        Pool2dSpec spec = new Pool2dSpec(batch, height, width, channels, kh, kw, stride, stride, padBefore, padBefore,
                padAfter, padAfter, kind);
        Random random = new Random(seed);
        try (MemoryScope scope = MemoryScope.open("pool")) {
            Tensor x = Tensor.zeros(scope, DType.FLOAT32, spec.srcShape());
            x.fill(2.5f);
            Tensor y = Tensor.zeros(scope, DType.FLOAT32, spec.dstShape());
            Tensor workspace = BACKEND.pool2dWorkspace(spec, scope);
            BACKEND.pool2dForward(spec, x, y, workspace);
            for (float v : y.toFloatArray()) {
                // A constant image pools to the constant, except where the divisor counts padding.
                if (kind != Pool2dSpec.Kind.AVG_INCLUDE_PAD) assertEquals(2.5f, v, spec.toString());
            }
            Tensor dy = smallInts(scope, random, spec.dstShape());
            Tensor dx = Tensor.zeros(scope, DType.FLOAT32, spec.srcShape());
            BACKEND.pool2dBackward(spec, dy, workspace, dx);
            double expected = 0;
            double[] dyd = doubles(dy);
            int c = channels;
            for (int i = 0; i < dyd.length; i++) {
                if (kind != Pool2dSpec.Kind.AVG_INCLUDE_PAD) {
                    expected += dyd[i];
                } else {
                    int pixel = i / c;
                    int oh = (int) (pixel / spec.outWidth() % spec.outHeight());
                    int ow = (int) (pixel % spec.outWidth());
                    long rows = Math.min(height, oh * stride - padBefore + kh) - Math.max(0, oh * stride - padBefore);
                    long cols = Math.min(width, ow * stride - padBefore + kw) - Math.max(0, ow * stride - padBefore);
                    expected += dyd[i] * rows * cols / (kh * kw);
                }
            }
            double total = 0;
            for (float v : dx.toFloatArray()) total += v;
            assertEquals(expected, total, 1e-4 * (1 + Math.abs(expected)), spec + ": gradient mass");
        }
    }
}
