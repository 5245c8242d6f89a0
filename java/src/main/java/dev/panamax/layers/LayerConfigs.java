package dev.panamax.layers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading and writing the JSON-friendly values of layer configs, with errors naming the key. */
public final class LayerConfigs {
    private LayerConfigs() {
    }

    /** Applies what every layer's config has beyond its constructor arguments (trainable). */
    public static <T extends Layer> T common(T layer, Map<String, Object> c) {
        layer.setTrainable(bool(c, "trainable", true));
        return layer;
    }

    public static int intValue(Map<String, Object> c, String key) {
        Object v = c.get(key);
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new IllegalArgumentException("Layer config: '" + key + "' must be an integer. Received: " + v);
        }
        return Math.toIntExact(n.longValue());
    }

    public static int intValue(Map<String, Object> c, String key, int fallback) {
        return c.get(key) == null ? fallback : intValue(c, key);
    }

    public static float floatValue(Map<String, Object> c, String key, float fallback) {
        Object v = c.get(key);
        if (v == null) return fallback;
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("Layer config: '" + key + "' must be a number. Received: " + v);
        }
        return n.floatValue();
    }

    public static String string(Map<String, Object> c, String key, String fallback) {
        Object v = c.get(key);
        if (v == null) return fallback;
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("Layer config: '" + key + "' must be a string. Received: " + v);
        }
        return s;
    }

    public static boolean bool(Map<String, Object> c, String key, boolean fallback) {
        Object v = c.get(key);
        if (v == null) return fallback;
        if (!(v instanceof Boolean b)) {
            throw new IllegalArgumentException("Layer config: '" + key + "' must be true or false. Received: " + v);
        }
        return b;
    }

    /** A list of integers, e.g. a kernel size {@code [3, 3]}; a single number stands for {@code count} copies. */
    public static int[] ints(Map<String, Object> c, String key, int count) {
        Object v = c.get(key);
        if (v instanceof Number) {
            int x = intValue(c, key);
            int[] out = new int[count];
            java.util.Arrays.fill(out, x);
            return out;
        }
        if (!(v instanceof List<?> list) || list.size() != count) {
            throw new IllegalArgumentException("Layer config: '" + key + "' must be a list of " + count
                    + " integers. Received: " + v);
        }
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            if (!(list.get(i) instanceof Number n)) {
                throw new IllegalArgumentException("Layer config: '" + key + "' must hold integers. Received: " + v);
            }
            out[i] = Math.toIntExact(n.longValue());
        }
        return out;
    }

    public static List<Object> list(int... values) {
        List<Object> out = new ArrayList<>();
        for (int v : values) out.add(v);
        return out;
    }

    public static Object regularizer(Regularizer r) {
        if (r == null) return null;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("l1", (double) r.l1());
        m.put("l2", (double) r.l2());
        return m;
    }

    public static Regularizer regularizer(Object config) {
        if (config == null) return null;
        if (!(config instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("Layer config: a regularizer must be {l1, l2}. Received: " + config);
        }
        Object l1 = m.get("l1");
        Object l2 = m.get("l2");
        return new Regularizer(l1 instanceof Number n ? n.floatValue() : 0f, l2 instanceof Number n ? n.floatValue() : 0f);
    }
}
