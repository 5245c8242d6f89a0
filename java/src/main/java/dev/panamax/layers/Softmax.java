package dev.panamax.layers;

import dev.panamax.autograd.Ops;
import dev.panamax.autograd.Var;
import dev.panamax.tensor.Shape;
import java.util.Arrays;
import java.util.Map;

/**
 * Keras' {@code Softmax} layer: {@code exp(x) / Σ exp(x)} along {@code axis} (of the full shape, batch
 * included; -1 by default), numerically stable. Another axis than the last is moved last and back.
 */
public class Softmax extends Layer {
    private final int axis;

    public Softmax() {
        this(-1, null);
    }

    public Softmax(int axis, String name) {
        super(name);
        this.axis = axis;
    }

    public int axis() {
        return axis;
    }

    /** The axis of the batched input, checked against its rank. */
    private int batchedAxis(Shape perExample) {
        int rank = perExample.rank() + 1;
        int a = axis < 0 ? axis + rank : axis;
        if (a < 1 || a >= rank) {
            throw shapeError("`axis` must name an axis of the examples (1 to " + (rank - 1) + ", or negative)."
                    + " Received: axis=" + axis, perExample);
        }
        return a;
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        if (inputShape.rank() < 1) throw shapeError("expects inputs of rank >= 2 (with the batch)", inputShape);
        batchedAxis(inputShape);
        return inputShape;
    }

    @Override
    public Var call(Var input, boolean training) {
        Ops ops = input.ops();
        int rank = input.shape().rank();
        int a = batchedAxis(Shape.of(Arrays.copyOfRange(input.shape().dims(), 1, rank)));
        if (a == rank - 1) return ops.softmax(input);
        int[] swap = new int[rank]; // swapping two axes is its own inverse
        for (int i = 0; i < rank; i++) swap[i] = i;
        swap[a] = rank - 1;
        swap[rank - 1] = a;
        return ops.transpose(ops.softmax(ops.transpose(input, swap)), swap);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("axis", axis);
        return c;
    }

    public static Softmax fromConfig(Map<String, Object> c) {
        return LayerConfigs.common(new Softmax(LayerConfigs.intValue(c, "axis", -1),
                LayerConfigs.string(c, "name", null)), c);
    }
}
