package io.has.db.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.has.db.Binaries;
import io.has.db.DbException;
import io.has.db.Dialect;
import io.has.db.DialectResolver;
import io.has.db.vastbase.VastbaseDialect;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Vastbase G100: the openGauss contract with vb_* tool names and the two queries of seed §2.7
 * (Vastbase's own HAS) in {@code sql/vastbase/}.
 */
class VastbaseContractTest extends OpenGaussContractTest {

    @Override
    Dialect dialect() {
        return new VastbaseDialect(Binaries.in(BIN), null, "pg-b", LOCAL);
    }

    @Override
    String ctl() {
        return "/opt/og/bin/vb_ctl";
    }

    @Override
    String expectedName() {
        return "Vastbase";
    }

    @Override
    String expectedSqlFolder() {
        return "vastbase";
    }

    @Override
    List<String> requiredSql() {
        // the seed's expressions, character for character
        return List.of("COALESCE(pg_catalog.pg_last_xlog_receive_location(), '0/0')",
                "(select lsn from pg_catalog.pg_last_xlog_replay_location())",
                "pg_catalog.lower(pg_catalog.left(pg_catalog.substr(application_name, pg_catalog.strpos(application_name,'[') + 1),-1))",
                "pg_catalog.lower(state)", "pg_catalog.lower(sync_state)", "FROM pg_catalog.pg_stat_replication",
                "receiver_flush_location");
    }

    @Test
    void vastbaseVersionTextWins() throws DbException {
        Binaries bins = Binaries.in(BIN);
        assertEquals("Vastbase", DialectResolver.fromServer(
                "PostgreSQL 9.2.4 (Vastbase G100 V2.2 (Build 5.83.5339)) compiled at 2023-01-01 on x86_64", 90204, bins,
                "m", LOCAL).name());
        assertTrue(VastbaseDialect.isVastbaseVersionText("vastbase (Vastbase G100 V2.2 (Build 19) Release)"));
        assertEquals("vastbase", dialect().serverExecutableName());
        assertEquals("/opt/og/bin/vb_initdb", dialect().initdbCommand(DATA, "vbadmin", null, List.of()).get(0));
    }

    @Override
    @Test
    void binNameOverridesReplaceTheProductsToolNames() {
        Dialect d = new VastbaseDialect(new Binaries(BIN, java.util.Map.of("pg_ctl", "my_ctl")), null, "n", LOCAL);
        assertEquals("/opt/og/bin/my_ctl", d.stopCommand(DATA, io.has.db.StopMode.FAST, 5).get(0));
    }
}
