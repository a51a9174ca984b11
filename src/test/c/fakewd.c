/*
 * fakewd: a fake Linux watchdog device on FUSE, for the HAS watchdog tests.
 *
 * Mounts a directory with two files:
 *   watchdog  the device: open arms it (one opener at a time, EBUSY otherwise); write() = keepalive,
 *             a written 'V' arms the magic close; ioctls WDIOC_GETSUPPORT, GETSTATUS, GETBOOTSTATUS,
 *             SETOPTIONS, KEEPALIVE, SETTIMEOUT, GETTIMEOUT, GETTIMELEFT (others: ENOTTY);
 *             close after 'V' disarms, close without it leaves the timer running.
 *   status    one line: open= armed= timeout= keepalives= expired= magic_closes=
 * A timer thread records "EXPIRED" when an armed device goes without keepalive for longer than its
 * timeout: the moment a real machine would reboot. Every event is appended to $FAKEWD_LOG as
 * "<epoch ms> EVENT details". The files belong to $FAKEWD_UID:$FAKEWD_GID, mode 0660
 * (mount with -o allow_other,default_permissions). Initial timeout: $FAKEWD_TIMEOUT (60).
 *
 * Build: gcc -Wall -O2 -o fakewd fakewd.c $(pkg-config --cflags --libs fuse3) -lpthread
 * Run:   fakewd -f -s -o allow_other,default_permissions MOUNTPOINT
 */
#define FUSE_USE_VERSION 31
#include <fuse.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <linux/watchdog.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int is_open, armed, magic_pending, timeout_s = 60, fired_this_arming;
static long keepalives, expired, magic_closes;
static double last_ping;
static FILE *logf;
static uid_t owner_uid;
static gid_t owner_gid;

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void event(const char *fmt, ...) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    va_list ap;
    va_start(ap, fmt);
    if (logf) {
        fprintf(logf, "%lld ", (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000);
        vfprintf(logf, fmt, ap);
        fputc('\n', logf);
        fflush(logf);
    }
    va_end(ap);
}

static void ping(const char *how) {
    last_ping = now_s();
    fired_this_arming = 0;
    keepalives++;
    event("KEEPALIVE %s", how);
}

static int wd_getattr(const char *path, struct stat *st, struct fuse_file_info *fi) {
    (void)fi;
    memset(st, 0, sizeof *st);
    if (strcmp(path, "/") == 0) {
        st->st_mode = S_IFDIR | 0755;
        st->st_nlink = 2;
        return 0;
    }
    st->st_uid = owner_uid;
    st->st_gid = owner_gid;
    st->st_nlink = 1;
    if (strcmp(path, "/watchdog") == 0) {
        st->st_mode = S_IFREG | 0660;
        return 0;
    }
    if (strcmp(path, "/status") == 0) {
        st->st_mode = S_IFREG | 0444;
        st->st_size = 4096;
        return 0;
    }
    return -ENOENT;
}

static int wd_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off, struct fuse_file_info *fi,
                      enum fuse_readdir_flags flags) {
    (void)off; (void)fi; (void)flags;
    if (strcmp(path, "/") != 0) return -ENOENT;
    fill(buf, ".", NULL, 0, 0);
    fill(buf, "..", NULL, 0, 0);
    fill(buf, "watchdog", NULL, 0, 0);
    fill(buf, "status", NULL, 0, 0);
    return 0;
}

static int wd_open(const char *path, struct fuse_file_info *fi) {
    if (strcmp(path, "/status") == 0) {
        fi->direct_io = 1;
        return 0;
    }
    if (strcmp(path, "/watchdog") != 0) return -ENOENT;
    pthread_mutex_lock(&mu);
    if (is_open) {
        pthread_mutex_unlock(&mu);
        event("OPEN refused: busy");
        return -EBUSY;
    }
    is_open = 1;
    magic_pending = 0;
    if (!armed) fired_this_arming = 0;
    armed = 1;
    last_ping = now_s();
    fi->direct_io = 1;
    fi->nonseekable = 1;
    event("OPEN pid=%d armed timeout=%d", fuse_get_context()->pid, timeout_s);
    pthread_mutex_unlock(&mu);
    return 0;
}

static int wd_truncate(const char *path, off_t size, struct fuse_file_info *fi) {
    (void)path; (void)size; (void)fi;
    return 0;
}

static int wd_write(const char *path, const char *buf, size_t n, off_t off, struct fuse_file_info *fi) {
    (void)off; (void)fi;
    if (strcmp(path, "/watchdog") != 0) return -EACCES;
    pthread_mutex_lock(&mu);
    magic_pending = 0;
    for (size_t i = 0; i < n; i++)
        if (buf[i] == 'V') magic_pending = 1;
    if (magic_pending) event("MAGIC written");
    ping("write");
    pthread_mutex_unlock(&mu);
    return (int)n;
}

static int wd_read(const char *path, char *buf, size_t n, off_t off, struct fuse_file_info *fi) {
    (void)fi;
    if (strcmp(path, "/status") != 0) return -EINVAL;
    char s[512];
    pthread_mutex_lock(&mu);
    int len = snprintf(s, sizeof s, "open=%d armed=%d timeout=%d keepalives=%ld expired=%ld magic_closes=%ld\n",
                       is_open, armed, timeout_s, keepalives, expired, magic_closes);
    pthread_mutex_unlock(&mu);
    if (off >= len) return 0;
    if ((size_t)(len - off) < n) n = len - off;
    memcpy(buf, s + off, n);
    return (int)n;
}

