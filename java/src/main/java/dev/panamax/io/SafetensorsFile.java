package dev.panamax.io;

import dev.panamax.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The content of a safetensors file once loaded.
 *
 * @param tensors the tensors by name, in the order of their data in the file, allocated in
 *     the scope the caller gave
 * @param metadata the {@code __metadata__} strings; empty when the file has none
 */
public record SafetensorsFile(Map<String, Tensor> tensors, Map<String, String> metadata) {

    public SafetensorsFile {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(tensors, "tensors")));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(metadata, "metadata")));
    }

    /** The tensor named {@code name}; throws {@link IllegalArgumentException} if there is none. */
    public Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("SafetensorsFile: no tensor named '" + name + "'; it has "
                    + tensors.size() + " tensors");
        }
        return t;
    }
}
