package dev.panamax.data;

import java.io.IOException;

/**
 * A data file whose content is not what its format requires: a bad magic number, a truncated
 * body, counts that disagree, a cell that is not a number. The message names the file and the
 * fact at fault.
 */
public class MalformedDataException extends IOException {

    public MalformedDataException(String message) {
        super(message);
    }

    public MalformedDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
