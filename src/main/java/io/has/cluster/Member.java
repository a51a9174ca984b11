package io.has.cluster;

/**
 * One member as read from ZooKeeper.
 *
 * @param name    member name (the znode name)
 * @param data    the decoded JSON; garbage in the key decodes to a member with unknown state
 * @param session ZooKeeper session id that owns the ephemeral node (0 when unknown)
 * @param version znode version
 */
public record Member(String name, MemberData data, long session, int version) {

    /** host:port parsed from conn_url, or null. */
    public HostPort pgAddress() {
        return HostPort.fromUrl(data.connUrl());
    }

    /** host:port parsed from api_url, or null. */
    public HostPort apiAddress() {
        return HostPort.fromUrl(data.apiUrl());
    }
}
