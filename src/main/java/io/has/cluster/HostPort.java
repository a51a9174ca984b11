package io.has.cluster;

import java.net.URI;

/** A host and port; IPv6 hosts are kept without brackets. */
public record HostPort(String host, int port) {

    /** Parses {@code scheme://host:port/...}; returns null on anything unparsable. */
    public static HostPort fromUrl(String url) {
        if (url == null || url.isEmpty()) {
            return null;
        }
        try {
            URI u = URI.create(url);
            String host = u.getHost();
            if (host == null) {
                return null;
            }
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return new HostPort(host, u.getPort());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Parses {@code host:port} or {@code [v6]:port}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static HostPort parse(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("expected host:port, got an empty value");
        }
        String v = value.trim();
        int colon = v.lastIndexOf(':');
        if (colon <= 0 || colon == v.length() - 1) {
            throw new IllegalArgumentException("expected host:port, got '" + value + "'");
        }
        String host = v.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("IPv6 host must be bracketed in '" + value + "'");
        }
        int port;
        try {
            port = Integer.parseInt(v.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port is not a number in '" + value + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range 1..65535 in '" + value + "'");
        }
        return new HostPort(host, port);
    }

    /** host:port with IPv6 bracketed, as used in URLs. */
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
