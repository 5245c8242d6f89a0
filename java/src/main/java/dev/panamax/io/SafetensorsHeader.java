package dev.panamax.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The header of a safetensors file: what each tensor is and where its bytes lie, plus the
 * free-form string metadata. Reading it costs only the header bytes, so a loader can check
 * names and shapes before it allocates anything.
 *
 * @param entries the tensors by name, in the order of their data in the file
 * @param metadata the {@code __metadata__} strings; empty when the file has none
 * @param dataStart the file offset of the data buffer, that is 8 plus the header length
 */
public record SafetensorsHeader(Map<String, SafetensorsEntry> entries, Map<String, String> metadata, long dataStart) {
    private static final int NAMES_IN_MESSAGES = 20;

    public SafetensorsHeader {
        entries = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(entries, "entries")));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(metadata, "metadata")));
    }

    /** The entry for {@code name}; throws {@link IllegalArgumentException} naming the tensors present if absent. */
    public SafetensorsEntry entry(String name) {
        SafetensorsEntry entry = entries.get(name);
        if (entry == null) {
            String present = entries.keySet().stream().limit(NAMES_IN_MESSAGES)
                    .collect(Collectors.joining(", ", "[", entries.size() > NAMES_IN_MESSAGES ? ", ...]" : "]"));
            throw new IllegalArgumentException("safetensors: no tensor named '" + name + "'; the file has "
                    + entries.size() + ": " + present);
        }
        return entry;
    }

    /** Total bytes of tensor data. */
    public long dataSize() {
        return entries.values().stream().mapToLong(SafetensorsEntry::byteSize).sum();
    }
}
