package dev.panamax.io;

import dev.panamax.tensor.DType;
import dev.panamax.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Writes tensors as a safetensors file, streaming each tensor's memory through a small buffer. */
final class SafetensorsWriter {
    private static final int CHUNK_BYTES = 1 << 20;
    private static final int HEADER_ALIGNMENT = 8;

    private SafetensorsWriter() {
    }

    static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(tensors, "tensors");
        Objects.requireNonNull(metadata, "metadata");
        byte[] prefix = prefix(tensors, metadata);
        AtomicFiles.write(file, out -> {
            writeFully(out, ByteBuffer.wrap(prefix));
            try (Arena staging = Arena.ofConfined()) {
                MemorySegment chunk = staging.allocate(CHUNK_BYTES);
                for (Tensor t : tensors.values()) {
                    writeData(out, t, chunk);
                }
            }
        });
    }

    /**
     * The 8-byte length and the header, padded with spaces so that the data starts 8-byte
     * aligned (as the reference implementation does). Checks every argument first, so that bad
     * input fails before the file is touched.
     */
    private static byte[] prefix(Map<String, Tensor> tensors, Map<String, String> metadata) {
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            metadata.forEach((key, value) -> {
                if (key == null || value == null) {
                    throw new IllegalArgumentException("Safetensors.write: metadata may not hold null, found "
                            + key + "=" + value);
                }
            });
            header.put(SafetensorsHeaderParser.METADATA, new LinkedHashMap<>(metadata));
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            checkTensor(name, t);
            long end = offset + t.byteSize();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put(SafetensorsHeaderParser.DTYPE, SafetensorsDTypes.code(t.dtype()));
            entry.put(SafetensorsHeaderParser.SHAPE, t.shape().dims());
            entry.put(SafetensorsHeaderParser.DATA_OFFSETS, new long[] {offset, end});
            header.put(name, entry);
            offset = end;
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = Math.ceilDiv(json.length, HEADER_ALIGNMENT) * HEADER_ALIGNMENT;
        if (padded > Safetensors.MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("Safetensors.write: the header would take " + padded
                    + " bytes, more than readers accept (" + Safetensors.MAX_HEADER_BYTES + ")");
        }
        ByteBuffer prefix = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        prefix.putLong(padded).put(json);
        while (prefix.hasRemaining()) {
            prefix.put((byte) ' ');
        }
        return prefix.array();
    }

    private static void checkTensor(String name, Tensor t) {
        if (name == null) {
            throw new IllegalArgumentException("Safetensors.write: a tensor name is null");
        }
        if (name.equals(SafetensorsHeaderParser.METADATA)) {
            throw new IllegalArgumentException("Safetensors.write: '" + name
                    + "' is reserved for metadata and cannot name a tensor");
        }
        if (t == null) {
            throw new IllegalArgumentException("Safetensors.write: tensor '" + name + "' is null");
        }
        if (!t.layout().isRowMajor()) {
            throw new IllegalArgumentException("Safetensors.write: tensor '" + name + "' (" + t.describeShape()
                    + ") is in the backend layout '" + t.layout() + "'; only row-major tensors can be saved");
        }
        if (!t.scope().isOpen()) {
            throw new IllegalStateException("Safetensors.write: tensor '" + name + "' (" + t.describeShape()
                    + ") belongs to the closed memory scope '" + t.scope().name() + "'");
        }
    }

    private static void writeData(WritableByteChannel out, Tensor t, MemorySegment chunk) throws IOException {
        DType dtype = t.dtype();
        MemorySegment src = t.segment();
        ByteBuffer buffer = chunk.asByteBuffer();
        long total = src.byteSize();
        for (long at = 0; at < total; ) {
            int bytes = (int) Math.min(chunk.byteSize(), total - at);
            // element-wise copy: a plain copy on little-endian machines, a byte swap on others
            MemorySegment.copy(src, SafetensorsDTypes.memoryLayout(dtype), at,
                    chunk, SafetensorsDTypes.fileLayout(dtype), 0, bytes / dtype.byteSize());
            buffer.clear().limit(bytes);
            writeFully(out, buffer);
            at += bytes;
        }
    }

    private static void writeFully(WritableByteChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }
}
