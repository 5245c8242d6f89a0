package dev.panamax.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.tensor.DType;
import dev.panamax.tensor.Layout;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    private static Tensor randomFloats(MemoryScope scope, SplittableRandom random, long... dims) {
        Tensor t = Tensor.zeros(scope, dims);
        MemorySegment s = t.segment();
        for (long i = 0; i < t.size(); i++) {
            s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) random.nextGaussian());
        }
        return t;
    }

    private static Tensor ints(MemoryScope scope, int... values) {
        Tensor t = Tensor.zeros(scope, DType.INT32, Shape.of(values.length));
        for (int i = 0; i < values.length; i++) {
            t.setInt(values[i], i);
        }
        return t;
    }

    private static Tensor rawBytes(MemoryScope scope, DType dtype, Shape shape, SplittableRandom random) {
        Tensor t = Tensor.zeros(scope, dtype, shape);
        byte[] bytes = new byte[(int) t.byteSize()];
        random.nextBytes(bytes);
        t.copyFrom(ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()));
        return t;
    }

    private static void assertSameTensor(String name, Tensor expected, Tensor actual) {
        assertEquals(expected.dtype(), actual.dtype(), name);
        assertEquals(expected.shape(), actual.shape(), name);
        assertEquals(-1, expected.segment().mismatch(actual.segment()), name + ": bytes differ");
    }

    @Test
    void roundTripsTensorsOfEveryDTypeAndRankWithMetadata() throws IOException {
        SplittableRandom random = new SplittableRandom(1);
        Path file = dir.resolve("model.safetensors");
        try (MemoryScope scope = MemoryScope.open("write")) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            tensors.put("conv/kernel", randomFloats(scope, random, 3, 3, 2, 4));
            tensors.put("scale", Tensor.of(scope, new float[] {Float.intBitsToFloat(0x7fc00001)}));
            tensors.put("steps", ints(scope, 0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 42, 7, 9));
            tensors.put("mask", rawBytes(scope, DType.INT8, Shape.of(5), random));
            tensors.put("half", rawBytes(scope, DType.BFLOAT16, Shape.of(3, 1), random));
            tensors.put("bias", randomFloats(scope, random, 4));
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put("format", "panamax");
            metadata.put("note", "ünïcødé \"quoted\"\n");
            Safetensors.write(file, tensors, metadata);

            try (MemoryScope read = MemoryScope.open("read")) {
                SafetensorsFile loaded = Safetensors.read(file, read);
                assertEquals(List.copyOf(tensors.keySet()), List.copyOf(loaded.tensors().keySet()),
                        "tensors come back in file order, which is the order written");
                for (String name : tensors.keySet()) {
                    assertSameTensor(name, tensors.get(name), loaded.tensor(name));
                    assertTrue(loaded.tensor(name).scope() == read, "allocated in the caller's scope");
                }
                assertEquals(metadata, loaded.metadata());
                assertEquals(Shape.of(), loaded.tensor("scale").shape(), "a scalar stays a scalar");
            }
        }
    }

    @Test
    void writesTheHeaderAsTheReferenceImplementationDoes() throws IOException {
        Path file = dir.resolve("w.safetensors");
        try (MemoryScope scope = MemoryScope.open("t")) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            tensors.put("w", Tensor.of(scope, new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
            tensors.put("n", ints(scope, 7));
            Safetensors.write(file, tensors, Map.of("format", "pt"));
        }
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertEquals(0, n % 8, "the data starts 8-byte aligned");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertEquals("{\"__metadata__\":{\"format\":\"pt\"},\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
                + "\"n\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[24,28]}}", header.stripTrailing());
        assertEquals(8 + n + 28, bytes.length);
        assertArrayEquals(SafetensorsBytes.hex("0000803f 00000040 00004040 00008040 0000a040 0000c040 07000000"),
                java.util.Arrays.copyOfRange(bytes, (int) (8 + n), bytes.length), "little-endian data");
    }

    @Test
    void readsAFileAssembledAsThePythonLibraryWritesIt() throws IOException {
        // safetensors' serialize(): "__metadata__" first, then tensors by descending dtype
        // alignment and then by name (F32 before I32), in compact JSON padded with spaces to 8 bytes.
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"embedding.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
                + "\"scale\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[24,28]},"
                + "\"b_counts\":{\"dtype\":\"I32\",\"shape\":[3],\"data_offsets\":[28,40]}}";
        byte[] bytes = SafetensorsBytes.hex("e000000000000000");
        bytes = concat(bytes, header.getBytes(StandardCharsets.US_ASCII), new byte[] {' '});
        bytes = concat(bytes, SafetensorsBytes.hex("0000003f 0000a0bf 00000040 a69b443b 00000080 caf24971"
                + " 0000003e 07000000 feffffff ffffff7f"));
        Path file = Files.write(dir.resolve("python.safetensors"), bytes);

        try (MemoryScope scope = MemoryScope.open("t")) {
            SafetensorsFile loaded = Safetensors.read(file, scope);
            assertEquals(List.of("embedding.weight", "scale", "b_counts"), List.copyOf(loaded.tensors().keySet()));
            assertEquals(Map.of("format", "pt"), loaded.metadata());
            Tensor w = loaded.tensor("embedding.weight");
            assertEquals(Shape.of(2, 3), w.shape());
            assertArrayEquals(new float[] {0.5f, -1.25f, 2f, 3.0e-3f, -0f, 1e30f}, w.toFloatArray());
            assertEquals(0.125f, loaded.tensor("scale").getFloat());
            Tensor counts = loaded.tensor("b_counts");
            assertEquals(DType.INT32, counts.dtype());
            assertEquals(7, counts.getInt(0));
            assertEquals(-2, counts.getInt(1));
            assertEquals(Integer.MAX_VALUE, counts.getInt(2));
        }
    }

    @Test
    void tensorsComeInDataOrderWhateverTheHeaderOrder() throws IOException {
        Path file = SafetensorsBytes.write(dir.resolve("order.safetensors"),
                "{\"c\":{\"dtype\":\"I8\",\"shape\":[2],\"data_offsets\":[4,6]},"
                        + "\"a\":{\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[6,7]},"
                        + "\"b\":{\"dtype\":\"I8\",\"shape\":[4],\"data_offsets\":[0,4]}}",
                SafetensorsBytes.counting(7));
        SafetensorsHeader header = Safetensors.readHeader(file);
        assertEquals(List.of("b", "c", "a"), List.copyOf(header.entries().keySet()));
        assertEquals(new SafetensorsEntry("c", DType.INT8, Shape.of(2), 4, 6), header.entry("c"));
        assertEquals(7, header.dataSize());
        assertEquals(Files.size(file) - 7, header.dataStart());
        assertEquals(Map.of(), header.metadata());
    }

    @Test
    void readerLoadsTensorsByName() throws IOException {
        Path file = dir.resolve("named.safetensors");
        try (MemoryScope scope = MemoryScope.open("t")) {
            Safetensors.write(file, Map.of("a", Tensor.of(scope, new float[] {1, 2}, 2), "b", ints(scope, 5, 6, 7)));
        }
        try (SafetensorsReader reader = Safetensors.open(file); MemoryScope scope = MemoryScope.open("t")) {
            Tensor b = reader.read("b", scope);
            assertEquals(6, b.getInt(1));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> reader.read("c", scope));
            assertTrue(e.getMessage().contains("no tensor named 'c'; the file has 2"), e.getMessage());
        }
    }

    @Test
    void writesAndReadsAFileWithNoTensors() throws IOException {
        Path file = dir.resolve("empty.safetensors");
        Safetensors.write(file, Map.of());
        assertArrayEquals(SafetensorsBytes.hex("0800000000000000 7b7d202020202020"), Files.readAllBytes(file),
                "as the reference implementation writes an empty file");
        try (MemoryScope scope = MemoryScope.open("t")) {
            assertTrue(Safetensors.read(file, scope).tensors().isEmpty());
        }
    }

    @Test
    void largeTensorsStreamThroughSeveralChunks() throws IOException {
        Path file = dir.resolve("large.safetensors");
        try (MemoryScope scope = MemoryScope.open("t")) {
            Tensor big = randomFloats(scope, new SplittableRandom(3), 3, 500_001); // ~6 MB, not a multiple of the chunk
            Safetensors.write(file, Map.of("big", big));
            assertSameTensor("big", big, Safetensors.read(file, scope).tensor("big"));
        }
    }

    @Test
    void writeRejectsBadTensorsBeforeTouchingTheFile() throws IOException {
        Path file = dir.resolve("bad.safetensors");
        try (MemoryScope scope = MemoryScope.open("t")) {
            Tensor packed = Tensor.packed(scope, DType.FLOAT32, Shape.of(4, 4), Layout.backendPacked("native", "conv"), 128);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Safetensors.write(file, Map.of("conv/kernel", packed)));
            assertTrue(e.getMessage().contains("'conv/kernel'") && e.getMessage().contains("native:conv"), e.getMessage());

            e = assertThrows(IllegalArgumentException.class,
                    () -> Safetensors.write(file, Map.of("__metadata__", Tensor.zeros(scope, 1))));
            assertTrue(e.getMessage().contains("reserved"), e.getMessage());
        }
        MemoryScope closed = MemoryScope.open("gone");
        Tensor stale = Tensor.zeros(closed, 2);
        closed.close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Safetensors.write(file, Map.of("w", stale)));
        assertTrue(e.getMessage().contains("'w'") && e.getMessage().contains("'gone'"), e.getMessage());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList(), "no file and no temporary file is left");
        }
    }

    @Test
    void writeReplacesAnExistingFile() throws IOException {
        Path file = dir.resolve("m.safetensors");
        try (MemoryScope scope = MemoryScope.open("t")) {
            Safetensors.write(file, Map.of("a", Tensor.of(scope, new float[] {1}, 1)));
            Safetensors.write(file, Map.of("b", Tensor.of(scope, new float[] {2, 3}, 2)));
            SafetensorsFile loaded = Safetensors.read(file, scope);
            assertEquals(List.of("b"), List.copyOf(loaded.tensors().keySet()));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    @Test
    void scopeIsCheckedOnRead() throws IOException {
        Path file = dir.resolve("s.safetensors");
        try (MemoryScope scope = MemoryScope.open("t")) {
            Safetensors.write(file, Map.of("a", Tensor.of(scope, new float[] {1}, 1)));
        }
        MemoryScope closed = MemoryScope.open("closed");
        closed.close();
        assertThrows(IllegalStateException.class, () -> Safetensors.read(file, closed));
        assertFalse(closed.isOpen());
    }
}
