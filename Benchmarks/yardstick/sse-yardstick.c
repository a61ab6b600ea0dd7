// sse-yardstick: the minimal SSE fan-out server that campaign-bench figures are compared with.
// One thread, one epoll set; a broadcast encodes its bytes once and writes them to every subscriber with
// one non-blocking send each, buffering only what the socket did not take (flushed on EPOLLOUT).
// Streams are edge-triggered. Request connections are level-triggered and read once per wake-up, so a
// client that keeps sending requests cannot starve the others while broadcasts take their time.
// It speaks just enough of docs/API.md for `campaign-bench fanout` to run unchanged; it ignores auth.
// Usage: sse-yardstick <port> [bind-address]   (port 0 picks one; the port is printed on stdout)
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
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAX_PENDING (1 << 20)  // like SSE_MAX_BUFFER_BYTES: a client this far behind is dropped
#define PHASE_ID "00000000-0000-4000-8000-000000000001"

typedef struct conn {
    int fd, stream, watching_out;
    char campaign[64];
    char *in; size_t in_len, in_cap;      // request bytes; freed once the connection is a stream
    char *out; size_t out_len, out_off;   // bytes the socket has not taken yet
    struct conn *prev, *next;             // list of streams
} conn;

static int ep;
static conn *streams, *graveyard;  // dropped connections are freed after the epoll batch
static long event_id, task_count, client_count;
static volatile sig_atomic_t stopping;

static void now_rfc3339(char *buf) {
    struct timeval tv; struct tm tm;
    gettimeofday(&tv, NULL); gmtime_r(&tv.tv_sec, &tm);
    size_t n = strftime(buf, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf + n, 32 - n, ".%03ldZ", (long)(tv.tv_usec / 1000));
}

static void drop(conn *c) {
    if (c->stream) {
        if (c->prev) c->prev->next = c->next; else streams = c->next;
        if (c->next) c->next->prev = c->prev;
    }
    close(c->fd);  // closing removes it from the epoll set
    c->fd = -1; c->stream = 0;
    c->next = graveyard; graveyard = c;
}

static void watch(conn *c, int op) {
    struct epoll_event ev = { .data.ptr = c };
    ev.events = c->stream ? EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET
                          : EPOLLIN | EPOLLRDHUP | (c->watching_out ? EPOLLOUT : 0);
    epoll_ctl(ep, op, c->fd, &ev);
}

// Sends what is pending, then `data`; keeps whatever the socket refuses. Returns -1 if `c` was dropped.
static int send_bytes(conn *c, const char *data, size_t len) {
    while (c->out_len > c->out_off) {
        ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
        if (n < 0) { if (errno == EAGAIN || errno == EINTR) break; drop(c); return -1; }
        c->out_off += (size_t)n;
    }
    if (c->out_off == c->out_len) c->out_off = c->out_len = 0;
    size_t sent = 0;
    if (c->out_len == 0 && len > 0) {
        ssize_t n = send(c->fd, data, len, MSG_NOSIGNAL);
        if (n < 0 && errno != EAGAIN && errno != EINTR) { drop(c); return -1; }
        if (n > 0) sent = (size_t)n;
    }
    if (sent < len) {
        if (c->out_len + len - sent > MAX_PENDING) { drop(c); return -1; }
        c->out = realloc(c->out, c->out_len + len - sent);
        memcpy(c->out + c->out_len, data + sent, len - sent);
        c->out_len += len - sent;
    }
    int want_out = c->out_len > 0;
    if (!c->stream && want_out != c->watching_out) { c->watching_out = want_out; watch(c, EPOLL_CTL_MOD); }
    return 0;
}

static int respond(conn *c, int status, const char *reason, const char *body, const char *extra) {
    char head[512];
    int n = snprintf(head, sizeof head, "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n"
                     "Content-Length: %zu\r\n%s\r\n", status, reason, strlen(body), extra ? extra : "");
    if (send_bytes(c, head, (size_t)n) < 0) return -1;
    return send_bytes(c, body, strlen(body));
}

// Copies the raw (still JSON-escaped) string value of `"key"` from `body`; 0 when absent.
static int json_string(const char *body, const char *key, char *out, size_t cap) {
    char pattern[32]; snprintf(pattern, sizeof pattern, "\"%s\"", key);
    const char *p = strstr(body, pattern);
    if (!p) return 0;
    p += strlen(pattern);
    while (*p == ' ' || *p == ':') p++;
    if (*p++ != '"') return 0;
    size_t n = 0;
    while (*p && *p != '"' && n + 2 < cap) { if (*p == '\\' && p[1]) out[n++] = *p++; out[n++] = *p++; }
    out[n] = 0;
    return *p == '"';
}

