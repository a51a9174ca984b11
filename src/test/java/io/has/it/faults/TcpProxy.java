package io.has.it.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP forwarder on loopback whose connections can be frozen one by one: a frozen connection stays
 * open at both ends but carries nothing more in either direction, as when the network path or the
 * server behind it hangs. That is the fault a client can only notice by its own read timeout (a
 * closed connection or a dead server is noticed at once).
 */
final class TcpProxy implements AutoCloseable {

    /** One forwarded connection; {@code upstreamPort} is its local port towards the target. */
    static final class Link {
        final Socket client;
        final Socket upstream;
        volatile boolean frozen;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        int upstreamPort() {
            return upstream.getLocalPort();
        }

        void close() {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    private final ServerSocket listener;
    private final int targetPort;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "tcp-proxy-" + listener.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** The forwarded connection whose upstream socket has this local port. */
    Optional<Link> linkByUpstreamPort(int port) {
        return links.stream().filter(l -> l.upstreamPort() == port).findFirst();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2000);
                Link link = new Link(client, upstream);
                links.add(link);
                pump(link, client, upstream, "up");
                pump(link, upstream, client, "down");
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void pump(Link link, Socket from, Socket to, String dir) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while (awaitThawed(link) && (n = in.read(buf)) >= 0) {
                    if (!awaitThawed(link)) {
                        return;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed
            } finally {
                if (!link.frozen) {
                    link.close();
                    links.remove(link);
                }
            }
        }, "tcp-proxy-" + port() + "-" + dir);
        t.setDaemon(true);
        t.start();
    }

    /** Holds a frozen connection's traffic until the proxy closes; false once it is closed. */
    private boolean awaitThawed(Link link) {
        while (link.frozen && !closed) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return !closed;
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        links.forEach(Link::close);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing
        }
    }
}
