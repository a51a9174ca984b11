package io.has.api;

import io.has.cluster.HostPort;
import io.has.api.tls.TlsContexts;
import io.has.config.HasConfig;
import io.has.util.Threads;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import javax.net.ssl.SSLContext;
import org.xnio.Options;
import org.xnio.SslClientAuthMode;

/**
 * The Patroni-compatible REST API (reference/patroni.md §3) on Undertow.
 *
 * <p>Health checks and documents answer only from the latest {@link StatusSnapshot} published by the HA
 * loop, so they never block and run on the single IO thread; the unsafe endpoints (config changes and
 * actions, guarded by Basic auth, allowlist and client certificates) run on a small worker pool because
 * they touch ZooKeeper (STYLE §6 item 18). With {@code restapi.certfile} the listener speaks TLS only. A client that stalls mid-request cannot
 * hold anything up: the IO thread is non-blocking, and request-parse, read, write and idle timeouts
 * close such connections. HTTP/1.1 keep-alive is allowed (Patroni itself speaks HTTP/1.0 and closes
 * after every response; clients cope with both).
 *
 * <p>Lifecycle: LATENT → {@link #start()} → STARTED → {@link #close()} → CLOSED; close is idempotent and
 * a closed server cannot be restarted.
 */
public final class RestServer implements AutoCloseable {

    /** Time a client may take to send a complete request, and the socket read/write timeout. */
    static final int REQUEST_TIMEOUT_MS = 10_000;
    /** Time an idle keep-alive connection is kept open. */
    static final int IDLE_TIMEOUT_MS = 30_000;
    /** Largest request body accepted (no endpoint needs more than a small JSON object). */
    static final long MAX_ENTITY_SIZE = 64 * 1024;
    static final int MAX_HEADER_SIZE = 16 * 1024;
    static final int WORKER_THREADS = 4;

    private static final Logger LOG = LoggerFactory.getLogger(RestServer.class);

    private enum State { LATENT, STARTED, CLOSED }

    private final RestSettings settings;
    private final Supplier<StatusSnapshot> snapshot;
    private final NodeControl control;
    private final LongSupplier wallClockMs;
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private volatile Undertow undertow;
    private volatile InetSocketAddress bound;
    private volatile ExecutorService workers;
    private volatile ScheduledExecutorService timers;

    /**
     * The read-only API (health checks and documents); unsafe endpoints answer 503 after the access
     * check because there is no loop to act.
     *
     * @param settings {@code restapi} section; {@code listen} is bound (port 0 picks a free port)
     * @param snapshot latest snapshot of the HA loop (typically {@code AtomicReference::get}); may
     *                 return null before the first cycle; must not block
     */
    public RestServer(HasConfig.RestApi settings, Supplier<StatusSnapshot> snapshot) {
        this(RestSettings.plain(settings), snapshot, null, System::currentTimeMillis);
    }

    /** As {@link #RestServer(HasConfig.RestApi, Supplier)} with an explicit wall clock (epoch ms). */
    public RestServer(HasConfig.RestApi settings, Supplier<StatusSnapshot> snapshot, LongSupplier wallClockMs) {
        this(RestSettings.plain(settings), snapshot, null, wallClockMs);
    }

    /**
     * The full API: health checks, documents and the management endpoints, with the security
     * settings of {@code restapi} (auth, TLS, allowlist).
     *
     * @param config   the daemon's configuration ({@code restapi} section and {@link HasConfig#raw()})
     * @param snapshot latest snapshot of the HA loop; may return null before the first cycle; must not block
     * @param control  the HA loop's control surface
     */
    public RestServer(HasConfig config, Supplier<StatusSnapshot> snapshot, NodeControl control) {
        this(RestSettings.of(config), snapshot, control, System::currentTimeMillis);
    }

