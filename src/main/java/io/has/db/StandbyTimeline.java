package io.has.db;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The exact timeline of a running standby whose WAL receiver is not streaming. The probe then reads
 * the last restartpoint's timeline, which lags behind the WAL the standby holds: a standby that
 * switched to timeline 8 reports 7 until its next restartpoint, and no probe need have seen it
 * streaming timeline 8 (it can switch, stream and lose its upstream between two probes). The WAL
 * segment files settle it: a standby writes a segment of timeline 8 only once its startup process has
 * accepted the switch to 8, so the highest timeline among the segments in the WAL directory is the
 * timeline of its newest WAL. The divergence check relies on that (io.has.ha.Timelines).
 */
final class StandbyTimeline {

    private StandbyTimeline() {
    }

    /**
     * {@code s} with its timeline made exact when it is a standby that is not streaming (the timeline of
     * a streaming standby is its WAL receiver's); marked not exact when the WAL directory cannot be read.
     * The directory is looked up only then: a primary's or a streaming standby's probe costs no file I/O.
     */
    static LocalState settle(LocalState s, Supplier<Path> walDir) {
        if (!s.isRunningReplica() || s.streaming()) {
            return s;
        }
        Integer files = highestSegmentTimeline(walDir.get());
        Integer tl = files == null ? s.timeline() : s.timeline() == null ? files : Math.max(files, s.timeline());
        return new LocalState(s.state(), s.dataDirEmpty(), s.systemId(), s.inRecovery(), s.wasPrimary(),
                s.walPosition(), s.receivedLsn(), s.replayedLsn(), s.replayedTimestamp(), tl, s.serverVersion(),
                s.postmasterStartTime(), s.replication(), s.upstream(), s.streaming(), s.error(), s.control(),
                files != null, s.leftoverProcesses());
    }

    /** The highest timeline among the WAL segment files (24 hex digits) in {@code walDir}, or null. */
    static Integer highestSegmentTimeline(Path walDir) {
        if (walDir == null) {
            return null;
        }
        Integer highest = null;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(walDir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.length() == 24 && isHex(name)) {
                    int tl = Integer.parseUnsignedInt(name.substring(0, 8), 16);
                    highest = highest == null ? tl : Math.max(highest, tl);
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return highest;
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }
}
