package dev.panamax.backend.nativecpu;

import dev.panamax.backend.Backend;
import dev.panamax.backend.BackendProvider;
import dev.panamax.backend.BackendUnavailableException;
import dev.panamax.nativelib.NativeLibraryLoader;
import dev.panamax.nativelib.NativeLoadException;

/** Registers the {@code native} backend; creating it loads the native libraries first. */
public final class NativeBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return NativeBackend.NAME;
    }

    @Override
    public Backend create() {
        try {
            NativeLibraryLoader.load();
        } catch (NativeLoadException e) {
            throw new BackendUnavailableException("The native backend is unavailable: " + e.getMessage(), e);
        }
        return new NativeBackend();
    }
}
