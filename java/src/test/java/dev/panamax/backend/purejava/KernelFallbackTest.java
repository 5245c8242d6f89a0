package dev.panamax.backend.purejava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A JVM started without {@code --add-modules jdk.incubator.vector}, as a Maven user's may be:
 * the Java backend still works, on the scalar kernel, and gives the Vector API kernel's bits.
 */
class KernelFallbackTest {
    @Test
    void withoutTheIncubatorModuleTheScalarKernelRunsAndAgreesBitForBit() throws Exception {
        assertTrue(GemmKernel.VECTORIZED, "this JVM runs the Vector API kernel: " + GemmKernel.describe());
        List<String> lines = runChild();
        assertEquals("kernel: scalar; the JVM option --add-modules jdk.incubator.vector enables the Vector API kernel",
                lines.get(0), String.join("\n", lines));
        assertEquals("fingerprint: " + ScalarKernelChild.fingerprint(), lines.get(1), String.join("\n", lines));
    }

    private static List<String> runChild() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), ScalarKernelChild.class.getName())
                .redirectErrorStream(true)
                .start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child exits");
        assertEquals(0, child.exitValue(), output);
        // Only the child's own lines: the JVM may warn on stderr, which is merged here.
        return output.lines().filter(l -> l.startsWith("kernel: ") || l.startsWith("fingerprint: ")).toList();
    }
}
