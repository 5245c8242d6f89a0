package dev.panamax.backend;

/**
 * Makes a backend available to {@link Backends}; implementations are found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.panamax.backend.BackendProvider}).
 */
public interface BackendProvider {
    /** The backend's name, e.g. {@code "java"}. */
    String name();

    /**
     * Creates the backend. Throws {@link BackendUnavailableException} saying what was tried and
     * why it failed when this machine cannot run it.
     */
    Backend create();
}
