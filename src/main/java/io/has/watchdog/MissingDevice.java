package io.has.watchdog;

import java.io.IOException;

/** A driver that does not exist: never opens, never usable (makes {@code required} refuse to lead). */
final class MissingDevice implements WatchdogDevice {

    private final String driver;

    MissingDevice(String driver) {
        this.driver = driver;
    }

    @Override
    public String path() {
        return "(driver " + driver + ")";
    }

    @Override
    public void open() throws IOException {
        throw new IOException("unknown watchdog driver " + driver);
    }

    @Override
    public boolean isOpen() {
        return false;
    }

    @Override
    public int options() {
        return 0;
    }

    @Override
    public String identity() {
        return "";
    }

    @Override
    public void setTimeout(int seconds) throws IOException {
        throw new IOException("unknown watchdog driver " + driver);
    }

    @Override
    public int getTimeout() {
        return -1;
    }

    @Override
    public void keepalive() throws IOException {
        throw new IOException("unknown watchdog driver " + driver);
    }

    @Override
    public void close(boolean magic) {
    }

    @Override
    public boolean isUsable() {
        return false;
    }
}
