package dev.panamax.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.autograd.Var;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Layers by Keras class name: every built-in, custom registrations, and clear errors. */
class LayerRegistryTest {

    @Test
    void knowsEveryBuiltInLayerByItsKerasName() {
        List<String> keras = List.of("InputLayer", "Dense", "Conv2D", "Conv2DTranspose", "MaxPooling2D",
                "AveragePooling2D", "GlobalAveragePooling2D", "Flatten", "Dropout", "Activation", "BatchNormalization",
                "LayerNormalization", "Reshape", "ReLU", "LeakyReLU", "Softmax", "Add", "Concatenate", "UpSampling2D",
                "ZeroPadding2D", "Embedding");
        assertEquals(new TreeSet<>(keras), LayerRegistry.builtInClassNames());
        keras.forEach(name -> assertTrue(LayerRegistry.isRegistered(name), name));
    }

    @Test
    void recreatesALayerFromAKerasStyleConfig() {
        Layer layer = LayerRegistry.fromConfig("Dense", Map.of("name", "head", "units", 10.0, "activation", "relu"));
        Dense dense = assertInstanceOf(Dense.class, layer);
        assertEquals("head", dense.name());
        assertEquals(10, dense.units());
        Layer relu = LayerRegistry.fromConfig("ReLU", Map.of("max_value", 6.0));
        assertEquals(6f, assertInstanceOf(ReLU.class, relu).maxValue());
    }

    @Test
    void anUnknownNameIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LayerRegistry.fromConfig("Conv3D", Map.of()));
        assertTrue(e.getMessage().contains("Unknown layer: 'Conv3D'") && e.getMessage().contains("register"),
                e.getMessage());
    }

    /** A custom layer: multiplies by a configured factor. */
    static final class Scale extends Layer {
        private final double factor;

        Scale(double factor, String name) {
            super(name);
            this.factor = factor;
        }

        @Override
        public Var call(Var input, boolean training) {
            return input.ops().affine(input, (float) factor, 0f);
        }

        @Override
        public Map<String, Object> getConfig() {
            Map<String, Object> c = super.getConfig();
            c.put("factor", factor);
            return c;
        }

        static Scale fromConfig(Map<String, Object> c) {
            return new Scale(LayerConfigs.floatValue(c, "factor", 1f), LayerConfigs.string(c, "name", null));
        }
    }

    @Test
    void registersCustomLayersOnceEach() {
        LayerRegistry.register("RegistryTestScale", Scale::fromConfig);
        Scale original = new Scale(0.5, "half");
        Layer copy = LayerRegistry.fromConfig("RegistryTestScale", original.getConfig());
        assertEquals(original.getConfig(), copy.getConfig());
        assertTrue(LayerRegistry.classNames().contains("RegistryTestScale"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LayerRegistry.register("Dense", Scale::fromConfig));
        assertTrue(e.getMessage().contains("'Dense' is already registered"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LayerRegistry.register(" ", Scale::fromConfig));
    }
}
