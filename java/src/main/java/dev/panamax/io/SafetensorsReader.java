package dev.panamax.io;

import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An open safetensors file whose header has been read and checked, from which tensors are
 * loaded one by one or all at once. Opening reads only the header; each tensor is read into
 * memory of the scope its caller names, in bounded chunks, so loading needs no heap beyond a
 * small buffer. Reads may run from several threads at once.
 *
 * <pre>{@code
 * try (SafetensorsReader reader = Safetensors.open(path)) {
 *     Tensor kernel = reader.read("dense/kernel", modelScope);
 * }
 * }</pre>
 */
public final class SafetensorsReader implements AutoCloseable {
    private static final int LENGTH_BYTES = 8;
    private static final int CHUNK_BYTES = 1 << 20;

    private final Path file;
    private final FileChannel channel;
    private final SafetensorsHeader header;

    private SafetensorsReader(Path file, FileChannel channel, SafetensorsHeader header) {
        this.file = file;
        this.channel = channel;
        this.header = header;
    }

    /** Opens {@code file} and checks its header; see {@link Safetensors#open}. */
    static SafetensorsReader open(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new SafetensorsReader(file, channel, readHeader(file, channel));
        } catch (IOException | RuntimeException | Error e) {
            try {
                channel.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    private static SafetensorsHeader readHeader(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < LENGTH_BYTES) {
            throw new CorruptFileException(file, "the file has " + fileSize
                    + " bytes, too few for the 8-byte header length of a safetensors file");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(LENGTH_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, channel, lengthBytes, 0);
        long headerLength = lengthBytes.getLong(0); // unsigned in the format: a negative long is beyond any bound
        if (headerLength < 0 || headerLength > Safetensors.MAX_HEADER_BYTES) {
            throw new CorruptFileException(file, "the header length " + Long.toUnsignedString(headerLength)
                    + " exceeds the limit of " + Safetensors.MAX_HEADER_BYTES + " bytes");
        }
        if (headerLength > fileSize - LENGTH_BYTES) {
            throw new CorruptFileException(file, "the header length " + headerLength + " runs past the end of the file, "
                    + "which has " + (fileSize - LENGTH_BYTES) + " bytes after the length");
        }
        byte[] headerBytes = new byte[(int) headerLength];
        readFully(file, channel, ByteBuffer.wrap(headerBytes), LENGTH_BYTES);
        return SafetensorsHeaderParser.parse(file, headerBytes, fileSize - LENGTH_BYTES - headerLength);
    }

    /** The file's header: tensor names, dtypes, shapes and metadata. */
    public SafetensorsHeader header() {
        return header;
    }

    /**
     * Loads the tensor named {@code name} into {@code scope}.
     *
     * @throws IllegalArgumentException if the file has no such tensor
     * @throws CorruptFileException if the file has shrunk since it was opened
     */
    public Tensor read(String name, MemoryScope scope) throws IOException {
        return read(header.entry(name), scope);
    }

    /** Loads every tensor into {@code scope}, in file order; on failure, those already loaded stay in the scope. */
    public SafetensorsFile readAll(MemoryScope scope) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (SafetensorsEntry entry : header.entries().values()) {
            tensors.put(entry.name(), read(entry, scope));
        }
        return new SafetensorsFile(tensors, header.metadata());
    }

    private Tensor read(SafetensorsEntry entry, MemoryScope scope) throws IOException {
        Objects.requireNonNull(scope, "scope");
        Tensor tensor = Tensor.zeros(scope, entry.dtype(), entry.shape());
        MemorySegment dst = tensor.segment();
        long remaining = entry.byteSize();
        long position = header.dataStart() + entry.begin();
        long dstOffset = 0;
        int elementBytes = entry.dtype().byteSize();
        try (Arena staging = Arena.ofConfined()) {
            MemorySegment chunk = staging.allocate(Math.min(CHUNK_BYTES, remaining));
            ByteBuffer buffer = chunk.asByteBuffer();
            while (remaining > 0) {
                int bytes = (int) Math.min(chunk.byteSize(), remaining);
                buffer.clear().limit(bytes);
                readFully(file, channel, buffer, position);
                // element-wise copy: a plain copy on little-endian machines, a byte swap on others
                MemorySegment.copy(chunk, SafetensorsDTypes.fileLayout(entry.dtype()), 0,
                        dst, SafetensorsDTypes.memoryLayout(entry.dtype()), dstOffset, bytes / elementBytes);
                position += bytes;
                dstOffset += bytes;
                remaining -= bytes;
            }
        }
        return tensor;
    }

    /** Fills {@code buffer} from {@code position}; the file's size was checked, so an early end means it shrank. */
    private static void readFully(Path file, FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new CorruptFileException(file, "the file ended at byte " + at + " while " + buffer.remaining()
                        + " more bytes were expected; was it truncated while being read?");
            }
            at += n;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "SafetensorsReader[" + file + ", " + header.entries().size() + " tensors]";
    }
}
