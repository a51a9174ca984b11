package io.has.api;

import io.has.cluster.Cluster;
import io.has.cluster.HostPort;
import io.has.cluster.Member;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.SSLSessionInfo;
import io.undertow.util.Headers;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Patroni's {@code check_access} for unsafe endpoints (reference/patroni.md §3.2), in its order:
 * allowlist (403 {@code Access is denied}), client certificate on https with {@code verify_client}
 * optional/required (403 {@code client certificate required}), Basic auth (401 with
 * {@code WWW-Authenticate: Basic realm="Patroni"}). The credential comparison is constant-time and the
 * password never leaves this object. May resolve host names: call it off the IO thread.
 */
final class AccessGuard {

    private static final Logger LOG = LoggerFactory.getLogger(AccessGuard.class);
    private static final Map<String, String> CHALLENGE = Map.of("WWW-Authenticate", "Basic realm=\"Patroni\"");

    private final byte[] authHeader;
    private final List<Network> allowlist;
    private final boolean includeMembers;
    private final boolean clientCertNeeded;

    /**
     * @param username         Basic auth user, or null for no authentication
     * @param password         its password
     * @param allowlist        IPs, CIDRs or host names (resolved now); empty for none
     * @param includeMembers   also allow the IPs of members' api_url hosts
     * @param clientCertNeeded https with verify_client optional or required
     */
    AccessGuard(String username, String password, List<String> allowlist, boolean includeMembers,
                boolean clientCertNeeded) {
        this.authHeader = username == null || password == null ? null
                : ("Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
                        .getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.UTF_8);
        List<Network> nets = new ArrayList<>();
        for (String entry : allowlist) {
            nets.addAll(Network.parse(entry));
        }
        this.allowlist = List.copyOf(nets);
        this.includeMembers = includeMembers;
        this.clientCertNeeded = clientCertNeeded;
    }

    /** Throws the 403/401 answer when the request may not reach an unsafe endpoint. */
    void check(HttpServerExchange ex, Cluster cluster) {
        if (!allowlist.isEmpty() || includeMembers) {
            InetAddress client = clientAddress(ex);
            boolean allowed = client != null && allowlist.stream().anyMatch(n -> n.contains(client));
            if (!allowed && includeMembers && client != null && cluster != null) {
                allowed = memberNetworks(cluster).stream().anyMatch(n -> n.contains(client));
            }
            if (!allowed) {
                throw HttpError.message(403, "Access is denied");
            }
        }
        if (clientCertNeeded && !hasPeerCertificate(ex)) {
            throw HttpError.message(403, "client certificate required");
        }
        if (authHeader != null) {
            String given = ex.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
            if (given == null) {
                throw HttpError.message(401, "no auth header received", CHALLENGE);
            }
            if (!MessageDigest.isEqual(authHeader, given.getBytes(StandardCharsets.UTF_8))) {
                throw HttpError.message(401, "not authenticated", CHALLENGE);
            }
        }
    }

    private static InetAddress clientAddress(HttpServerExchange ex) {
        InetSocketAddress a = ex.getConnection().getPeerAddress(InetSocketAddress.class);
        return a == null ? null : a.getAddress();
    }

    private static boolean hasPeerCertificate(HttpServerExchange ex) {
        SSLSessionInfo ssl = ex.getConnection().getSslSessionInfo();
        if (ssl == null) {
            return false;
        }
        try {
            return ssl.getPeerCertificates() != null && ssl.getPeerCertificates().length > 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static List<Network> memberNetworks(Cluster cluster) {
        List<Network> nets = new ArrayList<>();
        for (Member m : cluster.members()) {
            HostPort api = m.apiAddress();
            if (api != null) {
                nets.addAll(Network.parse(api.host()));
            }
        }
        return nets;
    }

    /** An IP network: address bytes and prefix length. */
    record Network(byte[] address, int prefix) {

        /** Parses an IP, a CIDR or a host name (all its addresses); unresolvable names are skipped. */
        static List<Network> parse(String entry) {
            String e = entry.trim();
            int slash = e.indexOf('/');
            String host = slash < 0 ? e : e.substring(0, slash);
            try {
                if (slash >= 0) {
                    InetAddress a = InetAddress.getByName(host);
                    int prefix = Integer.parseInt(e.substring(slash + 1));
                    return List.of(new Network(a.getAddress(), prefix));
                }
                List<Network> out = new ArrayList<>();
                for (InetAddress a : InetAddress.getAllByName(host)) {
                    out.add(new Network(a.getAddress(), a.getAddress().length * 8));
                }
                return out;
            } catch (UnknownHostException | NumberFormatException ex) {
                LOG.warn("restapi.allowlist: cannot use '{}' ({}); ignoring it", entry, ex.getMessage());
                return List.of();
            }
        }

        boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != address.length) {
                return false;
            }
            int bits = prefix;
            for (int i = 0; i < b.length && bits > 0; i++, bits -= 8) {
                int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
                if ((b[i] & mask) != (address[i] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
