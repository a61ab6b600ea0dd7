// Glibc's Swift overlay does not export epoll, eventfd, signalfd, getrandom or mallopt; this header does.
#ifndef CLINUX_SHIM_H
#define CLINUX_SHIM_H
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <sys/random.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sched.h>
#include <pthread.h>
#include <malloc.h>

// GNU extensions that glibc only declares under _GNU_SOURCE, which the Swift overlay does not set.
extern int accept4(int fd, struct sockaddr *addr, socklen_t *addrlen, int flags);
extern int pthread_setname_np(pthread_t thread, const char *name);
#endif
