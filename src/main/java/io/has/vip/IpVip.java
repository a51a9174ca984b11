package io.has.vip;

import io.has.process.ProcessResult;
import io.has.process.ProcessRunner;
import io.has.util.Threads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A VIP managed with iproute2's {@code ip} and announced with {@link Garp}. Needs CAP_NET_ADMIN (and
 * CAP_NET_RAW for arping), normally as ambient capabilities from has.service, or {@code sudo -n}.
 * The kernel is the only state. {@link #isHeld()} asks {@code ip -o addr show dev DEV}; between two
 * such answers, every HA cycle, it reads whether the address is local at all from
 * {@code /proc/net/fib_trie} ({@link LocalAddresses}) and asks {@code ip} again only when that
 * disagrees with the last answer, or a minute after it (the table does not name the device). An idle
 * member ran {@code ip} once a cycle before: a process start each loop_wait cost more CPU than the rest
 * of its cycle. Commands run through a prefix (tests: {@code ip netns exec NS}) always ask {@code ip}:
 * the table read is this process's namespace.
 */
public final class IpVip implements Vip {

    private static final Duration IP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration ARP_TIMEOUT = Duration.ofSeconds(10);
    private static final List<String> IP_SEARCH = List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip");
    private static final long IP_RECHECK_NANOS = Duration.ofMinutes(1).toNanos();

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final VipSpec spec;
    private final ProcessRunner runner = new ProcessRunner(null, Map.of());
    private final String ip;
    // gratuitous ARP runs off the HA loop; the thread ends 30 s after the last burst
    private final ExecutorService arpThread = Threads.idleEnding("garp", 1, 30);
    private final List<String> prefix;
    private volatile Garp garp;
    private volatile boolean garpResolved;
    private volatile Boolean lastHeld; // ip's last answer, null before the first
    private volatile long lastAskedNanos;

    /** @param spec the address, device and label */
    public IpVip(VipSpec spec) {
        this(spec, List.of());
    }

    /**
     * @param spec   the address, device and label
     * @param prefix words put before every command, e.g. {@code ip netns exec NS} or
     *               {@code setpriv --ambient-caps=...} (empty in production)
     */
    public IpVip(VipSpec spec, List<String> prefix) {
        this.spec = spec;
        this.prefix = List.copyOf(prefix);
        this.ip = IP_SEARCH.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse("ip");
    }

    @Override
    public synchronized void acquire() {
        if (isHeld()) {
            return;
        }
        ProcessResult r = ip(spec.addArgs());
        if (r == null) {
            return;
        }
        if (!r.ok() && !isHeld()) {
            log.error("could not add the VIP {}: {}", spec, r.describe());
            return;
        }
        log.info("added the VIP {}", spec);
        arpThread.execute(this::announce);
    }

    @Override
    public synchronized void release() {
        if (!isHeld()) {
            return;
        }
        ProcessResult r = ip(spec.delArgs());
        if (r != null && !r.ok() && isHeld()) {
            log.error("could not remove the VIP {}: {}", spec, r.describe());
            return;
        }
        log.info("removed the VIP {}", spec);
    }

    @Override
    public boolean isHeld() {
        Boolean last = lastHeld;
        if (last != null && prefix.isEmpty() && System.nanoTime() - lastAskedNanos < IP_RECHECK_NANOS
                && last.equals(LocalAddresses.isLocal(spec.address()))) {
            return last;
        }
        boolean held = askIp();
        lastHeld = held;
        lastAskedNanos = System.nanoTime();
        return held;
    }

    private boolean askIp() {
        ProcessResult r = run(List.of(ip, "-o", "addr", "show", "dev", spec.device()), false);
        if (r == null || !r.ok()) {
            return false;
        }
        String needle = "inet " + spec.address() + "/";
        return r.stdout().lines().anyMatch(l -> l.contains(needle));
    }

    @Override
    public synchronized boolean reconcile(boolean shouldHold) {
        boolean held = isHeld();
        if (shouldHold && !held) {
            acquire();
            return isHeld();
        }
        if (!shouldHold && held) {
            release();
            return isHeld();
        }
        return held;
    }

    @Override
    public String describe() {
        return spec.toString();
    }

    /** Sends the gratuitous ARP (runs on the background thread). */
    private void announce() {
        Garp g = garp();
        if (g == null) {
            return;
        }
        ProcessResult r = run(g.command(spec.address(), spec.device()), true);
        if (r == null) {
            return;
        }
        if (g.sent(r.exitCode()) && !r.timedOut()) {
            log.debug("gratuitous ARP for {} sent with {} ({} ms)", spec.address(), g.binary(),
                    r.elapsed().toMillis());
        } else {
            log.warn("gratuitous ARP for {} failed; clients may keep the old MAC address for up to a minute: {}",
                    spec.address(), r.describe());
        }
    }

    private Garp garp() {
        if (garpResolved) {
            return garp;
        }
        String bin = spec.arping();
        if ("none".equals(bin)) {
            garpResolved = true;
            return null;
        }
        if (bin == null) {
            bin = Garp.findBinary();
        }
        if (bin == null) {
            log.warn("no arping found: the VIP is added without gratuitous ARP (install iputils arping)");
            garpResolved = true;
            return null;
        }
        ProcessResult help = run(List.of(bin, "--help"), false);
        String text = help == null ? "" : help.stdout() + help.stderr();
        garp = new Garp(bin, Garp.flavourOf(text));
        garpResolved = true;
        log.info("gratuitous ARP through {} ({} syntax)", bin, garp.flavour());
        return garp;
    }

    private ProcessResult ip(List<String> args) {
        List<String> c = new ArrayList<>();
        c.add(ip);
        c.addAll(args);
        return run(c, true);
    }

    private ProcessResult run(List<String> command, boolean privileged) {
        List<String> c = new ArrayList<>(prefix);
        if (privileged && spec.sudo()) {
            c.addAll(List.of("sudo", "-n"));
        }
        c.addAll(command);
        try {
            return runner.run(c, command.get(0).endsWith("arping") ? ARP_TIMEOUT : IP_TIMEOUT);
        } catch (IOException e) {
            log.error("could not run {}: {}", String.join(" ", c), e.getMessage());
            return null;
        }
    }
}
