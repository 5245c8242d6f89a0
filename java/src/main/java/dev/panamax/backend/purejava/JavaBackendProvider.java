package dev.panamax.backend.purejava;

import dev.panamax.backend.Backend;
import dev.panamax.backend.BackendProvider;

/** Registers the pure-Java backend under the name {@code "java"}; it runs on every JVM. */
public final class JavaBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return JavaBackend.NAME;
    }

    @Override
    public Backend create() {
        return new JavaBackend();
    }
}
