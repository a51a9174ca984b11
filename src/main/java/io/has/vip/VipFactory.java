package io.has.vip;

import io.has.config.HasConfig;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the {@link Vip} from the YAML section
 * {@code vip: {address, netmask_bits | netmask, broadcast, device, label, sudo, arping}} or, when that
 * section is absent, from the {@code /etc/sysconfig/vastbase-has} variables has.service passes as
 * environment: {@code VIP, VIPBRD, VIPNETMASK, VIPNETMASKBIT, VIPDEV, VIPLABEL} (and optionally
 * {@code VIPSUDO=yes}). Neither present (or {@code VIP} empty) → {@link NullVip}.
 *
 * <p>The label is {@code DEVICE:LABEL} (so {@code VIPLABEL=1} on {@code eth0} gives {@code eth0:1}), as
 * in the unit's {@code ExecStopPost}; a label that already starts with the device is used as is.
 */
public final class VipFactory {

    private VipFactory() {
    }

    /**
     * @param config the local configuration ({@code raw().get("vip")})
     * @param env    the process environment
     * @throws IllegalArgumentException when the VIP settings are present but invalid (the daemon should refuse to start)
     */
    public static Vip create(HasConfig config, Map<String, String> env) {
        return spec(config.raw(), env).<Vip>map(IpVip::new).orElse(NullVip.INSTANCE);
    }

    /** The VIP settings from a YAML tree (its {@code vip} key) or else the environment; empty when none. */
    public static Optional<VipSpec> spec(Map<String, Object> raw, Map<String, String> env) {
        Object section = raw == null ? null : raw.get("vip");
        if (section instanceof Map<?, ?> m && !m.isEmpty()) {
            return Optional.of(fromYaml(m));
        }
        if (section != null && !(section instanceof Map)) {
            throw new IllegalArgumentException("vip must be a mapping, got " + section);
        }
        return fromEnv(env);
    }

    static VipSpec fromYaml(Map<?, ?> m) {
        String address = str(m.get("address"));
        int bits;
        if (address != null && address.contains("/")) {
            bits = Integer.parseInt(address.substring(address.indexOf('/') + 1));
            address = address.substring(0, address.indexOf('/'));
        } else if (m.get("netmask_bits") != null) {
            bits = parseBits(str(m.get("netmask_bits")));
        } else if (m.get("netmask") != null) {
            bits = VipSpec.bitsOf(str(m.get("netmask")));
        } else {
            throw new IllegalArgumentException("vip needs netmask_bits (or netmask)");
        }
        Object sudo = m.get("sudo");
        return new VipSpec(address, bits, str(m.get("broadcast")), str(m.get("device")), str(m.get("label")),
                sudo instanceof Boolean b ? b : "true".equalsIgnoreCase(str(sudo)), str(m.get("arping")));
    }

    static Optional<VipSpec> fromEnv(Map<String, String> env) {
        String address = blankToNull(env.get("VIP"));
        if (address == null) {
            return Optional.empty();
        }
        String bitsText = blankToNull(env.get("VIPNETMASKBIT"));
        int bits = bitsText != null ? parseBits(bitsText) : VipSpec.bitsOf(blankToNull(env.get("VIPNETMASK")));
        String sudo = blankToNull(env.get("VIPSUDO"));
        return Optional.of(new VipSpec(address, bits, blankToNull(env.get("VIPBRD")), blankToNull(env.get("VIPDEV")),
                blankToNull(env.get("VIPLABEL")), sudo != null && sudo.matches("(?i)yes|true|1"),
                blankToNull(env.get("VIPARPING"))));
    }

    private static int parseBits(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("vip netmask bits must be a number, got " + s);
        }
    }

    private static String str(Object o) {
        return o == null ? null : blankToNull(o.toString());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
