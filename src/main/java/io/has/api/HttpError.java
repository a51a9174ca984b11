package io.has.api;

import io.undertow.util.StatusCodes;
import java.util.Map;

/**
 * A request that ends in an error answer: either Patroni's plain message ({@code _write_response}) or
 * Python's error page ({@code send_error}). Thrown by validation and caught by the router.
 */
final class HttpError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final boolean page;
    private final transient Map<String, String> headers;

    private HttpError(int status, String message, boolean page, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.page = page;
        this.headers = headers;
    }

    /** A plain message, as Patroni's {@code _write_response(status, message)}. */
    static HttpError message(int status, String message) {
        return new HttpError(status, message, false, Map.of());
    }

    static HttpError message(int status, String message, Map<String, String> headers) {
        return new HttpError(status, message, false, headers);
    }

    /** The error page with the standard reason, as Patroni's {@code send_error(status)}. */
    static HttpError page(int status) {
        return new HttpError(status, StatusCodes.getReason(status), true, Map.of());
    }

    /** The error page with a specific message (HAS names the offending field of a bad request). */
    static HttpError page(int status, String message) {
        return new HttpError(status, message, true, Map.of());
    }

    int status() {
        return status;
    }

    boolean page() {
        return page;
    }

    Map<String, String> headers() {
        return headers;
    }
}
