package dev.panamax.backend;

import dev.panamax.tensor.DType;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;

/**
 * Argument checks shared by every backend, so both reject the same inputs with the same
 * message (naming the op and every shape involved) before any work or native call.
 */
public final class OpChecks {
    private OpChecks() {
    }

    /** Checks matmul operands; returns {@code {m, n, k}}. */
    public static long[] matmul(Tensor a, boolean transposeA, Tensor b, boolean transposeB, Tensor dst) {
        String op = "matmul";
        notNull(op, "a", a);
        notNull(op, "b", b);
        notNull(op, "dst", dst);
        String shapes = "a=" + a.describeShape() + (transposeA ? "ᵀ" : "") + ", b=" + b.describeShape()
                + (transposeB ? "ᵀ" : "") + ", dst=" + dst.describeShape();
        for (Tensor t : new Tensor[] {a, b, dst}) {
            plainFloat(op, t, shapes);
            if (t.shape().rank() != 2) {
                throw new IllegalArgumentException(op + ": operands must be 2-D matrices; got " + shapes);
            }
        }
        long m = transposeA ? a.shape().dim(1) : a.shape().dim(0);
        long k = transposeA ? a.shape().dim(0) : a.shape().dim(1);
        long kb = transposeB ? b.shape().dim(1) : b.shape().dim(0);
        long n = transposeB ? b.shape().dim(0) : b.shape().dim(1);
        if (k != kb) {
            throw new IllegalArgumentException(op + ": inner dimensions differ (" + k + " vs " + kb + "); got " + shapes);
        }
        if (!dst.shape().equals(Shape.of(m, n))) {
            throw new IllegalArgumentException(op + ": dst must be [" + m + ", " + n + "]; got " + shapes);
        }
        return new long[] {m, n, k};
    }

    /** Checks plain HWIO weights for {@code spec}. */
    public static void conv2dWeights(Conv2dSpec spec, Tensor weights) {
        String op = "conv2d";
        notNull(op, "spec", spec);
        notNull(op, "weights", weights);
        String shapes = "weights=" + weights.describeShape() + " for " + spec;
        plainFloat(op, weights, shapes);
        if (!weights.shape().equals(spec.weightsShape())) {
            throw new IllegalArgumentException(op + ": weights must be HWIO " + spec.weightsShape() + "; got " + shapes);
        }
    }

    /** Checks forward operands; weights may be in a backend layout (the backend checks which). */
    public static void conv2dForward(Conv2dSpec spec, Tensor src, Tensor weights, Tensor bias, Tensor dst) {
        String op = "conv2d";
        notNull(op, "spec", spec);
        notNull(op, "src", src);
        notNull(op, "weights", weights);
        notNull(op, "dst", dst);
        String shapes = "src=" + src.describeShape() + ", weights=" + weights.describeShape()
                + ", bias=" + (bias == null ? "none" : bias.describeShape()) + ", dst=" + dst.describeShape()
                + " for " + spec;
        plainFloat(op, src, shapes);
        plainFloat(op, dst, shapes);
        if (weights.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(op + ": weights must be float32; got " + shapes);
        }
        if (!src.shape().equals(spec.srcShape())) {
            throw new IllegalArgumentException(op + ": src must be NHWC " + spec.srcShape() + "; got " + shapes);
        }
        if (!dst.shape().equals(spec.dstShape())) {
            throw new IllegalArgumentException(op + ": dst must be NHWC " + spec.dstShape() + "; got " + shapes);
        }
        if (!weights.shape().equals(spec.weightsShape())) {
            throw new IllegalArgumentException(op + ": weights must be HWIO " + spec.weightsShape() + "; got " + shapes);
        }
        if (spec.hasBias()) {
            if (bias == null) {
                throw new IllegalArgumentException(op + ": the spec has a bias but none was given; got " + shapes);
            }
            plainFloat(op, bias, shapes);
            if (!bias.shape().equals(spec.biasShape())) {
                throw new IllegalArgumentException(op + ": bias must be " + spec.biasShape() + "; got " + shapes);
            }
        } else if (bias != null) {
            throw new IllegalArgumentException(op + ": a bias was given but the spec has none; got " + shapes);
        }
        if (dst.segment().asOverlappingSlice(src.segment()).isPresent()) {
            throw new IllegalArgumentException(op + ": dst overlaps src; got " + shapes);
        }
    }

    private static void plainFloat(String op, Tensor t, String shapes) {
        if (t.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(op + ": operands must be float32; got " + shapes);
        }
        if (!t.layout().isRowMajor()) {
            throw new IllegalArgumentException(op + ": operand " + t.describeShape() + " is in backend layout '"
                    + t.layout() + "', expected row-major; got " + shapes);
        }
        t.segment(); // throws IllegalStateException if its scope is closed
    }

    private static void notNull(String op, String name, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(op + ": " + name + " is null");
        }
    }
}
