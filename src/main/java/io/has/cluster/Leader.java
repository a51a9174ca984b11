package io.has.cluster;

/**
 * The ephemeral {@code leader} key.
 *
 * @param name    the leader's member name (raw text in the znode)
 * @param session the ephemeralOwner of the znode
 * @param version znode version
 */
public record Leader(String name, long session, int version) {
}
