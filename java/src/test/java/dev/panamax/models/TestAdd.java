package dev.panamax.models;

import dev.panamax.autograd.Var;
import dev.panamax.layers.Layer;
import dev.panamax.layers.LayerConfigs;
import dev.panamax.layers.LayerShapes;
import dev.panamax.tensor.Shape;
import java.util.List;
import java.util.Map;

/** A test-only merge layer (element-wise sum of same-shape inputs), to build skip connections and shared towers. */
final class TestAdd extends Layer {

    TestAdd(String name) {
        super(name);
    }

    @Override
    protected void checkInputCount(int count) {
        if (count < 2) {
            throw new IllegalArgumentException("Layer '" + name() + "' (TestAdd) takes at least 2 inputs; got " + count);
        }
    }

    @Override
    public Shape computeOutputShape(List<Shape> inputShapes) {
        for (Shape s : inputShapes) {
            if (!s.equals(inputShapes.get(0))) {
                throw new IllegalArgumentException("Layer '" + name() + "' (TestAdd) needs inputs of one shape; got "
                        + inputShapes.stream().map(LayerShapes::withBatch).toList());
            }
        }
        return inputShapes.get(0);
    }

    @Override
    protected void build(List<Shape> inputShapes) {
    }

    @Override
    public Var call(List<Var> inputs, boolean training) {
        Var sum = inputs.get(0);
        for (int i = 1; i < inputs.size(); i++) sum = sum.ops().add(sum, inputs.get(i));
        return sum;
    }

    static TestAdd fromConfig(Map<String, Object> c) {
        return LayerConfigs.common(new TestAdd(LayerConfigs.string(c, "name", null)), c);
    }
}
