package dev.panamax.layers;

import dev.panamax.autograd.Var;
import dev.panamax.tensor.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Keras' {@code Reshape}: each example takes {@code target_shape} (batch axis excluded); one entry
 * may be -1, inferred from the others. Elements keep their row-major order (no copy).
 */
public class Reshape extends Layer {
    private final long[] targetShape;

    public Reshape(long... targetShape) {
        this(targetShape, null);
    }

    public Reshape(long[] targetShape, String name) {
        super(name);
        if (targetShape == null || targetShape.length == 0) {
            throw new IllegalArgumentException("Reshape: `target_shape` must have at least one dimension. Received:"
                    + " target_shape=" + (targetShape == null ? "null" : "()"));
        }
        int unknown = 0;
        for (long d : targetShape) {
            if (d == -1) {
                unknown++;
            } else if (d < 1) {
                throw new IllegalArgumentException("Reshape: every dimension of `target_shape` must be positive or -1."
                        + " Received: target_shape=" + describe(targetShape));
            }
        }
        if (unknown > 1) {
            throw new IllegalArgumentException("There must be at most one unknown dimension (-1) in target_shape."
                    + " Received: target_shape=" + describe(targetShape));
        }
        this.targetShape = targetShape.clone();
    }

    private static String describe(long[] dims) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) b.append(i == 0 ? "" : ", ").append(dims[i]);
        return b.append(dims.length == 1 ? ",)" : ")").toString();
    }

    public long[] targetShape() {
        return targetShape.clone();
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        long known = 1;
        int unknownAt = -1;
        for (int i = 0; i < targetShape.length; i++) {
            if (targetShape[i] == -1) unknownAt = i;
            else known *= targetShape[i];
        }
        long size = inputShape.size();
        boolean fits = unknownAt >= 0 ? size % known == 0 : size == known;
        if (!fits) {
            throw shapeError("the total size of the tensor must be unchanged; " + size
                    + " elements per example cannot take target_shape=" + describe(targetShape), inputShape);
        }
        long[] out = targetShape.clone();
        if (unknownAt >= 0) out[unknownAt] = size / known;
        return Shape.of(out);
    }

    @Override
    public Var call(Var input, boolean training) {
        long[] perExample = Arrays.copyOfRange(input.shape().dims(), 1, input.shape().rank());
        Shape out = computeOutputShape(Shape.of(perExample));
        return input.ops().reshape(input, LayerShapes.batched(input.shape().dim(0), out));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        List<Object> target = new ArrayList<>();
        for (long d : targetShape) target.add(d);
        c.put("target_shape", target);
        return c;
    }

    public static Reshape fromConfig(Map<String, Object> c) {
        Object v = c.get("target_shape");
        if (!(v instanceof List<?> list)) {
            throw new IllegalArgumentException("Layer config: 'target_shape' must be a list of integers. Received: "
                    + v);
        }
        long[] dims = new long[list.size()];
        for (int i = 0; i < dims.length; i++) {
            if (!(list.get(i) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
                throw new IllegalArgumentException("Layer config: 'target_shape' must hold integers. Received: " + v);
            }
            dims[i] = n.longValue();
        }
        return LayerConfigs.common(new Reshape(dims, LayerConfigs.string(c, "name", null)), c);
    }
}
