/* SPDX-License-Identifier: GPL-2.0 */
/*
 * khttpd: an HTTP/1.1 static file server on the ksrv engine.
 *
 *   main.c      parameters, the docroot, start and stop
 *   conn.c      a connection: buffering, pipelining, timeouts
 *   request.c   one request: method, path, conditionals, ranges
 *   file.c      lookup beneath the docroot, policy, page-cache streaming
 *   response.c  status lines and headers, error responses
 *   dir.c       the optional directory listing
 *   relay.c     requests passed to a userspace backend (proxy=)
 *   stats.c     counters for /proc/net/khttpd
 *   parse.c     the parser (no kernel dependencies; see parse.h)
 */
#ifndef KHTTPD_H
#define KHTTPD_H

#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/path.h>
#include <linux/percpu.h>
#include <linux/types.h>

#include "../engine/ksrv.h"
#include "parse.h"

/* Request bodies we skip rather than refuse (413). */
#define KHTTPD_MAX_BODY		(64 * 1024)
/* Body bytes one on_writable call sends before it yields. */
#define KHTTPD_STREAM_BUDGET	(256 * 1024)
/* Longest decoded path, the docroot-relative name looked up. */
#define KHTTPD_PATH_MAX		1024
/* Largest directory listing (listing=1). */
#define KHTTPD_LISTING_MAX	(64 * 1024)
/* Room for a response head other than a redirect's. */
#define KHTTPD_HEAD_MAX		512

enum khttpd_proxy {
	KHTTPD_PROXY_OFF,
	KHTTPD_PROXY_FALLBACK,	/* what we cannot answer: 404 and 405 */
	KHTTPD_PROXY_ALL,	/* every request */
};

struct khttpd_config {
	struct path docroot;
	enum khttpd_proxy proxy;
	struct sockaddr_storage backend;
	int backend_len;
	unsigned int backend_timeout;	/* seconds */
	const char *index;
	bool listing;
	unsigned int header_timeout;	/* seconds */
	unsigned int keepalive_timeout;	/* seconds */
	unsigned int max_requests;	/* per connection, 0: no limit */
	struct khttp_limits limits;
};

enum khttpd_stat {
	KHTTPD_STAT_REQUESTS,
	KHTTPD_STAT_1XX,
	KHTTPD_STAT_2XX,
	KHTTPD_STAT_3XX,
	KHTTPD_STAT_4XX,
	KHTTPD_STAT_5XX,
	KHTTPD_STAT_BODY_BYTES,
	KHTTPD_STAT_HEADER_TIMEOUTS,
	KHTTPD_STAT_KEEPALIVE_TIMEOUTS,
	KHTTPD_STAT_RELAYED,		/* requests passed to the backend */
	KHTTPD_STAT_RELAY_ERRORS,	/* 502 or reset: the backend failed */
	KHTTPD_STAT_RELAY_TIMEOUTS,	/* 504 or reset: the backend stalled */
	KHTTPD_STAT_NR,
};

struct khttpd_stats {
	u64 count[KHTTPD_STAT_NR];
};

struct khttpd_server {
	struct khttpd_config cfg;
	struct khttpd_stats __percpu *stats;
	struct ksrv_server *srv;
};

#define khttpd_stat_add(ks, stat, n) \
	this_cpu_add((ks)->stats->count[(stat)], (n))

/* A response body: a file range from the page cache, or bytes of ours. */
struct khttpd_body {
	struct file *file;	/* NULL: data */
	loff_t pos;		/* next byte */
	loff_t end;		/* one past the last byte */
	void *data;		/* kvfree()d when done; a listing */
	size_t off;
};

/* What the access-log tracepoint reports of the request in flight. */
struct khttpd_log {
	ktime_t start;
	u32 path_hash;
	u16 status;
	u8 method;
	u64 bytes;
	char path[32];
};

/*
 * A connection's state: allocated at its first byte, so an idle
 * connection that never sent one costs nothing here.  The request head
 * is parsed where it arrived (the engine's receive buffer); only a head
 * split across receives, or requests pipelined behind one that must wait,
 * are copied into @buf, which is then kept for the connection's life.
 */
struct khttpd_conn {
	struct ksrv_conn *conn;
	struct khttpd_server *ks;
	char *buf;		/* max_head bytes, or NULL */
	u32 len;		/* bytes in buf */
	size_t scan;		/* khttp_head_end() resume point */
	u64 skip;		/* request body bytes still to discard */
	u64 fwd;		/* request body bytes still to relay */
	struct khttpd_relay *relay;	/* a relayed request in flight */
	const char *head;	/* the request head being answered, */
	size_t head_len;	/* valid during khttpd_request() only */
	u32 requests;		/* answered on this connection */
	bool streaming;		/* body in flight */
	bool close;		/* close once this response is out */
	bool header_timer;	/* the timer runs for a head, not keep-alive */
	struct khttpd_body body;
	struct khttpd_log log;
};

/* A request being answered: what request.c works out, response.c says. */
struct khttpd_reply {
	int status;
	struct khttp_req *req;		/* NULL before the head parsed */
	const char *type;		/* Content-Type */
	u64 length;			/* Content-Length */
	u64 size;			/* the whole file, for Content-Range */
	u64 first;			/* 206: first byte */
	s64 mtime;
	char etag[48];
	const char *location;		/* 301: where, and its length */
	size_t location_len;
	bool head_only;			/* HEAD or 304: no body */
	bool close;
};

/* conn.c */
extern const struct ksrv_proto khttpd_proto;

/* request.c */
int khttpd_request(struct khttpd_conn *kc, const char *head, size_t len);
void khttpd_request_done(struct khttpd_conn *kc);
int khttpd_request_error(struct khttpd_conn *kc, int status);

/* response.c */
int khttpd_send_head(struct khttpd_conn *kc, struct khttpd_reply *r);
int khttpd_send_error(struct khttpd_conn *kc, int status,
		      struct khttp_req *req);
bool khttpd_status_closes(int status);

/* file.c */
int khttpd_file_lookup(struct khttpd_server *ks, const char *path,
		       struct path *out);
int khttpd_file_open(const struct path *path, struct file **out);
bool khttpd_file_servable(const struct inode *inode);
int khttpd_body_push(struct khttpd_conn *kc);
void khttpd_body_release(struct khttpd_body *body);

/* relay.c */
int khttpd_relay(struct khttpd_conn *kc, struct khttp_req *req);
int khttpd_relay_forward(struct khttpd_conn *kc, const char *p, size_t len);
size_t khttpd_relay_room(struct khttpd_conn *kc);
int khttpd_relay_data(struct khttpd_conn *kc, const char *p, size_t len);
int khttpd_relay_closed(struct khttpd_conn *kc, int reason);
int khttpd_relay_timeout(struct khttpd_conn *kc);
void khttpd_relay_release(struct khttpd_conn *kc);

/* dir.c */
int khttpd_dir_listing(struct khttpd_conn *kc, const struct path *dir,
		       const char *path, size_t path_len, void **out,
		       size_t *len);

/* stats.c */
int khttpd_stats_init(struct khttpd_server *ks);
void khttpd_stats_free(struct khttpd_server *ks);
void khttpd_stats_status(struct khttpd_server *ks, int status);
void khttpd_stats_show(struct seq_file *m, struct ksrv_server *srv);

#endif /* KHTTPD_H */
