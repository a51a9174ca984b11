package io.has.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shell entry points: syntax, and the launchers' jar lookup. */
class ScriptsIT {

    private static Path basedir() {
        return Path.of(ClusterHarness.requiredProperty("has.basedir"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"scripts/has", "scripts/hasctl", "scripts/demo", "scripts/test", "scripts/cds-archive",
        "scripts/cds-classlist", "scripts/jit-list", ".ci/run"})
    void isExecutableBashWithValidSyntax(String script) throws Exception {
        Path p = basedir().resolve(script);
        assertTrue(Files.isExecutable(p), script + " is executable");
        assertTrue(Files.readString(p).startsWith("#!/usr/bin/env bash\n"), script + " starts with a bash shebang");
        Commands.Result r = Commands.run(Duration.ofSeconds(30), "bash", "-n", p.toString());
        assertEquals(0, r.exit(), "bash -n " + script + ":\n" + r.output());
    }

    @Test
    void thePackagedJarKeepsLineNumbersButOnlyHasOwnClassesKeepTheirLocalVariableTables() throws Exception {
        // scripts/StripLocalVariables.java ran between the shade plugin and the class-data archive
        try (ZipFile jar = new ZipFile(ClusterHarness.requiredProperty("has.jar"))) {
            for (String library : List.of("org/apache/curator/framework/imps/CuratorFrameworkImpl.class",
                    "org/postgresql/core/v3/QueryExecutorImpl.class", "io/undertow/server/HttpServerExchange.class")) {
                assertEquals(Set.of("LineNumberTable"), debugTables(jar, library), library);
            }
            assertEquals(Set.of("LineNumberTable", "LocalVariableTable"), debugTables(jar, "io/has/ha/HaLoop.class"));
        }
    }

    @Test
    void thePackagedJarLeavesThePackagesHasNeverLoadsToHasExtraJarWhichItsIndexAndManifestName() throws Exception {
        // scripts/SplitJar.java ran after StripLocalVariables.java
        Path jar = Path.of(ClusterHarness.requiredProperty("has.jar"));
        Path extra = jar.resolveSibling("has-extra.jar");
        Set<String> packages = new TreeSet<>();
        Set<String> extraPackages = new TreeSet<>();
        try (JarFile j = new JarFile(jar.toFile()); ZipFile x = new ZipFile(extra.toFile())) {
            assertEquals("has-extra.jar", j.getManifest().getMainAttributes().getValue("Class-Path"));
            assertEquals("io.has.Main", j.getManifest().getMainAttributes().getValue("Main-Class"));
            List<String> index;
            try (InputStream in = j.getInputStream(j.getEntry("META-INF/INDEX.LIST"))) {
                index = List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
            }
            assertEquals(List.of("JarIndex-Version: 1.0", "", "has-extra.jar"), index.subList(0, 3));
            j.stream().filter(e -> e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/"))
                    .forEach(e -> packages.add(e.getName().substring(0, e.getName().lastIndexOf('/'))));
            x.stream().forEach(e -> extraPackages.add(e.getName().substring(0, e.getName().lastIndexOf('/'))));
            assertEquals(new TreeSet<>(index.subList(3, index.size()).stream().filter(l -> !l.isEmpty()).toList()),
                    extraPackages, "the index names has-extra.jar's packages");
            assertTrue(j.stream().noneMatch(ZipEntry::isDirectory), "no directory entries");
            assertTrue(x.getEntry("io/netty/util/Version.class") != null, "netty is in has-extra.jar");
            for (String kept : List.of("io/has/ha/HaLoop.class", "org/postgresql/Driver.class",
                    "META-INF/services/java.sql.Driver")) {
                assertTrue(j.getEntry(kept) != null, kept + " stays in the jar");
            }
        }
        Set<String> split = new TreeSet<>(packages);
        split.retainAll(extraPackages);
        assertEquals(Set.of(), split, "a package is in one jar or the other, never in both");
        assertTrue(packages.size() > 100 && extraPackages.size() > 100, packages.size() + " / " + extraPackages.size());

        // the JVM finds a moved class through the index, and HAS's own in the jar
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            assertEquals(extra.toUri().toURL(), loader.loadClass("io.netty.util.Version").getProtectionDomain()
                    .getCodeSource().getLocation());
            assertEquals(jar.toUri().toURL(), loader.loadClass("io.has.ha.HaLoop").getProtectionDomain()
                    .getCodeSource().getLocation());
        }
    }

    /** Which of the two debug tables the methods of {@code entry} carry. */
    private static Set<String> debugTables(ZipFile jar, String entry) throws Exception {
        ZipEntry e = jar.getEntry(entry);
        assertTrue(e != null, entry + " is in the jar");
        Set<String> found = new TreeSet<>();
        try (InputStream in = jar.getInputStream(e)) {
            new ClassReader(in.readAllBytes()).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitLineNumber(int line, Label start) {
                            found.add("LineNumberTable");
                        }

                        @Override
                        public void visitLocalVariable(String n, String d, String s, Label a, Label b, int i) {
                            found.add("LocalVariableTable");
                        }
                    };
                }
            }, 0);
        }
        return found;
    }

    @Test
    void launchersExecJavaWithTheJarAndDefaultOptions(@TempDir Path tmp) throws Exception {
        // a stand-in for java that reports its parent and its arguments
        Path fakeJava = tmp.resolve("java");
        Files.writeString(fakeJava, "#!/bin/sh\necho \"ppid=$PPID\"\necho \"malloc_arena_max=$MALLOC_ARENA_MAX\"\nfor a in \"$@\"; do echo \"arg=$a\"; done\n");
        Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));
        String jar = ClusterHarness.requiredProperty("has.jar");
        Map<String, String> env = Map.of("HAS_JAR", jar, "JAVA", fakeJava.toString(), "HAS_CDS", "off",
                "HAS_JIT_LIST", "off");
        String self = "ppid=" + ProcessHandle.current().pid();

        Commands.Result has = Commands.run(Duration.ofSeconds(30), env,
                List.of(basedir().resolve("scripts/has").toString(), "/etc/has/pg1.yml"));
        assertEquals(0, has.exit(), has.output());
        // exec: the JVM replaces the launcher, so signals sent to the launcher's pid reach it
        assertTrue(has.stdout().startsWith(self + "\n"), "scripts/has must exec java:\n" + has.output());
        assertTrue(has.stdout().contains("malloc_arena_max=2\n"), "two malloc arenas:\n" + has.output());
        assertTrue(has.stdout().contains("arg=-Xmx64m\narg=-Xms4m\narg=-Xmn1m\narg=-XX:MinHeapFreeRatio=10\n"
                + "arg=-XX:MaxHeapFreeRatio=25\narg=-XX:+UseSerialGC\narg=-XX:TieredStopAtLevel=1\narg=-Xss512k\n"
                + "arg=-XX:-UsePerfData\narg=-XX:+UnlockDiagnosticVMOptions\narg=-XX:AsyncDeflationInterval=10000\n"
                + "arg=-XX:GuaranteedSafepointInterval=10000\narg=-XX:CompileCommand=quiet\n"
                + "arg=-jar\narg=" + jar + "\narg=/etc/has/pg1.yml\n"), has.output());

        // mvn package wrote the two class-data sharing archives beside the jar: each launcher passes on its own
        Path archive = Path.of(jar.replaceFirst("\\.jar$", ".jsa"));
        Path ctlArchive = Path.of(jar.replaceFirst("\\.jar$", "-hasctl.jsa"));
        for (Path a : List.of(archive, ctlArchive)) {
            assertTrue(Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(Path.of(jar))) > 0,
                    "mvn package must write " + a + " after the jar");
        }
        // and copied the JIT list beside it
        Path jitList = Path.of(jar.replaceFirst("\\.jar$", ".compile"));
        assertEquals(Files.readString(basedir().resolve("src/main/cds/has.compile")), Files.readString(jitList));
        Commands.Result cds = Commands.run(Duration.ofSeconds(30), Map.of("HAS_JAR", jar, "JAVA",
                fakeJava.toString()), List.of(basedir().resolve("scripts/has").toString(), "/etc/has/pg1.yml"));
        assertTrue(cds.stdout().contains("arg=-XX:SharedArchiveFile=" + archive + "\narg=-XX:CompileCommandFile="
                + jitList + "\narg=-jar\n"), cds.output());

        Commands.Result ctl = Commands.run(Duration.ofSeconds(30), Map.of("HAS_JAR", jar, "JAVA",
                fakeJava.toString(), "JAVA_OPTS", "-Xmx32m"), List.of(basedir().resolve("scripts/hasctl").toString(),
                "-c", "pg1.yml", "list"));
        assertEquals(0, ctl.exit(), ctl.output());
        assertTrue(ctl.stdout().startsWith(self + "\n"), "scripts/hasctl must exec java:\n" + ctl.output());
        assertTrue(ctl.stdout().contains("arg=-Xmx32m\narg=-XX:SharedArchiveFile=" + ctlArchive + "\narg=-cp\narg="
                + jar + "\narg=io.has.ctl.HasCtl\n"
                + "arg=-c\narg=pg1.yml\narg=list\n"), ctl.output());

        Commands.Result missing = Commands.run(Duration.ofSeconds(30), Map.of("HAS_JAR", "/nonexistent/has.jar"),
                List.of(basedir().resolve("scripts/has").toString(), "x.yml"));
        assertEquals(1, missing.exit(), missing.output());
        assertTrue(missing.output().contains("HAS_JAR=/nonexistent/has.jar is not readable"), missing.output());

        // a jar copied without has-extra.jar: each launcher says so instead of starting a JVM that would fail
        // on its first lookup in one of the packages moved there
        Path alone = Files.copy(Path.of(jar), tmp.resolve("has.jar"));
        for (String launcher : List.of("scripts/has", "scripts/hasctl")) {
            Commands.Result noExtra = Commands.run(Duration.ofSeconds(30), Map.of("HAS_JAR", alone.toString(), "JAVA",
                    fakeJava.toString()), List.of(basedir().resolve(launcher).toString(), "x.yml"));
            assertEquals(1, noExtra.exit(), noExtra.output());
            assertTrue(noExtra.output().contains(tmp.resolve("has-extra.jar") + " is missing: it is built with "
                    + alone + " and belongs beside it"), noExtra.output());
        }
    }

    @Test
    void jitListKeepsWhatAnIdleDaemonCompiledInPatternsTheJvmParses(@TempDir Path tmp) throws Exception {
        String hashCode = "1 1 0 java.lang.String.hashCode()I [0x1, 0x2 - 0x3]\n";
        Path start = Files.writeString(tmp.resolve("start.txt"), "4242:\n" + hashCode);
        Path end = Files.writeString(tmp.resolve("end.txt"), "4242:\n" + hashCode
                + "7 1 0 io.has.db.ProbeRows.bool(Ljava/sql/ResultSet;)Z [0x1, 0x2 - 0x3]\n"
                + "8 1 0 io.has.ha.HaLoop$Cycle.run()V [0x1, 0x2 - 0x3]\n"
                + "9 1 0 io.has.ha.HaLoop$$Lambda$12/0x0000000800c01234.run()V [0x1, 0x2 - 0x3]\n"
                + "10 1 0 java.util.Formatter$FormatSpecifier.print(Ljava/util/Formatter;I)V [0x1, 0x2 - 0x3]\n");
        Path out = tmp.resolve("has.compile");
        Commands.Result r = Commands.run(Duration.ofSeconds(60), Map.of("HAS_JIT_LIST_OUT", out.toString()),
                List.of(basedir().resolve("scripts/jit-list").toString(), start.toString(), end.toString()));
        assertEquals(0, r.exit(), r.output());
        // compiled before the idle period, or a generated class: not listed; a method named like a
        // CompileCommand keyword (bool, print) as a suffix pattern
        assertEquals(List.of("quiet", "CompileThresholdScaling,io/has/db/ProbeRows.*ool,0.01",
                "CompileThresholdScaling,io/has/ha/HaLoop$Cycle.run,0.01",
                "CompileThresholdScaling,java/util/Formatter$FormatSpecifier.*rint,0.01"),
                Files.readAllLines(out).stream().filter(l -> !l.startsWith("#")).toList());

        Commands.Result odd = Commands.run(Duration.ofSeconds(30), Map.of("HAS_JIT_LIST_OUT", out.toString()),
                List.of(basedir().resolve("scripts/jit-list").toString(), start.toString()));
        assertEquals(2, odd.exit(), odd.output());
        Commands.Result notAList = Commands.run(Duration.ofSeconds(30), Map.of("HAS_JIT_LIST_OUT", out.toString()),
                List.of(basedir().resolve("scripts/jit-list").toString(), start.toString(), basedir().resolve("pom.xml")
                        .toString()));
        assertEquals(1, notAList.exit(), notAList.output());
        assertTrue(notAList.output().contains("pom.xml is not a Compiler.codelist output"), notAList.output());
    }

    @Test
    void theShippedJitListParses(@TempDir Path tmp) throws Exception {
        // without its first line, quiet, the JVM echoes every command it accepts
        String list = read("src/main/cds/has.compile");
        assertTrue(list.lines().filter(l -> !l.startsWith("#")).findFirst().orElse("").equals("quiet"), list);
        Path loud = Files.writeString(tmp.resolve("loud.compile"), list.replaceFirst("(?m)^quiet\n", ""));
        Commands.Result r = Commands.run(Duration.ofSeconds(30), "java", "-XX:CompileCommandFile=" + loud, "-version");
        assertEquals(0, r.exit(), r.output());
        long entries = list.lines().filter(l -> l.startsWith("CompileThresholdScaling,")).count();
        assertTrue(entries > 100, "entries: " + entries);
        assertEquals(entries, r.output().lines().filter(l -> l.startsWith("CompileCommand: CompileThresholdScaling "))
                .count(), r.output());
    }

    @Test
    void everyDaemonLauncherHasTheSameDefaultOptions() throws Exception {
        String shipped = between(read("scripts/has"), "${JAVA_OPTS:-", "}");
        assertTrue(shipped.startsWith("-Xmx64m "), shipped);
        assertEquals(shipped, between(read("rpm/bin/has"), "${JAVA_OPTS:-", "}"), "rpm/bin/has");
        assertEquals(shipped, between(read("sysconfig/vastbase-has"), "JAVA_OPTS=\"", "\""), "sysconfig/vastbase-has");
        assertEquals(shipped, between(read("scripts/demo"), "${JAVA_OPTS:-", "}"), "scripts/demo");
        assertTrue(read("rpm/bin/has").contains("export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}\n"), "rpm/bin/has");
        // the bench measures what ships
        Commands.Result bench = Commands.run(Duration.ofSeconds(30), "python3", "-c", "import sys; sys.path.insert(0, '"
                + basedir().resolve("bench") + "'); import bench; print(' '.join(['%s=%s' % kv for kv in"
                + " sorted(bench.HAS_ENV.items())] + bench.HAS_JAVA_OPTS))");
        assertEquals(0, bench.exit(), bench.output());
        assertEquals("MALLOC_ARENA_MAX=2 " + shipped, bench.stdout().strip(), "bench/bench.py");
    }

    private static String read(String file) throws Exception {
        return Files.readString(basedir().resolve(file));
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        assertTrue(from >= 0, "no " + start);
        from += start.length();
        int to = text.indexOf(end, from);
        assertTrue(to >= 0, "no " + end + " after " + start);
        return text.substring(from, to);
    }

    @Test
    void demoRejectsUnknownArguments() throws Exception {
        Commands.Result r = Commands.run(Duration.ofSeconds(30), basedir().resolve("scripts/demo").toString(),
                "--no-such-option");
        assertEquals(2, r.exit(), r.output());
        assertTrue(r.output().contains("unknown argument"), r.output());
    }
}
