package dev.panamax.io;

import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads and writes the safetensors format, the plain tensor container of the Hugging Face
 * ecosystem: an 8-byte little-endian header length N, N bytes of UTF-8 JSON describing each
 * tensor ({@code {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}}}) and an
 * optional {@code "__metadata__"} object of strings, then the raw little-endian data.
 *
 * <p>Element types F32, BF16, I32 and I8 map to {@link dev.panamax.tensor.DType}; files holding
 * others fail with {@link UnsupportedFileException}.
 *
 * <p>Reading is safe on untrusted files: the header is bounded by {@link #MAX_HEADER_BYTES} and
 * the file's size, parsed strictly, and every tensor's dtype, shape and offsets are checked
 * before anything is allocated, so a load never allocates more than the file's size. Any
 * inconsistency fails with a {@link CorruptFileException} that names the file and the fact at
 * fault. The format holds data only: nothing in a file is ever executed.
 *
 * <p>Writing is atomic ({@link AtomicFiles}) and streams tensor memory through a small buffer,
 * so saving a model needs no heap proportional to its size.
 */
public final class Safetensors {
    /** The largest header accepted, as in the reference implementation. */
    public static final long MAX_HEADER_BYTES = 100_000_000;

    private Safetensors() {
    }

    /**
     * Writes {@code tensors}, in the map's order, and {@code metadata} to {@code file}, replacing
     * it atomically.
     *
     * @throws IllegalArgumentException if a tensor is not row-major (a backend-packed weight),
     *     or a name is null or {@code "__metadata__"}; nothing is written then
     * @throws IllegalStateException if a tensor's scope is closed; nothing is written then
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        SafetensorsWriter.write(file, tensors, metadata);
    }

    /** Writes {@code tensors} with no metadata; see {@link #write(Path, Map, Map)}. */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        SafetensorsWriter.write(file, tensors, Map.of());
    }

    /** Loads every tensor of {@code file} into {@code scope}. */
    public static SafetensorsFile read(Path file, MemoryScope scope) throws IOException {
        try (SafetensorsReader reader = open(file)) {
            return reader.readAll(scope);
        }
    }

    /** Reads and checks only the header of {@code file}: names, dtypes, shapes and metadata. */
    public static SafetensorsHeader readHeader(Path file) throws IOException {
        try (SafetensorsReader reader = open(file)) {
            return reader.header();
        }
    }

    /** Opens {@code file} to load tensors by name; the caller closes the reader. */
    public static SafetensorsReader open(Path file) throws IOException {
        return SafetensorsReader.open(file);
    }
}
