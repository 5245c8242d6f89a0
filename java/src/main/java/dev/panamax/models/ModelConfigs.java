package dev.panamax.models;

import dev.panamax.layers.Layer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/** Reading and writing model configs (Keras' JSON layout as maps and lists), with errors naming the key. */
final class ModelConfigs {
    private ModelConfigs() {
    }

    /** {@code {"class_name": ..., "config": ...}}: how Keras writes a layer inside a model's config. */
    static Map<String, Object> layerEntry(Layer layer) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("class_name", layer.typeName());
        entry.put("config", layer.getConfig());
        return entry;
    }

    /** Makes the layer an entry describes, checking the factory kept the configured name. */
    static Layer createLayer(Map<String, Object> entry, BiFunction<String, Map<String, Object>, Layer> layerFactory,
                             String where) {
        String className = string(entry, "class_name", where);
        Map<String, Object> layerConfig = map(entry.get("config"), where + ".config");
        Layer layer = layerFactory.apply(className, layerConfig);
        if (layer == null) {
            throw new IllegalArgumentException(where + ": the layer factory made nothing for class '" + className + "'");
        }
        Object configured = layerConfig.get("name");
        if (configured != null && !configured.equals(layer.name())) {
            throw new IllegalArgumentException(where + ": the layer factory named the " + className + " '"
                    + layer.name() + "' but its config says '" + configured + "'");
        }
        return layer;
    }

    static String string(Map<String, Object> c, String key, String where) {
        Object v = c.get(key);
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException(where + ": '" + key + "' must be a string. Received: " + v);
        }
        return s;
    }

    static String optionalString(Map<String, Object> c, String key, String where) {
        return c.get(key) == null ? null : string(c, key, where);
    }

    static int intValue(Object v, String where) {
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < 0) {
            throw new IllegalArgumentException(where + " must be a non-negative integer. Received: " + v);
        }
        return Math.toIntExact(n.longValue());
    }

    static List<?> list(Object v, String where) {
        if (!(v instanceof List<?> l)) {
            throw new IllegalArgumentException(where + " must be a list. Received: " + v);
        }
        return l;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object v, String where) {
        if (!(v instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(where + " must be a map. Received: " + v);
        }
        for (Object k : m.keySet()) {
            if (!(k instanceof String)) throw new IllegalArgumentException(where + " must have string keys. Received: " + v);
        }
        return (Map<String, Object>) m;
    }

    /** The list of maps under {@code key}. */
    static List<Map<String, Object>> maps(Map<String, Object> c, String key, String where) {
        List<?> l = list(c.get(key), where + " config: '" + key + "'");
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) out.add(map(l.get(i), where + " config: '" + key + "'[" + i + "]"));
        return out;
    }
}
