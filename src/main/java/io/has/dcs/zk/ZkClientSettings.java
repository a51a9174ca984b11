package io.has.dcs.zk;

import java.util.List;
import java.util.Properties;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.common.ZKConfig;

/**
 * The ZooKeeper client's settings, read from the system properties as ZooKeeper's own
 * {@link ZKClientConfig} reads them, minus the TLS part when TLS is not asked for.
 *
 * <p>Why: {@code ZKClientConfig} copies the {@code zookeeper.ssl.*} properties through
 * {@code X509Util}, whose class initialiser calls {@code SSLContext.getDefault()}. That loads the JDK's
 * TLS stack and parses its trust store (several hundred classes and a few MiB of resident memory) in a
 * client that never speaks TLS. ZooKeeper's fix for this (ZOOKEEPER-5045) is not in 3.9.5, the version
 * available here.
 *
 * <p>When any {@code zookeeper.client.secure} or {@code zookeeper.ssl.*} property is set, ZooKeeper's own
 * class is used unchanged.
 */
final class ZkClientSettings extends ZKClientConfig {

    /**
     * The properties {@code ZKClientConfig} copies besides the TLS ones (ZooKeeper 3.9:
     * {@code ZKConfig.handleBackwardCompatibility} and its override in {@code ZKClientConfig}).
     */
    static final List<String> PLAIN_KEYS = List.of(
            ZKConfig.JUTE_MAXBUFFER,
            ZKConfig.KINIT_COMMAND,
            ZKConfig.JGSS_NATIVE,
            ZK_SASL_CLIENT_USERNAME,
            ZK_SASL_CLIENT_CANONICALIZE_HOSTNAME,
            LOGIN_CONTEXT_NAME_KEY,
            ENABLE_CLIENT_SASL_KEY,
            ZOOKEEPER_SERVER_REALM,
            DISABLE_AUTO_WATCH_RESET,
            ZOOKEEPER_CLIENT_CNXN_SOCKET,
            SECURE_CLIENT);

    private ZkClientSettings() {
        super();
    }

    /** The settings for a new client: without TLS unless the system properties ask for it. */
    static ZKClientConfig fromSystemProperties() {
        return tlsRequested(System.getProperties()) ? new ZKClientConfig() : new ZkClientSettings();
    }

    /** Whether these properties configure a TLS connection to ZooKeeper. */
    static boolean tlsRequested(Properties props) {
        if (Boolean.parseBoolean(props.getProperty(SECURE_CLIENT))) {
            return true;
        }
        return props.stringPropertyNames().stream().anyMatch(k -> k.startsWith("zookeeper.ssl."));
    }

    /** Called by ZooKeeper's constructor: copies the plain properties, leaving out X509Util. */
    @Override
    protected void handleBackwardCompatibility() {
        for (String key : PLAIN_KEYS) {
            setProperty(key, System.getProperty(key));
        }
    }
}
