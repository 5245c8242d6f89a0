package dev.panamax.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A well-formed file that holds something Panamax cannot represent, such as a tensor of an
 * element type it has no {@link dev.panamax.tensor.DType} for. The message names the file and
 * what is unsupported.
 */
public final class UnsupportedFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public UnsupportedFileException(Path file, String fact) {
        super(file + ": " + fact);
        this.file = file;
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }
}
