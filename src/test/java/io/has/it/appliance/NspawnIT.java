package io.has.it.appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.has.process.ProcessResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * has.service under a real systemd (252, as PID 1 of a systemd-nspawn container): the container root is an
 * overlay of the host's {@code /} (upper layer on a tmpfs, nothing on the host changes) in which the RPM built
 * by {@code mvn package} is installed with its scriptlets; the container's network is the namespace of a
 * {@link Netns} host, and a standalone ZooKeeper runs in another namespace on the same bridge. The daemon
 * runs a single-member cluster with the VIP from {@code /etc/sysconfig/vastbase-has}.
 *
 * <ul>
 *   <li>{@code systemctl start has}: the daemon runs as {@code vastbase}, bootstraps PostgreSQL and adds the VIP;</li>
 *   <li>{@code systemctl stop has}: the VIP is gone;</li>
 *   <li>start again, then {@code kill -9} of the daemon: the unit's {@code ExecStopPost} removes the VIP.</li>
 * </ul>
 * Everything runs in one script under {@code unshare -m}: the overlay and the container's mounts vanish with
 * that mount namespace; the script's exit trap powers the container off (SIGKILL as a last resort), and the
 * test kills the recorded nspawn pid if the script itself was killed.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class NspawnIT {

    private static final String VIP = "10.77.0.50";

    @Test
    void hasServiceStartsAsVastbaseAndTheVipGoesAwayOnStopAndOnKill() throws Exception {
        Host.requireRoot();
        Host.requireTools(List.of("systemd-container", "rpm", "iproute2"), "systemd-nspawn", "rpm", "ip", "nsenter");
        boolean overlay = Host.read(Path.of("/proc/filesystems")).contains("overlay");
        if (!overlay) {
            System.out.println("SKIPPED: the kernel has no overlay file system (needed for the container root)");
        }
        assumeTrue(overlay, "no overlayfs");
        Path buildDir = Path.of(System.getProperty("has.build.dir", "target"));
        Path rpm;
        try (Stream<Path> s = Files.list(buildDir)) {
            rpm = s.filter(p -> p.getFileName().toString().matches("vastbase-has-.*-1\\..*\\.rpm")).findFirst()
                    .orElseThrow(() -> new AssertionError("mvn package built no RPM in " + buildDir));
        }
        String p = "hn" + (ProcessHandle.current().pid() % 10000);
        Path work = Files.createTempDirectory(Path.of("/tmp"), "has-nspawn-");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path out = work.resolve("out");
        try (Netns net = new Netns(p)) {
            String nsA = net.host(p + "A", "10.77.0.11");
            String nsZ = net.host(p + "Z", "10.77.0.2");
            try (NsCluster zk = new NsCluster("NspawnIT", "nspawnit", null)) {
                zk.zookeeper(nsZ, "10.77.0.2");
                Path script = work.resolve("nspawn.sh");
                Files.writeString(script, script(work, rpm, nsA, "has" + p));
                ProcessResult r = Host.sh("unshare -m --propagation private bash " + script + " > " + work
                        + "/script.log 2>&1", Duration.ofMinutes(8));
                System.out.println(r.describe());
                System.out.println("--- script.log\n" + Host.read(work.resolve("script.log")));
                for (String f : List.of("steps", "user", "journal")) {
                    System.out.println("--- " + f + "\n" + Host.read(out.resolve(f)));
                }
                String unavailable = Host.read(out.resolve("unavailable"));
                if (!unavailable.isBlank()) {
                    System.out.println("SKIPPED: systemd-nspawn cannot run here: " + unavailable);
                }
                assumeTrue(unavailable.isBlank(), unavailable);
                assertTrue(r.ok(), r.describe() + "\n" + Host.read(work.resolve("script.log")));

                String steps = Host.read(out.resolve("steps"));
                assertTrue(steps.contains("started-vip-present"), "systemctl start has adds the VIP:\n" + steps);
                assertTrue(Host.read(out.resolve("user")).strip().startsWith("vastbase"),
                        "the daemon runs as vastbase: " + Host.read(out.resolve("user")));
                assertTrue(steps.contains("stopped-vip-absent"), "systemctl stop has removes the VIP:\n" + steps);
                assertTrue(steps.contains("restarted-vip-present"), steps);
                assertTrue(steps.contains("killed-vip-absent"), "ExecStopPost removes the VIP after kill -9:\n" + steps);
                String journal = Host.read(out.resolve("journal"));
                assertTrue(journal.contains("status=9/KILL") && journal.contains("Result=signal"),
                        "the daemon died of SIGKILL:\n" + journal);
                String stopPost = journal.lines().filter(l -> l.startsWith("ExecStopPost=")).findFirst().orElse("");
                assertTrue(stopPost.contains("/usr/sbin/ip addr del") && stopPost.contains("code=exited ; status=0 "),
                        "ExecStopPost ran ip addr del successfully after the kill: " + stopPost);
                assertFalse(Netns.has(nsA, VIP));
            }
        } finally {
            String pid = Host.read(work.resolve("nspawn.pid")).strip();
            if (!pid.isEmpty()) {
                Host.sh("kill -0 " + pid + " 2>/dev/null && grep -q systemd-nspawn /proc/" + pid + "/cmdline && kill -9 "
                        + pid + " || true", Duration.ofSeconds(10));
            }
            Host.sh("umount -l " + work.resolve("root") + " 2>/dev/null; umount -l " + work.resolve("ovl")
                    + " 2>/dev/null; true", Duration.ofSeconds(30));
            NsCluster.delete(work);
        }
    }

    private static String script(Path w, Path rpm, String nsA, String machine) {
        return """
                set -euo pipefail
                W=%1$s; RPM=%2$s; NSA=%3$s; M=%4$s; VIP=%5$s; PGBIN=%6$s
                R=$W/root; O=$W/out
                mkdir -p $R $W/ovl $O
                step() { echo "$(date +%%s.%%N | cut -c1-14) $*" | tee -a $O/steps; }
                mount --make-rprivate /
                mount -t tmpfs -o mode=755 tmpfs $W/ovl
                mkdir -p $W/ovl/upper $W/ovl/work
                mount -t overlay overlay -o lowerdir=/,upperdir=$W/ovl/upper,workdir=$W/ovl/work $R
                # the RPM with its scriptlets (they run chrooted in $R)
                mount --rbind /dev $R/dev; mount -t proc proc $R/proc
                rpm --root $R -ivh --nodeps $RPM > $O/install.log 2>&1
                chroot $R install -d -o vastbase -g vastbase -m 700 /var/lib/has-it
                umount -R $R/dev; umount $R/proc
                # only what the test needs boots: the host's enabled units (PostgreSQL, Patroni, ...) stay off
                for u in $(ls /etc/systemd/system/*.wants/ 2>/dev/null | grep -v ':$' | sort -u); do
                  ln -sfn /dev/null $R/etc/systemd/system/$u
                done
                cat > $R/etc/systemd/system/hastest.target <<'EOT'
                [Unit]
                Description=HAS test target
                Requires=sysinit.target
                After=sysinit.target
                AllowIsolate=yes
                EOT
                cat > $R/etc/has/has.yml <<EOT
                scope: nspawnit
                namespace: /service
                name: n1
                restapi:
                  listen: 10.77.0.11:8008
                  connect_address: 10.77.0.11:8008
                zookeeper:
                  hosts: ['10.77.0.2:2181']
                bootstrap:
                  dcs: {ttl: 10, loop_wait: 2, retry_timeout: 3}
                  initdb: [{encoding: UTF8}]
                  pg_hba:
                  - local all all trust
                  - host all all 127.0.0.1/32 md5
                postgresql:
                  listen: 0.0.0.0:5432
                  connect_address: 10.77.0.11:5432
                  data_dir: /var/lib/has-it/data
                  bin_dir: $PGBIN
                  pgpass: /var/lib/has-it/pgpass
                  authentication:
                    superuser: {username: vastbase, password: secret}
                    replication: {username: replicator, password: rep-pass}
                  parameters:
                    unix_socket_directories: '/var/lib/has-it'
                watchdog:
                  mode: off
                tags: {}
                EOT
                sed -i -e "s|^VIP=.*|VIP=$VIP|" -e 's|^VIPBRD=.*|VIPBRD=10.77.0.255|' -e 's|^VIPNETMASKBIT=.*|VIPNETMASKBIT=24|' \\
                  -e 's|^VIPDEV=.*|VIPDEV=eth0|' -e 's|^VIPLABEL=.*|VIPLABEL=1|' $R/etc/sysconfig/vastbase-has
                cp $R/etc/sysconfig/vastbase-has $O/sysconfig

                systemd-nspawn -q -D $R -M $M --keep-unit --register=no --link-journal=no \\
                  --capability=CAP_NET_ADMIN,CAP_NET_RAW --network-namespace-path=/run/netns/$NSA \\
                  --console=read-only -b -- --unit=hastest.target > $W/console.log 2>&1 < /dev/null 3>&- &
                NSP=$!
                echo $NSP > $W/nspawn.pid
                cleanup() {
                  if kill -0 $NSP 2>/dev/null; then
                    kill -TERM $NSP 2>/dev/null || true   # nspawn asks the container's systemd to power off
                    for i in $(seq 1 300); do kill -0 $NSP 2>/dev/null || break; sleep 0.1; done
                    kill -9 $NSP 2>/dev/null || true
                  fi
                }
                trap cleanup EXIT
                leader=""
                for i in $(seq 1 600); do
                  kill -0 $NSP 2>/dev/null || { echo "nspawn exited: $(tail -5 $W/console.log)" > $O/unavailable; exit 0; }
                  leader=$(cat /proc/$NSP/task/*/children 2>/dev/null | awk '{print $1}' | head -1)
                  if [ -n "$leader" ]; then
                    st=$(nsenter -t $leader -a systemctl is-system-running 2>/dev/null || true)
                    case "$st" in running|degraded) break;; esac
                  fi
                  sleep 0.2   # poll interval while the container boots
                done
                [ -n "$leader" ] || { echo "no container init after 120 s" > $O/unavailable; exit 0; }
                step "booted: $(nsenter -t $leader -a systemctl is-system-running 2>&1 || true)"
                ct() { nsenter -t $leader -a "$@"; }
                vip_on() { ip -n $NSA -o addr show dev eth0 | grep -q "inet $VIP/"; }
                await_vip() { # $1 = present|absent
                  for i in $(seq 1 1800); do
                    if [ "$1" = present ] && vip_on; then return 0; fi
                    if [ "$1" = absent ] && ! vip_on; then return 0; fi
                    sleep 0.1   # poll interval
                  done
                  return 1
                }

                ct systemctl start has
                step "systemctl start has: $(ct systemctl is-active has || true)"
                await_vip present && step started-vip-present || step started-vip-missing
                main=$(ct systemctl show -p MainPID --value has)
                ct ps -o user=,pid=,args= -p $main > $O/user || true
                ct grep -E '^Cap(Amb|Eff)' /proc/$main/status >> $O/user || true

                ct systemctl stop has
                step "systemctl stop has: $(ct systemctl is-active has || true)"
                await_vip absent && step stopped-vip-absent || step stopped-vip-present

                ct systemctl start has
                await_vip present && step restarted-vip-present || step restarted-vip-missing
                main=$(ct systemctl show -p MainPID --value has)
                ct kill -9 $main
                step "kill -9 of the daemon (pid $main in the container)"
                await_vip absent && step killed-vip-absent || step killed-vip-present
                for i in $(seq 1 300); do
                  s=$(ct systemctl is-active has || true)
                  case "$s" in inactive|failed) break;; esac
                  sleep 0.1   # poll interval
                done
                step "after kill -9: $(ct systemctl is-active has || true)"
                ct journalctl -u has --no-pager -o short-precise > $O/journal 2>&1 || true
                ct systemctl show has -p ExecStopPost -p Result -p ExecMainStatus >> $O/journal 2>&1 || true
                """.formatted(w, rpm.toAbsolutePath(), nsA, machine, VIP, NsCluster.pgBin());
    }
}
