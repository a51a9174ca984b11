package io.has.dcs.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import org.apache.zookeeper.client.ZKClientConfig;
import org.junit.jupiter.api.Test;

class ZkClientSettingsTest {

    @Test
    void tlsIsRequestedBySecureClientOrAnySslProperty() {
        assertFalse(ZkClientSettings.tlsRequested(new Properties()));
        Properties secure = new Properties();
        secure.setProperty("zookeeper.client.secure", "true");
        assertTrue(ZkClientSettings.tlsRequested(secure));
        Properties off = new Properties();
        off.setProperty("zookeeper.client.secure", "false");
        assertFalse(ZkClientSettings.tlsRequested(off));
        Properties store = new Properties();
        store.setProperty("zookeeper.ssl.trustStore.location", "/etc/has/zk-truststore.jks");
        assertTrue(ZkClientSettings.tlsRequested(store));
    }

    @Test
    void plainSettingsCarryTheSamePropertiesAsZooKeepersOwn() {
        String[] values = {"1048576", "/usr/bin/kinit", "false", "zk", "true", "Client", "false", "EXAMPLE.COM",
            "true", "org.apache.zookeeper.ClientCnxnSocketNIO", "false"};
        assertEquals(values.length, ZkClientSettings.PLAIN_KEYS.size());
        Properties saved = (Properties) System.getProperties().clone();
        try {
            for (int i = 0; i < values.length; i++) {
                System.setProperty(ZkClientSettings.PLAIN_KEYS.get(i), values[i]);
            }
            ZKClientConfig plain = ZkClientSettings.fromSystemProperties();
            assertInstanceOf(ZkClientSettings.class, plain);
            ZKClientConfig theirs = new ZKClientConfig();
            for (String key : ZkClientSettings.PLAIN_KEYS) {
                assertEquals(theirs.getProperty(key), plain.getProperty(key), key);
            }
            assertEquals(1048576, plain.getInt(ZkClientSettings.PLAIN_KEYS.get(0), 0));
        } finally {
            System.setProperties(saved);
        }
    }

    @Test
    void aTlsSettingFallsBackToZooKeepersOwnClass() {
        Properties saved = (Properties) System.getProperties().clone();
        try {
            System.setProperty("zookeeper.ssl.protocol", "TLSv1.3");
            ZKClientConfig config = ZkClientSettings.fromSystemProperties();
            assertEquals(ZKClientConfig.class, config.getClass());
        } finally {
            System.setProperties(saved);
        }
    }
}
