package io.has.ctl;

import io.has.api.RestClient;
import io.has.api.tls.TlsContexts;
import io.has.cluster.Cluster;
import io.has.cluster.Member;
import io.has.config.HasConfig;
import io.has.dcs.DcsException;
import io.has.dcs.zk.ZooKeeperDcs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * What every hasctl command needs: the configuration, a short-lived ZooKeeper session to read (and, for
 * edit-config/remove, write) the cluster, a REST client with the {@code ctl}/{@code restapi} auth and TLS
 * settings, and the terminal (output, prompts).
 */
final class CtlContext {

    static final long REST_TIMEOUT_MS = 30_000;

    final HasConfig config;
    final PrintWriter out;
    final BufferedReader in;
    private final boolean insecure;

    CtlContext(HasConfig config, PrintWriter out, BufferedReader in, boolean insecure) {
        this.config = config;
        this.out = out;
        this.in = in;
        this.insecure = insecure;
    }

    String scope() {
        return config.scope();
    }

    /** Opens a ZooKeeper session on the cluster; close it when done. */
    ZooKeeperDcs openDcs() throws DcsException {
        ZooKeeperDcs dcs = new ZooKeeperDcs(config.zookeeper().connectString(), config.basePath(), config.scope(),
                30, 10, 10);
        try {
            dcs.start(() -> { });
        } catch (DcsException e) {
            dcs.close();
            throw new CtlException("cannot reach ZooKeeper " + config.zookeeper().connectString() + ": " + e.getMessage());
        }
        return dcs;
    }

    Cluster readCluster() throws DcsException {
        try (ZooKeeperDcs dcs = openDcs()) {
            return dcs.read();
        }
    }

    /** REST client: Basic auth from {@code ctl.authentication}, else {@code restapi.authentication}. */
    RestClient rest() {
        Map<?, ?> ctl = section("ctl");
        Map<?, ?> api = section("restapi");
        Map<?, ?> auth = ctl.get("authentication") instanceof Map<?, ?> m ? m
                : api.get("authentication") instanceof Map<?, ?> m2 ? m2 : Map.of();
        String user = auth.get("username") == null ? null : String.valueOf(auth.get("username"));
        String password = auth.get("password") == null ? null : String.valueOf(auth.get("password"));
        boolean skipVerify = insecure || Boolean.parseBoolean(String.valueOf(ctl.get("insecure")));
        Path cert = path(ctl.get("certfile"), api.get("certfile"));
        Path key = path(ctl.get("keyfile"), api.get("keyfile"));
        Object keyPw = ctl.get("keyfile_password") != null ? ctl.get("keyfile_password") : api.get("keyfile_password");
        Path ca = path(ctl.get("cacert"), api.get("cafile"));
        SSLContext tls = null;
        if (cert != null || ca != null || skipVerify) {
            try {
                if (skipVerify) {
                    RestClient.disableHostnameVerification();
                }
                tls = TlsContexts.create(cert, key, keyPw == null ? null : String.valueOf(keyPw), ca, skipVerify);
            } catch (IOException e) {
                throw new CtlException("cannot use the TLS settings of ctl/restapi: " + e.getMessage());
            }
        }
        return new RestClient(user, password, tls);
    }

    private Map<?, ?> section(String name) {
        Object s = config.raw() == null ? null : config.raw().get(name);
        return s instanceof Map<?, ?> m ? m : Map.of();
    }

    private static Path path(Object first, Object fallback) {
        Object v = first != null ? first : fallback;
        return v == null || String.valueOf(v).isBlank() ? null : Path.of(String.valueOf(v));
    }

    /** {@code <api_url without /patroni>/<endpoint>}, as patronictl builds it. */
    static String url(Member m, String endpoint) {
        String api = m.data().apiUrl();
        if (api == null || api.isEmpty()) {
            throw new CtlException("member " + m.name() + " has no api_url");
        }
        int slash = api.indexOf('/', api.indexOf("//") + 2);
        return (slash < 0 ? api : api.substring(0, slash)) + "/" + endpoint;
    }

    Member member(Cluster c, String name) {
        return c.member(name).orElseThrow(() -> new CtlException(name + " is not a member of cluster " + scope()));
    }

    /** Asks a question; an empty answer (or end of input) gives {@code def}. */
    String prompt(String question, String def) {
        out.print(question + (def == null ? "" : " [" + def + "]") + ": ");
        out.flush();
        try {
            String line = in.readLine();
            return line == null || line.isBlank() ? def : line.trim();
        } catch (IOException e) {
            return def;
        }
    }

    boolean confirm(String question) {
        String a = prompt(question + " [y/N]", null);
        return a != null && (a.equalsIgnoreCase("y") || a.equalsIgnoreCase("yes"));
    }

    /** A failure hasctl reports as one line and exit code 1. */
    static final class CtlException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CtlException(String message) {
            super(message, null, false, false);
        }
    }
}
