package dev.panamax.nativelib;

/** The native libraries could not be loaded; the message lists what was tried and why it failed. */
public class NativeLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NativeLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
