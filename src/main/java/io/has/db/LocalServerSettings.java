package io.has.db;

import java.nio.file.Path;

/**
 * Server settings that always come from the local configuration of this member, whatever the
 * cluster-wide configuration says.
 *
 * @param listenAddresses addresses to listen on (comma list, may be {@code *})
 * @param port            port to listen on
 * @param clusterName     cluster name shown in process titles (the HAS scope)
 * @param socketDir       directory of this member's unix socket (a default; local parameters may
 *                        override it)
 */
public record LocalServerSettings(String listenAddresses, int port, String clusterName, Path socketDir) {
}
