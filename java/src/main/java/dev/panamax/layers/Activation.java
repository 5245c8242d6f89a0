package dev.panamax.layers;

import dev.panamax.autograd.Var;
import java.util.Map;

/** Keras' {@code Activation} layer: applies a named activation ({@code "relu"}, {@code "softmax"}, ...). */
public class Activation extends Layer {
    private final ActivationFunction activation;

    public Activation(String activation) {
        this(activation, null);
    }

    public Activation(String activation, String name) {
        super(name);
        if (activation == null) {
            throw new IllegalArgumentException("Activation: `activation` must be given. Received: activation=null");
        }
        this.activation = ActivationFunction.of(activation);
    }

    /** Whether this applies plain ReLU, which a batch norm before it can fuse. */
    public boolean isRelu() {
        return activation.name().equals("relu");
    }

    @Override
    public Var call(Var input, boolean training) {
        return activation.apply(input);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("activation", activation.name());
        return c;
    }

    public static Activation fromConfig(Map<String, Object> c) {
        return LayerConfigs.common(new Activation(LayerConfigs.string(c, "activation", "linear"),
                LayerConfigs.string(c, "name", null)), c);
    }
}
