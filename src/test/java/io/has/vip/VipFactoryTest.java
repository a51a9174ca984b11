package io.has.vip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VipFactoryTest {

    @Test
    void yamlSectionGivesTheIpCommandOfTheSeed() {
        VipSpec s = VipFactory.spec(Map.of("vip", Map.of("address", "172.16.101.124", "netmask_bits", 22,
                "broadcast", "172.16.103.255", "device", "enpls0", "label", 1)), Map.of()).orElseThrow();
        assertEquals(List.of("addr", "add", "172.16.101.124/22", "brd", "172.16.103.255", "dev", "enpls0", "label",
                "enpls0:1"), s.addArgs());
        assertEquals(List.of("addr", "del", "172.16.101.124/22", "dev", "enpls0"), s.delArgs());
    }

    @Test
    void sysconfigVariablesAreUsedWhenTheYamlHasNoVip() {
        Map<String, String> env = Map.of("VIP", "10.77.0.50", "VIPBRD", "10.77.0.255", "VIPNETMASK", "255.255.255.0",
                "VIPNETMASKBIT", "24", "VIPDEV", "eth0", "VIPLABEL", "1");
        VipSpec s = VipFactory.spec(Map.of(), env).orElseThrow();
        assertEquals("10.77.0.50/24", s.cidr());
        assertEquals("eth0:1", s.label());
        assertEquals("10.77.0.255", s.broadcast());
    }

    @Test
    void netmaskAloneGivesTheBits() {
        VipSpec s = VipFactory.spec(Map.of(), Map.of("VIP", "10.1.2.3", "VIPNETMASK", "255.255.252.0", "VIPDEV", "eth1"))
                .orElseThrow();
        assertEquals(22, s.bits());
        assertEquals("eth1", s.label());
        assertEquals(List.of("addr", "add", "10.1.2.3/22", "dev", "eth1", "label", "eth1"), s.addArgs());
    }

    @Test
    void emptyVipMeansNone() {
        assertTrue(VipFactory.spec(Map.of(), Map.of("VIP", "", "VIPDEV", "eth0")).isEmpty());
        assertTrue(VipFactory.spec(Map.of(), Map.of()).isEmpty());
    }

    @Test
    void addressWithPrefixAndFullLabel() {
        VipSpec s = VipFactory.spec(Map.of("vip", Map.of("address", "10.0.0.9/16", "device", "bond0",
                "label", "bond0:vip", "sudo", true)), Map.of()).orElseThrow();
        assertEquals(16, s.bits());
        assertEquals("bond0:vip", s.label());
        assertTrue(s.sudo());
    }

    @Test
    void invalidSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> VipFactory.spec(Map.of(),
                Map.of("VIP", "10.0.0.300", "VIPNETMASKBIT", "24", "VIPDEV", "eth0")));
        assertThrows(IllegalArgumentException.class, () -> VipFactory.spec(Map.of(),
                Map.of("VIP", "10.0.0.3", "VIPNETMASK", "255.0.255.0", "VIPDEV", "eth0")));
        assertThrows(IllegalArgumentException.class, () -> VipFactory.spec(Map.of(),
                Map.of("VIP", "10.0.0.3", "VIPNETMASKBIT", "24")));
        assertThrows(IllegalArgumentException.class, () -> VipFactory.spec(Map.of("vip", Map.of("address", "10.0.0.3",
                "netmask_bits", 24, "device", "eth0", "label", "averyverylonglabel")), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> VipFactory.spec(Map.of("vip", Map.of("address", "10.0.0.3",
                "device", "eth0")), Map.of()));
    }

    @Test
    void garpCommandPerArpingFlavour() {
        assertEquals(Garp.Flavour.HABETS, Garp.flavourOf("ARPing 2.23, by Thomas Habets <thomas@habets.se>"));
        assertEquals(Garp.Flavour.IPUTILS, Garp.flavourOf("Usage:\n  arping [options] <destination>"));
        Garp habets = new Garp("/usr/sbin/arping", Garp.Flavour.HABETS);
        assertEquals(List.of("/usr/sbin/arping", "-U", "-c", "2", "-i", "eth0", "-S", "10.77.0.50", "10.77.0.50"),
                habets.command("10.77.0.50", "eth0"));
        assertTrue(habets.sent(1));
        Garp iputils = new Garp("/usr/bin/arping", Garp.Flavour.IPUTILS);
        assertEquals(List.of("/usr/bin/arping", "-U", "-c", "2", "-I", "eth0", "-s", "10.77.0.50", "10.77.0.50"),
                iputils.command("10.77.0.50", "eth0"));
        assertTrue(iputils.sent(0));
        assertTrue(!iputils.sent(1));
    }
}
