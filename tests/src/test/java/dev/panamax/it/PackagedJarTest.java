package dev.panamax.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a downstream user gets: the panamax jar alone (plus its bindings dependency) runs the
 * native backend on a machine with nothing installed, extracting its libraries once.
 */
class PackagedJarTest {
    private static final String NATIVE_DIR = "dev/panamax/native/linux-x86_64/";
    private static final List<String> LIBRARIES = List.of("libgomp.so.1", "libquadmath.so.0", "libgfortran.so.5",
            "libopenblas.so.0", "libdnnl.so.3", "libpanamax.so");

    private static Path jar;
    private static String classPath;

    @BeforeAll
    static void findJars() {
        jar = Path.of(System.getProperty("panamax.jar"));
        assertTrue(Files.isRegularFile(jar), "the panamax jar is built before the tests run: " + jar);
        String bindings = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(p -> p.contains("bindings")).findFirst()
                .orElseThrow(() -> new AssertionError("bindings are not on the test class path"));
        classPath = jar + File.pathSeparator + bindings;
    }

    @Test
    void jarCarriesTheShimAndItsLibrariesButNoJniCode() throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            for (String lib : LIBRARIES) {
                assertTrue(j.getEntry(NATIVE_DIR + lib) != null, "jar lacks " + lib);
            }
            String listing = new String(j.getInputStream(j.getEntry(NATIVE_DIR + "libraries.txt")).readAllBytes(),
                    StandardCharsets.UTF_8);
            List<String> order = listing.lines().map(l -> l.split(" ")[0]).toList();
            assertEquals(LIBRARIES, order, "load order");
            assertTrue(j.stream().noneMatch(e -> e.getName().contains("libjni")), "JNI libraries were packed");
            assertEquals("ALL-UNNAMED", j.getManifest().getMainAttributes().getValue("Enable-Native-Access"));
        }
    }

    @Test
    void extractsOnceIntoTheCacheAndReusesIt(@TempDir Path cache) throws Exception {
        Result first = runInfo("-Dpanamax.cache.dir=" + cache);
        assertEquals(0, first.exit, first.toString());
        assertTrue(first.out.contains("native: loaded"), first.toString());
        assertTrue(first.out.contains("extracted from the jar"), first.toString());
        assertFalse(first.err.contains("restricted method"), "native-access warning printed: " + first.err);

        List<Path> files;
        try (var walk = Files.walk(cache)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertEquals(LIBRARIES.size(), files.size(), "extracted files: " + files);
        List<FileTime> times = new ArrayList<>();
        for (Path f : files) times.add(Files.getLastModifiedTime(f));

        Result second = runInfo("-Dpanamax.cache.dir=" + cache);
        assertEquals(0, second.exit, second.toString());
        assertTrue(second.out.contains("native: loaded"), second.toString());
        for (int i = 0; i < files.size(); i++) {
            assertEquals(times.get(i), Files.getLastModifiedTime(files.get(i)), "re-extracted " + files.get(i));
        }
    }

    @Test
    void aBadOverrideDirectorySaysWhatWasTriedAndTheJavaBackendStillWorks(@TempDir Path empty) throws Exception {
        Result r = runInfo("-Dpanamax.native.dir=" + empty);
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.out.contains("java: loaded"), r.toString());
        assertTrue(r.out.contains("native: unavailable"), r.toString());
        assertTrue(r.out.contains("-Dpanamax.native.dir=" + empty), "says what was tried: " + r);
    }

    @Test
    void theJavaBackendRunsTheVectorApiKernelOnlyWithItsModuleAndSaysWhich(@TempDir Path cache) throws Exception {
        Result plain = runInfo("-Dpanamax.cache.dir=" + cache);
        assertEquals(0, plain.exit, plain.toString());
        assertTrue(plain.out.contains("    kernel:     scalar; the JVM option --add-modules jdk.incubator.vector"),
                plain.toString());

        Result vector = runInfo("-Dpanamax.cache.dir=" + cache, "--add-modules=jdk.incubator.vector");
        assertEquals(0, vector.exit, vector.toString());
        assertTrue(vector.out.contains("    kernel:     Vector API, "), vector.toString());
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result runInfo(String... jvmOptions) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path errFile = Files.createTempFile("panamax-info", ".err");
        try {
            List<String> command = new ArrayList<>(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED"));
            command.addAll(List.of(jvmOptions));
            command.addAll(List.of("-cp", classPath, "dev.panamax.cli.Main", "info"));
            Process p = new ProcessBuilder(command).redirectError(errFile.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = p.waitFor();
            return new Result(exit, out, Files.readString(errFile));
        } finally {
            Files.deleteIfExists(errFile);
        }
    }
}
