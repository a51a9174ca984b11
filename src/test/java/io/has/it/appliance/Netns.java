package io.has.it.appliance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A private network for one test: a bridge in its own namespace and one namespace per host, each with
 * an eth0 on the bridge in 10.77.0.0/24. Nothing is created in the root namespace. {@link #close()}
 * kills the processes left in the namespaces (one pid at a time) and deletes them.
 */
final class Netns implements AutoCloseable {

    private final String bridge;
    private final List<String> hosts = new ArrayList<>();

    /** @param prefix short unique prefix for the namespace names (max ~8 chars) */
    Netns(String prefix) {
        this.bridge = prefix + "br";
        try {
            Host.must("ip netns add " + bridge + " && ip -n " + bridge + " link set lo up && ip -n " + bridge
                    + " link add br0 type bridge && ip -n " + bridge + " link set br0 type bridge forward_delay 0"
                    + " stp_state 0 && ip -n " + bridge + " link set br0 up", Duration.ofSeconds(30));
        } catch (AssertionError e) {
            close();
            throw e;
        }
    }

    /** Adds a host namespace {@code name} with {@code address}/24 on eth0. */
    String host(String name, String address) {
        hosts.add(name);
        String port = "p" + name;
        Host.must("ip netns add " + name + " && ip -n " + name + " link set lo up && ip -n " + bridge + " link add "
                + port + " type veth peer name eth0 netns " + name + " && ip -n " + bridge + " link set " + port
                + " master br0 up && ip -n " + name + " addr add " + address + "/24 dev eth0 && ip -n " + name
                + " link set eth0 up", Duration.ofSeconds(30));
        return name;
    }

    /** Whether {@code address} is configured in namespace {@code ns}. */
    static boolean has(String ns, String address) {
        return Host.sh("ip -n " + ns + " -o addr show", Duration.ofSeconds(10)).stdout()
                .contains("inet " + address + "/");
    }

    /** The MAC address of eth0 in {@code ns}. */
    static String mac(String ns) {
        return Host.must("ip -n " + ns + " -o link show eth0", Duration.ofSeconds(10)).stdout()
                .replaceAll("(?s).*link/ether ([0-9a-f:]+).*", "$1").strip();
    }

    @Override
    public void close() {
        List<String> all = new ArrayList<>(hosts);
        all.add(bridge);
        for (String ns : all) {
            Host.sh("for p in $(ip netns pids " + ns + " 2>/dev/null); do kill -9 $p; done; ip netns del " + ns
                    + " 2>/dev/null || true", Duration.ofSeconds(30));
        }
    }
}
