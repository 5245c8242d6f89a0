package dev.panamax.models;

import dev.panamax.autograd.Parameter;
import dev.panamax.backend.Backend;
import dev.panamax.io.Json;
import dev.panamax.io.Safetensors;
import dev.panamax.io.SafetensorsEntry;
import dev.panamax.io.SafetensorsHeader;
import dev.panamax.io.SafetensorsReader;
import dev.panamax.layers.LayerRegistry;
import dev.panamax.tensor.DType;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Tensor;
import dev.panamax.training.Optimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Models in one file: the safetensors format (what the PyTorch and Hugging Face world reads),
 * the weights as tensors named {@code layer/weight}, the architecture as Keras-style JSON in the
 * header's metadata, and optionally the optimizer's state ({@code optimizer/<weight>/<slot>} and its
 * step count). Files are written atomically: a crash during a save leaves the previous file whole.
 * Reading checks every offset and size against the file first and runs no code from it.
 */
public final class ModelFile {
    static final String FORMAT_KEY = "panamax.format";
    static final String MODEL_CONFIG_KEY = "model_config";
    static final String OPTIMIZER_KEY = "optimizer";
    static final String ITERATIONS_KEY = "optimizer_iterations";
    static final String OPTIMIZER_PREFIX = "optimizer/";

    private ModelFile() {
    }

    /** What {@link #loadWeights} did: weights loaded, and names it found on one side only. */
    public record LoadReport(List<String> loaded, List<String> missingInFile, List<String> unexpectedInFile) {
    }

    /** Saves the architecture, the weights and the optimizer state. */
    public static void save(Model model, Path file) throws IOException {
        save(model, file, true);
    }

