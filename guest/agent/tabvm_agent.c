/* tabvm-agent: the guest end of TabVM's command channel (docs/exec-channel.md). It runs the
 * commands the host sends with SHELL -c, each in its own session with its own pipes, streams
 * their stdin, stdout and stderr as frames over a raw-mode /dev/hvc1 (a second virtio-console,
 * never the person's terminal), and reports how each ended. Started and respawned by init.
 *
 * usage: tabvm-agent [-s SHELL] [-e NAME=VALUE]... [DEVICE]   (DEVICE: /dev/hvc1; '-' for
 *        stdin/stdout, as the native tests run it) */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "../../shared/tvm_exec.h"

#define MAX_SESSIONS 16
#define READ_CHUNK 32768 /* at most TVM_EXEC_MAX_PAYLOAD */
/* Stdin acknowledgements are sent once this much was taken, not per write: each frame to the
 * host is a round trip through the tty (a quarter of the window keeps the host sending). */
#define ACK_BATCH (TVM_EXEC_STDIN_WINDOW / 4)
/* After a command exits, how long its pipes may stay open (a background job it started still
 * holds them) before the exit is reported anyway. */
#define EXIT_GRACE_MS 500

typedef struct session {
    uint16_t id;      /* 0: the slot is free */
    pid_t pid;        /* 0 once reaped */
    int in, out, err; /* our ends of the command's pipes, -1 once closed */
    uint8_t *inbuf;   /* stdin received, not yet written to the pipe */
    size_t inlen;
    size_t unacked; /* stdin taken but not yet acknowledged to the host */
    size_t unread;  /* output sent that the host has not acknowledged: at the window, the
                     * pipes are not read (the command blocks) until the host catches up */
    int in_eof;     /* the host ended stdin: close the pipe once inbuf is written */
    uint32_t status, sig;
    int64_t exited_ms;
} session_t;

static int chan_in = -1, chan_out = -1;
static const char *shell = "/bin/sh";
static session_t sessions[MAX_SESSIONS];
static uint8_t rx[2 * (TVM_EXEC_HEADER_BYTES + TVM_EXEC_MAX_PAYLOAD)];
static size_t rxlen;

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8), p[2] = (uint8_t)(v >> 16),
    p[3] = (uint8_t)(v >> 24);
}

static uint32_t get32(const uint8_t *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void write_all(int fd, const uint8_t *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            perror("tabvm-agent: channel write");
            exit(1); /* init starts a new agent, which says hello again */
        }
        p += w, n -= (size_t)w;
    }
}

/* One frame to the host, in one write: an agent killed at shutdown then leaves no half frame
 * in front of the next agent's hello. Writes block: the host always drains the channel. */
static void send_frame(uint8_t type, uint16_t sid, const void *payload, uint32_t len)
{
    static uint8_t f[TVM_EXEC_HEADER_BYTES + TVM_EXEC_MAX_PAYLOAD];
    f[0] = type, f[1] = 0, f[2] = (uint8_t)sid, f[3] = (uint8_t)(sid >> 8);
    put32(f + 4, len);
    if (len) memcpy(f + TVM_EXEC_HEADER_BYTES, payload, len);
    write_all(chan_out, f, TVM_EXEC_HEADER_BYTES + len);
}

static void send_u32s(uint8_t type, uint16_t sid, uint32_t a, uint32_t b, int n)
{
    uint8_t p[8];
    put32(p, a), put32(p + 4, b);
    send_frame(type, sid, p, 4 * (uint32_t)n);
}

static void send_error(uint16_t sid, const char *what)
{
    char msg[256];
    snprintf(msg, sizeof msg, "%s: %s", what, strerror(errno));
    send_frame(TVM_EXEC_ERROR, sid, msg, (uint32_t)strlen(msg));
}

static void close_fd(int *fd)
{
    if (*fd >= 0) close(*fd);
    *fd = -1;
}

static session_t *find(uint16_t sid)
{
    for (int i = 0; i < MAX_SESSIONS; i++)
        if (sessions[i].id && sessions[i].id == sid) return &sessions[i];
    return NULL;
}

