package dev.panamax.models;

import dev.panamax.layers.Input;
import dev.panamax.layers.Layer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Rebuilds a functional model from its config: makes the layers, then replays their calls. A call
 * runs once every tensor it reads exists, so calls of a shared layer may come in any order
 * relative to other layers, as in Keras' {@code functional_from_config}. Reads both Keras 3 inbound
 * nodes ({@code {"args": [...], "kwargs": {}}} holding {@code __keras_tensor__} entries) and Keras 2
 * ones ({@code [[layer, node, tensor, kwargs], ...]}).
 */
final class FunctionalConfig {
    static final String KERAS_TENSOR = "__keras_tensor__";
    private static final String WHERE = "Functional config";

    /** A tensor named by the layer call producing it: Keras' {@code keras_history}. */
    private record TensorRef(String layer, int node) {
        @Override
        public String toString() {
            return layer + "[" + node + "][0]";
        }
    }

    /** A layer and the calls the config lists for it, each as the tensors it reads. */
    private record LayerCalls(Layer layer, List<List<TensorRef>> calls) {
    }

    private FunctionalConfig() {
    }

    static Functional rebuild(Map<String, Object> config, BiFunction<String, Map<String, Object>, Layer> layerFactory) {
        String name = ModelConfigs.optionalString(config, "name", WHERE);
        List<Map<String, Object>> entries = ModelConfigs.maps(config, "layers", WHERE);
        List<LayerCalls> layers = new ArrayList<>();
        Map<String, Layer> byName = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            String where = WHERE + " layers[" + i + "]";
            Map<String, Object> entry = entries.get(i);
            Layer layer = ModelConfigs.createLayer(entry, layerFactory, where);
            String entryName = ModelConfigs.optionalString(entry, "name", where);
            if (entryName != null && !entryName.equals(layer.name())) {
                throw new IllegalArgumentException(where + ": 'name' is '" + entryName + "' but the layer's config"
                        + " makes '" + layer.name() + "'");
            }
            if (byName.putIfAbsent(layer.name(), layer) != null) {
                throw new IllegalArgumentException(where + ": a second layer is named '" + layer.name() + "'");
            }
            Object inbound = entry.get("inbound_nodes");
            List<?> nodes = inbound == null ? List.of() : ModelConfigs.list(inbound, where + ".inbound_nodes");
            List<List<TensorRef>> calls = new ArrayList<>();
            for (int k = 0; k < nodes.size(); k++) calls.add(callInputs(nodes.get(k), where + ".inbound_nodes[" + k + "]"));
            if (layer instanceof Input ? !calls.isEmpty() : calls.isEmpty()) {
                throw new IllegalArgumentException(where + ": " + layer + (calls.isEmpty()
                        ? " has no inbound nodes: nothing calls it" : " is an Input and cannot have inbound nodes"));
            }
            layers.add(new LayerCalls(layer, calls));
        }
        Map<TensorRef, SymbolicTensor> made = replay(layers);
        List<SymbolicTensor> inputs = endpoints(config, "input_layers", made);
        List<SymbolicTensor> outputs = endpoints(config, "output_layers", made);
        return new Functional(inputs, outputs, name);
    }

    /** Runs the calls in waves until none is left; a call reading a tensor nothing makes fails, naming both. */
    private static Map<TensorRef, SymbolicTensor> replay(List<LayerCalls> layers) {
        Map<TensorRef, SymbolicTensor> made = new HashMap<>();
        int[] done = new int[layers.size()];
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).layer() instanceof Input input) {
                made.put(new TensorRef(input.name(), 0), input.output());
            }
        }
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int i = 0; i < layers.size(); i++) {
                LayerCalls lc = layers.get(i);
                while (done[i] < lc.calls().size() && made.keySet().containsAll(lc.calls().get(done[i]))) {
                    SymbolicTensor[] args = lc.calls().get(done[i]).stream().map(made::get)
                            .toArray(SymbolicTensor[]::new);
                    made.put(new TensorRef(lc.layer().name(), done[i]), lc.layer().apply(args));
                    done[i]++;
                    progress = true;
                }
            }
        }
        for (int i = 0; i < layers.size(); i++) {
            LayerCalls lc = layers.get(i);
            if (done[i] < lc.calls().size()) {
                List<TensorRef> missing = lc.calls().get(done[i]).stream().filter(r -> !made.containsKey(r)).toList();
                throw new IllegalArgumentException(WHERE + ": call " + done[i] + " of layer '" + lc.layer().name()
                        + "' reads " + missing + ", which no layer call in the config produces");
            }
        }
        return made;
    }

    /** The tensors read by one inbound node, in order. */
    private static List<TensorRef> callInputs(Object node, String where) {
        List<TensorRef> refs = new ArrayList<>();
        if (node instanceof Map<?, ?>) {
            Map<String, Object> call = ModelConfigs.map(node, where);
            collectTensors(ModelConfigs.list(call.get("args"), where + ".args"), refs, where + ".args");
        } else {
            List<?> legacy = ModelConfigs.list(node, where);
            for (int i = 0; i < legacy.size(); i++) refs.add(legacyRef(legacy.get(i), where + "[" + i + "]"));
        }
        if (refs.isEmpty()) throw new IllegalArgumentException(where + " reads no tensors");
        return refs;
    }

    private static void collectTensors(Object value, List<TensorRef> refs, String where) {
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) collectTensors(list.get(i), refs, where + "[" + i + "]");
        } else if (value instanceof Map<?, ?> m && KERAS_TENSOR.equals(m.get("class_name"))) {
            Map<String, Object> tensor = ModelConfigs.map(m.get("config"), where + ".config");
            refs.add(history(tensor.get("keras_history"), where + ".config.keras_history"));
        } else if (value != null && !(value instanceof Number) && !(value instanceof String)
                && !(value instanceof Boolean)) {
            throw new IllegalArgumentException(where + ": expected a " + KERAS_TENSOR + " entry. Received: " + value);
        }
    }

    /** Keras 2's {@code [layer, node, tensor, kwargs]}. */
    private static TensorRef legacyRef(Object value, String where) {
        List<?> l = ModelConfigs.list(value, where);
        if (l.size() < 3) throw new IllegalArgumentException(where + " must be [layer, node, tensor, ...]. Received: " + l);
        return history(l.subList(0, 3), where);
    }

    /** {@code [layer, node, tensor]}; Panamax layers have one output, so tensor must be 0. */
    private static TensorRef history(Object value, String where) {
        List<?> l = ModelConfigs.list(value, where);
        if (l.size() != 3 || !(l.get(0) instanceof String layer)) {
            throw new IllegalArgumentException(where + " must be [layer name, node index, tensor index]. Received: "
                    + value);
        }
        int node = ModelConfigs.intValue(l.get(1), where + " node index");
        int tensor = ModelConfigs.intValue(l.get(2), where + " tensor index");
        if (tensor != 0) {
            throw new IllegalArgumentException(where + ": tensor index must be 0 (each layer has one output)."
                    + " Received: " + value);
        }
        return new TensorRef(layer, node);
    }

    /** {@code input_layers} or {@code output_layers}: a list of references, or one (Keras 3 with a single tensor). */
    private static List<SymbolicTensor> endpoints(Map<String, Object> config, String key,
                                                  Map<TensorRef, SymbolicTensor> made) {
        String where = WHERE + " '" + key + "'";
        List<?> l = ModelConfigs.list(config.get(key), where);
        List<?> refs = !l.isEmpty() && l.get(0) instanceof String ? List.of(l) : l;
        List<SymbolicTensor> tensors = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            TensorRef ref = history(refs.get(i), where + "[" + i + "]");
            SymbolicTensor t = made.get(ref);
            if (t == null) {
                throw new IllegalArgumentException(where + "[" + i + "]: no layer call in the config produces " + ref);
            }
            tensors.add(t);
        }
        return tensors;
    }
}
