package io.has.process;

import java.time.Duration;

/**
 * The outcome of one external command run by {@link ProcessRunner}.
 *
 * @param command  the command as shown in logs and errors (program name and arguments; never a password)
 * @param exitCode exit status, or -1 when the process was killed after its timeout
 * @param stdout   the tail of standard output (bounded), never null
 * @param stderr   the tail of standard error (bounded), never null
 * @param timedOut the deadline passed and the process tree was killed
 * @param elapsed  wall time from start to exit (or kill)
 */
public record ProcessResult(String command, int exitCode, String stdout, String stderr, boolean timedOut,
        Duration elapsed) {

    /** Exited with status 0 before its deadline. */
    public boolean ok() {
        return exitCode == 0 && !timedOut;
    }

    /** One line for an error message: command, exit status or timeout, and the stderr (else stdout) tail. */
    public String describe() {
        String why = timedOut ? "timed out after " + elapsed.toSeconds() + " s" : "exited with " + exitCode;
        String out = !stderr.isBlank() ? stderr.strip() : stdout.strip();
        return command + " " + why + (out.isEmpty() ? "" : ": " + tail(out, 2000));
    }

    private static String tail(String s, int max) {
        return s.length() <= max ? s : "..." + s.substring(s.length() - max);
    }
}
