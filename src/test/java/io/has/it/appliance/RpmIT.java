package io.has.it.appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.has.it.ClusterHarness;
import io.has.process.ProcessResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RPM built by {@code mvn package}: install into a clean alternate root with its scriptlets,
 * upgrade to a second release keeping an edited sysconfig, erase; {@code systemd-analyze verify} of
 * has.service in that root prints nothing.
 *
 * <p>Everything runs in one script under {@code unshare -m}: the overlay of the host's {@code /usr}
 * (so nothing on the host is written) and the /dev, /proc mounts vanish with that mount namespace, even
 * when the test fails.
 */
class RpmIT {

    @TempDir
    static Path tmp;

    static Path rpm1;

    @BeforeAll
    static void build() throws Exception {
        Host.requireRoot();
        Host.requireTools(List.of("rpm"), "rpm", "rpmbuild", "systemd-analyze");
        Path buildDir = Path.of(System.getProperty("has.build.dir", "target"));
        try (Stream<Path> s = Files.list(buildDir)) {
            rpm1 = s.filter(p -> p.getFileName().toString().matches("vastbase-has-.*-1\\..*\\.rpm")).findFirst()
                    .orElseThrow(() -> new AssertionError("mvn package built no RPM in " + buildDir));
        }
    }

    @Test
    void installUpgradeEraseInAnAlternateRoot() throws Exception {
        Path build2 = tmp.resolve("build2");
        Files.createDirectories(build2);
        String version = rpm1.getFileName().toString().replaceAll("vastbase-has-(.*)-1\\..*", "$1");
        ClusterHarness.copyJar(Host.jar(), build2.resolve("has-" + version + ".jar"));
        // release 2 ships a changed default sysconfig, so rpm must keep the operator's edit and write .rpmnew
        Path base2 = tmp.resolve("base2");
        Host.must("mkdir -p " + base2 + "/src/main && cp -r " + Host.basedir() + "/{rpm,systemd,sysconfig,sql,scripts} "
                + base2 + " && cp -r " + Host.basedir() + "/src/main/cds " + base2 + "/src/main/"
                + " && echo '# release 2' >> " + base2 + "/sysconfig/vastbase-has", Duration.ofSeconds(30));
        Host.must(base2.resolve("rpm/build-rpm.sh") + " " + base2 + " " + build2 + " " + version
                + " 2 >/dev/null", Duration.ofMinutes(2));
        Path rpm2;
        try (Stream<Path> s = Files.list(build2)) {
            rpm2 = s.filter(p -> p.toString().endsWith(".rpm")).findFirst().orElseThrow();
        }
        Path root = tmp.resolve("root");
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        String script = """
                set -euo pipefail
                R=%1$s; O=%2$s
                mkdir -p $R/{etc,var,tmp,run,dev,proc,usr,home,root,opt} $R.upper $R.work
                for f in passwd group shadow gshadow login.defs; do [ -e /etc/$f ] && cp -a /etc/$f $R/etc/; done
                for d in bin sbin lib lib64; do [ -e /$d ] && ln -sfn usr/$d $R/$d; done
                mount --make-rprivate /
                mount -t overlay overlay -o lowerdir=/usr,upperdir=$R.upper,workdir=$R.work $R/usr
                mount --rbind /dev $R/dev
                mount -t proc proc $R/proc
                rpm --root $R --initdb
                rpm --root $R -ivh --nodeps %3$s > $O/install.log 2>&1
                chroot $R getent passwd vastbase > $O/user || true
                chroot $R getent group vastbase > $O/group || true
                chroot $R stat -c '%%U:%%G %%a %%n' /etc/sysconfig/vastbase-has /etc/has /etc/has/has.yml /var/log/has \
                    /opt/has/bin/has /opt/has/bin/hasctl /opt/has/lib/has.jar /usr/lib/systemd/system/has.service > $O/modes
                systemd-analyze verify --root=$R has.service > $O/verify.out 2> $O/verify.err || echo "rc=$?" >> $O/verify.err
                echo 'VIP=10.77.0.50 # edited by the operator' >> $R/etc/sysconfig/vastbase-has
                rpm --root $R -Uvh --nodeps %4$s > $O/upgrade.log 2>&1
                rpm --root $R -q vastbase-has > $O/after-upgrade
                ls $R/etc/sysconfig > $O/sysconfig-files
                cp $R/etc/sysconfig/vastbase-has $O/sysconfig-after-upgrade
                rpm --root $R -e --nodeps vastbase-has > $O/erase.log 2>&1
                (rpm --root $R -q vastbase-has || true) > $O/after-erase
                (cd $R && find opt usr/lib/systemd/system -name 'has*' | sort) > $O/left
                """.formatted(root, out, rpm1, rpm2);
        Path sh = tmp.resolve("altroot.sh");
        Host.write(sh, script);
        ProcessResult r = Host.sh("unshare -m bash " + sh, Duration.ofMinutes(5));
        System.out.println(r.describe());
        for (String f : List.of("install.log", "user", "modes", "verify.err", "upgrade.log", "erase.log", "left")) {
            System.out.println("--- " + f + "\n" + Host.read(out.resolve(f)));
        }
        assertTrue(r.ok(), r.describe());

        assertTrue(Host.read(out.resolve("user")).startsWith("vastbase:x:"), "the vastbase user exists in the root");
        assertTrue(Host.read(out.resolve("group")).startsWith("vastbase:"));
        String modes = Host.read(out.resolve("modes"));
        assertTrue(modes.contains("root:vastbase 640 /etc/sysconfig/vastbase-has"), modes);
        assertTrue(modes.contains("root:vastbase 640 /etc/has/has.yml"), modes);
        assertTrue(modes.contains("vastbase:vastbase 750 /var/log/has"), modes);
        assertTrue(modes.contains("root:root 755 /opt/has/bin/has"), modes);
        assertTrue(modes.contains("root:root 755 /opt/has/bin/hasctl"), modes);
        assertTrue(modes.contains("root:root 644 /usr/lib/systemd/system/has.service"), modes);
        assertEquals("", Host.read(out.resolve("verify.err")), "systemd-analyze verify must print nothing");

        assertTrue(Host.read(out.resolve("after-upgrade")).contains("-2"), "release 2 installed");
        assertTrue(Host.read(out.resolve("sysconfig-files")).contains("vastbase-has.rpmnew"), "new config as .rpmnew");
        assertTrue(Host.read(out.resolve("sysconfig-after-upgrade")).contains("edited by the operator"),
                "the edited sysconfig is kept");

        assertTrue(Host.read(out.resolve("after-erase")).contains("not installed"));
        assertEquals("", Host.read(out.resolve("left")).strip(), "erase removes the files");
        assertFalse(Files.exists(root.resolve("opt/has/lib/has.jar")));
    }
}