    /** Saves the architecture and weights, and the optimizer's state when {@code includeOptimizer}. */
    public static void save(Model model, Path file, boolean includeOptimizer) throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(FORMAT_KEY, "model");
        Map<String, Object> modelConfig = new LinkedHashMap<>();
        modelConfig.put("class_name", model.typeName());
        modelConfig.put("config", model.getConfig());
        metadata.put(MODEL_CONFIG_KEY, Json.write(modelConfig));
        Map<String, Tensor> tensors = weightTensors(model);
        Optimizer optimizer = model.optimizer();
        if (includeOptimizer && optimizer != null) {
            metadata.put(OPTIMIZER_KEY, optimizer.name());
            metadata.put(ITERATIONS_KEY, Long.toString(optimizer.iterations()));
            Map<Parameter, Tensor[]> slots = optimizer.slots();
            for (Parameter p : model.weights()) {
                Tensor[] s = slots.get(p);
                if (s == null) continue;
                for (int i = 0; i < s.length; i++) {
                    if (s[i] != null) tensors.put(OPTIMIZER_PREFIX + p.name() + "/" + i, s[i]);
                }
            }
        }
        Safetensors.write(file, tensors, metadata);
    }

    /**
     * Loads a model saved by {@link #save}: the same architecture with the same weights (predictions
     * are bit-identical), built, on the preferred backend, not compiled. Compile it, then
     * {@link #loadOptimizerState} to resume training where the file left off.
     */
    public static Model load(Path file) throws IOException {
        return load(file, null);
    }

    /** As {@link #load(Path)}, on the given backend (null: the preferred one). */
    public static Model load(Path file, Backend backend) throws IOException {
        SafetensorsHeader header = Safetensors.readHeader(file);
        String config = header.metadata().get(MODEL_CONFIG_KEY);
        if (config == null) {
            throw new IOException(file + ": not a Panamax model file (no '" + MODEL_CONFIG_KEY
                    + "' in its metadata; a weights-only file loads with loadWeights)");
        }
        Map<String, Object> modelConfig;
        try {
            modelConfig = Json.parseObject(config);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": the model config is not valid JSON: " + e.getMessage(), e);
        }
        Object className = modelConfig.get("class_name");
        Object body = modelConfig.get("config");
        if (!(className instanceof String cn) || !(body instanceof Map<?, ?>)) {
            throw new IOException(file + ": the model config needs 'class_name' and 'config'");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> inner = (Map<String, Object>) body;
        Model model;
        try {
            model = Model.fromConfig(cn, inner, LayerRegistry::fromConfig);
            if (backend != null) model.setBackend(backend);
            model.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IOException(file + ": cannot rebuild the model: " + e.getMessage(), e);
        }
        try {
            loadWeights(model, file, true);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    /** Saves only the weights, by name (for {@link #loadWeights}). */
    public static void saveWeights(Model model, Path file) throws IOException {
        Safetensors.write(file, weightTensors(model), Map.of(FORMAT_KEY, "weights"));
    }

    /**
     * Loads weights by name from a file written by {@link #save} or {@link #saveWeights} (or any
     * safetensors file with names {@code layer/weight}). Strict: the file and the model must hold
     * exactly the same names. Not strict (transfer learning): loads the names both have and reports
     * the rest. Either way a shape or dtype mismatch is an error naming the tensor, and nothing is
     * changed unless everything checks out.
     */
    public static LoadReport loadWeights(Model model, Path file, boolean strict) throws IOException {
        if (!model.built()) model.build();
        Map<String, Parameter> byName = new LinkedHashMap<>();
        for (Parameter p : model.weights()) byName.put(p.name(), p);
        try (SafetensorsReader reader = Safetensors.open(file)) {
            SafetensorsHeader header = reader.header();
            List<String> loaded = new ArrayList<>();
            List<String> unexpected = new ArrayList<>();
            for (SafetensorsEntry e : header.entries().values()) {
                if (e.name().startsWith(OPTIMIZER_PREFIX)) continue;
                Parameter p = byName.get(e.name());
                if (p == null) {
                    unexpected.add(e.name());
                    continue;
                }
                if (e.dtype() != DType.FLOAT32 || !e.shape().equals(p.shape())) {
                    throw new IllegalArgumentException("loadWeights: " + file + ": tensor '" + e.name() + "' is "
                            + e.dtype() + e.shape() + " but the model's weight is float32" + p.shape());
                }
                loaded.add(e.name());
            }
            List<String> missing = byName.keySet().stream().filter(n -> !loaded.contains(n)).toList();
            if (strict && (!missing.isEmpty() || !unexpected.isEmpty())) {
                throw new IllegalArgumentException("loadWeights (strict): " + file + " does not match model '"
                        + model.name() + "'" + (missing.isEmpty() ? "" : "; missing in the file: " + missing)
                        + (unexpected.isEmpty() ? "" : "; not in the model: " + unexpected)
                        + " (load with strict=false to take only the weights both have)");
            }
            try (MemoryScope scope = MemoryScope.open("loadWeights")) {
                for (String name : loaded) {
                    Tensor t = reader.read(name, scope);
                    byName.get(name).assign(t.toFloatArray());
                }
            }
            return new LoadReport(List.copyOf(loaded), missing, List.copyOf(unexpected));
        }
    }

    /**
     * Restores the optimizer's state saved with the model (its slots and step count) into
     * {@code model}'s compiled optimizer, which must be of the same kind, so training resumes
     * exactly. Returns false when the file holds no optimizer state.
     */
    public static boolean loadOptimizerState(Model model, Path file) throws IOException {
        Optimizer optimizer = model.optimizer();
        if (optimizer == null) {
            throw new IllegalStateException("loadOptimizerState: compile model '" + model.name() + "' first");
        }
        try (SafetensorsReader reader = Safetensors.open(file)) {
            SafetensorsHeader header = reader.header();
            String saved = header.metadata().get(OPTIMIZER_KEY);
            if (saved == null) return false;
            if (!saved.equals(optimizer.name())) {
                throw new IllegalArgumentException("loadOptimizerState: " + file + " holds '" + saved
                        + "' state but the model is compiled with '" + optimizer.name() + "'");
            }
            long iterations;
            try {
                iterations = Long.parseLong(header.metadata().getOrDefault(ITERATIONS_KEY, "0"));
            } catch (NumberFormatException e) {
                throw new IOException(file + ": '" + ITERATIONS_KEY + "' is not a number");
            }
            try (MemoryScope scope = MemoryScope.open("loadOptimizerState")) {
                for (Parameter p : model.weights()) {
                    Tensor[] slots = optimizer.slotsFor(p);
                    for (int i = 0; i < slots.length; i++) {
                        if (slots[i] == null) continue;
                        String name = OPTIMIZER_PREFIX + p.name() + "/" + i;
                        SafetensorsEntry e = header.entries().get(name);
                        if (e == null) continue; // never updated before the save: stays zero
                        if (!e.shape().equals(slots[i].shape())) {
                            throw new IllegalArgumentException("loadOptimizerState: " + file + ": '" + name + "' is "
                                    + e.shape() + " but the slot is " + slots[i].shape());
                        }
                        slots[i].copyFrom(reader.read(name, scope).toFloatArray());
                    }
                }
            }
            optimizer.setIterations(iterations);
            return true;
        }
    }

    private static Map<String, Tensor> weightTensors(Model model) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Parameter p : model.weights()) {
            if (tensors.put(p.name(), p.value()) != null) {
                throw new IllegalArgumentException("save: model '" + model.name() + "' has two weights named '"
                        + p.name() + "'; give its layers unique names");
            }
        }
        return tensors;
    }
}
