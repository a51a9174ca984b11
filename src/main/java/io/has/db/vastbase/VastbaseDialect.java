package io.has.db.vastbase;

import io.has.cluster.HostPort;
import io.has.db.Binaries;
import io.has.db.opengauss.OpenGaussDialect;
import java.util.regex.Pattern;

/**
 * Vastbase G100: openGauss renamed ({@code vb_ctl}, {@code vb_initdb}, {@code vastbase},
 * {@code vb_controldata}) with the same command syntax and SQL surface (reference/opengauss.md §0,
 * §1.5). Its queries live in {@code sql/vastbase/}: the two queries Vastbase's own Patroni-based HAS
 * runs (seed §2.7), adapted to HAS's column names. Verified only against captured command lines and
 * result rows; {@code vb_ctl failover|switchover|notify|build} parity with gs_ctl is unverified.
 */
public class VastbaseDialect extends OpenGaussDialect {

    private static final Pattern PRODUCT = Pattern.compile("\\bVastbase\\b");

    public VastbaseDialect(Binaries bins, String customConf, String nodeName, HostPort local) {
        super(bins, customConf, nodeName, local);
    }

    /** True when a {@code version()} or {@code --version} text names Vastbase. */
    public static boolean isVastbaseVersionText(String text) {
        return PRODUCT.matcher(text).find();
    }

    @Override
    public String name() {
        return "Vastbase";
    }

    @Override
    protected String defaultProgram(String tool) {
        return switch (tool) {
            case "postgres" -> "vastbase";
            case "pg_ctl" -> "vb_ctl";
            case "initdb" -> "vb_initdb";
            case "pg_basebackup" -> "vb_basebackup";
            case "pg_controldata" -> "vb_controldata";
            default -> tool;
        };
    }

    @Override
    public String sqlFolder() {
        return "vastbase";
    }
}
