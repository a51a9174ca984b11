package io.has.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BinariesTest {

    @Test
    void aProgramMissingFromTheDirectoryHasNoVersion(@TempDir Path bin) throws Exception {
        Path postgres = bin.resolve("postgres");
        Files.writeString(postgres, "#!/bin/sh\necho 'postgres (PostgreSQL) 15.18'\n");
        Files.setPosixFilePermissions(postgres, PosixFilePermissions.fromString("rwxr-xr-x"));
        Binaries bins = new Binaries(bin, Map.of());
        assertEquals(Optional.of("postgres (PostgreSQL) 15.18"), bins.version("postgres", "postgres"));
        assertEquals(Optional.empty(), bins.version("postgres", "vastbase"));
        assertEquals(Optional.empty(), new Binaries(bin, Map.of("postgres", "/no/such/postgres"))
                .version("postgres", "postgres"));
    }
}
