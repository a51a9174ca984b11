#!/usr/bin/env python3
"""HAS versus Patroni, side by side, on one machine (issue 7).

Usage: bench/run [--quick] [--profile default|fast] [--smoke] [--out DIR] [--keep] [--note TEXT]

One standalone ZooKeeper (Debian's `zookeeper` package) serves two 3-member clusters with
PostgreSQL 15 on 127.0.0.1: one run by HAS (java -jar has.jar pgN.yml), one by Patroni (Debian's
`patroni` 3.0.2, `patroni pgN.yml`). Both get the same Patroni YAML (only ports, directories and the
scope differ). Every scenario alternates the two systems run by run (HAS first on even runs,
Patroni first on odd runs); while one system is measured the other cluster sits idle.

Only the standard library and psycopg2 are used. Every process is started by this script in its
own session and recorded by pid; only those pids (checked against their command line or working
directory) and processes living inside the private work directory are ever signalled.
"""

import argparse
import datetime
import json
import os
import pwd
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROFILES = {
    'default': {'ttl': 30, 'loop_wait': 10, 'retry_timeout': 10},
    'fast': {'ttl': 10, 'loop_wait': 2, 'retry_timeout': 3},
}
# the shipped defaults (scripts/has, sysconfig/vastbase-has; dependencies.md §5); the class-data sharing
# archives beside the jar are added as the launchers add them (cds_opts)
HAS_JAVA_OPTS = ['-Xmx64m', '-Xms4m', '-Xmn1m', '-XX:MinHeapFreeRatio=10', '-XX:MaxHeapFreeRatio=25',
                 '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xss512k', '-XX:-UsePerfData',
                 '-XX:+UnlockDiagnosticVMOptions', '-XX:AsyncDeflationInterval=10000',
                 '-XX:GuaranteedSafepointInterval=10000', '-XX:CompileCommand=quiet']
HAS_ENV = {'MALLOC_ARENA_MAX': '2'}  # as scripts/has exports it
HASCTL_JAVA_OPTS = ['-Xmx64m', '-Xms8m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xss512k',
                    '-XX:-UsePerfData']
SYSTEMS = ('has', 'patroni')
NAMES = ('has', 'Patroni')
RUN_AS = 'postgres'
MEMBERS = ('pg1', 'pg2', 'pg3')
PASSWORD = 'secret'


def zk_classpath():
    """Debian's ZooKeeper, which logs nothing without an SLF4J binding: log4j 1.2's (Debian's zkServer uses it
    too). Looked up when ZooKeeper starts: on a fresh machine the packages are installed after this module
    is loaded."""
    return ':'.join(['/etc/zookeeper/conf', '/usr/share/java/zookeeper.jar'] + [
        j for j in ('/usr/share/java/slf4j-log4j12.jar', '/usr/share/java/log4j-1.2.jar') if os.path.exists(j)])


# ZooKeeper's log line when a session times out (log4j ISO8601 layout of Debian's log4j.properties)
ZK_EXPIRY = re.compile(r'^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}) .*Expiring session (0x[0-9a-f]+)')
PG_BIN = '/usr/lib/postgresql/15/bin'
CLK_TCK = os.sysconf('SC_CLK_TCK')
WALL_OFFSET = time.time() - time.monotonic()
IS_ROOT = os.geteuid() == 0

# runs per scenario
QUICK_RUNS = {'bootstrap': 1, 'rest': 1, 'switchover': 1, 'crash': 1, 'crash0': 1, 'nodeloss': 1,
              'sync_nodeloss': 1}
FULL_RUNS = {'bootstrap': 3, 'rest': 3, 'switchover': 10, 'crash': 3, 'crash0': 3, 'nodeloss': 5,
             'sync_nodeloss': 3}

now = time.monotonic
T_START = now()
BASELINE = 0.7   # seconds of writes before a fault
SETTLE = 90      # seconds every daemon has run before the idle footprint window opens (at most the window)
AFTER = 0.7      # seconds of writes after recovery, before the writers stop


def wall(t):
    return t + WALL_OFFSET


def say(msg):
    print('bench %s %s' % (time.strftime('%H:%M:%S'), msg), flush=True)