    /**
     * @param settings    REST settings (see {@link RestSettings#of(HasConfig)})
     * @param snapshot    latest snapshot of the HA loop; must not block
     * @param control     the HA loop's control surface, or null (management endpoints answer 503)
     * @param wallClockMs wall clock (epoch ms) for lock validity, liveness and schedule checks
     */
    public RestServer(RestSettings settings, Supplier<StatusSnapshot> snapshot, NodeControl control,
                      LongSupplier wallClockMs) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
        this.control = control;
        this.wallClockMs = Objects.requireNonNull(wallClockMs, "wallClockMs");
        Objects.requireNonNull(settings.api().listen(), "restapi.listen");
    }

    /**
     * Binds {@code listen} and starts serving.
     *
     * @throws IllegalStateException if already started or closed, if the address cannot be bound, or if
     *                               the TLS files cannot be used
     */
    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("REST server already " + state.get().name().toLowerCase());
        }
        HostPort listen = settings.api().listen();
        String host = listen.host().isEmpty() || listen.host().equals("*") ? "0.0.0.0" : listen.host();
        SSLContext tls = null;
        if (settings.https()) {
            try {
                tls = TlsContexts.create(settings.certfile(), settings.keyfile(), settings.keyfilePassword(),
                        settings.cafile(), false);
            } catch (IOException e) {
                state.set(State.CLOSED);
                throw new IllegalStateException("cannot serve the REST API over https (restapi.certfile/keyfile): "
                        + e.getMessage(), e);
            }
        }
        boolean certNeeded = settings.https()
                && (settings.verifyClient().equals("optional") || settings.verifyClient().equals("required"));
        AccessGuard guard = new AccessGuard(settings.api().username(), settings.api().password(), settings.allowlist(),
                settings.allowlistIncludeMembers(), certNeeded);
        // the worker threads end after 30 s without work: an idle daemon keeps none (each costs memory)
        workers = Threads.idleEnding("rest-worker", WORKER_THREADS, 30);
        // the switchover endpoints' polls: its thread too ends 30 s after the last one
        timers = Threads.idleEndingScheduler("rest-timer", 30);
        Management management = new Management(control, snapshot, wallClockMs, guard, MAX_ENTITY_SIZE, workers, timers,
                new PeerProbe(peerClient()));
        Undertow.Builder b = Undertow.builder()
                .setIoThreads(1)
                .setWorkerThreads(WORKER_THREADS)
                .setWorkerOption(Options.WORKER_NAME, "has-rest")
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, REQUEST_TIMEOUT_MS)
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, REQUEST_TIMEOUT_MS)
                .setServerOption(UndertowOptions.IDLE_TIMEOUT, IDLE_TIMEOUT_MS)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, MAX_ENTITY_SIZE)
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, MAX_HEADER_SIZE)
                // RestHandler sets the Date header (HttpDate): Undertow's formatter loads locale data for it
                .setServerOption(UndertowOptions.ALWAYS_SET_DATE, false)
                .setSocketOption(Options.READ_TIMEOUT, REQUEST_TIMEOUT_MS)
                .setSocketOption(Options.WRITE_TIMEOUT, REQUEST_TIMEOUT_MS)
                .setSocketOption(Options.KEEP_ALIVE, true)
                .setHandler(new RestHandler(snapshot, wallClockMs, control, management, workers));
        if (tls != null) {
            b.addHttpsListener(listen.port(), host, tls);
            b.setSocketOption(Options.SSL_CLIENT_AUTH_MODE, switch (settings.verifyClient()) {
                case "required" -> SslClientAuthMode.REQUIRED;
                case "optional" -> SslClientAuthMode.REQUESTED;
                default -> SslClientAuthMode.NOT_REQUESTED;
            });
        } else {
            b.addHttpListener(listen.port(), host);
        }
        Undertow u = b.build();
        try {
            u.start();
        } catch (RuntimeException e) {
            state.set(State.CLOSED);
            shutdownExecutors();
            throw new IllegalStateException("cannot serve the REST API on " + listen
                    + " (restapi.listen): " + rootMessage(e) + "; check that no other process uses the port", e);
        }
        undertow = u;
        SocketAddress a = u.getListenerInfo().get(0).getAddress();
        bound = a instanceof InetSocketAddress isa ? isa : new InetSocketAddress(host, listen.port());
        LOG.info("REST API listening on {}://{}:{}", tls == null ? "http" : "https", bound.getHostString(),
                bound.getPort());
    }

    /** The client that probes candidates' {@code /patroni}: trusts {@code restapi.cafile} when given. */
    private PeerHttp peerClient() {
        if (!settings.https()) {
            return new PeerHttp(null, "rest-probe");
        }
        try {
            return new PeerHttp(TlsContexts.create(settings.certfile(), settings.keyfile(),
                    settings.keyfilePassword(), settings.cafile(), false), "rest-probe");
        } catch (IOException e) {
            return new PeerHttp(null, "rest-probe");
        }
    }

    private void shutdownExecutors() {
        if (workers != null) {
            workers.shutdownNow();
        }
        if (timers != null) {
            timers.shutdownNow();
        }
    }

    /** The bound address once started (with the real port when {@code listen} asked for port 0), else null. */
    public InetSocketAddress address() {
        return bound;
    }

    /** Stops accepting and closes all connections. Idempotent. */
    @Override
    public void close() {
        State previous = state.getAndSet(State.CLOSED);
        Undertow u = undertow;
        undertow = null;
        if (previous == State.STARTED && u != null) {
            u.stop();
            LOG.info("REST API stopped");
        }
        if (previous == State.STARTED) {
            shutdownExecutors();
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
