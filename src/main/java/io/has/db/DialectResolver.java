package io.has.db;

import io.has.cluster.HostPort;
import io.has.config.HasConfig;
import io.has.db.opengauss.OpenGaussDialect;
import io.has.db.postgres.PostgresDialect;
import io.has.db.vastbase.VastbaseDialect;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the {@link Dialect} in one place. {@code postgresql.dialect} ({@code auto} by default,
 * {@code postgresql}, {@code opengauss}, {@code vastbase}) overrides detection; with {@code auto} the
 * server binaries are asked for their version ({@code vastbase --version}, {@code gaussdb --version},
 * {@code postgres --version}, honouring {@code postgresql.bin_name}). A running server is recognised
 * by {@link #fromServer} from {@code version()} (openGauss and Vastbase always report
 * {@code server_version_num} 90204, so the number alone says nothing) and {@code server_version_num}.
 */
public final class DialectResolver {

    private static final Logger log = LoggerFactory.getLogger(DialectResolver.class);

    /** The products {@code postgresql.dialect} may name. */
    public enum Product { POSTGRESQL, OPENGAUSS, VASTBASE }

    private DialectResolver() {
    }

    /** Detection with default binary names and no other settings (kept for callers without a configuration). */
    public static Dialect forBinaries(Path binDir) throws DbException {
        return resolve("auto", Binaries.in(binDir), null, null, null);
    }

    /**
     * The dialect for a member's configuration.
     *
     * @throws DbException when the binaries are not found, not recognised or not a supported version
     */
    public static Dialect forConfig(HasConfig config) throws DbException {
        HasConfig.Postgresql pg = config.postgresql();
        Map<String, Object> section = section(config.raw());
        Map<String, String> names = new LinkedHashMap<>();
        if (section.get("bin_name") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (k != null && v != null && !String.valueOf(v).isBlank()) {
                    names.put(String.valueOf(k), String.valueOf(v));
                }
            });
        }
        Object dialect = section.get("dialect");
        Object custom = section.get("custom_conf");
        return resolve(dialect == null ? "auto" : String.valueOf(dialect), new Binaries(pg.binDir(), names),
                custom == null ? null : String.valueOf(custom), config.name(), pg.connectAddress());
    }

    static Dialect resolve(String choice, Binaries bins, String customConf, String member, HostPort local)
            throws DbException {
        String c = choice.trim().toLowerCase(Locale.ROOT);
        Dialect d = switch (c) {
            case "postgresql", "postgres" -> postgres(bins, customConf)
                    .orElseThrow(() -> new DbException("postgresql.dialect is postgresql but no PostgreSQL server"
                            + " binary answers in " + bins));
            case "opengauss" -> new OpenGaussDialect(bins, customConf, member, local);
            case "vastbase" -> new VastbaseDialect(bins, customConf, member, local);
            case "auto" -> detect(bins, customConf, member, local);
            default -> throw new DbException("postgresql.dialect must be auto, postgresql, opengauss or vastbase, not '"
                    + choice + "'");
        };
        log.info("Using dialect {} (binaries in {}, postgresql.dialect: {})", d.name(), bins, c);
        return d;
    }

    private static Dialect detect(Binaries bins, String customConf, String member, HostPort local)
            throws DbException {
        Optional<String> vb = bins.version("postgres", "vastbase");
        if (vb.isPresent() && VastbaseDialect.isVastbaseVersionText(vb.get())) {
            return new VastbaseDialect(bins, customConf, member, local);
        }
        Optional<String> og = bins.version("postgres", "gaussdb");
        if (og.isPresent() && OpenGaussDialect.isOpenGaussVersionText(og.get())) {
            return new OpenGaussDialect(bins, customConf, member, local);
        }
        return postgres(bins, customConf).orElseThrow(() -> new DbException(
                "no supported database server binaries found in " + bins));
    }

    private static Optional<Dialect> postgres(Binaries bins, String customConf) throws DbException {
        Optional<String> v = bins.version("postgres", "postgres");
        return v.isEmpty() ? Optional.empty() : PostgresDialect.fromVersionText(bins, v.get(), customConf);
    }

    /**
     * The dialect of a running server from {@code SELECT version()} and {@code server_version_num}:
     * Vastbase and openGauss (and MogDB, GaussDB, Uqbar, PanWeiDB) by name in {@code version()},
     * PostgreSQL by number.
     *
     * @throws DbException when it is PostgreSQL older than 9.6
     */
    public static Dialect fromServer(String version, int serverVersionNum, Binaries bins, String member,
            HostPort local) throws DbException {
        if (VastbaseDialect.isVastbaseVersionText(version)) {
            return new VastbaseDialect(bins, null, member, local);
        }
        if (OpenGaussDialect.isOpenGaussVersionText(version)) {
            return new OpenGaussDialect(bins, null, member, local);
        }
        if (serverVersionNum < 90600) {
            throw new DbException("PostgreSQL server_version_num " + serverVersionNum + " is not supported (9.6 or newer)");
        }
        return new PostgresDialect(bins, PostgresDialect.majorFromVersionNum(serverVersionNum), null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> raw) {
        return raw != null && raw.get("postgresql") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
