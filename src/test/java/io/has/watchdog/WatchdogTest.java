package io.has.watchdog;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.has.util.LogLines;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watchdog rules on Patroni's FIFO {@code testing} driver and, for the jnr-ffi calls, on /dev/null. */
class WatchdogTest {

    @TempDir
    Path dir;

    @Test
    void modesAndAliases() {
        assertEquals(WatchdogMode.AUTOMATIC, WatchdogMode.parse(null));
        assertEquals(WatchdogMode.OFF, WatchdogMode.parse(false));
        assertEquals(WatchdogMode.OFF, WatchdogMode.parse("disabled"));
        assertEquals(WatchdogMode.REQUIRED, WatchdogMode.parse("Require"));
        assertEquals(WatchdogMode.AUTOMATIC, WatchdogMode.parse("auto"));
        assertNull(WatchdogMode.parse("sometimes"));
        assertSame(NullWatchdog.INSTANCE, WatchdogFactory.create(Map.of("mode", "off")));
        assertSame(NullWatchdog.INSTANCE, WatchdogFactory.create(Map.of("mode", "sometimes")));
        assertInstanceOf(DeviceWatchdog.class, WatchdogFactory.create(Map.of()));
    }

    @Test
    void testingDriverSpeaksPatronisFifoProtocol() throws Exception {
        Path fifo = dir.resolve("watchdog.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        StringBuffer seen = new StringBuffer();
        AtomicBoolean eof = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            try (InputStream in = new FileInputStream(fifo.toFile())) {
                int c;
                while ((c = in.read()) >= 0) {
                    seen.append((char) c);
                }
                eof.set(true);
            } catch (Exception e) {
                seen.append("ERROR ").append(e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        Watchdog w = WatchdogFactory.create(Map.of("mode", "required", "driver", "testing", "device", fifo.toString()));
        assertTrue(w.isHealthy());
        assertTrue(w.activate(30, 10));
        assertTrue(w.isActive());
        assertEquals(25, w.status().get("timeout"));
        assertTrue(w.activate(30, 10)); // idempotent: nothing written
        w.keepalive();
        assertTrue(w.activate(40, 10)); // ttl changed: new timeout
        w.disable();
        assertFalse(w.isActive());
        await().atMost(Duration.ofSeconds(10)).untilTrue(eof);
        assertEquals("Ctimeout=25\n11Ctimeout=35\n1V", seen.toString());
    }

    @Test
    void requiredRefusesTooShortTimeoutsAndMissingDevices() {
        Watchdog missing = WatchdogFactory.create(Map.of("mode", "required", "device", dir.resolve("none").toString()));
        assertFalse(missing.isHealthy());
        assertFalse(missing.activate(30, 10));
        assertFalse(missing.isActive());
        Watchdog auto = WatchdogFactory.create(Map.of("mode", "automatic", "device", dir.resolve("none").toString()));
        assertTrue(auto.isHealthy());
        assertTrue(auto.activate(30, 10)); // best effort: lead without it
        assertFalse(auto.isActive());
        Watchdog shortTtl = WatchdogFactory.create(Map.of("mode", "required", "device", "/dev/null"));
        assertFalse(shortTtl.activate(14, 10)); // 14 - 5 < loop_wait
        assertFalse(WatchdogFactory.create(Map.of("mode", "required", "driver", "bogus")).isHealthy());
    }

    @Test
    void linuxDriverFallsBackToWritesOnADeviceWithoutIoctls() throws Exception {
        LinuxWatchdogDevice dev = new LinuxWatchdogDevice("/dev/null");
        dev.open();
        try {
            assertEquals(0, dev.options()); // WDIOC_GETSUPPORT → ENOTTY
            assertEquals(-1, dev.getTimeout());
            dev.keepalive();
        } finally {
            dev.close(true);
        }
        assertFalse(dev.isOpen());
        Watchdog auto = new DeviceWatchdog(WatchdogMode.AUTOMATIC, 5, new LinuxWatchdogDevice("/dev/null"));
        assertTrue(auto.activate(30, 10));
        assertTrue(auto.isActive()); // cannot verify the timeout: accepted with a warning
        auto.keepalive();
        auto.disable();
        Watchdog required = new DeviceWatchdog(WatchdogMode.REQUIRED, 5, new LinuxWatchdogDevice("/dev/null"));
        assertFalse(required.activate(30, 10)); // cannot verify the timeout: refused
        assertFalse(required.isActive());
    }

    @Test
    void aMissingDeviceIsReportedOnceNotEveryCycle() {
        try (LogLines lines = LogLines.of(DeviceWatchdog.class)) {
            String none = dir.resolve("none").toString();
            Watchdog auto = new DeviceWatchdog(WatchdogMode.AUTOMATIC, 5, new LinuxWatchdogDevice(none));
            for (int cycle = 0; cycle < 5; cycle++) {
                assertTrue(auto.activate(30, 10));
            }
            assertEquals(1, lines.at(ch.qos.logback.classic.Level.WARN).size(), lines.all().toString());
            assertEquals("could not activate the watchdog " + none + ": open " + none
                    + ": No such file or directory (errno 2)", auto.status().get("last_error"));
        }
    }

    @Test
    void aMissingDeviceIsNotOpenedAgainUntilItExistsThenItIsUsed() throws Exception {
        Path path = dir.resolve("later");
        CountingDevice device = new CountingDevice(new LinuxWatchdogDevice(path.toString()));
        Watchdog auto = new DeviceWatchdog(WatchdogMode.AUTOMATIC, 5, device);
        for (int cycle = 0; cycle < 5; cycle++) {
            assertTrue(auto.activate(30, 10));
            assertFalse(auto.isActive());
        }
        assertEquals(1, device.opens, "the leader's cycles after the first must not try to open a missing device");
        assertEquals("could not activate the watchdog " + path + ": open " + path
                + ": No such file or directory (errno 2)", auto.status().get("last_error"));
        java.nio.file.Files.createFile(path); // a regular file: opens, cannot report its timeout
        assertTrue(auto.activate(30, 10));
        assertTrue(auto.isActive());
        assertEquals(2, device.opens);
        assertNull(auto.status().get("last_error"));
        auto.disable();
    }

    /** Counts the opens of a real device. */
    private static final class CountingDevice implements WatchdogDevice {
        private final WatchdogDevice real;
        int opens;

        CountingDevice(WatchdogDevice real) {
            this.real = real;
        }

        @Override
        public String path() {
            return real.path();
        }

        @Override
        public void open() throws java.io.IOException {
            opens++;
            real.open();
        }

        @Override
        public boolean isOpen() {
            return real.isOpen();
        }

        @Override
        public int options() {
            return real.options();
        }

        @Override
        public String identity() {
            return real.identity();
        }

        @Override
        public void setTimeout(int seconds) throws java.io.IOException {
            real.setTimeout(seconds);
        }

        @Override
        public int getTimeout() throws java.io.IOException {
            return real.getTimeout();
        }

        @Override
        public void keepalive() throws java.io.IOException {
            real.keepalive();
        }

        @Override
        public void close(boolean magic) throws java.io.IOException {
            real.close(magic);
        }

        @Override
        public boolean isUsable() {
            return real.isUsable();
        }
    }
}
