package io.has.db;

import io.has.cluster.HostPort;
import java.nio.file.Path;

/**
 * How a standby connects to its upstream; the dialect turns it into the product's files and
 * connection string.
 *
 * @param upstream        host:port to stream from, or null for a standby with no upstream (it replays
 *                        what it has and waits)
 * @param user            replication user
 * @param passfile        password file the server's WAL receiver reads, or null
 * @param applicationName name the standby reports to its upstream (the member name)
 * @param sslmode         libpq sslmode, never null
 * @param slotName        physical replication slot on the upstream, or null when slots are off
 */
public record StandbySettings(
        HostPort upstream,
        String user,
        Path passfile,
        String applicationName,
        String sslmode,
        String slotName) {
}
