package dev.panamax.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.autograd.Parameter;
import dev.panamax.data.FloatArray;
import dev.panamax.layers.Activation;
import dev.panamax.layers.Conv2D;
import dev.panamax.layers.Dense;
import dev.panamax.layers.Dropout;
import dev.panamax.layers.Flatten;
import dev.panamax.layers.Input;
import dev.panamax.layers.Layer;
import dev.panamax.layers.MaxPooling2D;
import dev.panamax.tensor.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Model configs in Keras' layout, and models rebuilt from them. */
class ModelConfigTest {

    /** What a layer registry does, for the layers these tests use. */
    static Layer layerFactory(String className, Map<String, Object> config) {
        return switch (className) {
            case "InputLayer" -> Input.fromConfig(config);
            case "Dense" -> Dense.fromConfig(config);
            case "Conv2D" -> Conv2D.fromConfig(config);
            case "Flatten" -> Flatten.fromConfig(config);
            case "MaxPooling2D" -> MaxPooling2D.fromConfig(config);
            case "Dropout" -> Dropout.fromConfig(config);
            case "Activation" -> Activation.fromConfig(config);
            case "TestAdd" -> TestAdd.fromConfig(config);
            case "TestUpSampling2D" -> TestUpSampling2D.fromConfig(config);
            default -> throw new IllegalArgumentException("test factory: unknown layer class '" + className + "'");
        };
    }

    @Test
    void sequentialConfigListsInputLayerThenLayers() {
        try (Sequential m = new Sequential("mlp", new Input(Shape.of(4), "x"), new Dense(8, "relu", "hidden"),
                new Dropout(0.25, 0, "drop"), new Dense(2, "softmax", "out"))) {
            Map<String, Object> c = m.getConfig();
            assertEquals("mlp", c.get("name"));
            List<?> layers = (List<?>) c.get("layers");
            assertEquals(List.of("InputLayer", "Dense", "Dropout", "Dense"),
                    layers.stream().map(l -> ((Map<?, ?>) l).get("class_name")).toList());
            Map<?, ?> input = (Map<?, ?>) ((Map<?, ?>) layers.get(0)).get("config");
            assertEquals(java.util.Arrays.asList(null, 4L), input.get("batch_shape"));
            assertEquals(8, ((Map<?, ?>) ((Map<?, ?>) layers.get(1)).get("config")).get("units"));

            Model copy = Model.fromConfig("Sequential", c, ModelConfigTest::layerFactory);
            assertInstanceOf(Sequential.class, copy);
            assertEquals(c, copy.getConfig());
            assertSamePredictions(m, copy, FloatArray.of(ramp(3 * 4), 3, 4));
        }
    }

    @Test
    void functionalConfigHasKerasInboundNodesAndRoundTrips() {
        try (Functional m = FunctionalTest.tinyUNet()) {
            Map<String, Object> c = m.getConfig();
            assertEquals("tiny_unet", c.get("name"));
            assertEquals(List.of(List.of("image", 0, 0)), c.get("input_layers"));
            assertEquals(List.of(List.of("head", 0, 0)), c.get("output_layers"));
            Map<?, ?> skip = layer(c, "skip");
            assertEquals("TestAdd", skip.get("class_name"));
            List<?> nodes = (List<?>) skip.get("inbound_nodes");
            assertEquals(1, nodes.size());
            List<?> args = (List<?>) ((Map<?, ?>) nodes.get(0)).get("args");
            assertEquals(1, args.size(), "a merge layer gets one list argument");
            List<?> tensors = (List<?>) args.get(0);
            Map<?, ?> first = (Map<?, ?>) tensors.get(0);
            assertEquals("__keras_tensor__", first.get("class_name"));
            assertEquals(List.of("enc", 0, 0), ((Map<?, ?>) first.get("config")).get("keras_history"));
            assertEquals(java.util.Arrays.asList(null, 8L, 8L, 4L), ((Map<?, ?>) first.get("config")).get("shape"));
            assertEquals(List.of(), layer(c, "image").get("inbound_nodes"));

            Model copy = Model.fromConfig("Functional", c, ModelConfigTest::layerFactory);
            assertInstanceOf(Functional.class, copy);
            assertEquals(c, copy.getConfig());
            assertNotSame(m.getLayer("enc"), copy.getLayer("enc"));
            assertSamePredictions(m, copy, FloatArray.of(ramp(2 * 8 * 8 * 2), 2, 8, 8, 2));
            m.build();
            copy.build();
            assertEquals(m.summary(), copy.summary());
            copy.close();
        }
    }

