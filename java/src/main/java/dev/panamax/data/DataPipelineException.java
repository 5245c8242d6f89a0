package dev.panamax.data;

/**
 * A failure on a background worker of the input pipeline (decoding, augmentation or batch
 * assembly), rethrown on the thread that asked for the batch. The cause is the worker's exception.
 */
public class DataPipelineException extends RuntimeException {

    public DataPipelineException(String message, Throwable cause) {
        super(message, cause);
    }
}
