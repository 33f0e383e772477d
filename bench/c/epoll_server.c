/*
 * c-epoll: a minimal HTTP/1.1 plaintext responder, the machine's practical limit in the benchmark
 * suite (bench/server.sh c-epoll PORT). Not part of Sluice.
 *
 *   c-epoll PORT       binds 127.0.0.1:PORT, one thread, runs until killed
 *
 * Every request head (bytes up to "\r\n\r\n") gets 200 with Server, Date, Content-Type: text/plain,
 * Content-Length: 13 and "Hello, World!". No request bodies (GET only). What it does do correctly,
 * because the scenarios need it:
 *   - pipelining: every complete head in the read buffer is answered, all answers in one write;
 *   - "Connection: close" (or HTTP/1.0 without keep-alive) is answered with "Connection: close" and
 *     the socket closed once that answer is written; heads after it are ignored;
 *   - a write that would block keeps the rest in a per-connection buffer, waits for EPOLLOUT and
 *     reads nothing more until it is drained (back-pressure on a pipelining client);
 *   - the Date header is formatted at most once a second.
 * A head larger than the read buffer closes the connection.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define READ_CAP 16384
#define MAX_EVENTS 256

static const char BODY[] = "Hello, World!";

struct conn {
    int used;
    int closing;    /* a Connection: close was answered: close once out is drained */
    int want_out;   /* registered for EPOLLOUT instead of EPOLLIN */
    size_t in_len;
    char *in;       /* READ_CAP bytes, allocated on first use */
    char *out;
    size_t out_len, out_off, out_cap;
};

static struct conn *conns;
static int max_fd;
static int ep;
static char date_line[64];   /* "Date: ...\r\n" */
static size_t date_len;
static time_t date_at;

static void refresh_date(void) {
    time_t now = time(NULL);
    if (now == date_at) return;
    date_at = now;
    struct tm tm;
    gmtime_r(&now, &tm);
    date_len = strftime(date_line, sizeof date_line, "Date: %a, %d %b %Y %H:%M:%S GMT\r\n", &tm);
}

static void close_conn(int fd) {
    struct conn *c = &conns[fd];
    close(fd);   /* also removes fd from the epoll set */
    free(c->out);
    char *in = c->in;
    memset(c, 0, sizeof *c);
    c->in = in;  /* the read buffer is reused by the next connection on this fd */
}

static int out_append(struct conn *c, const char *p, size_t n) {
    if (c->out_len + n > c->out_cap) {
        size_t cap = c->out_cap ? c->out_cap : 4096;
        while (cap < c->out_len + n) cap *= 2;
        char *q = realloc(c->out, cap);
        if (!q) return -1;
        c->out = q;
        c->out_cap = cap;
    }
    memcpy(c->out + c->out_len, p, n);
    c->out_len += n;
    return 0;
}

/* Case-insensitive search for a header value token within one head. */
static int head_has(const char *head, size_t len, const char *name, const char *token) {
    size_t nl = strlen(name), tl = strlen(token);
    const char *p = head, *end = head + len;
    while (p < end) {
        const char *eol = memchr(p, '\n', end - p);
        if (!eol) eol = end;
        if ((size_t)(eol - p) > nl && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
            for (const char *v = p + nl + 1; v + tl <= eol; v++) {
                if (strncasecmp(v, token, tl) == 0) return 1;
            }
        }
        p = eol + 1;
    }
    return 0;
}

/* Appends the answer to one head; returns 1 if the connection closes after it. */
static int answer(struct conn *c, const char *head, size_t len) {
    const char *eol = memchr(head, '\r', len);
    int http10 = eol && eol - head >= 8 && memcmp(eol - 8, "HTTP/1.0", 8) == 0;
    int close_after, keep_alive_10 = 0;
    if (http10) {
        keep_alive_10 = head_has(head, len, "Connection", "keep-alive");
        close_after = !keep_alive_10;
    } else {
        close_after = head_has(head, len, "Connection", "close");
    }
    char buf[512];
    int n = snprintf(buf, sizeof buf,
                     "HTTP/1.1 200 OK\r\nServer: c-epoll\r\n%.*sContent-Type: text/plain\r\n"
                     "Content-Length: %zu\r\n%s\r\n%s",
                     (int)date_len, date_line, sizeof BODY - 1,
                     close_after ? "Connection: close\r\n"
                                 : keep_alive_10 ? "Connection: keep-alive\r\n" : "",
                     BODY);
    if (out_append(c, buf, (size_t)n) < 0) return 1;
    return close_after;
}

