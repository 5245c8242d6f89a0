package dev.panamax.io;

import dev.panamax.tensor.DType;
import dev.panamax.tensor.Shape;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the JSON header of a possibly hostile file into a {@link SafetensorsHeader}, checking
 * every fact a reader relies on: each tensor's dtype, shape and offsets agree, and the tensors
 * tile the data buffer exactly, without overlaps, gaps or bytes past its end. After these
 * checks, loading every tensor allocates exactly the data buffer's size.
 */
final class SafetensorsHeaderParser {
    static final String METADATA = "__metadata__";
    static final String DTYPE = "dtype";
    static final String SHAPE = "shape";
    static final String DATA_OFFSETS = "data_offsets";
    private static final Set<String> ENTRY_FIELDS = Set.of(DTYPE, SHAPE, DATA_OFFSETS);
    private static final int EXCERPT_CHARS = 80;

    private final Path file;

    private SafetensorsHeaderParser(Path file) {
        this.file = file;
    }

    /**
     * Parses {@code headerBytes}, which precede {@code dataSize} bytes of tensor data in
     * {@code file} (named in errors only).
     */
    static SafetensorsHeader parse(Path file, byte[] headerBytes, long dataSize) throws CorruptFileException,
            UnsupportedFileException {
        return new SafetensorsHeaderParser(file).parse(headerBytes, dataSize);
    }