static void start(uint16_t sid, const uint8_t *cmd, uint32_t len)
{
    session_t *s = NULL;
    if (!sid || find(sid)) {
        errno = EEXIST;
        send_error(sid, "session id in use");
        return;
    }
    for (int i = 0; i < MAX_SESSIONS && !s; i++)
        if (!sessions[i].id) s = &sessions[i];
    if (!s || memchr(cmd, 0, len)) {
        errno = s ? EINVAL : EBUSY;
        send_error(sid, s ? "the command holds a NUL byte" : "too many commands at once");
        return;
    }
    char *c = strndup((const char *)cmd, len);
    int pin[2], pout[2], perr[2];
    if (!c || pipe2(pin, O_CLOEXEC) || pipe2(pout, O_CLOEXEC) || pipe2(perr, O_CLOEXEC)) {
        send_error(sid, "pipe");
        free(c);
        return; /* (only out of memory or descriptors gets here; what leaked is small) */
    }
    pid_t pid = fork();
    if (pid == 0) {
        /* Its own session and process group: a signal from the host reaches the whole command,
         * pipeline included. */
        setsid();
        dup2(pin[0], 0), dup2(pout[1], 1), dup2(perr[1], 2);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        signal(SIGPIPE, SIG_DFL); /* ignored signals stay ignored across exec */
        const char *home = getenv("HOME");
        if (!home || chdir(home)) (void)!chdir("/");
        execl(shell, shell, "-c", c, (char *)NULL);
        fprintf(stderr, "tabvm-agent: %s: %s\n", shell, strerror(errno));
        _exit(127);
    }
    free(c);
    close(pin[0]), close(pout[1]), close(perr[1]);
    if (pid < 0) {
        send_error(sid, "fork");
        close(pin[1]), close(pout[0]), close(perr[0]);
        return;
    }
    *s = (session_t){.id = sid, .pid = pid, .in = pin[1], .out = pout[0], .err = perr[0]};
    fcntl(s->in, F_SETFL, O_NONBLOCK);
    fcntl(s->out, F_SETFL, O_NONBLOCK);
    fcntl(s->err, F_SETFL, O_NONBLOCK);
    send_u32s(TVM_EXEC_STARTED, sid, (uint32_t)pid, 0, 1);
}

static void ack(session_t *s, size_t n)
{
    s->unacked += n;
    if (s->unacked < ACK_BATCH) return;
    send_u32s(TVM_EXEC_STDIN_ACK, s->id, (uint32_t)s->unacked, 0, 1);
    s->unacked = 0;
}

/* Writes what stdin holds to the command; acknowledges what it took. */
static void feed(session_t *s)
{
    size_t done = 0;
    while (s->in >= 0 && done < s->inlen) {
        ssize_t w = write(s->in, s->inbuf + done, s->inlen - done);
        if (w > 0) {
            done += (size_t)w;
        } else if (w < 0 && errno == EINTR) {
            continue;
        } else if (w < 0 && errno == EAGAIN) {
            break;
        } else { /* EPIPE: the command closed its stdin; what is left goes nowhere */
            done = s->inlen;
            close_fd(&s->in);
        }
    }
    if (done) {
        memmove(s->inbuf, s->inbuf + done, s->inlen - done);
        s->inlen -= done;
        ack(s, done);
    }
    if (s->in_eof && !s->inlen) close_fd(&s->in);
}

static void take_stdin(session_t *s, const uint8_t *p, uint32_t len)
{
    if (!len) {
        s->in_eof = 1;
    } else if (s->in < 0) {
        ack(s, len); /* nobody reads it any more */
        return;
    } else {
        if (!s->inbuf) s->inbuf = malloc(TVM_EXEC_STDIN_WINDOW);
        if (!s->inbuf || s->inlen + len > TVM_EXEC_STDIN_WINDOW) {
            errno = ENOBUFS;
            send_error(0, "the host sent more stdin than the window allows");
            exit(1);
        }
        memcpy(s->inbuf + s->inlen, p, len);
        s->inlen += len;
    }
    feed(s);
}

