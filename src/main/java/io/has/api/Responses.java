package io.has.api;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.StatusCodes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * How Patroni's handler writes answers: JSON documents, plain messages ({@code _write_response}: text
 * with {@code Content-Type: text/html}), Python's {@code send_error} page, and status-only lines.
 * Every method may be called from any thread (the sender is non-blocking).
 */
final class Responses {

    static final String JSON = "application/json";
    static final String HTML = "text/html";
    private static final String HTML_UTF8 = "text/html;charset=utf-8";

    private Responses() {
    }

    /** HEAD/OPTIONS, /liveness, /readiness: status line and the minimum headers, no body. */
    static void statusOnly(HttpServerExchange ex, int code) {
        ex.setStatusCode(code);
        ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0);
        ex.endExchange();
    }

    static void json(HttpServerExchange ex, int code, byte[] body) {
        send(ex, code, JSON, body);
    }

    /** Patroni's {@code _write_response}: a plain message. */
    static void message(HttpServerExchange ex, int code, String message) {
        message(ex, code, message, Map.of());
    }

    static void message(HttpServerExchange ex, int code, String message, Map<String, String> headers) {
        headers.forEach((k, v) -> ex.getResponseHeaders().put(new HttpString(k), v));
        send(ex, code, HTML, message.getBytes(StandardCharsets.UTF_8));
    }

    static void send(HttpServerExchange ex, int code, String contentType, byte[] body) {
        ex.setStatusCode(code);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
        ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
        ex.getResponseSender().send(ByteBuffer.wrap(body));
    }

    /** Python's {@code send_error} page with the standard reason as message. */
    static void error(HttpServerExchange ex, int code) {
        error(ex, code, StatusCodes.getReason(code), StatusCodes.getReason(code));
    }

    /** Python's {@code send_error} page; patronictl looks for the explanation text of a 501. */
    static void error(HttpServerExchange ex, int code, String message, String explanation) {
        String body = "<!DOCTYPE HTML>\n<html lang=\"en\">\n    <head>\n        <meta charset=\"utf-8\">\n"
                + "        <title>Error response</title>\n    </head>\n    <body>\n"
                + "        <h1>Error response</h1>\n        <p>Error code: " + code + "</p>\n"
                + "        <p>Message: " + escapeHtml(message) + ".</p>\n"
                + "        <p>Error code explanation: " + code + " - " + escapeHtml(explanation) + ".</p>\n"
                + "    </body>\n</html>\n";
        send(ex, code, HTML_UTF8, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes the answer an {@link HttpError} describes. */
    static void error(HttpServerExchange ex, HttpError e) {
        if (e.page()) {
            error(ex, e.status(), e.getMessage(), StatusCodes.getReason(e.status()));
        } else {
            message(ex, e.status(), e.getMessage(), e.headers());
        }
    }

    private static String escapeHtml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
