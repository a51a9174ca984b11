package io.has.db;

import io.has.cluster.HostPort;

/**
 * Where a standby streams from.
 *
 * @param memberName member name of the upstream (used for logs)
 * @param address    host:port of the upstream server
 */
public record Upstream(String memberName, HostPort address) {
}
