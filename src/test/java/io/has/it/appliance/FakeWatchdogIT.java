package io.has.it.appliance;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.has.watchdog.DeviceWatchdog;
import io.has.watchdog.LinuxWatchdogDevice;
import io.has.watchdog.Watchdog;
import io.has.watchdog.WatchdogMode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Linux watchdog driver (jnr-ffi ioctls) against the FUSE fake /dev/watchdog: arming sets and reads
 * back {@code ttl − safety_margin}, keepalives are WDIOC_KEEPALIVE, disable is the magic close, a second
 * opener is refused, and a leader that stops feeding makes the device fire.
 */
class FakeWatchdogIT {

    @TempDir
    Path dir;

    @Test
    void armFeedDisarmAndFireOnAHang() throws Exception {
        try (FakeWatchdog fake = FakeWatchdog.start(dir, 0, 0)) {
            Watchdog wd = new DeviceWatchdog(WatchdogMode.REQUIRED, 5, new LinuxWatchdogDevice(fake.device().toString()));
            assertTrue(wd.isHealthy());
            assertTrue(wd.activate(10, 2));
            assertEquals(5, wd.status().get("timeout"));
            wd.keepalive();
            wd.keepalive();
            String log = fake.log();
            assertTrue(log.contains("IOCTL GETSUPPORT"), log);
            assertTrue(log.contains("IOCTL SETTIMEOUT 5"), log);
            assertTrue(log.contains("IOCTL GETTIMEOUT 5"), log);
            assertTrue(log.contains("KEEPALIVE ioctl"), log);
            assertTrue(fake.status().contains("open=1 armed=1 timeout=5"), fake.status());

            // one opener at a time, like the kernel's watchdog core
            LinuxWatchdogDevice second = new LinuxWatchdogDevice(fake.device().toString());
            IOException busy = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, second::open);
            assertTrue(busy.getMessage().contains("busy"), busy.getMessage());

            wd.disable();
            assertFalse(wd.isActive());
            // FUSE delivers the release after close(2) has returned: the fake records it a moment later
            await().atMost(Duration.ofSeconds(10)).until(() -> fake.log().contains("CLOSE after magic 'V': disarmed"));
            await().atMost(Duration.ofSeconds(10)).until(() -> fake.status().contains("open=0 armed=0"));

            // a leader that stops feeding: the device fires after its timeout
            assertTrue(wd.activate(10, 2));
            long lastFeed = System.currentTimeMillis();
            await().atMost(Duration.ofSeconds(60)).until(() -> fake.firstAfter("EXPIRED", lastFeed) > 0);
            long fired = fake.firstAfter("EXPIRED", lastFeed);
            System.out.println("watchdog fired " + (fired - lastFeed) + " ms after the last keepalive (timeout 5 s)");
            wd.disable();
            assertTrue(fake.status().contains("expired=1"), fake.status());
        }
    }
}