static void broadcast(const char *campaign, const char *bytes, size_t len) {
    for (conn *c = streams, *next; c; c = next) {
        next = c->next;
        if (strcmp(c->campaign, campaign) == 0) send_bytes(c, bytes, len);
    }
}

static int create_task(conn *c, const char *campaign, const char *body) {
    char id[64], title[1024], phase[64], at[32], task[2048], events[5120];
    if (!json_string(body, "title", title, sizeof title))
        return respond(c, 400, "Bad Request", "{\"error\":{\"code\":\"validation\",\"message\":\"title is required\"}}", NULL);
    if (!json_string(body, "id", id, sizeof id))
        snprintf(id, sizeof id, "00000000-0000-4000-9000-%012lx", task_count + 1);
    if (!json_string(body, "phaseId", phase, sizeof phase)) strcpy(phase, PHASE_ID);
    now_rfc3339(at);
    snprintf(task, sizeof task, "{\"id\":\"%s\",\"campaignId\":\"%s\",\"phaseId\":\"%s\",\"title\":\"%s\","
             "\"description\":\"\",\"status\":\"todo\",\"priority\":\"medium\",\"assignee\":null,\"dueDate\":null,"
             "\"position\":%ld,\"version\":1,\"createdAt\":\"%s\",\"updatedAt\":\"%s\"}",
             id, campaign, phase, title, task_count++, at, at);
    long created = ++event_id, history = ++event_id;
    int n = snprintf(events, sizeof events,
        "id: %ld\nevent: task-created\ndata: {\"eventId\":%ld,\"campaignId\":\"%s\",\"occurredAt\":\"%s\",\"origin\":null,\"task\":%s}\n\n"
        "id: %ld\nevent: history-update\ndata: {\"eventId\":%ld,\"campaignId\":\"%s\",\"occurredAt\":\"%s\",\"origin\":null,"
        "\"entry\":{\"id\":\"00000000-0000-4000-a000-%012lx\",\"campaignId\":\"%s\",\"taskId\":\"%s\",\"action\":\"created\","
        "\"actor\":\"yardstick\",\"changes\":{},\"createdAt\":\"%s\"}}\n\n",
        created, created, campaign, at, task, history, history, campaign, at, history, campaign, id, at);
    char location[256];
    snprintf(location, sizeof location, "Location: /api/campaigns/%s/tasks/%s\r\nETag: \"1\"\r\n", campaign, id);
    if (respond(c, 201, "Created", task, location) < 0) return -1;
    broadcast(campaign, events, (size_t)n);
    return 0;
}

static int subscribe(conn *c, const char *campaign) {
    char text[512];
    int n = snprintf(text, sizeof text, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
        "X-Accel-Buffering: no\r\n\r\nretry: 3000\n\nevent: connected\ndata: {\"clientId\":\"00000000-0000-4000-b000-%012lx\","
        "\"campaignId\":\"%s\",\"lastEventId\":%ld}\n\n", ++client_count, campaign, event_id);
    snprintf(c->campaign, sizeof c->campaign, "%s", campaign);
    free(c->in); c->in = NULL; c->in_len = c->in_cap = 0;
    c->stream = 1; c->prev = NULL; c->next = streams;
    if (streams) streams->prev = c;
    streams = c;
    watch(c, EPOLL_CTL_MOD);
    return send_bytes(c, text, (size_t)n);
}

