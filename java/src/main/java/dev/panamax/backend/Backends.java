package dev.panamax.backend;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds backends by name at run time. Each backend is created once, on first request, and
 * shared; a backend that cannot load (say, native libraries for another platform) does not
 * prevent the others from working.
 */
public final class Backends {
    private static final Map<String, BackendProvider> PROVIDERS = new LinkedHashMap<>();
    private static final Map<String, Backend> CREATED = new LinkedHashMap<>();
    private static final Map<String, BackendUnavailableException> FAILED = new LinkedHashMap<>();

    static {
        Iterator<BackendProvider> it = ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader()).iterator();
        while (true) {
            try {
                if (!it.hasNext()) break;
                BackendProvider p = it.next();
                PROVIDERS.putIfAbsent(p.name(), p);
            } catch (ServiceConfigurationError e) {
                // One broken provider must not take the others down.
                System.getLogger(Backends.class.getName()).log(System.Logger.Level.WARNING,
                        "Backends: skipping a backend provider that cannot be loaded: " + e.getMessage());
            }
        }
    }

    private Backends() {
    }

    /** Names of the registered backends, loadable or not. */
    public static synchronized List<String> names() {
        return new ArrayList<>(PROVIDERS.keySet());
    }

    /**
     * The backend called {@code name}, created on first use.
     *
     * @throws IllegalArgumentException for an unknown name
     * @throws BackendUnavailableException when the backend cannot run here (the same
     *     exception again on later calls: a failed native load is not retried)
     */
    public static synchronized Backend get(String name) {
        Backend b = CREATED.get(name);
        if (b != null) return b;
        BackendUnavailableException failed = FAILED.get(name);
        if (failed != null) throw new BackendUnavailableException(failed.getMessage(), failed);
        BackendProvider p = PROVIDERS.get(name);
        if (p == null) {
            throw new IllegalArgumentException("Backends.get: unknown backend '" + name + "'; registered: " + PROVIDERS.keySet());
        }
        try {
            b = p.create();
        } catch (BackendUnavailableException e) {
            FAILED.put(name, e);
            throw e;
        }
        CREATED.put(name, b);
        return b;
    }

    /** Whether {@link #get} would return the backend (trying to create it if needed). */
    public static synchronized boolean isAvailable(String name) {
        try {
            get(name);
            return true;
        } catch (BackendUnavailableException e) {
            return false;
        }
    }

    /**
     * The backend models use unless told otherwise: {@code native} where its libraries load, else
     * {@code java}; the system property {@code panamax.backend} or environment variable
     * {@code PANAMAX_BACKEND} names another.
     */
    public static Backend preferred() {
        String chosen = System.getProperty("panamax.backend", System.getenv("PANAMAX_BACKEND"));
        if (chosen != null && !chosen.isBlank()) return get(chosen.trim());
        return isAvailable("native") ? get("native") : get("java");
    }

    /** The pure-Java backend, always available. */
    public static Backend java() {
        return get("java");
    }

    /** The oneDNN/OpenBLAS backend. */
    public static Backend nativeCpu() {
        return get("native");
    }
}