static void handle_frame(uint8_t type, uint16_t sid, const uint8_t *p, uint32_t len)
{
    session_t *s = find(sid);
    switch (type) {
    case TVM_EXEC_OPEN: start(sid, p, len); break;
    case TVM_EXEC_STDIN:
        if (s) take_stdin(s, p, len); /* (a command that just ended: dropped) */
        break;
    case TVM_EXEC_OUTPUT_ACK:
        if (s && len >= 4) {
            uint32_t n = get32(p);
            s->unread -= n < s->unread ? n : s->unread;
            /* The grace for pipes held open counts from when the host let us read again. */
            if (!s->pid) s->exited_ms = now_ms();
        }
        break;
    case TVM_EXEC_SIGNAL:
        if (s && s->pid && len >= 4) {
            int sig = (int)get32(p);
            if (kill(-s->pid, sig) && errno == ESRCH) kill(s->pid, sig);
        }
        break;
    default:
        errno = EPROTO;
        send_error(0, "unknown frame type from the host");
        exit(1);
    }
}

static void read_channel(void)
{
    ssize_t n = read(chan_in, rx + rxlen, sizeof rx - rxlen);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (n <= 0) {
        fprintf(stderr, "tabvm-agent: the channel closed\n");
        exit(n < 0);
    }
    rxlen += (size_t)n;
    size_t at = 0;
    while (rxlen - at >= TVM_EXEC_HEADER_BYTES) {
        const uint8_t *h = rx + at;
        uint32_t len = get32(h + 4);
        if (len > TVM_EXEC_MAX_PAYLOAD) {
            errno = EMSGSIZE;
            send_error(0, "a frame from the host is too long");
            exit(1);
        }
        if (rxlen - at < TVM_EXEC_HEADER_BYTES + len) break;
        handle_frame(h[0], (uint16_t)(h[2] | h[3] << 8), h + TVM_EXEC_HEADER_BYTES, len);
        at += TVM_EXEC_HEADER_BYTES + len;
    }
    memmove(rx, rx + at, rxlen - at);
    rxlen -= at;
}

/* Forwards what one of the command's output pipes holds; closes it at end of file. */
static void drain(session_t *s, int *fd, uint8_t type)
{
    static uint8_t buf[READ_CHUNK];
    for (int rounds = 0; *fd >= 0 && rounds < 4 && s->unread < TVM_EXEC_OUTPUT_WINDOW; rounds++) {
        ssize_t n = read(*fd, buf, sizeof buf);
        if (n > 0) {
            s->unread += (size_t)n;
            send_frame(type, s->id, buf, (uint32_t)n);
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else {
            if (n == 0 || errno != EAGAIN) close_fd(fd);
            return;
        }
    }
}

static void reap(int sigfd)
{
    struct signalfd_siginfo si;
    while (read(sigfd, &si, sizeof si) == sizeof si) {}
    int st;
    pid_t pid;
    while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
        for (int i = 0; i < MAX_SESSIONS; i++) {
            session_t *s = &sessions[i];
            if (!s->id || s->pid != pid) continue;
            s->pid = 0;
            s->sig = WIFSIGNALED(st) ? (uint32_t)WTERMSIG(st) : 0;
            s->status = s->sig ? 128 + s->sig : (uint32_t)WEXITSTATUS(st);
            s->exited_ms = now_ms();
        }
    }
}

/* Reports the sessions whose command exited and whose output is all sent. */
static void finish(void)
{
    int64_t t = now_ms();
    for (int i = 0; i < MAX_SESSIONS; i++) {
        session_t *s = &sessions[i];
        if (!s->id || s->pid) continue;
        int held = s->unread >= TVM_EXEC_OUTPUT_WINDOW; /* output waits for the host */
        if ((s->out >= 0 || s->err >= 0) && (held || t < s->exited_ms + EXIT_GRACE_MS)) continue;
        drain(s, &s->out, TVM_EXEC_STDOUT);
        drain(s, &s->err, TVM_EXEC_STDERR);
        close_fd(&s->out), close_fd(&s->err), close_fd(&s->in);
        send_u32s(TVM_EXEC_EXIT, s->id, s->status, s->sig, 2);
        free(s->inbuf);
        *s = (session_t){0};
    }
}

