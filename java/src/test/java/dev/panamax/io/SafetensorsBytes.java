package dev.panamax.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Hand-assembles safetensors files byte by byte, including malformed ones, for tests. */
final class SafetensorsBytes {
    private SafetensorsBytes() {
    }

    /** The 8-byte length, {@code header} padded with spaces to a multiple of 8, then {@code data}. */
    static byte[] file(String header, byte[] data) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer b = ByteBuffer.allocate(8 + padded + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded).put(json);
        while (b.position() < 8 + padded) {
            b.put((byte) ' ');
        }
        return b.put(data).array();
    }

    /** Writes {@link #file(String, byte[])} to {@code path}. */
    static Path write(Path path, String header, byte[] data) throws IOException {
        return Files.write(path, file(header, data));
    }

    /** {@code count} bytes 0, 1, 2, ... */
    static byte[] counting(int count) {
        byte[] data = new byte[count];
        for (int i = 0; i < count; i++) {
            data[i] = (byte) i;
        }
        return data;
    }

    /** Little-endian bytes from hex words such as {@code "0000803f 07000000"}. */
    static byte[] hex(String words) {
        return java.util.HexFormat.of().parseHex(words.replace(" ", ""));
    }
}
