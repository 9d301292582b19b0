/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The common frame of the echo servers (epoll-echo, uring-echo,
 * sockmap-echo): options,
 * one SO_REUSEPORT listener and thread per -T, and a clean exit on SIGINT
 * or SIGTERM.  Each server supplies only its serve_loop().
 */
#ifndef ECHO_SERVE_H
#define ECHO_SERVE_H

/* Name used in messages: "epoll-echo", "uring-echo". */
extern const char serve_name[];

struct addr;

/*
 * Optional set-up, once, before any listener exists: a server that needs
 * one (sockmap-echo loads its BPF programs) defines it; non-zero exits 1.
 * The library's own is a weak no-op.
 */
int serve_init(const struct addr *addr);

/*
 * Serve the listening socket (an int fd cast through intptr_t) until the
 * process exits.  Runs in its own thread with SIGINT and SIGTERM blocked.
 */
void *serve_loop(void *lfd);

#endif
