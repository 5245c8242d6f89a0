package dev.panamax.layers;

import dev.panamax.autograd.Var;
import dev.panamax.tensor.Shape;
import java.util.List;
import java.util.Map;

/**
 * Keras' {@code Concatenate} merge layer: joins its inputs along {@code axis} (of the full shape,
 * batch included; -1 by default). The inputs agree on every other axis.
 */
public class Concatenate extends Layer {
    private final int axis;

    public Concatenate() {
        this(-1, null);
    }

    public Concatenate(int axis) {
        this(axis, null);
    }

    public Concatenate(int axis, String name) {
        super(name);
        this.axis = axis;
    }

    public int axis() {
        return axis;
    }

    @Override
    protected void checkInputCount(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("A `Concatenate` layer should be called on a list of at least 1 input."
                    + " Layer '" + name() + "' got " + count + " inputs");
        }
    }

    @Override
    public Shape computeOutputShape(List<Shape> inputShapes) {
        checkInputCount(inputShapes.size());
        Shape first = inputShapes.get(0);
        int rank = first.rank() + 1;
        int a = axis < 0 ? axis + rank : axis;
        if (a < 1 || a >= rank) {
            throw new IllegalArgumentException("Layer '" + name() + "' (Concatenate): `axis` must name an axis of the"
                    + " examples (1 to " + (rank - 1) + ", or negative). Received: axis=" + axis + ", input_shape="
                    + describe(inputShapes));
        }
        long[] out = first.dims();
        out[a - 1] = 0;
        for (Shape s : inputShapes) {
            boolean matches = s.rank() == first.rank();
            for (int i = 0; matches && i < s.rank(); i++) matches = i == a - 1 || s.dim(i) == first.dim(i);
            if (!matches) {
                throw new IllegalArgumentException("Layer '" + name() + "' (Concatenate): a `Concatenate` layer"
                        + " requires inputs with matching shapes except for the concatenation axis. Received: axis="
                        + axis + ", input_shape=" + describe(inputShapes));
            }
            out[a - 1] += s.dim(a - 1);
        }
        return Shape.of(out);
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        return computeOutputShape(List.of(inputShape));
    }

    private static List<String> describe(List<Shape> shapes) {
        return shapes.stream().map(LayerShapes::withBatch).toList();
    }

    @Override
    protected void build(List<Shape> inputShapes) {
        // no weights
    }

    @Override
    public Var call(List<Var> inputs, boolean training) {
        checkInputCount(inputs.size());
        if (inputs.size() == 1) return inputs.get(0);
        return inputs.get(0).ops().concat(inputs, axis);
    }

    @Override
    public Var call(Var input, boolean training) {
        return input;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("axis", axis);
        return c;
    }

    public static Concatenate fromConfig(Map<String, Object> c) {
        return LayerConfigs.common(new Concatenate(LayerConfigs.intValue(c, "axis", -1),
                LayerConfigs.string(c, "name", null)), c);
    }
}
