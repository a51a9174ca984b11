package io.has.vip;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Gratuitous ARP through the installed {@code arping}. The two common flavours take different flags
 * and report success differently:
 * <ul>
 *   <li>iputils (RHEL, {@code arping from iputils}): {@code arping -U -c 2 -I DEV -s VIP VIP}, exit 0;</li>
 *   <li>Thomas Habets' arping (Debian's {@code arping} package):
 *       {@code arping -U -c 2 -i DEV -S VIP VIP}, exit 1 ("100% unanswered") even though the packets
 *       went out, so 0 and 1 both count as sent.</li>
 * </ul>
 * Both need CAP_NET_RAW (ambient in has.service) or {@code sudo -n}.
 */
public final class Garp {

    /** The arping command-line dialect. */
    public enum Flavour { IPUTILS, HABETS }

    private static final List<String> SEARCH = List.of("/usr/sbin/arping", "/sbin/arping", "/usr/bin/arping",
            "/bin/arping");

    private final String binary;
    private final Flavour flavour;

    /**
     * @param binary  arping path
     * @param flavour its dialect
     */
    public Garp(String binary, Flavour flavour) {
        this.binary = binary;
        this.flavour = flavour;
    }

    public String binary() {
        return binary;
    }

    public Flavour flavour() {
        return flavour;
    }

    /** The first arping found in the usual places, or null. */
    public static String findBinary() {
        for (String s : SEARCH) {
            if (Files.isExecutable(Path.of(s))) {
                return s;
            }
        }
        return null;
    }

    /**
     * The flavour from the output of {@code arping --help} (Habets names himself; iputils does not).
     *
     * @param helpOutput stdout and stderr of {@code arping --help}
     */
    public static Flavour flavourOf(String helpOutput) {
        return helpOutput != null && helpOutput.contains("Habets") ? Flavour.HABETS : Flavour.IPUTILS;
    }

    /** The command sending two unsolicited ARP requests for {@code address} out of {@code device}. */
    public List<String> command(String address, String device) {
        List<String> c = new ArrayList<>(List.of(binary, "-U", "-c", "2"));
        if (flavour == Flavour.HABETS) {
            c.addAll(List.of("-i", device, "-S", address));
        } else {
            c.addAll(List.of("-I", device, "-s", address));
        }
        c.add(address);
        return c;
    }

    /** Whether an exit code means the packets were sent. */
    public boolean sent(int exitCode) {
        return exitCode == 0 || (flavour == Flavour.HABETS && exitCode == 1);
    }
}
