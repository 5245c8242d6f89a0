package dev.panamax.cli;

import dev.panamax.ComputeThreads;
import dev.panamax.Version;
import dev.panamax.backend.Backend;
import dev.panamax.backend.BackendUnavailableException;
import dev.panamax.backend.Backends;
import dev.panamax.backend.nativecpu.NativeBackend;
import dev.panamax.backend.nativecpu.RuntimeInfo;
import dev.panamax.backend.purejava.JavaBackend;
import dev.panamax.nativelib.NativeLibraryLoader;
import java.io.PrintStream;

/** {@code panamax info}: versions, CPU dispatch, threads, and which backends load. */
final class InfoCommand {
    private InfoCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0) {
            err.println("panamax info: takes no arguments, got '" + args[0] + "'");
            err.print(Main.USAGE);
            return 2;
        }
        out.println("Panamax " + Version.get());
        out.println("Java:      " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
        out.println("Threads:   " + ComputeThreads.get() + " (from " + ComputeThreads.source() + "; set with -D"
                + ComputeThreads.PROPERTY + " or " + ComputeThreads.ENV + ")");
        out.println("Backends:");
        for (String name : Backends.names()) {
            try {
                Backend b = Backends.get(name);
                out.println("  " + name + ": loaded");
                if (b instanceof NativeBackend nb) {
                    describeNative(nb, out);
                } else if (b instanceof JavaBackend) {
                    out.println("    kernel:     " + JavaBackend.multiplyAddKernel());
                }
            } catch (BackendUnavailableException e) {
                out.println("  " + name + ": unavailable: " + e.getMessage());
            }
        }
        return 0;
    }

    private static void describeNative(NativeBackend backend, PrintStream out) {
        RuntimeInfo info = backend.runtimeInfo();
        NativeLibraryLoader.Loaded loaded = NativeLibraryLoader.load();
        String coreType = System.getenv("OPENBLAS_CORETYPE");
        out.println("    libraries:  " + String.join(", ", loaded.libraries()) + " (" + loaded.origin() + ")");
        out.println("    shim:       libpanamax " + info.panamaxVersion());
        out.println("    oneDNN:     " + info.dnnlVersion() + ", CPU ISA " + info.cpuIsa());
        out.println("    OpenBLAS:   " + info.blasVersion() + ", core " + info.blasCore()
                + (coreType != null ? " (forced by OPENBLAS_CORETYPE=" + coreType + ")" : " (detected)"));
        out.println("    threads:    oneDNN/OpenMP " + info.computeThreads() + ", OpenBLAS " + info.blasThreads()
                + ", CPUs " + info.cpuCount());
        out.println("    BLAS build: " + info.blasConfig());
    }
}
