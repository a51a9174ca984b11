package io.has.cluster.json;

/**
 * A stored value could not be decoded (not JSON, wrong shape, wrong types). Readers of the DCS catch
 * it, log once and treat the key as absent or unknown; it must never reach the HA loop.
 */
public class MalformedValueException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedValueException(String message) {
        super(message);
    }

    public MalformedValueException(String message, Throwable cause) {
        super(message, cause);
    }
}