    private SafetensorsHeader parse(byte[] headerBytes, long dataSize) throws CorruptFileException,
            UnsupportedFileException {
        String text = decodeUtf8(headerBytes);
        Object json;
        try {
            json = Json.parse(text);
        } catch (JsonException e) {
            throw corrupt("the header is not valid JSON: " + e.fact() + " at character " + e.offset()
                    + " of the header", e);
        }
        if (!(json instanceof Map<?, ?> members)) {
            throw corrupt("the header is " + Json.kindOf(json) + ", expected a JSON object");
        }
        Map<String, String> metadata = Map.of();
        List<SafetensorsEntry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> member : members.entrySet()) {
            String name = (String) member.getKey();
            if (name.equals(METADATA)) {
                metadata = parseMetadata(member.getValue());
            } else {
                entries.add(parseEntry(name, member.getValue(), dataSize));
            }
        }
        entries.sort(Comparator.comparingLong(SafetensorsEntry::begin));
        checkTiling(entries, dataSize);
        Map<String, SafetensorsEntry> byName = new LinkedHashMap<>();
        for (SafetensorsEntry e : entries) {
            byName.put(e.name(), e);
        }
        return new SafetensorsHeader(byName, metadata, 8L + headerBytes.length);
    }

    private String decodeUtf8(byte[] bytes) throws CorruptFileException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never decodes to more chars than bytes
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw corrupt("the header is not valid UTF-8 at byte " + in.position() + " of the header");
        }
        return out.flip().toString();
    }

    private Map<String, String> parseMetadata(Object value) throws CorruptFileException {
        if (!(value instanceof Map<?, ?> map)) {
            throw corrupt(METADATA + " is " + Json.kindOf(value) + ", expected an object of strings");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw corrupt(METADATA + " must map strings to strings, but '" + e.getKey() + "' is "
                        + Json.kindOf(e.getValue()));
            }
            metadata.put((String) e.getKey(), s);
        }
        return metadata;
    }

    private SafetensorsEntry parseEntry(String name, Object value, long dataSize) throws CorruptFileException,
            UnsupportedFileException {
        if (!(value instanceof Map<?, ?> fields)) {
            throw corrupt("tensor '" + name + "' is " + Json.kindOf(value)
                    + ", expected an object with dtype, shape and data_offsets");
        }
        for (Object field : fields.keySet()) {
            if (!ENTRY_FIELDS.contains(field)) {
                throw corrupt("tensor '" + name + "' has the unknown field '" + field + "'");
            }
        }
        if (!(required(name, fields, DTYPE) instanceof String code)) {
            throw corrupt("tensor '" + name + "': dtype is " + Json.kindOf(fields.get(DTYPE)) + ", expected a string");
        }
        long[] dims = nonNegativeIntegers(name, SHAPE, required(name, fields, SHAPE), -1);
        long[] offsets = nonNegativeIntegers(name, DATA_OFFSETS, required(name, fields, DATA_OFFSETS), 2);
        long begin = offsets[0];
        long end = offsets[1];
        String where = "tensor '" + name + "' (data_offsets [" + begin + ", " + end + "])";
        if (end < begin) {
            throw corrupt(where + " ends before it begins");
        }
        if (end > dataSize) {
            throw corrupt(where + " runs past the end of the data, which has " + dataSize
                    + " bytes: the file is truncated or the offsets are wrong");
        }
        DType dtype = SafetensorsDTypes.fromCode(code);
        if (dtype == null) {
            throw new UnsupportedFileException(file, "tensor '" + name + "' has dtype " + code
                    + "; Panamax reads " + SafetensorsDTypes.SUPPORTED);
        }
        long elements = 1;
        for (long d : dims) {
            try {
                elements = Math.multiplyExact(elements, d);
            } catch (ArithmeticException e) {
                throw corrupt("tensor '" + name + "' has shape " + Arrays.toString(dims)
                        + ", whose element count overflows a long");
            }
        }
        // elements <= Long.MAX_VALUE and byteSize <= 4: compare by division to avoid overflow
        if ((end - begin) % dtype.byteSize() != 0 || (end - begin) / dtype.byteSize() != elements) {
            throw corrupt(where + " holds " + (end - begin) + " bytes, but " + code + " "
                    + Arrays.toString(dims) + " needs " + elements + " elements of " + dtype.byteSize() + " bytes");
        }
        if (elements == 0) {
            throw new UnsupportedFileException(file, "tensor '" + name + "' has shape " + Arrays.toString(dims)
                    + ", which holds no elements; Panamax tensors cannot be empty");
        }
        return new SafetensorsEntry(name, dtype, Shape.of(dims), begin, end);
    }

    private Object required(String name, Map<?, ?> fields, String field) throws CorruptFileException {
        if (!fields.containsKey(field)) {
            throw corrupt("tensor '" + name + "' has no " + field);
        }
        return fields.get(field);
    }

    /** {@code value} as an array of non-negative longs, of {@code length} elements unless that is -1. */
    private long[] nonNegativeIntegers(String name, String field, Object value, int length) throws CorruptFileException {
        String expected = length == 2 ? "an array of two non-negative integers [begin, end]"
                : "an array of non-negative integers";
        if (!(value instanceof List<?> list) || (length >= 0 && list.size() != length)) {
            throw corrupt("tensor '" + name + "': " + field + " is " + excerpt(value) + ", expected " + expected);
        }
        long[] result = new long[list.size()];
        for (int i = 0; i < result.length; i++) {
            if (!(list.get(i) instanceof Long n)) {
                throw corrupt("tensor '" + name + "': " + field + " " + excerpt(list)
                        + " has an element that is not an integer; expected " + expected);
            }
            if (n < 0) {
                throw corrupt("tensor '" + name + "': " + field + " " + excerpt(list) + " has the negative value "
                        + n + "; expected " + expected);
            }
            result[i] = n;
        }
        return result;
    }

    /** Checks that {@code sorted} entries cover {@code [0, dataSize)} exactly once, as the format requires. */
    private void checkTiling(List<SafetensorsEntry> sorted, long dataSize) throws CorruptFileException {
        long covered = 0;
        SafetensorsEntry previous = null;
        for (SafetensorsEntry e : sorted) {
            if (e.begin() < covered) {
                throw corrupt("tensors '" + previous.name() + "' (data_offsets [" + previous.begin() + ", "
                        + previous.end() + "]) and '" + e.name() + "' ([" + e.begin() + ", " + e.end() + "]) overlap");
            }
            if (e.begin() > covered) {
                throw corrupt("bytes [" + covered + ", " + e.begin() + ") of the data belong to no tensor");
            }
            covered = e.end();
            previous = e;
        }
        if (covered != dataSize) {
            throw corrupt("the last " + (dataSize - covered) + " bytes of the data (from offset " + covered
                    + ") belong to no tensor");
        }
    }

    /** A parsed value as JSON, cut short: a hostile header can make it megabytes long. */
    private static String excerpt(Object value) {
        String json = Json.write(value);
        return json.length() <= EXCERPT_CHARS ? json : json.substring(0, EXCERPT_CHARS) + "...";
    }

    private CorruptFileException corrupt(String fact) {
        return new CorruptFileException(file, fact);
    }

    private CorruptFileException corrupt(String fact, Throwable cause) {
        return new CorruptFileException(file, fact, cause);
    }
}
