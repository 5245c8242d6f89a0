package dev.panamax.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that a reader, or the next run after a crash, sees either the old file or
 * the complete new one, never a mix: the content goes to a temporary file in the same
 * directory, is forced to disk, and is renamed over the target in one atomic step; then the
 * directory is synced so that the rename itself survives a power cut.
 *
 * <p>A process killed mid-write leaves the target untouched and a temporary file named
 * {@code .<target name>.<random>.tmp} behind; {@link #isTemporaryFileOf} recognises it.
 */
public final class AtomicFiles {
    private static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    /** Produces a file's content; it may write any number of bytes to {@code out}. */
    @FunctionalInterface
    public interface Content {
        void writeTo(WritableByteChannel out) throws IOException;
    }

    /**
     * Replaces (or creates) {@code target} with what {@code content} writes. If anything fails,
     * including {@code content} itself, the temporary file is deleted, {@code target} is as it
     * was, and the exception propagates.
     *
     * @throws java.nio.file.AtomicMoveNotSupportedException if the file system cannot rename
     *     atomically; the target is then left as it was rather than replaced unsafely
     */
    public static void write(Path target, Content content) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(content, "content");
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        if (directory == null || absolute.getFileName() == null) {
            throw new IllegalArgumentException("AtomicFiles.write: " + target + " does not name a file");
        }
        if (Files.isDirectory(absolute)) {
            throw new IOException("AtomicFiles.write: " + target + " is a directory");
        }
        Path temp = createTemporaryFile(absolute);
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                content.writeTo(out);
                out.force(true);
            }
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        syncDirectory(directory);
    }

    /** Replaces (or creates) {@code target} with {@code bytes}, atomically. */
    public static void writeBytes(Path target, byte[] bytes) throws IOException {
        Objects.requireNonNull(bytes, "bytes");
        write(target, out -> {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        });
    }

    /** Replaces (or creates) {@code target} with {@code text} in UTF-8, atomically. */
    public static void writeString(Path target, String text) throws IOException {
        Objects.requireNonNull(text, "text");
        writeBytes(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code candidate} is a temporary file that {@link #write} makes for {@code target}. */
    public static boolean isTemporaryFileOf(Path target, Path candidate) {
        Path targetName = target.getFileName();
        Path candidateName = candidate.getFileName();
        if (targetName == null || candidateName == null) {
            return false;
        }
        String prefix = "." + targetName + ".";
        String name = candidateName.toString();
        return name.startsWith(prefix) && name.endsWith(TEMP_SUFFIX)
                && name.length() > prefix.length() + TEMP_SUFFIX.length();
    }

    /**
     * Creates an empty temporary file next to {@code target}. Made with the default permissions
     * (not {@link Files#createTempFile}'s owner-only ones) because it becomes the target.
     */
    private static Path createTemporaryFile(Path target) throws IOException {
        HexFormat hex = HexFormat.of();
        while (true) {
            String random = hex.toHexDigits(ThreadLocalRandom.current().nextLong());
            Path temp = target.resolveSibling("." + target.getFileName() + "." + random + TEMP_SUFFIX);
            try {
                FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return temp;
            } catch (FileAlreadyExistsException collision) {
                // another writer drew the same name: draw again
            }
        }
    }

    /**
     * Makes the rename durable. Best effort: some platforms (Windows) cannot open or sync a
     * directory, and by now the new file is already in place.
     */
    private static void syncDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException unsupported) {
            // the rename stands; only its durability across a power cut is not guaranteed here
        }
    }
}
