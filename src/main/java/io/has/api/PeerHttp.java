package io.has.api;

import io.has.util.Threads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.Proxy;
import java.net.URI;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * The daemon's requests to other members' REST APIs ({@code GET /patroni} during a leader race or a
 * switchover check, {@code POST /failsafe}): plain {@link HttpURLConnection}s, run in parallel on at most
 * {@value #PARALLEL} threads that exist only while requests are under way (they end after
 * {@value #IDLE_SECONDS} s idle).
 *
 * <p>Not {@code java.net.http.HttpClient}: each of those keeps a selector thread for good, and building
 * one initialises the JDK's default TLS context (the cacerts trust store, the TLS provider): together
 * about 8 MiB of an idle daemon's memory, spent even when every member speaks plain http. Here TLS is
 * loaded only when an {@code https} URL is used. As with {@code HttpClient}'s defaults, no proxy is used
 * and redirects are not followed; {@code https} verifies the peer's certificate and host name.
 */
public final class PeerHttp {

    /** An answer: status code and body text (also for 4xx/5xx). */
    public record Response(int status, String body) {
    }

    static final int PARALLEL = 8;
    static final int IDLE_SECONDS = 10;

    private final SSLSocketFactory tls;
    private final ThreadPoolExecutor pool;

    /**
     * @param tls        context for https URLs, or null for the JDK default (built on first https use)
     * @param threadName thread name component ({@code has-<threadName>-N})
     */
    public PeerHttp(SSLContext tls, String threadName) {
        this.tls = tls == null ? null : tls.getSocketFactory();
        this.pool = new ThreadPoolExecutor(PARALLEL, PARALLEL, IDLE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), Threads.factory(threadName));
        this.pool.allowCoreThreadTimeOut(true);
    }

    /**
     * Sends one request in the background.
     *
     * @param method    GET or POST
     * @param url       absolute http(s) URL
     * @param jsonBody  JSON text, or null for no body
     * @param timeoutMs connect and read timeout (the caller bounds the total wait)
     * @return the answer, or a future failed with an {@link IOException}
     */
    public CompletableFuture<Response> send(String method, String url, String jsonBody, int timeoutMs) {
        URI uri;
        try {
            uri = URI.create(url);
            uri.toURL(); // an unknown scheme fails here, not on a pool thread
        } catch (IllegalArgumentException | MalformedURLException e) {
            return CompletableFuture.failedFuture(new IOException("bad URL " + url));
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                return exchange(uri, method, jsonBody, timeoutMs);
            } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, pool);
    }

    private Response exchange(URI uri, String method, String jsonBody, int timeoutMs) throws IOException {
        URLConnection u = uri.toURL().openConnection(Proxy.NO_PROXY);
        if (!(u instanceof HttpURLConnection c)) {
            throw new IOException("not an http(s) URL: " + uri);
        }
        if (c instanceof HttpsURLConnection s && tls != null) {
            s.setSSLSocketFactory(tls);
        }
        c.setConnectTimeout(timeoutMs);
        c.setReadTimeout(timeoutMs);
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        c.setRequestMethod(method);
        try {
            if (jsonBody != null) {
                byte[] body = jsonBody.getBytes(StandardCharsets.UTF_8);
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", "application/json");
                c.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            String text = "";
            if (in != null) {
                try (in) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            return new Response(status, text);
        } catch (IOException e) {
            c.disconnect(); // a broken exchange must not go back to the keep-alive cache
            throw e;
        }
    }
}
