package dev.panamax.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<Path> filesInDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    @Test
    void createsAndReplacesFilesLeavingNoTemporaryFile() throws IOException {
        Path target = dir.resolve("config.json");
        AtomicFiles.writeString(target, "{\"v\":1}");
        assertEquals("{\"v\":1}", Files.readString(target));
        AtomicFiles.writeBytes(target, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target));
        AtomicFiles.write(target, out -> out.write(ByteBuffer.wrap("streamed".getBytes(StandardCharsets.UTF_8))));
        assertEquals("streamed", Files.readString(target));
        assertEquals(List.of(target), filesInDir());
    }

    @Test
    void aFailingWriterLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("model.bin");
        AtomicFiles.writeString(target, "old");
        IOException io = new IOException("disk full");
        IOException thrown = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write(ByteBuffer.wrap(new byte[4096]));
            throw io;
        }));
        assertSame(io, thrown);
        RuntimeException bug = new IllegalStateException("bug in the writer");
        assertSame(bug, assertThrows(IllegalStateException.class, () -> AtomicFiles.write(target, out -> {
            out.write(ByteBuffer.wrap(new byte[10]));
            throw bug;
        })));
        assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(target, out -> {
            throw new UncheckedIOException(new IOException("wrapped"));
        }));
        assertEquals("old", Files.readString(target));
        assertEquals(List.of(target), filesInDir());
    }

    @Test
    void refusesToReplaceADirectory() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeString(sub, "x"));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
        assertEquals(List.of(sub), filesInDir());
    }

    @Test
    void theNewFileHasTheDirectorysDefaultPermissionsNotOwnerOnly() throws IOException {
        assumeTrue(Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null, "POSIX file system");
        Path plain = Files.createFile(dir.resolve("plain"));
        Path atomic = dir.resolve("atomic");
        AtomicFiles.writeString(atomic, "x");
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(atomic));
    }

    @Test
    void recognisesItsTemporaryFiles() {
        Path target = dir.resolve("m.safetensors");
        assertTrue(AtomicFiles.isTemporaryFileOf(target, dir.resolve(".m.safetensors.0123456789abcdef.tmp")));
        assertFalse(AtomicFiles.isTemporaryFileOf(target, dir.resolve("m.safetensors")));
        assertFalse(AtomicFiles.isTemporaryFileOf(target, dir.resolve(".m.safetensors..tmp")));
        assertFalse(AtomicFiles.isTemporaryFileOf(target, dir.resolve(".other.0123.tmp")));
    }
}
