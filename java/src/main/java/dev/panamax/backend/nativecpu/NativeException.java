package dev.panamax.backend.nativecpu;

/** A call into the native shim failed; carries the shim's status and its message. */
public class NativeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ShimStatus status;

    public NativeException(ShimStatus status, String message) {
        super(message + " [" + status + "]");
        this.status = status;
    }

    public ShimStatus status() {
        return status;
    }
}
