package dev.panamax.backend.nativecpu;

/** The shim's {@code pmx_status} values. */
public enum ShimStatus {
    OK, INVALID_ARGUMENT, UNIMPLEMENTED, OUT_OF_MEMORY, BACKEND_ERROR, UNKNOWN;

    static ShimStatus of(int code) {
        return code >= 0 && code < UNKNOWN.ordinal() ? values()[code] : UNKNOWN;
    }
}
