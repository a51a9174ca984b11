package io.has.dcs;

/** The DCS could not be reached or did not answer within its deadline. Losing a race is not an error. */
public class DcsException extends Exception {
    private static final long serialVersionUID = 1L;

    public DcsException(String message) {
        super(message);
    }

    public DcsException(String message, Throwable cause) {
        super(message, cause);
    }
}
