package io.has.ctl;

import io.has.cluster.Cluster;
import io.has.cluster.HostPort;
import io.has.cluster.Member;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Renders a cluster the way {@code patronictl list} does (Patroni 3.0.2 table layout). */
public final class ClusterTable {

    private ClusterTable() {
    }

    /** One row of the table; {@code lagMb} is null for the leader and "unknown" when not computable. */
    public record Row(String member, String host, String role, String state, String timeline, String lagMb,
            String tags) {
    }

    public static List<Row> rows(Cluster c) {
        long leaderLsn = c.status().optime();
        if (leaderLsn == 0 && c.leaderMember().isPresent() && c.leaderMember().get().data().xlogLocation() != null) {
            leaderLsn = c.leaderMember().get().data().xlogLocation();
        }
        List<Row> rows = new ArrayList<>();
        for (Member m : c.members()) {
            boolean leader = c.leader() != null && c.leader().name().equals(m.name());
            String role = leader ? "Leader" : c.sync().syncStandby().contains(m.name()) ? "Sync Standby" : "Replica";
            HostPort hp = m.pgAddress();
            String lag = null;
            if (!leader) {
                Long x = m.data().xlogLocation();
                lag = x == null || leaderLsn == 0 ? "unknown" : String.valueOf(Math.round(Math.max(0, leaderLsn - x) / 1048576.0));
            }
            Integer tl = m.data().timeline();
            rows.add(new Row(m.name(), hp == null ? "" : hp.toString(), role, m.data().state().wire(),
                    tl == null ? "" : tl.toString(), lag, tags(m.data().tags())));
        }
        return rows;
    }

    private static String tags(Map<String, Object> tags) {
        if (tags.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        tags.forEach((k, v) -> parts.add(k + ": " + v));
        return String.join(", ", parts);
    }

    /** The table as text, with the {@code + Cluster: <scope> ---+} title line patronictl prints. */
    public static String render(String scope, Cluster c) {
        List<Row> rows = rows(c);
        boolean withTags = rows.stream().anyMatch(r -> !r.tags().isEmpty());
        List<String> header = new ArrayList<>(List.of("Member", "Host", "Role", "State", "TL", "Lag in MB"));
        if (withTags) {
            header.add("Tags");
        }
        List<List<String>> cells = new ArrayList<>();
        for (Row r : rows) {
            List<String> line = new ArrayList<>(List.of(r.member(), r.host(), r.role(), r.state(), r.timeline(),
                    r.lagMb() == null ? "" : r.lagMb()));
            if (withTags) {
                line.add(r.tags());
            }
            cells.add(line);
        }
        int[] width = new int[header.size()];
        for (int i = 0; i < header.size(); i++) {
            width[i] = header.get(i).length();
            for (List<String> line : cells) {
                width[i] = Math.max(width[i], line.get(i).length());
            }
        }
        StringBuilder sep = new StringBuilder("+");
        for (int w : width) {
            sep.append("-".repeat(w + 2)).append('+');
        }
        String title = "+ Cluster: " + scope + " ";
        String top = title.length() < sep.length() ? title + sep.substring(title.length()) : title + "+";
        StringBuilder out = new StringBuilder();
        out.append(top).append('\n');
        out.append(line(header, width, false)).append('\n');
        out.append(sep).append('\n');
        for (List<String> line : cells) {
            out.append(line(line, width, true)).append('\n');
        }
        out.append(sep).append('\n');
        return out.toString();
    }

    private static String line(List<String> values, int[] width, boolean alignNumbers) {
        StringBuilder b = new StringBuilder("|");
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            boolean right = alignNumbers && (i == 4 || i == 5);
            String padded = right ? " ".repeat(width[i] - v.length()) + v : v + " ".repeat(width[i] - v.length());
            b.append(' ').append(padded).append(" |");
        }
        return b.toString();
    }
}
