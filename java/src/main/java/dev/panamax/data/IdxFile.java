package dev.panamax.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * An IDX file of unsigned bytes, the format of MNIST and Fashion-MNIST: a big-endian magic number
 * {@code 0x000008NN} (type 0x08 = unsigned byte, NN dimensions), NN big-endian int dimensions,
 * then the values row-major. Gzipped files are recognised by their magic bytes, not their name.
 *
 * @param dims the dimensions from the header, outermost first
 * @param data the values, each an unsigned byte (read with {@code b & 0xFF})
 */
public record IdxFile(int[] dims, byte[] data) {
    /** The IDX type code of unsigned bytes, the only type MNIST uses. */
    public static final int UNSIGNED_BYTE = 0x08;

    public IdxFile {
        Objects.requireNonNull(dims, "dims");
        Objects.requireNonNull(data, "data");
        long size = 1;
        for (int d : dims) {
            if (d < 1) {
                throw new IllegalArgumentException("IdxFile: dimensions " + Arrays.toString(dims) + " must be positive");
            }
            size *= d;
        }
        if (dims.length == 0 || dims.length > 255 || size != data.length) {
            throw new IllegalArgumentException("IdxFile: " + data.length + " values do not fill dimensions "
                    + Arrays.toString(dims));
        }
    }

    /** Reads an IDX file, plain or gzipped, checking that its body has exactly the size its header declares. */
    public static IdxFile read(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = decompressed(new BufferedInputStream(raw, 1 << 16))) {
            return read(file, new DataInputStream(in));
        } catch (ZipException e) {
            throw new MalformedDataException(file + ": corrupt gzip data: " + e.getMessage(), e);
        }
    }

    /** The magic number this file's header would carry. */
    public int magic() {
        return (UNSIGNED_BYTE << 8) | dims.length;
    }

    /** Number of values: the product of the dimensions. */
    public int size() {
        return data.length;
    }

    private static IdxFile read(Path file, DataInputStream in) throws IOException {
        int magic;
        try {
            magic = in.readInt();
        } catch (EOFException e) {
            throw new MalformedDataException(file + ": truncated: the file ends inside the 4-byte IDX magic number", e);
        }
        int type = (magic >>> 8) & 0xFF;
        int rank = magic & 0xFF;
        if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE || rank == 0) {
            throw new MalformedDataException(file + ": bad IDX magic number " + hex(magic)
                    + "; expected 0x000008NN (unsigned bytes, NN >= 1 dimensions)");
        }
        int[] dims = new int[rank];
        long size = 1;
        for (int i = 0; i < rank; i++) {
            try {
                dims[i] = in.readInt();
            } catch (EOFException e) {
                throw new MalformedDataException(file + ": truncated: the header declares " + rank
                        + " dimensions but the file ends after " + i, e);
            }
            if (dims[i] < 1) {
                throw new MalformedDataException(file + ": dimension " + i + " in the header is " + dims[i]
                        + "; every dimension must be positive");
            }
            size *= dims[i];
            if (size > Integer.MAX_VALUE - 16) {
                throw new MalformedDataException(file + ": header dimensions " + Arrays.toString(Arrays.copyOf(dims, i + 1))
                        + " declare more values than one Java array holds");
            }
        }
        byte[] data;
        boolean trailingData;
        try {
            data = in.readNBytes((int) size);
            trailingData = data.length == size && in.read() != -1;
        } catch (EOFException e) {
            // A gzip stream cut short reports its end as an EOFException from the inflater or trailer check.
            throw new MalformedDataException(file + ": truncated: the compressed stream ends before its end marker"
                    + " (header shape " + Arrays.toString(dims) + ")", e);
        }
        if (data.length < size) {
            throw new MalformedDataException(file + ": truncated: the header declares shape " + Arrays.toString(dims)
                    + " = " + size + " values but only " + data.length + " follow");
        }
        if (trailingData) {
            throw new MalformedDataException(file + ": more data follows the " + size + " values that header shape "
                    + Arrays.toString(dims) + " declares");
        }
        return new IdxFile(dims, data);
    }

    private static InputStream decompressed(BufferedInputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1F && b1 == 0x8B ? new GZIPInputStream(in, 1 << 16) : in;
    }

    static String hex(int magic) {
        return String.format("0x%08X", magic);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdxFile f && Arrays.equals(dims, f.dims) && Arrays.equals(data, f.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(dims) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "IdxFile(" + Arrays.toString(dims) + ")";
    }
}
