package io.has.cluster;

import java.util.Map;

/**
 * What one node publishes in its ephemeral {@code members/<name>} key (Patroni's field set and order:
 * conn_url, api_url, state, role, version, [checkpoint_after_promote], [tags], [xlog_location], [timeline],
 * [pause]).
 *
 * @param connUrl       {@code postgres://host:port/db}
 * @param apiUrl        {@code http://host:port/patroni}
 * @param state         PostgreSQL state
 * @param role          member role, never null
 * @param version       HAS version, numeric and dotted
 * @param tags          effective tags (false booleans already dropped); never null
 * @param xlogLocation  WAL position as an absolute byte position, or null when unknown
 * @param timeline      timeline, or null when unknown
 * @param pause         true while the cluster is paused
 * @param scheduledRestart {@code {schedule, postmaster_start_time, filters…}} while a restart is
 *                      scheduled on this member, else null
 * @param checkpointAfterPromote {@code false} on a leader whose CHECKPOINT after its promotion is not done
 *                      yet (its pg_control still names the old timeline: no pg_rewind against it), else null
 */
public record MemberData(
        String connUrl,
        String apiUrl,
        PgState state,
        Role role,
        String version,
        Map<String, Object> tags,
        Long xlogLocation,
        Integer timeline,
        boolean pause,
        Map<String, Object> scheduledRestart,
        Boolean checkpointAfterPromote) {

    /** A member without a scheduled restart. */
    public MemberData(String connUrl, String apiUrl, PgState state, Role role, String version, Map<String, Object> tags,
            Long xlogLocation, Integer timeline, boolean pause) {
        this(connUrl, apiUrl, state, role, version, tags, xlogLocation, timeline, pause, null, null);
    }

    /** A member not in the middle of a promotion's checkpoint. */
    public MemberData(String connUrl, String apiUrl, PgState state, Role role, String version, Map<String, Object> tags,
            Long xlogLocation, Integer timeline, boolean pause, Map<String, Object> scheduledRestart) {
        this(connUrl, apiUrl, state, role, version, tags, xlogLocation, timeline, pause, scheduledRestart, null);
    }

    /** Whether this member, as leader, has not yet checkpointed after its promotion (a pg_rewind source must have). */
    public boolean checkpointPending() {
        return Boolean.FALSE.equals(checkpointAfterPromote);
    }

    public MemberData {
        // keep the published order; tags are small
        tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tags));
    }

    public boolean tagTrue(String tag) {
        Object v = tags.get(tag);
        return v instanceof Boolean b ? b : v != null && "true".equalsIgnoreCase(String.valueOf(v));
    }

    public boolean noFailover() {
        return tagTrue("nofailover");
    }
}