// Answers every complete request in the input buffer. Returns -1 if `c` was dropped.
static int serve(conn *c) {
    for (;;) {
        if (c->in_len == 0) return 0;
        c->in[c->in_len] = 0;
        char *end = strstr(c->in, "\r\n\r\n");
        if (!end) return 0;
        size_t head = (size_t)(end + 4 - c->in), length = 0;
        char *cl = strcasestr(c->in, "\r\ncontent-length:");
        if (cl && cl < end) length = strtoul(cl + 17, NULL, 10);
        if (c->in_len < head + length) return 0;
        char method[8], path[256], campaign[64], rest[64], body[8192] = "";
        if (sscanf(c->in, "%7s %255s", method, path) != 2) { drop(c); return -1; }
        memcpy(body, c->in + head, length < sizeof body ? length : sizeof body - 1);
        size_t consumed = head + length;
        memmove(c->in, c->in + consumed, c->in_len - consumed);
        c->in_len -= consumed;
        path[strcspn(path, "?")] = 0;
        int r;
        if (!strcmp(method, "GET") && sscanf(path, "/api/events/%63[^/]", campaign) == 1) {
            return subscribe(c, campaign);  // a stream takes no further requests
        } else if (sscanf(path, "/api/campaigns/%63[^/]/%63s", campaign, rest) == 2 && !strcmp(rest, "execution")) {
            char snapshot[1024], at[32];
            now_rfc3339(at);
            snprintf(snapshot, sizeof snapshot, "{\"campaign\":{\"id\":\"%s\",\"name\":\"yardstick\",\"createdAt\":\"%s\"},"
                     "\"phases\":[{\"id\":\"" PHASE_ID "\",\"campaignId\":\"%s\",\"name\":\"Planning\",\"position\":0}],"
                     "\"tasks\":[],\"history\":[],\"lastEventId\":%ld}", campaign, at, campaign, event_id);
            r = respond(c, 200, "OK", snapshot, NULL);
        } else if (!strcmp(method, "POST") && sscanf(path, "/api/campaigns/%63[^/]/%63s", campaign, rest) == 2
                   && !strcmp(rest, "tasks")) {
            r = create_task(c, campaign, body);
        } else if (!strcmp(path, "/api/health")) {
            r = respond(c, 200, "OK", "{\"status\":\"ok\",\"database\":\"none\"}", NULL);
        } else {
            r = respond(c, 404, "Not Found", "{\"error\":{\"code\":\"not_found\",\"message\":\"no such route\"}}", NULL);
        }
        if (r < 0) return -1;
    }
}

static void on_readable(conn *c) {
    while (c->stream) {  // streams send nothing we need: drain (edge-triggered) and ignore
        char sink[512];
        ssize_t n = recv(c->fd, sink, sizeof sink, 0);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) { drop(c); return; }
        if (n < 0) return;
    }
    // A request connection: one read per wake-up; level-triggered epoll comes back while bytes remain.
    if (c->in_cap - c->in_len < 4097) {
        if (c->in_cap > 64 * 1024) { drop(c); return; }
        c->in_cap = c->in_cap ? c->in_cap * 2 : 8192;
        c->in = realloc(c->in, c->in_cap);
    }
    ssize_t n = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len - 1, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) { drop(c); return; }
    if (n < 0) return;
    c->in_len += (size_t)n;
    serve(c);
}

static void on_signal(int sig) { (void)sig; stopping = 1; }

int main(int argc, char **argv) {
    int port = argc > 1 ? atoi(argv[1]) : 3001;
    const char *host = argc > 2 ? argv[2] : "127.0.0.1";
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) { rl.rlim_cur = rl.rlim_max; setrlimit(RLIMIT_NOFILE, &rl); }
    signal(SIGPIPE, SIG_IGN);
    signal(SIGTERM, on_signal); signal(SIGINT, on_signal);
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    socklen_t alen = sizeof addr;
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1 || bind(lfd, (struct sockaddr *)&addr, sizeof addr) < 0
        || listen(lfd, 4096) < 0) { perror("sse-yardstick: bind/listen"); return 1; }
    getsockname(lfd, (struct sockaddr *)&addr, &alen);
    printf("%d\n", ntohs(addr.sin_port)); fflush(stdout);
    ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL }, events[1024];
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
    while (!stopping) {
        int n = epoll_wait(ep, events, 1024, -1);
        for (int i = 0; i < n; i++) {
            conn *c = events[i].data.ptr;
            if (!c) {
                int fd;
                while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    conn *nc = calloc(1, sizeof *nc);
                    nc->fd = fd;
                    watch(nc, EPOLL_CTL_ADD);
                }
                continue;
            }
            if (c->fd < 0) continue;  // dropped earlier in this batch (a broadcast can drop any client)
            if (events[i].events & (EPOLLHUP | EPOLLERR)) { drop(c); continue; }
            if (events[i].events & EPOLLOUT) { if (send_bytes(c, NULL, 0) < 0) continue; }
            if (events[i].events & (EPOLLIN | EPOLLRDHUP)) on_readable(c);
        }
        while (graveyard) { conn *c = graveyard; graveyard = c->next; free(c->in); free(c->out); free(c); }
    }
    return 0;
}
