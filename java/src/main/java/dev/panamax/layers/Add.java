package dev.panamax.layers;

import dev.panamax.autograd.Ops;
import dev.panamax.autograd.Var;
import dev.panamax.tensor.Shape;
import java.util.List;
import java.util.Map;

/** Keras' {@code Add} merge layer: the element-wise sum of any number of inputs of one shape. */
public class Add extends Layer {

    public Add() {
        this(null);
    }

    public Add(String name) {
        super(name);
    }

    @Override
    protected void checkInputCount(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("A merge layer should be called on a list of at least 1 input."
                    + " Layer '" + name() + "' got " + count + " inputs");
        }
    }

    @Override
    public Shape computeOutputShape(List<Shape> inputShapes) {
        checkInputCount(inputShapes.size());
        Shape first = inputShapes.get(0);
        for (Shape s : inputShapes) {
            if (!s.equals(first)) {
                throw new IllegalArgumentException("Layer '" + name() + "' (Add): inputs have incompatible shapes."
                        + " Received: input_shape=" + inputShapes.stream().map(LayerShapes::withBatch).toList());
            }
        }
        return first;
    }

    @Override
    protected void build(List<Shape> inputShapes) {
        // no weights
    }

    @Override
    public Var call(List<Var> inputs, boolean training) {
        checkInputCount(inputs.size());
        Ops ops = inputs.get(0).ops();
        Var sum = inputs.get(0);
        for (int i = 1; i < inputs.size(); i++) sum = ops.add(sum, inputs.get(i));
        return sum;
    }

    @Override
    public Var call(Var input, boolean training) {
        return input;
    }

    public static Add fromConfig(Map<String, Object> c) {
        return LayerConfigs.common(new Add(LayerConfigs.string(c, "name", null)), c);
    }
}
