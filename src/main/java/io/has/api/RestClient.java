package io.has.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;

/**
 * A small HTTP(S) client for members' REST APIs, used by {@code hasctl} (the daemon uses {@link PeerHttp},
 * which keeps no thread or TLS state while idle). Basic auth and TLS (client certificate, CA) come from
 * the configuration; every call has a connect and read deadline. {@code insecure} (patronictl's {@code -k}) needs a trust-all context
 * and {@link #disableHostnameVerification()} called before the first client is built.
 */
public final class RestClient {

    /** An answer: status code and body text. */
    public record Response(int status, String body) {
    }

    private final String authorization;
    private final HttpClient http;

    /**
     * @param username Basic auth user or null
     * @param password Basic auth password or null
     * @param tls      context for https URLs, or null for the JDK default
     */
    public RestClient(String username, String password, SSLContext tls) {
        this.authorization = username == null || password == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
                        .getBytes(StandardCharsets.UTF_8));
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5));
        if (tls != null) {
            b.sslContext(tls);
        }
        this.http = b.build();
    }

    /** No auth, default TLS. */
    public static RestClient plain() {
        return new RestClient(null, null, null);
    }

    /** For {@code insecure}: the JDK client reads this property once, before its first use. */
    public static void disableHostnameVerification() {
        System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
    }

    /**
     * Sends one request and waits for the answer.
     *
     * @param method    GET, POST, PATCH, ...
     * @param url       absolute URL
     * @param jsonBody  JSON text or null for no body
     * @param timeoutMs deadline for the answer
     * @throws IOException when the member cannot be reached or does not answer in time
     */
    public Response send(String method, String url, String jsonBody, long timeoutMs) throws IOException {
        try {
            return sendAsync(method, url, jsonBody, timeoutMs).join();
        } catch (java.util.concurrent.CompletionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            throw c instanceof IOException io ? io : new IOException(String.valueOf(c.getMessage()), c);
        }
    }

    /** As {@link #send} without blocking. */
    public CompletableFuture<Response> sendAsync(String method, String url, String jsonBody, long timeoutMs) {
        HttpRequest.Builder r;
        try {
            r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMillis(timeoutMs));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new IOException("bad URL " + url));
        }
        if (authorization != null) {
            r.header("Authorization", authorization);
        }
        if (jsonBody != null) {
            r.header("Content-Type", "application/json");
            r.method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        } else {
            r.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.sendAsync(r.build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(resp -> new Response(resp.statusCode(), resp.body()));
    }
}
