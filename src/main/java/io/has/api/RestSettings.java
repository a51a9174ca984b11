package io.has.api;

import io.has.config.HasConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code restapi} settings the REST server needs beyond {@link HasConfig.RestApi}: TLS files,
 * client verification and the allowlist, read from {@link HasConfig#raw()} (the loader validated them).
 *
 * @param api               listen/connect address and Basic auth credentials
 * @param certfile          PEM certificate; non-null turns on https
 * @param keyfile           PEM key, or null when it is in certfile
 * @param keyfilePassword   password of an encrypted key, or null (never logged)
 * @param cafile            CA for client certificates, or null
 * @param verifyClient      {@code none}, {@code optional} or {@code required}
 * @param allowlist         IPs, CIDRs or host names allowed to call unsafe endpoints
 * @param allowlistIncludeMembers also allow members' api_url hosts
 */
public record RestSettings(
        HasConfig.RestApi api,
        Path certfile,
        Path keyfile,
        String keyfilePassword,
        Path cafile,
        String verifyClient,
        List<String> allowlist,
        boolean allowlistIncludeMembers) {

    public RestSettings {
        allowlist = allowlist == null ? List.of() : List.copyOf(allowlist);
        verifyClient = verifyClient == null ? "none" : verifyClient;
    }

    /** Plain http, no allowlist: only listen and auth from {@code api}. */
    public static RestSettings plain(HasConfig.RestApi api) {
        return new RestSettings(api, null, null, null, null, "none", List.of(), false);
    }

    /** Reads the {@code restapi} section of a loaded configuration. */
    public static RestSettings of(HasConfig config) {
        Object section = config.raw() == null ? null : config.raw().get("restapi");
        Map<?, ?> r = section instanceof Map<?, ?> m ? m : Map.of();
        List<String> allow = new ArrayList<>();
        Object a = r.get("allowlist");
        if (a instanceof List<?> l) {
            l.forEach(v -> allow.add(String.valueOf(v)));
        } else if (a instanceof String s && !s.isBlank()) {
            for (String part : s.split(",")) {
                allow.add(part.trim());
            }
        }
        Object members = r.get("allowlist_include_members");
        return new RestSettings(config.restapi(), path(r.get("certfile")), path(r.get("keyfile")),
                r.get("keyfile_password") == null ? null : String.valueOf(r.get("keyfile_password")),
                path(r.get("cafile")), r.get("verify_client") == null ? "none" : String.valueOf(r.get("verify_client")),
                allow, members != null && Boolean.parseBoolean(String.valueOf(members)));
    }

    private static Path path(Object v) {
        return v == null || String.valueOf(v).isBlank() ? null : Path.of(String.valueOf(v));
    }

    public boolean https() {
        return certfile != null;
    }

    @Override
    public String toString() {
        return "RestSettings[api=" + api + ", certfile=" + certfile + ", keyfile=" + keyfile + ", keyfilePassword="
                + (keyfilePassword == null ? null : "******") + ", cafile=" + cafile + ", verifyClient=" + verifyClient
                + ", allowlist=" + allowlist + ", allowlistIncludeMembers=" + allowlistIncludeMembers + "]";
    }
}
