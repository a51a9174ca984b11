package io.has.api;

import io.has.cluster.HostPort;
import io.has.config.HasConfig;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;

/**
 * The Patroni-compatible REST API (reference/patroni.md §3) on Undertow.
 *
 * <p>Handlers answer only from the latest {@link StatusSnapshot} published by the HA loop, so they
 * never block and all run on the single IO thread; the small worker pool is reserved for later
 * endpoints that must touch ZooKeeper (STYLE §6 item 18). A client that stalls mid-request cannot
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

    private final HasConfig.RestApi settings;
    private final Supplier<StatusSnapshot> snapshot;
    private final LongSupplier wallClockMs;
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private volatile Undertow undertow;
    private volatile InetSocketAddress bound;

    /**
     * @param settings {@code restapi} section; {@code listen} is bound (port 0 picks a free port)
     * @param snapshot latest snapshot of the HA loop (typically {@code AtomicReference::get}); may
     *                 return null before the first cycle; must not block
     */
    public RestServer(HasConfig.RestApi settings, Supplier<StatusSnapshot> snapshot) {
        this(settings, snapshot, System::currentTimeMillis);
    }

    /**
     * As {@link #RestServer(HasConfig.RestApi, Supplier)} with an explicit wall clock (epoch ms) for the
     * lock-validity and liveness comparisons.
     */
    public RestServer(HasConfig.RestApi settings, Supplier<StatusSnapshot> snapshot, LongSupplier wallClockMs) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
        this.wallClockMs = Objects.requireNonNull(wallClockMs, "wallClockMs");
        Objects.requireNonNull(settings.listen(), "restapi.listen");
    }

    /**
     * Binds {@code listen} and starts serving.
     *
     * @throws IllegalStateException if already started or closed, or if the address cannot be bound
     */
    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("REST server already " + state.get().name().toLowerCase());
        }
        HostPort listen = settings.listen();
        String host = listen.host().isEmpty() || listen.host().equals("*") ? "0.0.0.0" : listen.host();
        Undertow u = Undertow.builder()
                .addHttpListener(listen.port(), host)
                .setIoThreads(1)
                .setWorkerThreads(WORKER_THREADS)
                .setWorkerOption(Options.WORKER_NAME, "has-rest")
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, REQUEST_TIMEOUT_MS)
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, REQUEST_TIMEOUT_MS)
                .setServerOption(UndertowOptions.IDLE_TIMEOUT, IDLE_TIMEOUT_MS)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, MAX_ENTITY_SIZE)
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, MAX_HEADER_SIZE)
                .setSocketOption(Options.READ_TIMEOUT, REQUEST_TIMEOUT_MS)
                .setSocketOption(Options.WRITE_TIMEOUT, REQUEST_TIMEOUT_MS)
                .setSocketOption(Options.KEEP_ALIVE, true)
                .setHandler(new RestHandler(snapshot, wallClockMs))
                .build();
        try {
            u.start();
        } catch (RuntimeException e) {
            state.set(State.CLOSED);
            throw new IllegalStateException("cannot serve the REST API on " + listen
                    + " (restapi.listen): " + rootMessage(e) + "; check that no other process uses the port", e);
        }
        undertow = u;
        SocketAddress a = u.getListenerInfo().get(0).getAddress();
        bound = a instanceof InetSocketAddress isa ? isa : new InetSocketAddress(host, listen.port());
        LOG.info("REST API listening on {}:{}", bound.getHostString(), bound.getPort());
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
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
