package io.has.watchdog;

import java.io.IOException;

/**
 * A driver for one watchdog device file. Not thread-safe; {@link DeviceWatchdog} serialises calls.
 */
public interface WatchdogDevice {

    /** WDIOF_SETTIMEOUT: the timeout can be set. */
    int WDIOF_SETTIMEOUT = 0x0080;
    /** WDIOF_MAGICCLOSE: writing 'V' before close disarms. */
    int WDIOF_MAGICCLOSE = 0x0100;
    /** WDIOF_KEEPALIVEPING: WDIOC_KEEPALIVE is supported. */
    int WDIOF_KEEPALIVEPING = 0x8000;

    /** The device path. */
    String path();

    /** Opens the device, which arms it. */
    void open() throws IOException;

    boolean isOpen();

    /** WDIOF_* capability bits, 0 when the device has no ioctls. */
    int options();

    /** The driver's identity string, or "" when unknown. */
    String identity();

    /** Sets the timeout in seconds (WDIOC_SETTIMEOUT). */
    void setTimeout(int seconds) throws IOException;

    /** The timeout in force (WDIOC_GETTIMEOUT), or -1 when the device cannot tell. */
    int getTimeout() throws IOException;

    /** One keepalive. */
    void keepalive() throws IOException;

    /** Closes the device; with {@code magic} it first writes 'V' so that it is disarmed. */
    void close(boolean magic) throws IOException;

    /** The device file exists and this process could open it for writing. */
    boolean isUsable();
}
