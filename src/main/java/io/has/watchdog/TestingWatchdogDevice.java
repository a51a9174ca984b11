package io.has.watchdog;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Patroni's {@code testing} driver: the device is a FIFO read by a test harness, and every ioctl becomes
 * text. Activation writes {@code Ctimeout=N\n}, each keepalive {@code 1}, disarming {@code V} then close.
 * It reports SETTIMEOUT and MAGICCLOSE support, identity "Watchdog test harness", and an initial
 * timeout of 60 s; reading the timeout returns the last one set. Opening blocks until the reader opens
 * the FIFO.
 */
public final class TestingWatchdogDevice implements WatchdogDevice {

    private final String path;
    private FileOutputStream out;
    private int timeout = 60;

    /** @param path the FIFO */
    public TestingWatchdogDevice(String path) {
        this.path = path;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public void open() throws IOException {
        if (out == null) {
            out = new FileOutputStream(path);
        }
    }

    @Override
    public boolean isOpen() {
        return out != null;
    }

    @Override
    public int options() {
        return WDIOF_SETTIMEOUT | WDIOF_MAGICCLOSE;
    }

    @Override
    public String identity() {
        return "Watchdog test harness";
    }

    @Override
    public void setTimeout(int seconds) throws IOException {
        write("Ctimeout=" + seconds + "\n");
        timeout = seconds;
    }

    @Override
    public int getTimeout() {
        return timeout;
    }

    @Override
    public void keepalive() throws IOException {
        write("1");
    }

    @Override
    public void close(boolean magic) throws IOException {
        if (out == null) {
            return;
        }
        try {
            if (magic) {
                write("V");
            }
        } finally {
            FileOutputStream o = out;
            out = null;
            o.close();
        }
    }

    @Override
    public boolean isUsable() {
        Path p = Path.of(path);
        return Files.exists(p) && Files.isWritable(p);
    }

    private void write(String s) throws IOException {
        if (out == null) {
            throw new IOException(path + " is not open");
        }
        out.write(s.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