static int wd_release(const char *path, struct fuse_file_info *fi) {
    (void)fi;
    if (strcmp(path, "/watchdog") != 0) return 0;
    pthread_mutex_lock(&mu);
    is_open = 0;
    if (magic_pending) {
        armed = 0;
        magic_closes++;
        event("CLOSE after magic 'V': disarmed");
    } else {
        event("CLOSE without magic 'V': watchdog did not stop!");
    }
    magic_pending = 0;
    pthread_mutex_unlock(&mu);
    return 0;
}

#if FUSE_USE_VERSION < 35
#define IOCTL_CMD_T int /* the API before 3.5 declares a signed cmd */
#else
#define IOCTL_CMD_T unsigned int
#endif
static int wd_ioctl(const char *path, IOCTL_CMD_T cmd_in, void *arg, struct fuse_file_info *fi, unsigned int flags,
                    void *data) {
    (void)arg; (void)fi;
    unsigned int cmd = (unsigned int)cmd_in;
    if (strcmp(path, "/watchdog") != 0) return -ENOTTY;
    if (flags & FUSE_IOCTL_COMPAT) return -ENOSYS;
    int rc = 0;
    pthread_mutex_lock(&mu);
    switch (cmd) {
    case WDIOC_GETSUPPORT: {
        struct watchdog_info info = {0};
        info.options = WDIOF_SETTIMEOUT | WDIOF_MAGICCLOSE | WDIOF_KEEPALIVEPING;
        info.firmware_version = 1;
        strncpy((char *)info.identity, "HAS fake watchdog (FUSE)", sizeof info.identity - 1);
        memcpy(data, &info, sizeof info);
        event("IOCTL GETSUPPORT");
        break;
    }
    case WDIOC_GETSTATUS:
    case WDIOC_GETBOOTSTATUS:
        *(int *)data = 0;
        break;
    case WDIOC_SETOPTIONS: {
        int o = *(int *)data;
        if (o & WDIOS_DISABLECARD) { armed = 0; event("IOCTL SETOPTIONS disable"); }
        if (o & WDIOS_ENABLECARD) { armed = 1; last_ping = now_s(); event("IOCTL SETOPTIONS enable"); }
        break;
    }
    case WDIOC_KEEPALIVE:
        ping("ioctl");
        break;
    case WDIOC_SETTIMEOUT: {
        int t = *(int *)data;
        if (t < 1 || t > 65535) { rc = -EINVAL; break; }
        timeout_s = t;
        last_ping = now_s();
        fired_this_arming = 0;
        *(int *)data = timeout_s;
        event("IOCTL SETTIMEOUT %d", t);
        break;
    }
    case WDIOC_GETTIMEOUT:
        *(int *)data = timeout_s;
        event("IOCTL GETTIMEOUT %d", timeout_s);
        break;
    case WDIOC_GETTIMELEFT: {
        double left = timeout_s - (now_s() - last_ping);
        *(int *)data = left < 0 ? 0 : (int)left;
        break;
    }
    default:
        event("IOCTL unknown 0x%x: ENOTTY", cmd);
        rc = -ENOTTY;
    }
    pthread_mutex_unlock(&mu);
    return rc;
}

static void *timer(void *unused) {
    (void)unused;
    struct timespec tick = {0, 50 * 1000 * 1000};
    for (;;) {
        nanosleep(&tick, NULL);
        pthread_mutex_lock(&mu);
        double idle = now_s() - last_ping;
        if (armed && !fired_this_arming && idle > timeout_s) {
            fired_this_arming = 1;
            expired++;
            event("EXPIRED no keepalive for %.3f s (timeout %d s): a real machine would reboot now", idle, timeout_s);
        }
        pthread_mutex_unlock(&mu);
    }
    return NULL;
}

static void *wd_init(struct fuse_conn_info *conn, struct fuse_config *cfg) {
    (void)conn;
    cfg->direct_io = 1;
    cfg->attr_timeout = 0;
    cfg->entry_timeout = 0;
    pthread_t t;
    pthread_create(&t, NULL, timer, NULL);
    pthread_detach(t);
    event("MOUNTED");
    return NULL;
}

static const struct fuse_operations ops = {
    .init = wd_init,
    .getattr = wd_getattr,
    .readdir = wd_readdir,
    .open = wd_open,
    .truncate = wd_truncate,
    .read = wd_read,
    .write = wd_write,
    .release = wd_release,
    .ioctl = wd_ioctl,
};

int main(int argc, char *argv[]) {
    const char *lp = getenv("FAKEWD_LOG");
    logf = lp ? fopen(lp, "a") : stderr;
    owner_uid = getenv("FAKEWD_UID") ? (uid_t)atoi(getenv("FAKEWD_UID")) : getuid();
    owner_gid = getenv("FAKEWD_GID") ? (gid_t)atoi(getenv("FAKEWD_GID")) : getgid();
    if (getenv("FAKEWD_TIMEOUT")) timeout_s = atoi(getenv("FAKEWD_TIMEOUT"));
    return fuse_main(argc, argv, &ops, NULL);
}