    @Test
    void sharedLayersAndSeveralOutputsRoundTrip() {
        SymbolicTensor a = new Input(Shape.of(6, 6, 1), "left").output();
        SymbolicTensor b = new Input(Shape.of(6, 6, 1), "right").output();
        Conv2D conv = new Conv2D(2, new int[] {3, 3}, "relu", "shared_conv");
        Flatten flat = new Flatten("flat");
        MaxPooling2D pool = new MaxPooling2D(new int[] {2, 2}, null, "valid", "pool");
        SymbolicTensor fa = flat.apply(pool.apply(conv.apply(a)));
        SymbolicTensor fb = flat.apply(pool.apply(conv.apply(b)));
        SymbolicTensor score = new Activation("sigmoid", "score").apply(new Dense(1, null, "logit").apply(fa));
        SymbolicTensor code = new Dense(4, null, "code").apply(fb);
        try (Functional m = new Functional(List.of(a, b), List.of(score, code), "twin")) {
            Map<String, Object> c = m.getConfig();
            assertEquals(2, ((List<?>) layer(c, "shared_conv").get("inbound_nodes")).size());
            assertEquals(List.of(List.of("score", 0, 0), List.of("code", 0, 0)), c.get("output_layers"));
            // pool's second call reads shared_conv's second: a node index other than 0
            Map<?, ?> second = (Map<?, ?>) ((List<?>) layer(c, "pool").get("inbound_nodes")).get(1);
            Map<?, ?> tensor = (Map<?, ?>) ((List<?>) second.get("args")).get(0);
            assertEquals(List.of("shared_conv", 1, 0), ((Map<?, ?>) tensor.get("config")).get("keras_history"));

            // Calls may be listed before the tensors they read exist: move 'flat' to the front.
            Map<String, Object> shuffled = new LinkedHashMap<>(c);
            List<Object> layers = new ArrayList<>((List<?>) c.get("layers"));
            Object flatEntry = layers.stream().filter(l -> "flat".equals(((Map<?, ?>) l).get("name"))).findFirst()
                    .orElseThrow();
            layers.remove(flatEntry);
            layers.add(0, flatEntry);
            shuffled.put("layers", layers);
            try (Functional copy = Functional.fromConfig(shuffled, ModelConfigTest::layerFactory)) {
                assertEquals(m.outputNames(), copy.outputNames());
                float[] img = ramp(2 * 36);
                List<FloatArray> x = List.of(FloatArray.of(img, 2, 6, 6, 1), FloatArray.of(img, 2, 6, 6, 1));
                m.setBackend("java").setSeed(3);
                copy.setBackend("java");
                List<FloatArray> expected = m.predict(x, 2);
                copy.build();
                copyWeights(m, copy);
                assertEquals(expected, copy.predict(x, 2));
            }
        }
    }