static void set_events(int fd, struct conn *c, int want_out) {
    if (c->want_out == want_out) return;
    c->want_out = want_out;
    struct epoll_event ev = {.events = want_out ? EPOLLOUT : EPOLLIN, .data.fd = fd};
    epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
}

/* Writes what is pending. Returns -1 if the connection was closed. */
static int flush_out(int fd, struct conn *c) {
    while (c->out_off < c->out_len) {
        ssize_t w = send(fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                set_events(fd, c, 1);
                return 0;
            }
            close_conn(fd);
            return -1;
        }
        c->out_off += (size_t)w;
    }
    c->out_len = c->out_off = 0;
    if (c->closing) {
        close_conn(fd);
        return -1;
    }
    set_events(fd, c, 0);
    return 0;
}

/* Answers every complete head in the read buffer and keeps the incomplete rest. */
static void process(struct conn *c) {
    size_t start = 0;
    while (!c->closing) {
        char *end = memmem(c->in + start, c->in_len - start, "\r\n\r\n", 4);
        if (!end) break;
        size_t head_len = (size_t)(end - (c->in + start)) + 4;
        if (answer(c, c->in + start, head_len)) c->closing = 1;
        start += head_len;
    }
    if (c->closing) {
        c->in_len = 0;
    } else if (start > 0) {
        memmove(c->in, c->in + start, c->in_len - start);
        c->in_len -= start;
    }
}

static void on_readable(int fd, struct conn *c) {
    for (;;) {
        if (c->in_len == READ_CAP) {   /* a head that does not fit: give up on the client */
            close_conn(fd);
            return;
        }
        size_t room = READ_CAP - c->in_len;
        ssize_t r = read(fd, c->in + c->in_len, room);
        if (r == 0) {
            close_conn(fd);
            return;
        }
        if (r < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) break;
            close_conn(fd);
            return;
        }
        c->in_len += (size_t)r;
        if ((size_t)r < room) break;   /* a short read: the socket is drained */
    }
    process(c);
    if (c->out_len > 0) flush_out(fd, c);
}

static void on_writable(int fd, struct conn *c) {
    if (flush_out(fd, c) < 0) return;
    /* Drained: answer what was read meanwhile (EPOLLIN was off, so nothing new was read). */
    if (c->in_len > 0) {
        process(c);
        if (c->out_len > 0) flush_out(fd, c);
    }
}

static void accept_all(int lfd) {
    for (;;) {
        int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            return;   /* EAGAIN, or EMFILE: try again on the next event */
        }
        if (fd >= max_fd) {
            close(fd);
            continue;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        struct conn *c = &conns[fd];
        if (!c->in && !(c->in = malloc(READ_CAP))) {
            close(fd);
            continue;
        }
        c->used = 1;
        struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) close_conn(fd);
    }
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: c-epoll PORT\n");
        return 2;
    }
    int port = atoi(argv[1]);
    signal(SIGPIPE, SIG_IGN);
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    max_fd = rl.rlim_cur == RLIM_INFINITY ? 1 << 20 : (int)rl.rlim_cur;
    conns = calloc((size_t)max_fd, sizeof *conns);

    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (bind(lfd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(lfd, 4096) < 0) {
        fprintf(stderr, "c-epoll: cannot listen on 127.0.0.1:%d: %s\n", port, strerror(errno));
        return 1;
    }
    ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event lev = {.events = EPOLLIN, .data.fd = lfd};
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &lev);
    refresh_date();

    struct epoll_event events[MAX_EVENTS];
    for (;;) {
        int n = epoll_wait(ep, events, MAX_EVENTS, 1000);
        if (n < 0 && errno != EINTR) {
            perror("epoll_wait");
            return 1;
        }
        refresh_date();
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            if (fd == lfd) {
                accept_all(lfd);
                continue;
            }
            struct conn *c = &conns[fd];
            if (!c->used) continue;   /* closed earlier in this batch */
            if (events[i].events & (EPOLLERR | EPOLLHUP) && !(events[i].events & (EPOLLIN | EPOLLOUT))) {
                close_conn(fd);
            } else if (c->want_out) {
                on_writable(fd, c);
            } else {
                on_readable(fd, c);
            }
        }
    }
}
