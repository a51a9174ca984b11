package io.has.vip;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What {@code ip addr add} needs: {@code ip addr add ADDRESS/BITS [brd BROADCAST] dev DEVICE label LABEL}.
 *
 * @param address   IPv4 address, e.g. 10.77.0.50
 * @param bits      prefix length 0..32
 * @param broadcast broadcast address, or null to let the kernel leave it unset
 * @param device    network device, e.g. eth0
 * @param label     full label ({@code eth0:1}); at most 15 characters and starting with the device name
 * @param sudo      prefix every command with {@code sudo -n}
 * @param arping    arping binary, null to search the usual places, or "none" to send no gratuitous ARP
 */
public record VipSpec(String address, int bits, String broadcast, String device, String label, boolean sudo,
        String arping) {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9_.@-]{1,15}");

    /** Checks the fields; throws {@link IllegalArgumentException} naming the bad one. */
    public VipSpec {
        if (address == null || !isIpv4(address)) {
            throw new IllegalArgumentException("vip address must be an IPv4 address, got " + address);
        }
        if (bits < 0 || bits > 32) {
            throw new IllegalArgumentException("vip netmask bits must be 0..32, got " + bits);
        }
        if (broadcast != null && !isIpv4(broadcast)) {
            throw new IllegalArgumentException("vip broadcast must be an IPv4 address, got " + broadcast);
        }
        if (device == null || !DEVICE.matcher(device).matches()) {
            throw new IllegalArgumentException("vip device must be an interface name, got " + device);
        }
        if (label == null || label.isEmpty()) {
            label = device;
        } else if (!label.startsWith(device)) {
            label = device + ":" + label;
        }
        if (label.length() > 15) {
            throw new IllegalArgumentException("vip label " + label + " is longer than 15 characters");
        }
    }

    /** {@code ADDRESS/BITS}. */
    public String cidr() {
        return address + "/" + bits;
    }

    /** The {@code ip addr add} arguments after the {@code ip} binary. */
    public List<String> addArgs() {
        List<String> a = new ArrayList<>(List.of("addr", "add", cidr()));
        if (broadcast != null) {
            a.addAll(List.of("brd", broadcast));
        }
        a.addAll(List.of("dev", device, "label", label));
        return a;
    }

    /** The {@code ip addr del} arguments after the {@code ip} binary. */
    public List<String> delArgs() {
        return List.of("addr", "del", cidr(), "dev", device);
    }

    /** Prefix length of a dotted netmask such as 255.255.252.0; throws when it is not contiguous. */
    public static int bitsOf(String netmask) {
        if (netmask == null || !isIpv4(netmask)) {
            throw new IllegalArgumentException("vip netmask must look like 255.255.255.0, got " + netmask);
        }
        long v = 0;
        for (String part : netmask.split("\\.")) {
            v = (v << 8) | Integer.parseInt(part);
        }
        int bits = Long.bitCount(v);
        long expected = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
        if (v != expected) {
            throw new IllegalArgumentException("vip netmask " + netmask + " is not contiguous");
        }
        return bits;
    }

    static boolean isIpv4(String s) {
        var m = IPV4.matcher(s);
        if (!m.matches()) {
            return false;
        }
        for (int i = 1; i <= 4; i++) {
            if (Integer.parseInt(m.group(i)) > 255) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return cidr() + (broadcast == null ? "" : " brd " + broadcast) + " on " + device + " (label " + label + ")";
    }
}
