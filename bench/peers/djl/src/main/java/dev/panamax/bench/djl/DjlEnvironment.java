package dev.panamax.bench.djl;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/**
 * What PyTorch runs with, for the report: versions, threads, and its BLAS. libtorch's CPU build
 * links Intel MKL statically (no OpenBLAS, so OPENBLAS_* variables do not touch it); its version
 * string comes from libtorch_cpu.so through FFM. Prints one JSON object.
 */
public final class DjlEnvironment {
    private DjlEnvironment() {
    }

    public static void main(String[] args) throws Throwable {
        Engine engine = Engine.getEngine("PyTorch");
        Properties versions = new Properties();
        try (InputStream in = DjlEnvironment.class.getResourceAsStream("versions.properties")) {
            versions.load(in);
        }
        System.out.printf(Locale.ROOT, "{\"side\":\"pytorch\",\"library\":\"PyTorch %s (DJL %s, JNI %s)\","
                        + "\"blas\":\"%s\",\"blasCore\":\"n/a (MKL dispatches by CPUID; MKL_ENABLE_INSTRUCTIONS=%s)\","
                        + "\"threads\":%d,\"interopThreads\":%d}%n",
                engine.getVersion(), versions.getProperty("djl"), versions.getProperty("pytorchJni"),
                mklVersion(), System.getenv().getOrDefault("MKL_ENABLE_INSTRUCTIONS", "unset"),
                JniUtils.getNumThreads(), JniUtils.getNumInteropThreads());
    }

    private static String mklVersion() throws Throwable {
        Path lib = Path.of(LibUtils.getLibtorchPath(), "libtorch_cpu.so");
        SymbolLookup torch = SymbolLookup.libraryLookup(lib, Arena.global());
        var symbol = torch.find("MKL_Get_Version_String");
        if (symbol.isEmpty()) return "unknown (libtorch_cpu.so exports no MKL version)";
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(256);
            Linker.nativeLinker().downcallHandle(symbol.get(),
                    FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.JAVA_INT)).invokeExact(buffer, 256);
            return buffer.getString(0).strip();
        }
    }
}
