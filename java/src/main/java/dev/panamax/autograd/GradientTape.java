package dev.panamax.autograd;

import dev.panamax.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Records the ops run in training mode so that {@link #backward} can compute gradients in
 * reverse order (reverse-mode autodiff). One tape serves one step: after backward it is
 * cleared, and no graph is retained. Ops run without a tape record nothing (inference).
 */
public final class GradientTape {
    /** The backward pass of one recorded op: reads {@code output.grad}, adds to its inputs' gradients. */
    @FunctionalInterface
    public interface BackwardStep {
        void run(Tensor diffDst);
    }

    private record Entry(Var output, BackwardStep step) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private boolean used;

    void record(Var output, BackwardStep step) {
        if (used) {
            throw new IllegalStateException("GradientTape: backward already ran; use a new tape for the next step");
        }
        entries.add(new Entry(output, step));
    }

    /** Number of ops recorded so far. */
    public int size() {
        return entries.size();
    }

    /**
     * Back-propagates from {@code loss} (a single element; its gradient is 1), accumulating into
     * every parameter reached, then clears the tape.
     */
    public void backward(Var loss) {
        if (loss.value().size() != 1) {
            throw new IllegalArgumentException("GradientTape.backward: loss must have one element; got "
                    + loss.value().describeShape());
        }
        backward(loss, loss.ops().filled(loss.shape(), 1f));
    }

    /** Back-propagates from {@code output} with the given upstream gradient (vector-Jacobian product). */
    public void backward(Var output, Tensor diffOutput) {
        if (used) {
            throw new IllegalStateException("GradientTape: backward already ran on this tape");
        }
        if (!diffOutput.shape().equals(output.shape())) {
            throw new IllegalArgumentException("GradientTape.backward: gradient " + diffOutput.describeShape()
                    + " does not match the output " + output.value().describeShape());
        }
        used = true;
        output.ops().accumulate(output, diffOutput);
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry e = entries.get(i);
            Tensor g = e.output().grad;
            if (g != null) {
                e.step().run(g);
            }
        }
        entries.clear();
    }
}
