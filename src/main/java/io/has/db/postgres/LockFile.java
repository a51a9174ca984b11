package io.has.db.postgres;

import io.has.db.SharedMemorySegment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads the server's lock file, {@code postmaster.pid}: line 1 the pid (negated by a single-user
 * backend), line 3 the start time in epoch seconds, line 7 the key and id of the System V shared memory
 * segment every server process stays attached to, and from PostgreSQL 10 line 8 the start-up status
 * ({@code starting}, {@code stopping}, {@code ready}, {@code standby}) that {@code pg_ctl -w} polls.
 * The server rewrites the file in place, so a read may see it half written: every parse failure means
 * "don't know".
 */
final class LockFile {

    private LockFile() {
    }

    /** The pid on the first line (a single-user backend's negated pid made positive), if readable. */
    static OptionalLong pid(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || lines.get(0).isBlank()) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(Math.abs(Long.parseLong(lines.get(0).trim())));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * The server's System V shared memory segment (line 7: its key and id), if written: the server's
     * processes stay attached to it until they exit, which is how PostgreSQL itself tells that an old
     * server's processes are still running.
     */
    static Optional<SharedMemorySegment> sharedMemory(Path file) {
        try {
            return sharedMemory(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Optional<SharedMemorySegment> sharedMemory(List<String> lines) {
        if (lines.size() < 7) {
            return Optional.empty();
        }
        String[] words = lines.get(6).trim().split("\\s+");
        if (words.length < 2) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SharedMemorySegment(Long.parseLong(words[0]), Long.parseLong(words[1])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * pg_ctl's test for a finished start: a postmaster (positive pid) other than {@code previousPid},
     * started no earlier than {@code notBeforeEpochSecond} less 2 s (pg_ctl's allowance), whose status
     * is {@code ready} (accepting connections) or {@code standby} (in recovery).
     */
    static boolean startedUp(Path file, long notBeforeEpochSecond, long previousPid) {
        try {
            return startedUp(Files.readAllLines(file, StandardCharsets.UTF_8), notBeforeEpochSecond, previousPid);
        } catch (IOException e) {
            return false; // not written yet
        }
    }

    static boolean startedUp(List<String> lines, long notBeforeEpochSecond, long previousPid) {
        if (lines.size() < 8) {
            return false; // before PostgreSQL 10, or the status line is not written yet
        }
        try {
            long pid = Long.parseLong(lines.get(0).trim());
            long started = Long.parseLong(lines.get(2).trim());
            String status = lines.get(7).trim();
            return pid > 0 && pid != previousPid && started >= notBeforeEpochSecond - 2
                    && (status.equals("ready") || status.equals("standby"));
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