static int open_channel(const char *dev)
{
    if (!strcmp(dev, "-")) {
        chan_in = 0, chan_out = 1;
        return 0;
    }
    int fd = open(dev, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return -1;
    /* Raw: every byte passes unchanged both ways, no echo, no signals from the channel. */
    struct termios t;
    if (tcgetattr(fd, &t) == 0) {
        cfmakeraw(&t);
        t.c_cc[VMIN] = 1, t.c_cc[VTIME] = 0;
        tcsetattr(fd, TCSANOW, &t);
        tcflush(fd, TCIFLUSH); /* what a previous agent left unread */
    }
    chan_in = chan_out = fd;
    return 0;
}

int main(int argc, char **argv)
{
    const char *dev = "/dev/hvc1";
    int opt;
    while ((opt = getopt(argc, argv, "s:e:")) != -1) {
        if (opt == 's')
            shell = optarg;
        else if (opt == 'e' && strchr(optarg, '='))
            putenv(optarg);
        else {
            fprintf(stderr, "usage: tabvm-agent [-s SHELL] [-e NAME=VALUE]... [DEVICE]\n");
            return 2;
        }
    }
    if (optind < argc) dev = argv[optind];
    /* Commands run without a terminal, from the home directory, as a login shell would. */
    const char *home = getenv("HOME");
    if (!home || !strcmp(home, "/")) setenv("HOME", "/root", 1);
    setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 0);
    setenv("TERM", "dumb", 1);
    if (open_channel(dev)) {
        /* No channel on this machine (an older emulator, QEMU): stay idle rather than exit, so
         * init does not respawn us in a loop. */
        for (;;)
            pause();
    }
    signal(SIGPIPE, SIG_IGN);
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    int sigfd = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
    if (sigfd < 0) {
        perror("tabvm-agent: signalfd");
        return 1;
    }
    static const char name[] = "tabvm-agent";
    uint8_t hello[8 + sizeof name - 1];
    put32(hello, TVM_EXEC_VERSION), put32(hello + 4, TVM_EXEC_MAX_PAYLOAD);
    memcpy(hello + 8, name, sizeof name - 1);
    send_frame(TVM_EXEC_HELLO, 0, hello, sizeof hello);

    for (;;) {
        struct pollfd pf[2 + 3 * MAX_SESSIONS];
        session_t *who[2 + 3 * MAX_SESSIONS];
        int n = 0, timeout = -1;
        pf[n++] = (struct pollfd){.fd = chan_in, .events = POLLIN};
        pf[n++] = (struct pollfd){.fd = sigfd, .events = POLLIN};
        int64_t t = now_ms();
        for (int i = 0; i < MAX_SESSIONS; i++) {
            session_t *s = &sessions[i];
            if (!s->id) continue;
            int held = s->unread >= TVM_EXEC_OUTPUT_WINDOW;
            if (s->out >= 0 && !held)
                who[n] = s, pf[n++] = (struct pollfd){.fd = s->out, .events = POLLIN};
            if (s->err >= 0 && !held)
                who[n] = s, pf[n++] = (struct pollfd){.fd = s->err, .events = POLLIN};
            if (s->in >= 0 && s->inlen)
                who[n] = s, pf[n++] = (struct pollfd){.fd = s->in, .events = POLLOUT};
            if (!s->pid && !held) {
                int64_t left = s->exited_ms + EXIT_GRACE_MS - t;
                int ms = left < 0 ? 0 : (int)left;
                if (timeout < 0 || ms < timeout) timeout = ms;
            }
        }
        if (poll(pf, (nfds_t)n, timeout) < 0 && errno != EINTR) {
            perror("tabvm-agent: poll");
            return 1;
        }
        for (int i = 2; i < n; i++) {
            if (!pf[i].revents) continue;
            session_t *s = who[i];
            if (pf[i].fd == s->out)
                drain(s, &s->out, TVM_EXEC_STDOUT);
            else if (pf[i].fd == s->err)
                drain(s, &s->err, TVM_EXEC_STDERR);
            else if (pf[i].fd == s->in)
                feed(s);
        }
        if (pf[1].revents) reap(sigfd);
        if (pf[0].revents) read_channel();
        finish();
    }
}
