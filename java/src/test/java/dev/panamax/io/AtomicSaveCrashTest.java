package dev.panamax.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a JVM in the middle of saving a model and checks that the file on disk is still a
 * complete earlier save. The child runs with a heap smaller than the file, which also shows
 * that saving streams rather than building the file in memory.
 */
class AtomicSaveCrashTest {
    private static final int ELEMENTS = 6_000_000; // 24 MB of floats
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    @TempDir
    Path dir;

    @Test
    void killingTheWriterMidSaveLeavesTheLastCompleteSave() throws Exception {
        Path target = dir.resolve("model.safetensors");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "-Xmx16m",
                "-cp", System.getProperty("java.class.path"), AtomicSaveChild.class.getName(),
                target.toString(), Integer.toString(ELEMENTS))
                .redirectErrorStream(true)
                .start();
        ConcurrentSkipListSet<Integer> saved = new ConcurrentSkipListSet<>();
        StringBuilder otherOutput = new StringBuilder();
        Thread reader = Thread.ofPlatform().daemon().start(() -> readOutput(child, saved, otherOutput));
        try {
            Path partial = awaitPartialSave(child, target, saved, otherOutput);
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the killed child exits");
            reader.join(TimeUnit.SECONDS.toMillis(10));
            assertTrue(Files.exists(partial), "the kill interrupted a save: its temporary file " + partial + " is left");
        } finally {
            child.destroyForcibly();
        }

        try (MemoryScope scope = MemoryScope.open("check")) {
            SafetensorsFile file = Safetensors.read(target, scope); // strict: a partial file would not parse
            int generation = Integer.parseInt(file.metadata().get("generation"));
            // A save whose rename happened just before the kill may not have printed "saved" yet.
            assertTrue(saved.contains(generation) || generation == saved.last() + 1,
                    "generation " + generation + " on disk; completed saves " + saved.first() + ".." + saved.last());
            assertEquals(List.of("weights", "steps"), List.copyOf(file.tensors().keySet()));
            assertAllEqual(file.tensor("weights"), ValueLayout.JAVA_FLOAT, generation);
            assertAllEqual(file.tensor("steps"), ValueLayout.JAVA_INT, generation);
        }
    }

    /**
     * Waits until the child has completed two saves and has written part, but well under half,
     * of the next one's data, leaving it at least half the data and the fsync to go.
     */
    private static Path awaitPartialSave(Process child, Path target, ConcurrentSkipListSet<Integer> saved,
            StringBuilder otherOutput) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        long halfData = ELEMENTS * 4L / 2;
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                fail("the child exited with " + child.exitValue() + ": " + otherOutput);
            }
            if (saved.size() >= 2) {
                Optional<Path> partial = temporaryFile(target).filter(p -> sizeOf(p) > 0 && sizeOf(p) < halfData);
                if (partial.isPresent()) {
                    return partial.get();
                }
            }
            Thread.sleep(1);
        }
        fail("timed out waiting for the child to be mid-save; saves completed: " + saved + ", output: " + otherOutput);
        return null;
    }

    private static Optional<Path> temporaryFile(Path target) throws IOException {
        try (Stream<Path> files = Files.list(target.getParent())) {
            return files.filter(p -> AtomicFiles.isTemporaryFileOf(target, p)).findFirst();
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException renamedMeanwhile) {
            return -1;
        }
    }

    private static void readOutput(Process child, ConcurrentSkipListSet<Integer> saved, StringBuilder otherOutput) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("saved ")) {
                    saved.add(Integer.parseInt(line.substring(6)));
                } else {
                    synchronized (otherOutput) {
                        otherOutput.append(line).append('\n');
                    }
                }
            }
        } catch (IOException closedByKill) {
            // the stream ends when the child dies
        }
    }

    private static void assertAllEqual(Tensor t, ValueLayout element, int generation) {
        MemorySegment s = t.segment();
        for (long i = 0; i < t.size(); i++) {
            double v = element instanceof ValueLayout.OfFloat f ? s.getAtIndex(f, i)
                    : s.getAtIndex((ValueLayout.OfInt) element, i);
            if (v != generation) {
                fail(t.describeShape() + " element " + i + " is " + v + ", expected generation " + generation);
            }
        }
    }
}
