package dev.panamax.bench;

import dev.panamax.ComputeThreads;
import dev.panamax.Version;
import dev.panamax.backend.Backends;
import dev.panamax.backend.nativecpu.NativeBackend;
import dev.panamax.backend.nativecpu.RuntimeInfo;
import dev.panamax.backend.purejava.JavaBackend;
import dev.panamax.io.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What Panamax runs with, for the report: versions, the CPU code oneDNN dispatches to, the
 * OpenBLAS kernels (core) in use, the Java backend's multiply-add kernel, and threads. Prints
 * one JSON object.
 */
public final class PanamaxEnvironment {
    private PanamaxEnvironment() {
    }

    public static void main(String[] args) {
        RuntimeInfo info = ((NativeBackend) Backends.get(NativeBackend.NAME)).runtimeInfo();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("side", "panamax");
        out.put("library", "Panamax " + Version.get() + " (oneDNN " + info.dnnlVersion() + ")");
        out.put("cpuIsa", info.cpuIsa());
        out.put("blas", info.blasConfig());
        out.put("blasCore", info.blasCore());
        out.put("javaKernel", JavaBackend.multiplyAddKernel());
        out.put("threads", ComputeThreads.get());
        out.put("blasThreads", info.blasThreads());
        System.out.println(Json.write(out));
    }
}
