/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pclient: the client of the engine API suite (tests/proto/suite.sh).
 * Every subcommand verifies every byte it receives against the pattern
 * (pattern.h) or against what it sent, prints "# ..." lines, and exits 0
 * on success, 1 on a failed check, 2 on a usage error.
 */
#ifndef PCLIENT_H
#define PCLIENT_H

#include <stddef.h>
#include <stdint.h>

/* key=value arguments */
long long arg_ll(int argc, char **argv, const char *key, long long def);
const char *arg_str(int argc, char **argv, const char *key, const char *def);

void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

double now_s(void);
void sleep_ms(long ms);

extern unsigned char pattern[];
void pattern_init(void);
/* offset of the first byte of buf[0..n) that is not pattern[pos...], or -1 */
long long pattern_check(const unsigned char *buf, size_t n, uint64_t pos);
/* pattern bytes from @pos */
void pattern_copy(unsigned char *buf, size_t n, uint64_t pos);

int tcp_connect(int port);
int set_nonblock(int fd);
/* wait up to @ms for @events on @fd: >0 ready, 0 timeout, <0 error */
int wait_fd(int fd, short events, int ms);
int write_all(int fd, const void *buf, size_t n);
/* read exactly @n bytes within @ms: 0, or -1 with errno (0: EOF) */
int read_exact(int fd, void *buf, size_t n, int ms);
/* abortive close: SO_LINGER 0, the peer sees RST */
void close_rst(int fd);
void touch(const char *path);

/* the value of "key N" in /proc/net/<name>, or -1 */
long long proc_value(const char *name, const char *key);

int cmd_amplify(int argc, char **argv);
int cmd_linear(int argc, char **argv);
int cmd_stream(int argc, char **argv);
int cmd_abort(int argc, char **argv);
int cmd_timer(int argc, char **argv);
int cmd_conns(int argc, char **argv);
int cmd_echo(int argc, char **argv);
int cmd_load(int argc, char **argv);
int cmd_hold(int argc, char **argv);
int cmd_flood(int argc, char **argv);
int cmd_idle(int argc, char **argv);
int cmd_owed(int argc, char **argv);
int cmd_vanish(int argc, char **argv);
int cmd_chaos(int argc, char **argv);

#endif /* PCLIENT_H */
