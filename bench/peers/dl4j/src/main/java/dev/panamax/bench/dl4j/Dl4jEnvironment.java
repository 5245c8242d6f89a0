package dev.panamax.bench.dl4j;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.util.Locale;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What DL4J runs with, for the report: versions, ND4J's backend and threads, and the kernels
 * (core) of the OpenBLAS that ND4J loaded, which OPENBLAS_CORETYPE can override. JavaCPP's
 * OpenBLAS preset does not map openblas_get_corename, so it is called through FFM on the
 * library already in the process. Prints one JSON object.
 */
public final class Dl4jEnvironment {
    /** The soname libnd4jcpu.so links against: dlopen finds the copy JavaCPP loaded. */
    private static final String OPENBLAS = "libopenblas.so.0";

    private Dl4jEnvironment() {
    }

    public static void main(String[] args) throws Throwable {
        Nd4j.create(1); // loads the native backend, and OpenBLAS with it
        SymbolLookup blas = SymbolLookup.libraryLookup(OPENBLAS, Arena.global());
        Linker linker = Linker.nativeLinker();
        MemorySegment core = (MemorySegment) linker.downcallHandle(blas.findOrThrow("openblas_get_corename"),
                FunctionDescriptor.of(ValueLayout.ADDRESS)).invokeExact();
        MemorySegment config = (MemorySegment) linker.downcallHandle(blas.findOrThrow("openblas_get_config"),
                FunctionDescriptor.of(ValueLayout.ADDRESS)).invokeExact();
        int blasThreads = (int) linker.downcallHandle(blas.findOrThrow("openblas_get_num_threads"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT)).invokeExact();
        System.out.printf(Locale.ROOT, "{\"side\":\"dl4j\",\"library\":\"Deeplearning4j %s\",\"backend\":\"%s\","
                        + "\"blas\":\"%s\",\"blasCore\":\"%s\",\"threads\":%d,\"blasThreads\":%d}%n",
                version(), Nd4j.getBackend().getClass().getSimpleName(), cString(config), cString(core),
                Nd4j.getEnvironment().maxThreads(), blasThreads);
        System.exit(0); // ND4J's non-daemon threads would keep the JVM alive
    }

    private static String cString(MemorySegment p) {
        return p.reinterpret(1024).getString(0).strip();
    }

    private static String version() throws IOException {
        Properties versions = new Properties();
        try (InputStream in = Dl4jEnvironment.class.getResourceAsStream("versions.properties")) {
            versions.load(in);
        }
        return versions.getProperty("dl4j");
    }
}