    @Test
    void readsKeras2InboundNodesAndSingleTensorEndpoints() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", "legacy");
        config.put("layers", List.of(
                entry("InputLayer", "in", Map.of("name", "in", "batch_shape", java.util.Arrays.asList(null, 3)),
                        List.of()),
                entry("Dense", "d1", Map.of("name", "d1", "units", 2),
                        List.of(List.of(List.of("in", 0, 0, Map.of())))),
                entry("Dense", "d2", Map.of("name", "d2", "units", 1, "activation", "sigmoid"),
                        List.of(List.of(List.of("d1", 0, 0, Map.of()))))));
        config.put("input_layers", List.of("in", 0, 0));
        config.put("output_layers", List.of("d2", 0, 0));
        try (Functional m = Functional.fromConfig(config, ModelConfigTest::layerFactory)) {
            assertEquals("legacy", m.name());
            assertEquals(List.of("in", "d1", "d2"), m.layers().stream().map(Layer::name).toList());
            assertEquals(List.of(Shape.of(1)), m.outputShapes());
            assertEquals(List.of(List.of("in", 0, 0)), m.getConfig().get("input_layers"));
        }
    }

    @Test
    void brokenConfigsFailNamingTheEntry() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", "broken");
        config.put("layers", List.of(
                entry("InputLayer", "in", Map.of("name", "in", "batch_shape", java.util.Arrays.asList(null, 3)),
                        List.of()),
                entry("Dense", "d1", Map.of("name", "d1", "units", 2),
                        List.of(List.of(List.of("nowhere", 0, 0, Map.of()))))));
        config.put("input_layers", List.of(List.of("in", 0, 0)));
        config.put("output_layers", List.of(List.of("d1", 0, 0)));
        var e = assertThrows(IllegalArgumentException.class,
                () -> Functional.fromConfig(config, ModelConfigTest::layerFactory));
        assertTrue(e.getMessage().contains("'d1'") && e.getMessage().contains("nowhere[0][0]"), e.getMessage());

        config.put("layers", List.of(entry("Mystery", "m", Map.of("name", "m"), List.of())));
        e = assertThrows(IllegalArgumentException.class,
                () -> Functional.fromConfig(config, ModelConfigTest::layerFactory));
        assertTrue(e.getMessage().contains("Mystery"), e.getMessage());

        config.put("layers", List.of(
                entry("InputLayer", "in", Map.of("name", "in", "batch_shape", java.util.Arrays.asList(null, 3)),
                        List.of()),
                entry("Dense", "d1", Map.of("name", "d1", "units", 2), List.of(List.of(List.of("in", 0, 1, Map.of()))))));
        e = assertThrows(IllegalArgumentException.class,
                () -> Functional.fromConfig(config, ModelConfigTest::layerFactory));
        assertTrue(e.getMessage().contains("layers[1]") && e.getMessage().contains("tensor index must be 0"),
                e.getMessage());

        e = assertThrows(IllegalArgumentException.class,
                () -> Model.fromConfig("Subclassed", config, ModelConfigTest::layerFactory));
        assertTrue(e.getMessage().contains("'Subclassed'"), e.getMessage());

        Map<String, Object> noLayers = Map.of("name", "empty");
        e = assertThrows(IllegalArgumentException.class,
                () -> Sequential.fromConfig(noLayers, ModelConfigTest::layerFactory));
        assertTrue(e.getMessage().contains("'layers'"), e.getMessage());
    }

    private static Map<String, Object> entry(String className, String name, Map<String, Object> config,
                                             List<?> inbound) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("class_name", className);
        e.put("name", name);
        e.put("config", config);
        e.put("inbound_nodes", inbound);
        return e;
    }

    private static Map<?, ?> layer(Map<String, Object> config, String name) {
        return ((List<?>) config.get("layers")).stream().map(l -> (Map<?, ?>) l)
                .filter(l -> name.equals(l.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no layer '" + name + "' in " + config));
    }

    private static float[] ramp(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = ((i * 7) % 11 - 5) / 5f;
        return v;
    }

    private static void copyWeights(Model from, Model to) {
        List<Parameter> src = from.weights();
        List<Parameter> dst = to.weights();
        assertEquals(src.size(), dst.size());
        for (int i = 0; i < src.size(); i++) {
            assertEquals(src.get(i).name(), dst.get(i).name());
            dst.get(i).assign(src.get(i).value().toFloatArray());
        }
    }

    private static void assertSamePredictions(Model a, Model b, FloatArray x) {
        a.setBackend("java").setSeed(1);
        b.setBackend("java").setSeed(2);
        FloatArray expected = a.predict(x, x.rows());
        b.build(x.rowShape());
        copyWeights(a, b);
        assertEquals(expected, b.predict(x, x.rows()));
    }
}