class BenchError(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# processes: only pids we recorded, checked before every signal

def proc_state(pid):
    try:
        with open('/proc/%d/stat' % pid) as f:
            s = f.read()
    except (OSError, ValueError):
        return None
    return s[s.rindex(')') + 2:].split()[0]


def pid_alive(pid):
    if not pid:
        return False
    s = proc_state(pid)
    return s is not None and s != 'Z'


def proc_cmdline(pid):
    try:
        with open('/proc/%d/cmdline' % pid, 'rb') as f:
            return f.read().replace(b'\0', b' ').decode('utf-8', 'replace')
    except OSError:
        return ''


def proc_cwd(pid):
    try:
        return os.readlink('/proc/%d/cwd' % pid)
    except OSError:
        return ''


def signal_pid(pid, sig):
    try:
        os.kill(pid, sig)
        return True
    except (ProcessLookupError, PermissionError):
        return False


def wait_gone(pids, timeout):
    deadline = now() + timeout
    while now() < deadline:
        if not any(pid_alive(p) for p in pids):
            return True
        time.sleep(0.05)
    return not any(pid_alive(p) for p in pids)


def procs_under(path):
    """Live processes whose working directory or command line lies inside `path` (ours by construction)."""
    path = path.rstrip('/')
    found = []
    me = os.getpid()
    for d in os.listdir('/proc'):
        if not d.isdigit() or int(d) == me:
            continue
        pid = int(d)
        c = proc_cwd(pid)
        if (c == path or c.startswith(path + '/') or (path + '/') in proc_cmdline(pid)) and pid_alive(pid):
            found.append(pid)
    return found


def process_age(pid):
    """Seconds since the process started (its start time in /proc/PID/stat, in clock ticks after boot)."""
    try:
        with open('/proc/%d/stat' % pid) as f:
            start = int(f.read().rsplit(')', 1)[1].split()[19])
        with open('/proc/uptime') as f:
            up = float(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0.0
    return up - start / CLK_TCK


def cpu_seconds(pid):
    """utime + stime + cutime + cstime of pid, in seconds (children it waited for included)."""
    with open('/proc/%d/stat' % pid) as f:
        s = f.read()
    fields = s[s.rindex(')') + 2:].split()
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / CLK_TCK


def memory_kib(pid):
    rss = pss = None
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith('VmRSS:'):
                rss = int(line.split()[1])
    try:
        with open('/proc/%d/smaps_rollup' % pid) as f:
            for line in f:
                if line.startswith('Pss:'):
                    pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


# ---------------------------------------------------------------------------------------------
# small helpers

_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def http(url, method='GET', body=None, timeout=1.0):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={'Content-Type': 'application/json'} if data else {})
    try:
        with _NO_PROXY.open(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        try:
            return e.code, e.read()
        except Exception:
            return e.code, b''
    except Exception:
        return None, None


_TAKEN_PORTS = set()


def free_port():
    """A free port on 127.0.0.1 below the ephemeral range (a restarted server must get it back)."""
    for _ in range(500):
        p = random.randint(20000, 30999)
        if p in _TAKEN_PORTS:
            continue
        s = socket.socket()
        try:
            s.bind(('127.0.0.1', p))
        except OSError:
            continue
        finally:
            s.close()
        _TAKEN_PORTS.add(p)
        return p
    raise BenchError('no free port')


def run_cmd(cmd, timeout, env=None):
    """(exit status or None on timeout, output, seconds). Output through a file, never a pipe."""
    with tempfile.TemporaryFile() as out:
        t0 = now()
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                             env=env, start_new_session=True)
        try:
            rc = p.wait(timeout)
        except subprocess.TimeoutExpired:
            signal_pid(p.pid, signal.SIGKILL)
            p.wait(10)
            rc = None
        dt = now() - t0
        out.seek(0)
        return rc, out.read().decode('utf-8', 'replace'), dt


def median(xs):
    return statistics.median(xs) if xs else None


def fmt(v, unit=''):
    if v is None:
        return '—'
    if isinstance(v, float):
        if abs(v) >= 1000:
            s = '%.0f' % v
        elif abs(v) >= 100:
            s = '%.1f' % v
        else:
            s = '%.2f' % v
    else:
        s = str(v)
    return s + (' ' + unit if unit else '')


# ---------------------------------------------------------------------------------------------
# prerequisites

def ensure_packages(need_patroni, need_wrk):
    pkgs = []
    if not os.path.exists('/usr/share/java/zookeeper.jar'):
        pkgs.append('zookeeper')
    if not os.path.exists(PG_BIN + '/initdb'):
        pkgs.append('postgresql-15')
    if need_wrk and not shutil.which('wrk'):
        pkgs.append('wrk')
    if need_patroni:
        if not shutil.which('patroni') or not shutil.which('patronictl'):
            pkgs.append('patroni')
        if subprocess.call([sys.executable, '-c', 'import kazoo'], stderr=subprocess.DEVNULL) != 0:
            pkgs.append('python3-kazoo')
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        pkgs.append('python3-psycopg2')
    if not shutil.which('java'):
        pkgs.append('openjdk-17-jre-headless')
    if not pkgs:
        return
    if not IS_ROOT or not shutil.which('apt-get'):
        raise BenchError('missing packages: %s (install them: apt-get install %s)' % (pkgs, ' '.join(pkgs)))
    say('installing %s (apt-get)' % ' '.join(pkgs))
    env = dict(os.environ, DEBIAN_FRONTEND='noninteractive')
    subprocess.check_call(['apt-get', 'update', '-qq'], env=env)
    subprocess.check_call(['apt-get', 'install', '-y', '-qq', '--no-install-recommends'] + pkgs, env=env,
                          stdout=subprocess.DEVNULL)
    if 'postgresql-15' in pkgs and shutil.which('pg_ctlcluster'):
        subprocess.call(['pg_ctlcluster', '15', 'main', 'stop'], stderr=subprocess.DEVNULL)


def find_jar():
    j = os.environ.get('HAS_JAR')
    if j:
        if not os.path.isfile(j):
            raise BenchError('HAS_JAR=%s does not exist' % j)
        return j
    target = os.path.join(REPO, 'target')
    jars = sorted((os.path.join(target, f) for f in os.listdir(target)
                   if re.match(r'has-[0-9].*\.jar$', f)), key=os.path.getmtime) if os.path.isdir(target) else []
    newest_source = max((os.path.getmtime(os.path.join(d, f)) for top in ('src/main', 'sql')
                         for d, _, fs in os.walk(os.path.join(REPO, top)) for f in fs), default=0)
    if not jars or os.path.getmtime(jars[-1]) < newest_source:
        # clean: a resource deleted from src/main would otherwise stay in target/classes and in the jar
        say('building the jar (mvn -q -B -o clean package -DskipTests -Dhas.rpm.skip=true)')
        subprocess.check_call(['mvn', '-q', '-B', '-o', 'clean', 'package', '-DskipTests', '-Dhas.rpm.skip=true'],
                              cwd=REPO)
        return find_jar()
    return jars[-1]


CLASSLISTS = os.path.join(REPO, 'src', 'main', 'cds')


def cds_opts(jar, program='has'):
    """The class-data sharing option the launchers add: the program's archive beside the jar, when newer."""
    jsa = re.sub(r'\.jar$', '.jsa' if program == 'has' else '-hasctl.jsa', jar)
    if os.path.isfile(jsa) and os.path.getmtime(jsa) > os.path.getmtime(jar):
        return ['-XX:SharedArchiveFile=' + jsa]
    return []


def jit_opts(jar):
    """The JIT list the launchers add: has.compile beside the jar (scripts/jit-list records it)."""
    compile_list = re.sub(r'\.jar$', '.compile', jar)
    return ['-XX:CompileCommandFile=' + compile_list] if os.path.isfile(compile_list) else []


# ---------------------------------------------------------------------------------------------
# ZooKeeper (Debian package, standalone)

class ZooKeeper:
    def __init__(self, base):
        self.dir = os.path.join(base, 'zk')
        os.makedirs(os.path.join(self.dir, 'data'))
        self.port = free_port()
        self.proc = None
        self.log = os.path.join(base, 'zk.log')

    def start(self):
        cfg = os.path.join(self.dir, 'zoo.cfg')
        with open(cfg, 'w') as f:
            # tickTime 1 s: sessions expire at most 1 s after their timeout; 60 s allows ttl 30
            f.write('tickTime=1000\ninitLimit=10\nsyncLimit=5\ndataDir=%s\nclientPort=%d\n'
                    'clientPortAddress=127.0.0.1\nminSessionTimeout=2000\nmaxSessionTimeout=60000\n'
                    'maxClientCnxns=0\nadmin.enableServer=false\n4lw.commands.whitelist=ruok,srvr\n'
                    % (os.path.join(self.dir, 'data'), self.port))
        logf = open(self.log, 'ab')
        self.proc = subprocess.Popen(
            ['java', '-Xmx128m', '-XX:+UseSerialGC', '-Dzookeeper.root.logger=INFO,CONSOLE', '-cp', zk_classpath(),
             'org.apache.zookeeper.server.quorum.QuorumPeerMain', cfg],
            cwd=self.dir, stdout=logf, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        logf.close()
        deadline = now() + 60
        while now() < deadline:
            if self.proc.poll() is not None:
                raise BenchError('ZooKeeper exited (%s)' % self.log)
            if self.four('ruok') == 'imok':
                return
            time.sleep(0.2)
        raise BenchError('ZooKeeper not ready after 60 s')

    def four(self, word):
        try:
            with socket.create_connection(('127.0.0.1', self.port), timeout=1) as s:
                s.sendall(word.encode())
                return s.recv(4096).decode()
        except OSError:
            return ''

    @property
    def connect(self):
        return '127.0.0.1:%d' % self.port

    def log_size(self):
        try:
            return os.path.getsize(self.log)
        except OSError:
            return 0

    def expiry_after(self, offset, t0):
        """(monotonic time, session id) of the first session ZooKeeper expired after t0, from its log."""
        try:
            with open(self.log, 'rb') as f:
                f.seek(offset)
                text = f.read().decode('utf-8', 'replace')
        except OSError:
            return None, None
        for line in text.splitlines():
            mt = ZK_EXPIRY.match(line)
            if not mt:
                continue
            ts = time.mktime(time.strptime(mt.group(1), '%Y-%m-%d %H:%M:%S')) + int(mt.group(2)) / 1000
            if ts >= wall(t0):
                return ts - WALL_OFFSET, mt.group(3)
        return None, None

    def stop(self):
        if self.proc and self.proc.poll() is None:
            signal_pid(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                signal_pid(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)


# ---------------------------------------------------------------------------------------------
# one cluster: 3 daemons (HAS or Patroni) with the same Patroni YAML

YAML = """scope: {scope}
namespace: /service
name: {name}
restapi:
  listen: 127.0.0.1:{api}
  connect_address: 127.0.0.1:{api}
zookeeper:
  hosts: ['{zk}']
bootstrap:
  dcs:
    ttl: {ttl}
    loop_wait: {loop_wait}
    retry_timeout: {retry_timeout}
    maximum_lag_on_failover: 1048576
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters: {{}}
  initdb: [{{encoding: UTF8}}, data-checksums]
  pg_hba:
  - local all all trust
  - host replication replicator 127.0.0.1/32 md5
  - host all all 127.0.0.1/32 md5
postgresql:
  listen: 127.0.0.1:{pg}
  connect_address: 127.0.0.1:{pg}
  data_dir: {data}
  bin_dir: {bin}
  pgpass: {dir}/pgpass
  authentication:
    superuser: {{username: postgres, password: {password}}}
    replication: {{username: replicator, password: rep-pass}}
    rewind: {{username: rewind_user, password: rewind-pass}}
  parameters:
    unix_socket_directories: '{dir}'
tags: {{}}
"""


class Member:
    def __init__(self, cluster, name):
        self.name = name
        self.pg = free_port()
        self.api = free_port()
        self.dir = os.path.join(cluster.dir, name)
        self.data = os.path.join(self.dir, 'data')
        self.cfg = os.path.join(cluster.dir, name + '.yml')
        self.log = os.path.join(cluster.dir, name + '.log')
        self.pidfile = os.path.join(self.dir, 'daemon.pid')
        self.wrapper = None


class Cluster:
    def __init__(self, bench, system, idx, profile):
        self.bench = bench
        self.system = system
        self.label = NAMES[SYSTEMS.index(system)]
        self.scope = '%s-%s-%d' % (system, profile, idx)
        self.timing = PROFILES[profile]
        self.dir = os.path.join(bench.base, self.scope)
        os.makedirs(self.dir)
        os.chmod(self.dir, 0o755)
        self.members = {n: Member(self, n) for n in MEMBERS}
        self.broken = None
        self.state_conns = {}  # member -> the connection its state polls reuse (state_query)
        for m in self.members.values():
            os.makedirs(m.dir)
            os.chmod(m.dir, 0o700)
            with open(m.cfg, 'w') as f:
                f.write(YAML.format(scope=self.scope, name=m.name, api=m.api, zk=bench.zk.connect, pg=m.pg,
                                    data=m.data, bin=PG_BIN, dir=m.dir, password=PASSWORD, **self.timing))
            os.chmod(m.cfg, 0o644)
            bench.chown(m.dir)
        bench.chown(self.dir)

    # --- processes
    def command(self, m):
        if self.system == 'has':
            return (['java'] + HAS_JAVA_OPTS + cds_opts(self.bench.jar) + jit_opts(self.bench.jar)
                    + ['-jar', self.bench.jar, m.cfg])
        return [shutil.which('patroni'), m.cfg]

    def start(self, name):
        m = self.members[name]
        if pid_alive(self.daemon_pid(name)):
            return
        if m.wrapper is not None:
            m.wrapper.poll()
        try:
            os.unlink(m.pidfile)
        except FileNotFoundError:
            pass
        cmd = ['/bin/sh', '-c', 'echo $$ >"$0"; exec "$@"', m.pidfile] + self.command(m)
        if IS_ROOT:
            cmd = ['runuser', '-u', RUN_AS, '--'] + cmd
        with open(m.log, 'ab') as logf:
            logf.write(('=== %s bench: starting %s\n' % (datetime.datetime.now().isoformat(' '), ' '.join(cmd))).encode())
            logf.flush()
            # own session: a Ctrl-C reaches only this script, which stops everything in order
            m.wrapper = subprocess.Popen(cmd, cwd=m.dir, stdout=logf, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, start_new_session=True,
                                         env=dict(os.environ, **HAS_ENV) if self.system == 'has' else None)

    def start_all(self):
        for n in MEMBERS:
            self.start(n)

    def daemon_pid(self, name):
        """The daemon's own pid (the JVM or python, not runuser), checked against its command line."""
        m = self.members[name]
        try:
            with open(m.pidfile) as f:
                pid = int(f.read().strip() or 0)
        except (OSError, ValueError):
            return None
        if pid_alive(pid) and m.cfg in proc_cmdline(pid):
            return pid
        return None

    def await_daemon_pid(self, name, timeout=10):
        deadline = now() + timeout
        while now() < deadline:
            p = self.daemon_pid(name)
            if p:
                return p
            time.sleep(0.02)
        return None

    def postmaster_pid(self, name):
        m = self.members[name]
        try:
            with open(os.path.join(m.data, 'postmaster.pid')) as f:
                pid = int(f.readline().strip())
        except (OSError, ValueError):
            return None
        if pid_alive(pid) and os.path.realpath(proc_cwd(pid)) == os.path.realpath(m.data):
            return pid
        return None

    def data_procs(self, name):
        """Processes running in the member's data directory (postmaster and its children)."""
        d = os.path.realpath(self.members[name].data)
        return [p for p in procs_under(d)]

    def reap(self):
        for m in self.members.values():
            if m.wrapper is not None:
                m.wrapper.poll()

    def stop(self, timeout=30):
        for n in MEMBERS:
            self.close_state_conn(n)
        pids = [p for p in (self.daemon_pid(n) for n in MEMBERS) if p]
        for p in pids:
            signal_pid(p, signal.SIGCONT)
            signal_pid(p, signal.SIGTERM)
        if not wait_gone(pids, timeout):
            for n in MEMBERS:
                p = self.daemon_pid(n)
                if p:
                    signal_pid(p, signal.SIGKILL)
            wait_gone(pids, 10)
        for m in self.members.values():
            if m.wrapper is not None:
                try:
                    m.wrapper.wait(10)
                except subprocess.TimeoutExpired:
                    signal_pid(m.wrapper.pid, signal.SIGKILL)
        pms = [p for p in (self.postmaster_pid(n) for n in MEMBERS) if p]
        for p in pms:
            signal_pid(p, signal.SIGQUIT)
        if pms and not wait_gone(pms, 10):
            for p in pms:
                signal_pid(p, signal.SIGKILL)
        left = procs_under(self.dir)
        for p in left:
            signal_pid(p, signal.SIGKILL)
        wait_gone(left, 10)

    # --- state
    def url(self, name, path):
        return 'http://127.0.0.1:%d%s' % (self.members[name].api, path)

    def pg_connect(self, name, timeout=2):
        return psycopg2.connect(host='127.0.0.1', port=self.members[name].pg, user='postgres', password=PASSWORD,
                                dbname='postgres', connect_timeout=timeout, application_name='bench')

    def query(self, name, sql, args=None, timeout=2):
        conn = self.pg_connect(name, timeout)
        try:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute(sql, args)
                return cur.fetchall() if cur.description else None
        finally:
            conn.close()

    def state_query(self, name, sql, timeout):
        """A query of the state poll on a connection kept per member, opened again after an error. The bootstrap
        polls every 50 ms: three new connections per poll (fork, SCRAM) made each poll ~60 ms long under load and
        put ~0.2 s between an event and the poll that saw it, for both systems."""
        conn = self.state_conns.get(name)
        try:
            if conn is None or conn.closed:
                conn = self.state_conns[name] = self.pg_connect(name, timeout)
                conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute(sql)
                return cur.fetchall()
        except Exception:
            self.close_state_conn(name)
            raise

    def close_state_conn(self, name):
        conn = self.state_conns.pop(name, None)
        if conn is not None:
            try:
                conn.close()
            except Exception:
                pass

    def primaries(self):
        return [n for n in MEMBERS if http(self.url(n, '/primary'), timeout=1)[0] == 200]

    def streaming(self, leader):
        """{member: sync_state} of the members streaming from `leader`: listed as streaming in the
        leader's pg_stat_replication (a clone's pg_basebackup walsender also is) and, on the member
        itself, a WAL receiver streaming from the leader's port."""
        try:
            rows = self.state_query(leader, "SELECT application_name, sync_state FROM pg_stat_replication "
                                            "WHERE state = 'streaming'", 2)
        except Exception:
            return {}
        out = {}
        for name, sync_state in rows:
            if name not in self.members or name == leader:
                continue
            try:
                r = self.state_query(name, "SELECT status, sender_port FROM pg_stat_wal_receiver", 1)
            except Exception:
                continue
            if r and r[0][0] == 'streaming' and r[0][1] == self.members[leader].pg:
                out[name] = sync_state
        return out

    def state(self):
        """(leader, {streaming member: sync_state}); leader None unless exactly one member answers /primary."""
        p = self.primaries()
        if len(p) != 1:
            return None, {}
        return p[0], self.streaming(p[0])

    def healthy(self):
        leader, s = self.state()
        if leader and set(MEMBERS) - {leader} <= set(s):
            return leader, s
        return None, s

    def wait_healthy(self, timeout, poll=0.1):
        deadline = now() + timeout
        while now() < deadline:
            leader, s = self.healthy()
            if leader:
                return leader, s
            self.reap()
            time.sleep(poll)
        return None, {}

    def patch_config(self, body):
        leader, _ = self.state()
        for n in ([leader] if leader else []) + list(MEMBERS):
            code, resp = http(self.url(n, '/config'), method='PATCH', body=body, timeout=5)
            if code == 200:
                return True
        return False

    def dsn_all(self):
        ports = ','.join(str(self.members[n].pg) for n in MEMBERS)
        return ('host=127.0.0.1,127.0.0.1,127.0.0.1 port=%s dbname=postgres user=postgres password=%s '
                'connect_timeout=1 target_session_attrs=read-write application_name=bench-writer '
                'keepalives=1 keepalives_idle=1 keepalives_interval=1 keepalives_count=2 tcp_user_timeout=3000'
                % (ports, PASSWORD))

    def mark(self, tag):
        """Writes <data>/bench_marker = '<member> <tag>' on every member. A member whose marker is
        later missing or names another member had its data directory rewritten (pg_rewind makes
        the target match the source; a re-clone copies the source's marker or none)."""
        pw = pwd.getpwnam(RUN_AS) if IS_ROOT else None
        for n, m in self.members.items():
            f = os.path.join(m.data, 'bench_marker')
            try:
                with open(f, 'w') as fh:
                    fh.write('%s %s\n' % (n, tag))
                if pw:
                    os.chown(f, pw.pw_uid, pw.pw_gid)
            except OSError:
                pass

    def rewritten(self, tag, members):
        """Members (of `members`) whose data directory no longer carries their own marker."""
        out = []
        for n in members:
            try:
                with open(os.path.join(self.members[n].data, 'bench_marker')) as fh:
                    ok = fh.read().strip() == '%s %s' % (n, tag)
            except OSError:
                ok = False
            if not ok:
                out.append(n)
        return out

    def log_sizes(self):
        out = {}
        for n, m in self.members.items():
            try:
                out[n] = os.path.getsize(m.log)
            except OSError:
                out[n] = 0
        return out


# ---------------------------------------------------------------------------------------------
# writers

class Writer(threading.Thread):
    """Inserts (run, w, seq) through whichever member is primary (libpq multi-host, read-write).

    period > 0: one attempt per period (the write-gap probe); period 0: a tight loop."""

    def __init__(self, cluster, run_id, w, period):
        super().__init__(name='bench-writer-%d' % w, daemon=True)
        self.dsn = cluster.dsn_all()
        self.run_id = run_id
        self.w = w
        self.period = period
        self.acks = []          # (seq, monotonic time of the acknowledgement, when its connection was opened, port)
        self.errors = 0
        self.stopping = threading.Event()
        self.conn = None

    def run(self):
        seq = 0
        next_t = now()
        while not self.stopping.is_set():
            ok = False
            try:
                if self.conn is None:
                    opened = now()
                    c = psycopg2.connect(self.dsn)
                    c.autocommit = True
                    self.conn, self.opened, self.port = c, opened, c.info.port
                seq += 1
                with self.conn.cursor() as cur:
                    cur.execute('INSERT INTO bench_w (run, w, seq) VALUES (%s, %s, %s)', (self.run_id, self.w, seq))
                t = now()
                if not self.stopping.is_set():
                    self.acks.append((seq, t, self.opened, self.port))
                ok = True
            except Exception:
                self.errors += 1
                c, self.conn = self.conn, None
                if c is not None:
                    try:
                        c.close()
                    except Exception:
                        pass
            if self.period:
                next_t += self.period
                delay = next_t - now()
                if delay < -self.period:
                    next_t = now()
                elif delay > 0:
                    time.sleep(delay)
            elif not ok:
                time.sleep(0.02)
        if self.conn is not None:
            try:
                self.conn.close()
            except Exception:
                pass

    def stop(self):
        self.stopping.set()
        self.join(5)
        if self.is_alive() and self.conn is not None:
            try:
                self.conn.cancel()
            except Exception:
                pass
            self.join(10)


class Writers:
    """The 20 ms gap probe (w=0) plus two tight-loop writers (w=1, 2)."""

    def __init__(self, cluster, run_id):
        self.cluster = cluster
        self.run_id = run_id
        self.probe = Writer(cluster, run_id, 0, 0.02)
        self.tight = [Writer(cluster, run_id, 1, 0), Writer(cluster, run_id, 2, 0)]
        self.all = [self.probe] + self.tight

    def start(self):
        for w in self.all:
            w.start()
        return self

    def stop(self):
        for w in self.all:
            w.stopping.set()
        for w in self.all:
            w.stop()

    def first_ack_after(self, t0):
        """First probe acknowledgement on a connection opened after t0: a write that was already
        on its way to a killed postmaster's backend may still be acknowledged, that is no recovery."""
        for _, t, opened, port in list(self.probe.acks):
            if t > t0 and opened > t0:
                return t
        return None

    def await_ack_after(self, t0, timeout):
        deadline = now() + timeout
        while now() < deadline:
            t = self.first_ack_after(t0)
            if t is not None:
                return t
            time.sleep(0.02)
        return None

    def port_after(self, t0):
        for _, t, opened, port in list(self.probe.acks):
            if t > t0 and opened > t0:
                return port
        return None

    def gap_bounds(self, t_from, t_to):
        """(last ack before, first ack after) the longest interval between consecutive probe
        acknowledgements, counting from the last one before t_from up to t_to."""
        times = [a[1] for a in self.probe.acks]
        before = [t for t in times if t <= t_from]
        inside = [t for t in times if t_from < t <= t_to]
        seq = ([before[-1]] if before else []) + inside
        if len(seq) < 2:
            return None
        return max(zip(seq, seq[1:]), key=lambda ab: ab[1] - ab[0])

    def handover_bounds(self, old_port, new_port, t_from, t_to):
        """(last probe ack through old_port, first through new_port after it) within [t_from, t_to]: the
        write gap of a planned switchover, which a scheduling hiccup of the probe elsewhere in the window
        (the CLI's JVM starting on a 2-core machine) cannot stand in for."""
        acks = [(a[1], a[3]) for a in self.probe.acks if a[1] <= t_to]
        firsts = [t for t, port in acks if port == new_port and t > t_from]
        if not firsts:
            return None
        lasts = [t for t, port in acks if port == old_port and t < firsts[0]]
        return (lasts[-1], firsts[0]) if lasts else None

    def gap(self, t_from, t_to):
        b = self.gap_bounds(t_from, t_to)
        return None if b is None else b[1] - b[0]

    def gap_events(self, t_from, t_to, bounds=None):
        b = bounds or self.gap_bounds(t_from, t_to)
        if b is None:
            return []
        return [(b[0], 'probe: last write acknowledged before the gap'),
                (b[1], 'probe: first write acknowledged after the gap (%.3f s)' % (b[1] - b[0]))]

    def lost(self, leader):
        """Acknowledged rows of this run missing on `leader` (None when it cannot be read)."""
        try:
            rows = self.cluster.query(leader, 'SELECT w, seq FROM bench_w WHERE run = %s', (self.run_id,), timeout=5)
        except Exception as e:
            say('  cannot read back the writes from %s: %s' % (leader, e))
            return None, None
        present = {(w, s) for w, s in rows}
        acked = [(wr.w, a[0]) for wr in self.all for a in wr.acks]
        return sum(1 for a in acked if a not in present), len(acked)


# ---------------------------------------------------------------------------------------------
# log timelines

TS = re.compile(r'^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)[.,](\d{3})\s+(.*)$')
HAS_PREFIX = re.compile(r'^(\w+)\s+\[[^\]]*\]\s+\S+ - (?:\[[^\]]*\] )?(.*)$')
NOISE = ('Lock owner:', 'no action. ', 'could not activate the watchdog', 'Got response from')
PG_LINE = re.compile(r'^[A-Z][A-Za-z0-9+-]{1,6} \[\d+\] \w+:\s+(.*)$')
PG_KEEP = ('database system is ready', 'database system is shut down', 'received promote request',
           'selected new timeline', 'received fast shutdown', 'received immediate shutdown', 'redo done',
           'started streaming WAL', 'server process', 'terminating any other active', 'all server processes terminated',
           'database system was interrupted', 'database system was not properly shut down', 'archive recovery complete')


def timeline(cluster, offsets, t_from, t_to, events, limit=45):
    lines = []
    w_from, w_to = wall(t_from), wall(t_to)
    for n, m in cluster.members.items():
        # Patroni's PostgreSQL logs to the daemon's stderr; HAS's to the file beside the data directory
        # (rewritten at each start, so read whole: the time window picks the lines)
        sources = [(m.log, offsets.get(n, 0))]
        if cluster.system == 'has':
            sources.append((m.data + '.log', 0))
        text = ''
        for path, offset in sources:
            try:
                with open(path, 'rb') as f:
                    f.seek(offset)
                    text += f.read().decode('utf-8', 'replace') + '\n'
            except OSError:
                continue
        last = None
        for line in text.splitlines():
            mt = TS.match(line)
            if not mt:
                continue
            try:
                ts = time.mktime(time.strptime(mt.group(1), '%Y-%m-%d %H:%M:%S')) + int(mt.group(2)) / 1000
            except ValueError:
                continue
            if not (w_from <= ts <= w_to):
                continue
            msg = mt.group(3)
            pgl = PG_LINE.match(msg)
            if pgl:
                if not any(k in msg for k in PG_KEEP):
                    continue
                msg = 'postgres: ' + pgl.group(1)
            h = HAS_PREFIX.match(msg)
            if h:
                msg = '%s %s' % (h.group(1), h.group(2))
            msg = re.sub(r' \(previous decision repeated \d+ times\)', '', msg)
            if any(x in msg for x in NOISE) or msg == last:
                continue
            last = msg
            lines.append((ts - wall(events[0][0]) if events else 0, n, msg[:160]))
    t_ref = events[0][0] if events else t_from
    for t, what in events:
        lines.append((t - t_ref, 'bench', what))
    lines.sort(key=lambda x: x[0])
    # a daemon repeating itself (a retry loop) shows twice, then as a count
    seen, kept, omitted = {}, [], {}
    for t, who, msg in lines:
        key = (who, re.sub(r'[\d/]+', '#', msg)[:70])
        seen[key] = seen.get(key, 0) + 1
        if who == 'bench' or seen[key] <= 2:
            kept.append((t, who, msg))
        else:
            omitted[key] = (t, omitted.get(key, (0, 0))[1] + 1)
    for (who, text), (t, n) in omitted.items():
        kept.append((t, who, '(%d more like "%s…" up to here)' % (n, text[:60])))
    lines = sorted(kept, key=lambda x: x[0])
    if len(lines) > limit:
        lines = lines[:limit] + [(lines[-1][0], '…', '%d more lines cut' % (len(lines) - limit))]
    return [{'t': round(t, 3), 'who': who, 'msg': msg} for t, who, msg in lines]


# ---------------------------------------------------------------------------------------------
# the benchmark

class Bench:
    def __init__(self, args):
        self.args = args
        self.jar_src = find_jar()
        self.base = tempfile.mkdtemp(prefix='has-bench-', dir=args.work_parent)
        os.chmod(self.base, 0o755)
        say('work directory %s' % self.base)
        self.jar = os.path.join(self.base, 'has.jar')
        shutil.copyfile(self.jar_src, self.jar)
        os.chmod(self.jar, 0o644)
        # and has-extra.jar, which the jar's manifest and index name (scripts/SplitJar.java)
        extra = os.path.join(self.base, 'has-extra.jar')
        shutil.copyfile(os.path.join(os.path.dirname(self.jar_src), 'has-extra.jar'), extra)
        os.chmod(extra, 0o644)
        # the copy (readable by the daemons' user) needs its own class-data sharing archives: the JVM
        # ignores one written for another jar path
        subprocess.call([os.path.join(REPO, 'scripts', 'cds-archive'), self.jar, CLASSLISTS],
                        stdout=subprocess.DEVNULL)
        # and the JIT list, as the RPM installs it beside the jar
        shutil.copyfile(os.path.join(CLASSLISTS, 'has.compile'), re.sub(r'\.jar$', '.compile', self.jar))
        self.chown(self.base)
        self.zk = ZooKeeper(self.base)
        self.clusters = []
        self.runs = []
        self.cleaned = False
        self.logs_dir = None
        self.current = {}       # system -> the cluster the scenarios run on
        self.dcs_patch = {}     # dynamic configuration patched so far in this profile
        self.profile = None
        self.next_idx = 0

    def chown(self, path):
        if IS_ROOT:
            pw = pwd.getpwnam(RUN_AS)
            os.chown(path, pw.pw_uid, pw.pw_gid)

    def record(self, **kw):
        kw.setdefault('ok', True)
        self.runs.append(kw)
        brief = {k: v for k, v in kw.items() if k not in ('timeline', 'wrk_output', 'ctl_output', 'members')}
        say('  %s' % json.dumps(brief, default=str))
        return kw

    # --- cluster lifecycle
    def bootstrap(self, system, idx, profile, run, scenario='bootstrap', why=None):
        c = Cluster(self, system, idx, profile)
        self.clusters.append(c)
        say('%s: %s run %d (scope %s)' % (c.label, scenario, run, c.scope))
        t0 = now()
        c.start_all()
        t_leader = t_all = None
        deadline = t0 + 180
        while now() < deadline:
            leader, s = c.state()
            if leader and t_leader is None:
                t_leader = now() - t0
            if leader and set(MEMBERS) - {leader} <= set(s):
                t_all = now() - t0
                break
            c.reap()
            dead = [n for n, m in c.members.items() if m.wrapper.poll() is not None]
            if dead:
                break
            time.sleep(0.05)
        ok = t_all is not None
        if ok:
            c.query(leader, 'CREATE TABLE IF NOT EXISTS bench_w (run int, w int, seq bigint, '
                            'PRIMARY KEY (run, w, seq))')
        else:
            c.broken = 'bootstrap failed'
        extra = {'profile': profile, 'reason': why} if scenario == 'rebuild' else {}
        self.record(scenario=scenario, system=system, run=run, ok=ok, to_leader=t_leader, to_all_streaming=t_all,
                    **extra)
        return c

    def discard(self, c):
        c.stop()
        self.clusters.remove(c)
        self.keep_logs(c)

    def keep_logs(self, c):
        if self.logs_dir:
            d = os.path.join(self.logs_dir, c.scope)
            os.makedirs(d, exist_ok=True)
            for m in c.members.values():
                for f in (m.log, m.cfg):
                    if os.path.exists(f):
                        shutil.copy(f, d)

    # --- scenarios
    def ready(self, c, scenario, run):
        if c.broken:
            self.record(scenario=scenario, system=c.system, run=run, ok=False, error='skipped: ' + c.broken)
            return None
        leader, s = c.wait_healthy(max(60, 4 * c.timing['ttl'] + 20))
        if not leader:
            why = 'not healthy (1 primary + 2 streaming) before %s run %d' % (scenario, run)
            self.record(scenario=scenario, system=c.system, run=run, ok=False, error=why)
            self.rebuild(c, why)
            return None
        time.sleep(0.5)
        return leader, s

    def rebuild(self, c, why):
        """Replaces a cluster that did not recover by a fresh one (same profile, same dynamic
        configuration patches), so that the remaining scenarios still measure something."""
        done = [r for r in self.runs if r['scenario'] == 'rebuild' and r['system'] == c.system
                and r.get('profile') == self.profile]
        if len(done) >= 3:
            c.broken = why + '; not rebuilt (3 rebuilds already)'
            return
        say('%s: rebuilding the cluster (%s)' % (c.label, why))
        self.discard(c)
        self.next_idx += 1
        new = self.bootstrap(c.system, self.next_idx, self.profile, len(done), scenario='rebuild', why=why)
        if not new.broken and self.dcs_patch:
            new.patch_config(self.dcs_patch)
            time.sleep(PROFILES[self.profile]['loop_wait'] + 1)
        self.current[c.system] = new

    def patch_all(self, body):
        self.dcs_patch.update(body)
        for c in self.current.values():
            if not c.broken and not c.patch_config(body):
                say('%s: PATCH /config %s failed' % (c.label, body))

    def run_id(self):
        self._run_id = getattr(self, '_run_id', 0) + 1
        return self._run_id

    def scenario_rest(self, c, run):
        r = self.ready(c, 'rest', run)
        if not r:
            return
        leader = r[0]
        for path in ('/primary', '/patroni'):
            rc, out, _ = run_cmd(['wrk', '-t2', '-c16', '-d10s', '--latency', c.url(leader, path)], 60)
            p = parse_wrk(out)
            self.record(scenario='rest' + path.replace('/', '_'), system=c.system, run=run, ok=rc == 0 and bool(p),
                        wrk_output=out, **(p or {}))

    def scenario_switchover(self, c, run):
        r = self.ready(c, 'switchover', run)
        if not r:
            return
        leader, s = r
        candidate = sorted(n for n in MEMBERS if n != leader)[run % 2]
        offsets = c.log_sizes()
        rid = self.run_id()
        c.mark(rid)
        ws = Writers(c, rid).start()
        time.sleep(BASELINE)
        cfg = c.members[leader].cfg
        if c.system == 'has':
            cmd = (['java'] + HASCTL_JAVA_OPTS + cds_opts(self.jar, 'hasctl')
                   + ['-cp', self.jar, 'io.has.ctl.HasCtl', '-c', cfg, 'switchover', '--candidate', candidate, '--force'])
        else:
            cmd = [shutil.which('patronictl'), '-c', cfg, 'switchover', '--candidate', candidate, '--force']
        t0 = now()
        rc, out, dt = run_cmd(cmd, 180)
        t_ret = now()
        t_ready = None
        deadline = now() + 120
        while now() < deadline:
            nl, st = c.healthy()
            if nl == candidate:
                t_ready = now()
                break
            time.sleep(0.1)
        t_ack = ws.await_ack_after(t0, 30)
        time.sleep(AFTER)
        t_end = now()
        ws.stop()
        new_leader, _ = c.state()
        lost, acked = ws.lost(new_leader) if new_leader else (None, None)
        ok = rc == 0 and t_ready is not None and t_ack is not None
        events = [(t0, 'switchover command started (candidate %s)' % candidate), (t_ret, 'command returned rc=%s' % rc)]
        if t_ready:
            events.append((t_ready, '%s primary, 2 replicas streaming' % candidate))
        handover = ws.handover_bounds(c.members[leader].pg, c.members[candidate].pg, t0, t_end)
        gap = handover[1] - handover[0] if handover else ws.gap(t0, t_end)
        self.record(scenario='switchover', system=c.system, run=run, ok=ok, gap=gap, cmd_return=dt,
                    largest_gap=ws.gap(t0, t_end), gap_from='handover' if handover else 'largest gap',
                    rc=rc, ready=(t_ready - t0) if t_ready else None, old_leader=leader, candidate=candidate,
                    new_leader=new_leader, lost=lost, acked=acked, errors=[w.errors for w in ws.all],
                    rewritten=c.rewritten(rid, [n for n in MEMBERS if n not in (leader, candidate)]),
                    ctl_output=out[-2000:],
                    timeline=timeline(c, offsets, t0 - 0.5, (t_ready or t_end) + 0.5,
                                      events + ws.gap_events(t0, t_end, handover), limit=60))

    def scenario_crash(self, c, run, name):
        r = self.ready(c, name, run)
        if not r:
            return
        leader, _ = r
        offsets = c.log_sizes()
        rid = self.run_id()
        c.mark(rid)
        ws = Writers(c, rid).start()
        time.sleep(BASELINE)
        pm = c.postmaster_pid(leader)
        if not pm:
            ws.stop()
            self.record(scenario=name, system=c.system, run=run, ok=False, error='no postmaster on ' + leader)
            return
        t0 = now()
        signal_pid(pm, signal.SIGKILL)
        t_ack = ws.await_ack_after(t0, 400)
        port = ws.port_after(t0)
        writes_on = next((n for n, m in c.members.items() if m.pg == port), None)
        t_ready = None
        if t_ack:
            nl, _ = c.wait_healthy(max(60, 4 * c.timing['ttl'] + 20))
            t_ready = now() if nl else None
        time.sleep(AFTER)
        t_end = now()
        ws.stop()
        new_leader, _ = c.state()
        lost, acked = ws.lost(new_leader) if new_leader else (None, None)
        events = [(t0, 'kill -9 postmaster of %s' % leader)] + ws.gap_events(t0, t_end)
        if t_ready:
            events.append((t_ready, '1 primary + 2 replicas streaming'))
        self.record(scenario=name, system=c.system, run=run, ok=t_ready is not None, gap=ws.gap(t0, t_end),
                    resume=(t_ack - t0) if t_ack else None, ready=(t_ready - t0) if t_ready else None,
                    old_leader=leader, new_leader=new_leader, first_writes_on=writes_on,
                    failover=new_leader != leader, lost=lost, acked=acked,
                    errors=[w.errors for w in ws.all],
                    rewritten=c.rewritten(rid, [n for n in MEMBERS if n not in (leader, new_leader)]),
                    timeline=timeline(c, offsets, t0 - 0.5, (t_ack or t_end) + 1.0, events))

    def scenario_nodeloss(self, c, run, name='nodeloss'):
        r = self.ready(c, name, run)
        if not r:
            return
        leader, s = r
        sync_standby = [n for n, st in s.items() if st == 'sync']
        if name == 'sync_nodeloss' and not sync_standby:
            deadline = now() + 60
            while now() < deadline and not sync_standby:
                time.sleep(0.2)
                leader2, s = c.healthy()
                sync_standby = [n for n, st in s.items() if st == 'sync'] if leader2 == leader else []
            if not sync_standby:
                self.record(scenario=name, system=c.system, run=run, ok=False, error='no synchronous standby')
                return
        offsets = c.log_sizes()
        rid = self.run_id()
        c.mark(rid)
        ws = Writers(c, rid).start()
        time.sleep(BASELINE)
        dp, pm = c.daemon_pid(leader), c.postmaster_pid(leader)
        if not dp or not pm:
            ws.stop()
            self.record(scenario=name, system=c.system, run=run, ok=False, error='no daemon/postmaster pid')
            return
        zk_offset = self.zk.log_size()
        t0 = now()
        signal_pid(dp, signal.SIGKILL)
        signal_pid(pm, signal.SIGKILL)
        wait_gone([dp, pm], 10)
        # the postmaster's children notice its death and exit; make sure before the restart
        kids = c.data_procs(leader)
        if kids and not wait_gone(kids, 10):
            for p in kids:
                signal_pid(p, signal.SIGKILL)
        c.reap()
        ttl = c.timing['ttl']
        t_ack = ws.await_ack_after(t0, 2 * ttl + 30)
        new_leader = None
        t_stream = None
        if t_ack:
            port = ws.port_after(t0)
            new_leader = next((n for n, m in c.members.items() if m.pg == port), None)
        t_expired, session = self.zk.expiry_after(zk_offset, t0) if t_ack else (None, None)
        # restart the killed member even when nobody took over (it may be the only one left with data)
        t_restart = now()
        c.start(leader)
        deadline = now() + max(60, 4 * ttl + 20)
        while now() < deadline:
            # back in service: streaming from the leader, or (if it won the race again) leader
            # with both others streaming
            nl, st = c.state()
            if nl and (leader in st or (nl == leader and set(MEMBERS) - {leader} <= set(st))):
                t_stream = now()
                break
            c.reap()
            time.sleep(0.1)
        time.sleep(AFTER)
        t_end = now()
        ws.stop()
        final_leader, _ = c.state()
        lost, acked = ws.lost(final_leader) if final_leader else (None, None)
        events = [(t0, 'kill -9 daemon and postmaster of %s' % leader)]
        if t_expired:
            events.append((t_expired, 'ZooKeeper expired session %s (log)' % session))
        if t_ack:
            events.append((t_ack, 'probe: first write acknowledged after the kill (new leader %s)' % new_leader))
        else:
            events.append((t_restart, 'no write acknowledged %d s after the kill' % (2 * ttl + 30)))
        events.append((t_restart, 'restarting the daemon of %s' % leader))
        if t_stream:
            events.append((t_stream, '%s streaming again' % leader))
        self.record(scenario=name, system=c.system, run=run, ok=t_stream is not None, gap=ws.gap(t0, t_end),
                    resume=(t_ack - t0) if t_ack else None, rejoin=(t_stream - t_restart) if t_stream else None,
                    expiry=(t_expired - t0) if t_expired else None,
                    after_expiry=(t_ack - t_expired) if t_expired and t_ack else None,
                    old_leader=leader, new_leader=new_leader, sync_standby=sync_standby or None, lost=lost,
                    acked=acked, errors=[w.errors for w in ws.all], ttl=ttl,
                    rewritten=c.rewritten(rid, [n for n in MEMBERS if n != leader]),
                    timeline=timeline(c, offsets, t0 - 0.5, (t_stream or t_end) + 0.5, events, limit=60))

    def footprint(self, clusters, seconds):
        pids = {}
        for c in clusters:
            for n in MEMBERS:
                p = c.daemon_pid(n)
                if p:
                    pids[(c, n)] = p
        # idle means settled: a daemon restarted by the last scenario is still starting up (a JVM is still
        # compiling its hot code then), so the window opens once every daemon has run for SETTLE seconds
        settle = min(SETTLE, seconds)
        youngest = min((process_age(p) for p in pids.values() if pid_alive(p)), default=settle)
        if youngest < settle:
            say('footprint: waiting %.0f s until every daemon has run %d s' % (settle - youngest, settle))
            time.sleep(settle - youngest)
        say('footprint: %d s idle' % seconds)
        ages = {k: round(process_age(p)) for k, p in pids.items() if pid_alive(p)}
        t0 = now()
        cpu0 = {k: cpu_seconds(p) for k, p in pids.items() if pid_alive(p)}
        peak = {k: 0 for k in pids}
        end = t0 + seconds
        while now() < end:
            for k, p in pids.items():
                try:
                    peak[k] = max(peak[k], memory_kib(p)[0] or 0)
                except OSError:
                    pass
            time.sleep(min(5.0, max(0.0, end - now())))
        dt = now() - t0
        for c in clusters:
            members = {}
            for n in MEMBERS:
                k = (c, n)
                if k not in cpu0 or not pid_alive(pids[k]):
                    continue
                rss, pss = memory_kib(pids[k])
                members[n] = {'cpu_s_per_min': (cpu_seconds(pids[k]) - cpu0[k]) / dt * 60, 'rss_mib': rss / 1024,
                              'age_at_start_s': ages.get(k),
                              'pss_mib': (pss or 0) / 1024, 'rss_peak_mib': peak[k] / 1024}
            if members:
                self.record(scenario='footprint', system=c.system, run=0, seconds=round(dt, 1), members=members,
                            cpu_s_per_min=median([v['cpu_s_per_min'] for v in members.values()]),
                            rss_mib=median([v['rss_mib'] for v in members.values()]),
                            pss_mib=median([v['pss_mib'] for v in members.values()]),
                            rss_max_mib=max(v['rss_mib'] for v in members.values()))
            else:
                self.record(scenario='footprint', system=c.system, run=0, ok=False, error='no live daemons')

    # --- cleanup: only what we started
    def cleanup(self):
        if self.cleaned:
            return
        self.cleaned = True
        for s in (signal.SIGINT, signal.SIGTERM):
            signal.signal(s, signal.SIG_IGN)
        say('stopping everything')
        threads = []
        for c in list(self.clusters):
            t = threading.Thread(target=c.stop, daemon=True)
            t.start()
            threads.append(t)
        for t in threads:
            t.join(60)
        for c in self.clusters:
            self.keep_logs(c)
        self.zk.stop()
        left = procs_under(self.base)
        for p in left:
            signal_pid(p, signal.SIGKILL)
        wait_gone(left, 10)
        if self.args.keep:
            say('kept %s' % self.base)
        else:
            shutil.rmtree(self.base, ignore_errors=True)


def parse_wrk(out):
    def dur(s):
        m = re.match(r'([\d.]+)(us|ms|s|m)$', s)
        if not m:
            return None
        return float(m.group(1)) * {'us': 0.001, 'ms': 1, 's': 1000, 'm': 60000}[m.group(2)]
    m = re.search(r'(\d+) requests in ([\d.]+)(ms|s|m)', out)
    if not m:
        return None
    secs = float(m.group(2)) * {'ms': 0.001, 's': 1, 'm': 60}[m.group(3)]
    res = {'responses': int(m.group(1)), 'seconds': secs, 'req_per_s': int(m.group(1)) / secs}
    for pct, key in (('50', 'p50_ms'), ('99', 'p99_ms')):
        mm = re.search(r'^\s+%s(?:\.0+)?%%\s+(\S+)' % pct, out, re.M)
        res[key] = dur(mm.group(1)) if mm else None
    mm = re.search(r'Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)', out)
    res['socket_errors'] = sum(int(x) for x in mm.groups()) if mm else 0
    mm = re.search(r'Non-2xx or 3xx responses: (\d+)', out)
    res['non_2xx'] = int(mm.group(1)) if mm else 0
    return res


# ---------------------------------------------------------------------------------------------
# orchestration

def order(run):
    """Alternation: HAS first on even runs, Patroni first on odd runs."""
    return SYSTEMS if run % 2 == 0 else SYSTEMS[::-1]


def run_profile(bench, profile, runs, systems, footprint_s):
    say('profile %s: %s; runs %s' % (profile, PROFILES[profile], runs))
    bench.profile = profile
    bench.dcs_patch = {}
    clusters = bench.current = {}
    nb = runs['bootstrap']
    bench.next_idx = nb
    for r in range(nb):
        # bootstrap: Patroni first on even runs (the second system starts beside the first, idle)
        made = {}
        for s in (order(r + 1) if len(systems) > 1 else systems):
            if s in systems:
                made[s] = bench.bootstrap(s, r + 1, profile, r)
        if r < nb - 1:
            for c in made.values():
                bench.discard(c)
        else:
            clusters.update(made)

    def each(name, fn, n):
        for r in range(n):
            for s in order(r):
                if s in clusters:
                    say('%s: %s run %d' % (clusters[s].label, name, r))
                    try:
                        fn(clusters[s], r)
                    except Exception as e:  # a harness error must not lose the other runs
                        import traceback
                        traceback.print_exc()
                        bench.record(scenario=name, system=s, run=r, ok=False, error='harness error: %r' % e)

    each('rest', bench.scenario_rest, runs.get('rest', 0))

    each('switchover', bench.scenario_switchover, runs.get('switchover', 0))
    each('crash', lambda c, r: bench.scenario_crash(c, r, 'crash'), runs.get('crash', 0))
    if runs.get('crash0'):
        bench.patch_all({'primary_start_timeout': 0})
        time.sleep(PROFILES[profile]['loop_wait'] + 1)
        each('crash0', lambda c, r: bench.scenario_crash(c, r, 'crash0'), runs['crash0'])
        bench.patch_all({'primary_start_timeout': None})
    each('nodeloss', bench.scenario_nodeloss, runs.get('nodeloss', 0))
    if footprint_s:
        for c in clusters.values():
            c.wait_healthy(60)
        bench.footprint(list(clusters.values()), footprint_s)
    if runs.get('sync_nodeloss'):
        bench.patch_all({'synchronous_mode': True})
        each('sync_nodeloss', lambda c, r: bench.scenario_nodeloss(c, r, 'sync_nodeloss'), runs['sync_nodeloss'])


# ---------------------------------------------------------------------------------------------
# report

def values(runs, scenario, system, key):
    return [r[key] for r in runs if r['scenario'] == scenario and r['system'] == system and r.get('ok')
            and r.get(key) is not None]


def spread(xs, unit):
    if not xs:
        return '—'
    if len(xs) == 1:
        return fmt(xs[0])
    return '%s–%s' % (fmt(min(xs)), fmt(max(xs)))


def build_rows(runs, profile, smoke):
    rows = []

    def row(label, scenario, key, unit, agg=median, target=None, attempts=True):
        h = values(runs, scenario, 'has', key)
        p = values(runs, scenario, 'patroni', key)
        hv, pv = (agg(h) if h else None), (agg(p) if p else None)
        ratio = hv / pv if hv is not None and pv not in (None, 0) else None
        n_h = len([r for r in runs if r['scenario'] == scenario and r['system'] == 'has'])
        n_p = len([r for r in runs if r['scenario'] == scenario and r['system'] == 'patroni'])
        verdict = ''
        if target:
            verdict = target(hv, pv, ratio, h, p)
        rows.append({'metric': label, 'unit': unit, 'has': hv, 'patroni': pv, 'ratio': ratio,
                     'n': '%d / %d' % (len(h), len(p)) if (n_h, n_p) == (len(h), len(p)) else
                     '%d of %d / %d of %d' % (len(h), n_h, len(p), n_p),
                     'spread': 'HAS %s; Patroni %s' % (spread(h, unit), spread(p, unit)), 'target': verdict})

    def need(cond, text_ok, text_bad):
        if cond is None:
            return 'not measured'
        return ('met (%s)' % text_ok) if cond else ('**MISSED** (%s)' % text_bad)

    def ratio_at_most(limit):
        return lambda hv, pv, r, h, p: need(None if r is None else r <= limit, '≤ %.1f×' % limit,
                                            'target ≤ %.1f×, measured %.2f×' % (limit, r or 0))

    def boot_target(hv, pv, r, h, p):
        if hv is None or r is None:
            return 'not measured'
        ok = r <= 0.3 and hv <= 5.0
        return need(ok, '≤ 0.3× and ≤ 5 s', 'target ≤ 0.3× and ≤ 5 s; measured %.2f×, %.1f s' % (r, hv))

    def loss_target(hv, pv, r, h, p):
        # the "≤ ZooKeeper session expiry + 0.5 s" is the next row but one, measured from
        # ZooKeeper's log; here the "i.e. ≤ 1.0× with a smaller spread"
        if not h:
            return 'not measured'
        ok = r is None or r <= 1.0
        extra = ''
        if len(h) > 1 and len(p) > 1:
            sh, sp = max(h) - min(h), max(p) - min(p)
            ok = ok and sh < sp
            extra = ', spread %.2f vs %.2f s' % (sh, sp)
        else:
            extra = '; spread not compared with one run'
        return need(ok, '≤ 1.0×%s' % extra,
                    'target ≤ 1.0× with a smaller spread; %s%s' % ('ratio %.2f×' % r if r else 'no ratio', extra))

    def abs_max(limit, what):
        return lambda hv, pv, r, h, p: need(None if not h else max(h) <= limit, '%s ≤ %s' % (what, limit),
                                            'target %s ≤ %s, measured max %.2f' % (what, limit, max(h) if h else 0))

    def zero(hv, pv, r, h, p):
        return need(None if not h else sum(h) == 0, '0 lost', '%d acknowledged writes lost' % sum(h or [0]))

    def zero_rewritten(hv, pv, r, h, p):
        return need(None if not h else sum(h) == 0, 'none', '%d data directories rewritten that only had to '
                    'follow the new leader (no target in the issue; Patroni: %d)' % (sum(h or [0]), sum(p or [0])))

    def rest_target(hv, pv, r, h, p):
        return need(None if r is None else r >= 20, '≥ 20×', 'target ≥ 20×, measured %.1f×' % (r or 0))

    rows.append({'section': 'Bootstrap (start of the 3 daemons →)'})
    row('start → leader', 'bootstrap', 'to_leader', 's')
    row('start → 1 leader + 2 streaming', 'bootstrap', 'to_all_streaming', 's', target=boot_target)
    if smoke:
        return rows
    rows.append({'section': 'Node loss (kill -9 of the leader\'s daemon and postmaster; async replication)'})
    row('write gap', 'nodeloss', 'gap', 's', target=loss_target)
    row('write gap, max', 'nodeloss', 'gap', 's', agg=max)
    row('ZooKeeper expired the session after (from its log)', 'nodeloss', 'expiry', 's')
    row('writes resume after the session expired', 'nodeloss', 'after_expiry', 's',
        target=abs_max(0.5, 'max (s)'))
    row('writes resume after the session expired, max', 'nodeloss', 'after_expiry', 's', agg=max)
    row('killed node streaming again after its restart', 'nodeloss', 'rejoin', 's')
    row('acknowledged writes lost (sum over runs)', 'nodeloss', 'lost', '', agg=sum)
    row('surviving replicas whose data directory was rewritten (rewind / re-clone; sum over runs)', 'nodeloss',
        'n_rewritten', '', agg=sum, target=zero_rewritten)
    rows.append({'section': 'Node loss with synchronous_mode: true'})
    row('write gap', 'sync_nodeloss', 'gap', 's')
    row('killed node streaming again after its restart', 'sync_nodeloss', 'rejoin', 's')
    row('acknowledged writes lost (sum over runs)', 'sync_nodeloss', 'lost', '', agg=sum, target=zero)
    row('surviving replicas whose data directory was rewritten (sum over runs)', 'sync_nodeloss',
        'n_rewritten', '', agg=sum, target=zero_rewritten)
    rows.append({'section': 'Postmaster crash (kill -9 of the leader\'s postmaster, daemon alive)'})
    row('primary_start_timeout default (300): write gap', 'crash', 'gap', 's')
    row('primary_start_timeout default: acknowledged writes lost', 'crash', 'lost', '', agg=sum)
    row('primary_start_timeout 0: writes resume after', 'crash0', 'resume', 's', target=abs_max(2.0, 'max'))
    row('primary_start_timeout 0: write gap', 'crash0', 'gap', 's')
    row('primary_start_timeout 0: acknowledged writes lost', 'crash0', 'lost', '', agg=sum)
    row('primary_start_timeout 0: other replica rewritten (sum over runs)', 'crash0', 'n_rewritten', '', agg=sum,
        target=zero_rewritten)
    rows.append({'section': 'Planned switchover (hasctl / patronictl switchover --candidate X --force)'})
    row('write gap, median', 'switchover', 'gap', 's', target=ratio_at_most(0.5))
    row('write gap, max', 'switchover', 'gap', 's', agg=max, target=abs_max(1.0, 'max gap (s)'))
    row('command return, median', 'switchover', 'cmd_return', 's')
    row('command return, max', 'switchover', 'cmd_return', 's', agg=max)
    row('acknowledged writes lost (sum over runs)', 'switchover', 'lost', '', agg=sum)
    row('non-candidate replica rewritten (sum over runs)', 'switchover', 'n_rewritten', '', agg=sum,
        target=zero_rewritten)
    rows.append({'section': 'REST (wrk -t2 -c16 -d10s on the leader; responses counted, not errors)'})
    row('/primary req/s', 'rest_primary', 'req_per_s', '/s', target=rest_target)
    row('/primary p50', 'rest_primary', 'p50_ms', 'ms')
    row('/primary p99', 'rest_primary', 'p99_ms', 'ms', target=abs_max(5.0, 'p99 (ms)'))
    row('/patroni req/s', 'rest_patroni', 'req_per_s', '/s')
    row('/patroni p50', 'rest_patroni', 'p50_ms', 'ms')
    row('/patroni p99', 'rest_patroni', 'p99_ms', 'ms')
    rows.append({'section': 'Footprint (idle, one daemon: median of the 3 members; spread = the 3 members)'})
    row('RSS', 'footprint_member', 'rss_mib', 'MiB', target=lambda hv, pv, r, h, p: need(
        None if not h else max(h) <= 64, 'max %.0f ≤ 64 MiB' % max(h or [0]), 'target ≤ 64 MiB, max %.0f MiB'
        % max(h or [0])))
    row('PSS', 'footprint_member', 'pss_mib', 'MiB')
    row('CPU-seconds per minute', 'footprint_member', 'cpu_s_per_min', 's', target=ratio_at_most(1.0))
    return rows


def render(meta, runs, profile, smoke):
    runs = [dict(r, n_rewritten=len(r['rewritten'])) if isinstance(r.get('rewritten'), list) else r for r in runs]
    allruns = runs + [dict(v, scenario='footprint_member', system=r['system'], ok=True)
                      for r in runs if r['scenario'] == 'footprint' and r.get('ok') for v in r['members'].values()]
    rows = build_rows(allruns, profile, smoke)
    t = PROFILES[profile]
    out = ['# HAS vs Patroni — profile `%s` (%s)' % (profile, meta['mode']), '',
           'Run %s → %s on %s (%s cores). ttl %d / loop_wait %d / retry_timeout %d; standalone ZooKeeper %s '
           '(tickTime 1 s); PostgreSQL %s; Patroni %s; HAS %s with `%s`.'
           % (meta['started'], meta['finished'], meta['host'], meta['cores'], t['ttl'], t['loop_wait'],
              t['retry_timeout'], meta['versions'].get('zookeeper'), meta['versions'].get('postgresql'),
              meta['versions'].get('patroni'), meta['versions'].get('has'),
              ' '.join(['%s=%s' % kv for kv in sorted(HAS_ENV.items())] + HAS_JAVA_OPTS)), '',
           'Load average at start %s, at end %s. %s%s' % (
               meta['load_start'], meta['load_end'],
               'Creating a file in the work directory took %s ms at the start and %s ms at the end (initdb and '
               'pg_basebackup create ~1,000 each). ' % tuple(meta['file_create_ms']) if meta.get('file_create_ms')
               else '', meta.get('note') or ''),
           '',
           'Ratio = HAS / Patroni (lower is better except req/s). Values are medians unless the metric says '
           'otherwise; n = successful runs HAS / Patroni; spread = min–max. Generated by `bench/run`; raw data '
           'in the `.json` file beside this one.', '',
           '| metric | HAS | Patroni | ratio | n | spread | target |', '|---|---|---|---|---|---|---|']
    for r in rows:
        if 'section' in r:
            out.append('| **%s** | | | | | | |' % r['section'])
            continue
        out.append('| %s | %s | %s | %s | %s | %s | %s |' % (
            r['metric'], fmt(r['has'], r['unit']), fmt(r['patroni'], r['unit']),
            '—' if r['ratio'] is None else '%.2f×' % r['ratio'], r['n'], r['spread'], r['target']))
    missed = [r for r in rows if 'MISSED' in r.get('target', '')]
    out += ['', '**Targets missed: %d** — %s' % (len(missed), '; '.join(
        '%s: %s' % (r['metric'], r['target'].replace('**MISSED** ', '')) for r in missed) or 'none'), '']
    rebuilt = [r for r in runs if r['scenario'] == 'rebuild']
    if rebuilt:
        out += ['**Clusters rebuilt** (a cluster that was not healthy 4×ttl+20 s after a scenario was replaced by a '
                'fresh one, so that the remaining scenarios still run; the run that found it unhealthy counts as '
                'failed):', '']
        for r in rebuilt:
            out.append('- %s: %s' % (NAMES[SYSTEMS.index(r['system'])], r.get('reason')))
        out.append('')
    failed = [r for r in runs if not r.get('ok')]
    if failed:
        out += ['**Failed runs** (excluded from the table):', '']
        for r in failed:
            out.append('- %s / %s run %s: %s' % (r['scenario'], r['system'], r.get('run'),
                                                 r.get('error') or {k: v for k, v in r.items() if k in (
                                                     'rc', 'gap', 'resume', 'ready', 'rejoin')}))
        out.append('')
    for sc, title in (('switchover', 'Switchover'), ('nodeloss', 'Node loss'), ('crash0', 'Postmaster crash, '
                                                                                          'primary_start_timeout 0')):
        for system in SYSTEMS:
            tl = next((r for r in runs if r['scenario'] == sc and r['system'] == system and r.get('timeline')), None)
            if not tl:
                continue
            out += ['### Timeline: %s, %s (run %d; seconds from the fault / command start)' % (
                title, NAMES[SYSTEMS.index(system)], tl['run']), '', '```']
            for e in tl['timeline']:
                out.append('%+8.3f %-5s %s' % (e['t'], e['who'], e['msg']))
            out += ['```', '']
    return '\n'.join(out) + '\n', rows


def versions(jar):
    v = {'has': os.path.basename(jar)}
    try:
        v['patroni'] = subprocess.run(['patroni', '--version'], capture_output=True, text=True,
                                      timeout=30).stdout.strip().replace('patroni ', '')
    except Exception:
        pass
    try:
        v['postgresql'] = re.search(r'PostgreSQL\) (\S+)', subprocess.run(
            [PG_BIN + '/postgres', '--version'], capture_output=True, text=True, timeout=30).stdout).group(1)
    except Exception:
        pass
    try:
        v['zookeeper'] = subprocess.run(['dpkg-query', '-W', '-f=${Version}', 'zookeeper'], capture_output=True,
                                        text=True, timeout=30).stdout.strip()
    except Exception:
        pass
    try:
        v['java'] = subprocess.run(['java', '-version'], capture_output=True, text=True,
                                   timeout=30).stderr.splitlines()[0]
    except Exception:
        pass
    return v


def loadavg():
    with open('/proc/loadavg') as f:
        return ' '.join(f.read().split()[:3])


def file_create_ms(parent, n=300):
    """Milliseconds to create (and write 8 KiB to) one file in `parent`, averaged over n: initdb and
    pg_basebackup create ~1,000 files each, and on this VM's ext4 (mounted with discard) the cost grew from
    ~0.02 to ~1 ms per file after heavy create/delete churn, which moves the bootstrap of both systems."""
    d = tempfile.mkdtemp(prefix='file-create-', dir=parent)
    try:
        t = now()
        for i in range(n):
            with open(os.path.join(d, str(i)), 'wb') as f:
                f.write(b'x' * 8192)
        return round((now() - t) * 1000.0 / n, 3)
    finally:
        shutil.rmtree(d, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description='HAS vs Patroni benchmark (issue 7)')
    ap.add_argument('--quick', action='store_true', help='one run of each scenario, one profile (< 6 min)')
    ap.add_argument('--profile', choices=sorted(PROFILES), help='timing profile (default: both in the full mode, '
                                                                 'fast with --quick)')
    ap.add_argument('--smoke', action='store_true', help='HAS only, bootstrap only (the smoke test)')
    ap.add_argument('--out', help='results directory (default bench/results; a temporary one with --smoke)')
    ap.add_argument('--keep', action='store_true', help='keep the work directory (data and logs)')
    ap.add_argument('--work-parent', default='/tmp', help='where the work directory is created (default /tmp; '
                                                           'user postgres must be able to traverse it)')
    ap.add_argument('--footprint-seconds', type=int, help='idle footprint window (default 120; 45 with --quick)')
    ap.add_argument('--note', help='free text added to the results (e.g. machine load)')
    args = ap.parse_args()

    smoke = args.smoke
    if smoke:
        profiles, mode = [args.profile or 'fast'], 'smoke'
        runs, systems, fp = {'bootstrap': 1}, ('has',), 0
    elif args.quick:
        profiles, mode = [args.profile or 'fast'], 'quick'
        runs, systems = QUICK_RUNS, SYSTEMS
        fp = args.footprint_seconds if args.footprint_seconds is not None else 45
    else:
        profiles, mode = ([args.profile] if args.profile else ['fast', 'default']), 'full'
        runs, systems = FULL_RUNS, SYSTEMS
        fp = args.footprint_seconds if args.footprint_seconds is not None else 120
    out_dir = args.out or (tempfile.mkdtemp(prefix='has-bench-smoke-', dir=args.work_parent) if smoke
                           else os.path.join(REPO, 'bench', 'results'))
    os.makedirs(out_dir, exist_ok=True)

    ensure_packages(need_patroni=not smoke, need_wrk=not smoke)
    global psycopg2
    import psycopg2  # noqa: F811

    def on_term(signum, frame):
        raise KeyboardInterrupt('signal %d' % signum)

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGHUP, on_term)
    bench = None
    rc = 0
    try:
        bench = Bench(args)
        bench.logs_dir = tempfile.mkdtemp(prefix='has-bench-logs-', dir=args.work_parent)
        say('logs will be copied to %s' % bench.logs_dir)
        bench.zk.start()
        say('ZooKeeper on %s' % bench.zk.connect)
        meta_versions = versions(bench.jar_src)
        for profile in profiles:
            started = datetime.datetime.now().strftime('%Y-%m-%d %H:%M:%S')
            load_start = loadavg()
            create_start = file_create_ms(bench.base)
            first = len(bench.runs)
            run_profile(bench, profile, runs, systems, fp)
            # this profile's clusters are no longer needed
            for c in list(bench.clusters):
                bench.discard(c)
            prof_runs = bench.runs[first:]
            meta = {'profile': profile, 'mode': mode, 'started': started,
                    'finished': datetime.datetime.now().strftime('%Y-%m-%d %H:%M:%S'),
                    'host': socket.gethostname(), 'cores': os.cpu_count(), 'load_start': load_start,
                    'load_end': loadavg(), 'file_create_ms': [create_start, file_create_ms(bench.base)],
                    'note': args.note, 'versions': meta_versions,
                    'timing': PROFILES[profile], 'has_java_opts': HAS_JAVA_OPTS, 'runs_planned': runs,
                    'footprint_seconds': fp}
            md, rows = render(meta, prof_runs, profile, smoke)
            stem = '%s-%s%s' % (datetime.date.today().isoformat(), profile, '' if mode == 'full' else '-' + mode)
            with open(os.path.join(out_dir, stem + '.json'), 'w') as f:
                json.dump({'meta': meta, 'table': rows, 'runs': prof_runs}, f, indent=1, default=str)
            with open(os.path.join(out_dir, stem + '.md'), 'w') as f:
                f.write(md)
            if not smoke:
                shutil.copyfile(os.path.join(out_dir, stem + '.md'), os.path.join(out_dir, 'latest.md'))
            say('results: %s.{md,json} (%.0f s since start)' % (os.path.join(out_dir, stem), now() - T_START))
            print(md)
        if any(not r.get('ok') for r in bench.runs):
            rc = 3 if smoke else 0
    except KeyboardInterrupt as e:
        say('interrupted (%s)' % (e or 'Ctrl-C'))
        rc = 130
    except BenchError as e:
        say('ERROR: %s' % e)
        rc = 1
    finally:
        if bench is not None:
            bench.cleanup()
    sys.exit(rc)


if __name__ == '__main__':
    main()
