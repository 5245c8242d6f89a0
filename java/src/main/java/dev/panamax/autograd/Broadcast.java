package dev.panamax.autograd;

import dev.panamax.backend.Backend;
import dev.panamax.backend.ReduceOp;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;

/** NumPy broadcasting rules for the autograd: the result shape, and gradients summed back to an input. */
final class Broadcast {
    private Broadcast() {
    }

    /** The broadcast shape of a and b (aligned from the right), or an exception naming {@code op} and both. */
    static Shape shape(Shape a, Shape b, String op) {
        int rank = Math.max(a.rank(), b.rank());
        long[] out = new long[rank];
        for (int i = 1; i <= rank; i++) {
            long x = i <= a.rank() ? a.dim(a.rank() - i) : 1;
            long y = i <= b.rank() ? b.dim(b.rank() - i) : 1;
            if (x != y && x != 1 && y != 1) {
                throw new IllegalArgumentException(op + ": shapes " + a + " and " + b + " do not broadcast");
            }
            out[rank - i] = Math.max(x, y);
        }
        return Shape.of(out);
    }

    /** Sums {@code g} (of the broadcast shape) over the axes along which {@code target} was repeated. */
    static Tensor sumTo(Backend backend, Ops ops, Tensor g, Shape target) {
        if (g.shape().equals(target)) return g;
        int rank = g.shape().rank();
        long[] kept = new long[rank];
        int[] axes = new int[rank];
        int n = 0;
        for (int i = 0; i < rank; i++) {
            int ti = i - (rank - target.rank());
            long t = ti >= 0 ? target.dim(ti) : 1;
            kept[i] = t;
            if (t == 1 && g.shape().dim(i) != 1) axes[n++] = i;
        }
        Tensor out = ops.allocate(Shape.of(kept));
        if (n == 0) {
            backend.affine(g, 1f, 0f, out);
        } else {
            backend.reduce(ReduceOp.SUM, g, java.util.Arrays.copyOf(axes, n), out);
        }
        return out.reshape(target.dims());
    }
}
