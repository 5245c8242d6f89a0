package dev.panamax.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that breaks the rules of its format: truncated, inconsistent or not the format at
 * all. The message names the file and the fact at fault.
 */
public final class CorruptFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public CorruptFileException(Path file, String fact) {
        super(file + ": " + fact);
        this.file = file;
    }

    public CorruptFileException(Path file, String fact, Throwable cause) {
        super(file + ": " + fact, cause);
        this.file = file;
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }
}
