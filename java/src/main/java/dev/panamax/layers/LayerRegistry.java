package dev.panamax.layers;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Layers by Keras class name ({@code "Dense"}, {@code "InputLayer"}, ...): recreates a layer from the
 * config {@link Layer#getConfig()} wrote, as Keras' {@code deserialize} does when a model is loaded.
 * Every built-in layer is registered; {@link #register} adds custom ones.
 */
public final class LayerRegistry {
    private static final Map<String, Function<Map<String, Object>, ? extends Layer>> FACTORIES =
            new ConcurrentHashMap<>();

    static {
        FACTORIES.put("InputLayer", Input::fromConfig);
        FACTORIES.put("Dense", Dense::fromConfig);
        FACTORIES.put("Conv2D", Conv2D::fromConfig);
        FACTORIES.put("Conv2DTranspose", Conv2DTranspose::fromConfig);
        FACTORIES.put("MaxPooling2D", MaxPooling2D::fromConfig);
        FACTORIES.put("AveragePooling2D", AveragePooling2D::fromConfig);
        FACTORIES.put("GlobalAveragePooling2D", GlobalAveragePooling2D::fromConfig);
        FACTORIES.put("Flatten", Flatten::fromConfig);
        FACTORIES.put("Dropout", Dropout::fromConfig);
        FACTORIES.put("Activation", Activation::fromConfig);
        FACTORIES.put("BatchNormalization", BatchNormalization::fromConfig);
        FACTORIES.put("LayerNormalization", LayerNormalization::fromConfig);
        FACTORIES.put("Reshape", Reshape::fromConfig);
        FACTORIES.put("ReLU", ReLU::fromConfig);
        FACTORIES.put("LeakyReLU", LeakyReLU::fromConfig);
        FACTORIES.put("Softmax", Softmax::fromConfig);
        FACTORIES.put("Add", Add::fromConfig);
        FACTORIES.put("Concatenate", Concatenate::fromConfig);
        FACTORIES.put("UpSampling2D", UpSampling2D::fromConfig);
        FACTORIES.put("ZeroPadding2D", ZeroPadding2D::fromConfig);
        FACTORIES.put("Embedding", Embedding::fromConfig);
    }

    private static final Set<String> BUILT_INS = Set.copyOf(FACTORIES.keySet());

    private LayerRegistry() {
    }

    /**
     * A new layer of Keras class {@code className} (a layer's {@link Layer#typeName()}) from its config.
     *
     * @throws IllegalArgumentException for a name nothing registered, or a config the layer rejects
     */
    public static Layer fromConfig(String className, Map<String, Object> config) {
        Objects.requireNonNull(config, "config");
        Function<Map<String, Object>, ? extends Layer> factory = className == null ? null : FACTORIES.get(className);
        if (factory == null) {
            throw new IllegalArgumentException("Unknown layer: '" + className + "'. Register custom layers with"
                    + " LayerRegistry.register(name, factory). Known layers: " + classNames());
        }
        return factory.apply(config);
    }

    /**
     * Registers a custom layer under {@code className}, which should be its {@link Layer#typeName()}.
     *
     * @throws IllegalArgumentException when the name is blank or already registered
     */
    public static void register(String className, Function<Map<String, Object>, ? extends Layer> factory) {
        Objects.requireNonNull(factory, "factory");
        if (className == null || className.isBlank()) {
            throw new IllegalArgumentException("LayerRegistry.register: className must be non-empty. Received: '"
                    + className + "'");
        }
        if (FACTORIES.putIfAbsent(className, factory) != null) {
            throw new IllegalArgumentException("LayerRegistry.register: '" + className + "' is already registered");
        }
    }

    public static boolean isRegistered(String className) {
        return className != null && FACTORIES.containsKey(className);
    }

    /** The class names of the layers Panamax ships, sorted. */
    public static Set<String> builtInClassNames() {
        return new TreeSet<>(BUILT_INS);
    }

    /** Every registered class name (built-in and custom), sorted. */
    public static Set<String> classNames() {
        return new TreeSet<>(FACTORIES.keySet());
    }
}
