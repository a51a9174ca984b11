package io.has.db.postgres;

import io.has.db.ControlData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads the head of a PostgreSQL {@code global/pg_control} file directly, for installations without a
 * {@code pg_controldata} of the server's major version (the zonky binary bundles ship only initdb,
 * pg_ctl and postgres, and another major's pg_controldata would misread the layout).
 *
 * <p>Layout of {@code ControlFileData} (native byte order, x86-64 alignment): system identifier
 * (uint64 @0), pg_control version (uint32 @8), catalog version (uint32 @12), state (enum @16), time
 * (int64 @24), checkpoint LSN (uint64 @32); then up to 10 the previous checkpoint LSN (@40) and the
 * checkpoint copy at @48, from 11 the checkpoint copy at @40. The copy starts with the redo LSN
 * (uint64) and the timeline (uint32 @+8). Verified against 9.6.24, 10.23, 11.22, 12.22, 13.23,
 * 14.24, 15, 16.15 and 17.11 (matrix IT). Later fields (wal_log_hints, checksums) move between
 * versions and are not read: {@link ControlData#rewindable()} is reported false.
 */
final class ControlFileReader {

    /** {@code DBState} values, stable since 9.x, as pg_controldata prints them. */
    private static final String[] STATES = {"starting up", "shut down", "shut down in recovery", "shutting down",
        "in crash recovery", "in archive recovery", "in production"};

    private ControlFileReader() {
    }

    static ControlData parse(byte[] bytes, PostgresDialect dialect) throws IOException {
        if (bytes.length < 64) {
            throw new IOException("control file too short (" + bytes.length + " bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        long systemId = b.getLong(0);
        int version = b.getInt(8);
        if (version < 960 || version > 9999) {
            throw new IOException("unknown pg_control version " + version);
        }
        int stateNo = b.getInt(16);
        String state = stateNo >= 0 && stateNo < STATES.length ? STATES[stateNo] : "unrecognized status code";
        long checkpoint = b.getLong(32);
        int copy = version < 1100 ? 48 : 40;
        int timeline = b.getInt(copy + 8);
        // reuse the pg_controldata vocabulary so both paths decide alike
        String text = "Database system identifier:           " + Long.toUnsignedString(systemId) + "\n"
                + "Database cluster state:               " + state + "\n"
                + "Latest checkpoint location:           " + dialect.formatLsn(checkpoint) + "\n"
                + "Latest checkpoint's TimeLineID:       " + Integer.toUnsignedString(timeline) + "\n";
        return ControlDataParser.parse(text, dialect);
    }
}
