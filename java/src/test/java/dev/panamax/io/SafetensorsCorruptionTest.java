package dev.panamax.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.panamax.tensor.DType;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed and hostile files: each fails with a clear exception naming the file and the fact at fault. */
class SafetensorsCorruptionTest {
    @TempDir
    Path dir;

    private static String entry(String name, String dtype, String shape, String offsets) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}";
    }

    static List<Arguments> corruptHeaders() {
        return List.of(
                // the 20-character header is padded with spaces to 24 bytes
                Arguments.of("bad JSON", "{\"w\":{\"dtype\":\"F32\",", 0,
                        "the header is not valid JSON: unterminated object, expected a key at character 24 of the header"),
                Arguments.of("trailing garbage", "{} {}", 0, "the header is not valid JSON"),
                Arguments.of("duplicate names", "{" + entry("w", "F32", "[1]", "[0,4]") + ","
                        + entry("w", "F32", "[1]", "[4,8]") + "}", 8, "not valid JSON: duplicate key \"w\" at character 54"),
                Arguments.of("not an object", "[1,2]", 0, "the header is an array, expected a JSON object"),
                Arguments.of("entry not an object", "{\"w\":3}", 0, "tensor 'w' is a number, expected an object"),
                Arguments.of("missing field", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4, "tensor 'w' has no data_offsets"),
                Arguments.of("unknown field", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", 4,
                        "tensor 'w' has the unknown field 'x'"),
                Arguments.of("dtype not a string", "{" + entry("w", "F32", "[1]", "[0,4]").replace("\"F32\"", "32") + "}", 4,
                        "tensor 'w': dtype is a number, expected a string"),
                Arguments.of("offsets past the end", "{" + entry("w", "F32", "[4]", "[0,16]") + "}", 8,
                        "tensor 'w' (data_offsets [0, 16]) runs past the end of the data, which has 8 bytes"),
                Arguments.of("offsets reversed", "{" + entry("w", "F32", "[1]", "[4,0]") + "}", 8,
                        "tensor 'w' (data_offsets [4, 0]) ends before it begins"),
                Arguments.of("one offset", "{" + entry("w", "F32", "[1]", "[4]") + "}", 8,
                        "tensor 'w': data_offsets is [4], expected an array of two non-negative integers [begin, end]"),
                Arguments.of("negative offset", "{" + entry("w", "F32", "[1]", "[-4,0]") + "}", 8,
                        "data_offsets [-4,0] has the negative value -4"),
                Arguments.of("overlapping offsets", "{" + entry("a", "F32", "[2]", "[0,8]") + ","
                        + entry("b", "F32", "[2]", "[4,12]") + "}", 12,
                        "tensors 'a' (data_offsets [0, 8]) and 'b' ([4, 12]) overlap"),
                Arguments.of("gap between tensors", "{" + entry("a", "F32", "[1]", "[0,4]") + ","
                        + entry("b", "F32", "[1]", "[8,12]") + "}", 12, "bytes [4, 8) of the data belong to no tensor"),
                Arguments.of("bytes after the last tensor", "{" + entry("a", "F32", "[1]", "[0,4]") + "}", 12,
                        "the last 8 bytes of the data (from offset 4) belong to no tensor"),
                Arguments.of("size does not match shape", "{" + entry("w", "F32", "[2,3]", "[0,20]") + "}", 20,
                        "tensor 'w' (data_offsets [0, 20]) holds 20 bytes, but F32 [2, 3] needs 6 elements of 4 bytes"),
                Arguments.of("negative dimension", "{" + entry("w", "F32", "[2,-3]", "[0,24]") + "}", 24,
                        "tensor 'w': shape [2,-3] has the negative value -3"),
                Arguments.of("fractional dimension", "{" + entry("w", "F32", "[2.0]", "[0,8]") + "}", 8,
                        "tensor 'w': shape [2.0] has an element that is not an integer"),
                Arguments.of("shape not an array", "{" + entry("w", "F32", "\"2x3\"", "[0,24]") + "}", 24,
                        "tensor 'w': shape is \"2x3\", expected an array of non-negative integers"),
                Arguments.of("element count overflows", "{" + entry("w", "F32", "[4294967296,4294967296]", "[0,8]") + "}", 8,
                        "whose element count overflows a long"),
                Arguments.of("byte count overflows", "{" + entry("w", "F32", "[4611686018427387904]", "[0,8]") + "}", 8,
                        "holds 8 bytes, but F32 [4611686018427387904] needs 4611686018427387904 elements"),
                Arguments.of("metadata not strings", "{\"__metadata__\":{\"epoch\":3}}", 0,
                        "__metadata__ must map strings to strings, but 'epoch' is a number"),
                Arguments.of("metadata not an object", "{\"__metadata__\":\"x\"}", 0,
                        "__metadata__ is a string, expected an object of strings"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("corruptHeaders")
    void corruptHeadersFailNamingTheFileAndTheFact(String what, String header, int dataBytes, String fact)
            throws IOException {
        Path file = SafetensorsBytes.write(dir.resolve("corrupt.safetensors"), header, SafetensorsBytes.counting(dataBytes));
        assertCorrupt(file, fact);
    }

    @Test
    void unsupportedDTypesFailClearly() throws IOException {
        for (String dtype : List.of("F16", "F64", "I64", "U8", "BOOL", "Q4")) {
            Path file = SafetensorsBytes.write(dir.resolve(dtype + ".safetensors"),
                    "{" + entry("w", dtype, "[2]", "[0,4]") + "}", SafetensorsBytes.counting(4));
            UnsupportedFileException e = assertThrows(UnsupportedFileException.class,
                    () -> Safetensors.readHeader(file));
            assertEquals(file + ": tensor 'w' has dtype " + dtype + "; Panamax reads F32, BF16, I32 and I8",
                    e.getMessage());
            assertEquals(file, e.file());
        }
    }

    @Test
    void emptyTensorsAreUnsupported() throws IOException {
        Path file = SafetensorsBytes.write(dir.resolve("empty.safetensors"),
                "{" + entry("w", "F32", "[0,3]", "[0,0]") + "}", new byte[0]);
        UnsupportedFileException e = assertThrows(UnsupportedFileException.class, () -> Safetensors.readHeader(file));
        assertTrue(e.getMessage().contains("tensor 'w' has shape [0, 3], which holds no elements"), e.getMessage());
    }

    @Test
    void fileTooShortForTheLength() throws IOException {
        Path file = Files.write(dir.resolve("short.safetensors"), new byte[] {8, 0, 0});
        assertCorrupt(file, "the file has 3 bytes, too few for the 8-byte header length");
    }

    @Test
    void headerLengthPastTheEndOfTheFile() throws IOException {
        byte[] bytes = SafetensorsBytes.file("{}", new byte[0]);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1000);
        Path file = Files.write(dir.resolve("long.safetensors"), bytes);
        assertCorrupt(file, "the header length 1000 runs past the end of the file, which has 8 bytes after the length");
    }

    @Test
    void hugeHeaderLengthsAreRejectedBeforeAllocating() throws IOException {
        for (long length : new long[] {Safetensors.MAX_HEADER_BYTES + 1, 1L << 62, -1L}) {
            byte[] bytes = SafetensorsBytes.file("{}", new byte[0]);
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, length);
            Path file = Files.write(dir.resolve("huge.safetensors"), bytes);
            assertCorrupt(file, "the header length " + Long.toUnsignedString(length)
                    + " exceeds the limit of 100000000 bytes");
        }
    }

    @Test
    void headerThatIsNotUtf8() throws IOException {
        byte[] bytes = SafetensorsBytes.file("{\"w\":1}", new byte[0]);
        bytes[10] = (byte) 0xff; // inside the key
        Path file = Files.write(dir.resolve("latin1.safetensors"), bytes);
        assertCorrupt(file, "the header is not valid UTF-8 at byte 2 of the header");
    }

    @Test
    void truncatedDataFailsWithoutLoadingAnything() throws IOException {
        Path file = dir.resolve("t.safetensors");
        try (MemoryScope scope = MemoryScope.open("t")) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            tensors.put("a", Tensor.zeros(scope, 4, 4));
            tensors.put("b", Tensor.zeros(scope, DType.INT32, Shape.of(8)));
            Safetensors.write(file, tensors);
        }
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length - 5));
        assertCorrupt(file, "tensor 'b' (data_offsets [64, 96]) runs past the end of the data, which has 91 bytes: "
                + "the file is truncated");
    }

    /**
     * Every prefix of a valid file, and many files with random bytes changed, either load or fail
     * with one of the two file exceptions: never another exception, never a crash.
     */
    @Test
    void truncationsAndRandomDamageOnlyEverFailCleanly() throws IOException {
        Path good = dir.resolve("good.safetensors");
        try (MemoryScope scope = MemoryScope.open("t")) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            tensors.put("w", Tensor.of(scope, new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
            tensors.put("n", Tensor.zeros(scope, DType.INT32, Shape.of(3)));
            tensors.put("s", Tensor.zeros(scope, DType.INT8, Shape.of()));
            Safetensors.write(good, tensors, Map.of("k", "v"));
        }
        byte[] whole = Files.readAllBytes(good);
        Path damaged = dir.resolve("damaged.safetensors");
        // One open channel and one scope for all rounds: reopening and truncating files per
        // round is slow on some file systems; a success allocates only the file's few bytes.
        try (FileChannel out = FileChannel.open(damaged, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                MemoryScope scope = MemoryScope.open("fuzz")) {
            SplittableRandom random = new SplittableRandom(11);
            for (int round = 0; round < 1500; round++) {
                byte[] bytes = whole.clone();
                int changes = 1 + random.nextInt(3);
                for (int i = 0; i < changes; i++) {
                    // the length and the header, where damage matters
                    int at = random.nextInt(Math.min(bytes.length, 8 + 128));
                    bytes[at] = (byte) random.nextInt(256);
                }
                out.write(ByteBuffer.wrap(bytes), 0);
                assertFailsCleanly(damaged, scope, "round " + round, false);
            }
            out.write(ByteBuffer.wrap(whole), 0);
            for (int length = whole.length - 1; length >= 0; length--) {
                out.truncate(length);
                assertFailsCleanly(damaged, scope, "prefix of " + length + " bytes", true);
            }
        }
    }

    private static void assertFailsCleanly(Path file, MemoryScope scope, String what, boolean mustFail) {
        try {
            Safetensors.read(file, scope);
            if (mustFail) {
                fail(what + ": a damaged file was read without error");
            }
        } catch (CorruptFileException | UnsupportedFileException expected) {
            assertTrue(expected.getMessage().startsWith(file.toString()), what + ": " + expected.getMessage());
        } catch (Exception other) {
            throw new AssertionError(what + ": unexpected " + other, other);
        }
    }

    private static void assertCorrupt(Path file, String fact) {
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> {
            try (MemoryScope scope = MemoryScope.open("t")) {
                Safetensors.read(file, scope);
            }
        });
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(fact), "expected '" + fact + "' in: " + e.getMessage());
        assertEquals(file, e.file());
    }
}
