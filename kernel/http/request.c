// SPDX-License-Identifier: GPL-2.0
/*
 * One request, from its parsed head to the start of its response: the
 * method, the body to skip, the path beneath the docroot, directories,
 * conditionals and ranges.  The body itself streams from file.c.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/jhash.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/stat.h>
#include <linux/string.h>

#include "khttpd.h"
#include "trace.h"

static void khttpd_log_start(struct khttpd_conn *kc)
{
	memset(&kc->log, 0, sizeof(kc->log));
	kc->log.start = ktime_get();
	kc->log.method = KHTTP_OTHER;
}

static void khttpd_log_path(struct khttpd_conn *kc, const char *path,
			    size_t len)
{
	kc->log.path_hash = jhash(path, len, 0);
	strscpy(kc->log.path, path, sizeof(kc->log.path));
}

/* The response is out (or handed to TCP): count it and log it. */
void khttpd_request_done(struct khttpd_conn *kc)
{
	struct khttpd_log *log = &kc->log;

	khttpd_body_release(&kc->body);
	kc->streaming = false;
	kc->requests++;
	khttpd_stats_status(kc->ks, log->status);
	trace_khttpd_request(log->method, log->status, log->bytes,
			     ktime_to_ns(ktime_sub(ktime_get(), log->start)),
			     log->path_hash, log->path);
}

/* An error response; it ends the request. */
static int khttpd_fail(struct khttpd_conn *kc, int status,
		       struct khttp_req *req)
{
	int ret;

	kc->log.status = status;
	ret = khttpd_send_error(kc, status, req);
	if (ret >= 0)
		khttpd_request_done(kc);
	return ret;
}

/* A request that never parsed (head too large, malformed, too slow). */
int khttpd_request_error(struct khttpd_conn *kc, int status)
{
	khttpd_log_start(kc);
	khttpd_stat_add(kc->ks, KHTTPD_STAT_REQUESTS, 1);
	return khttpd_fail(kc, status, NULL);
}

/*
 * The head is out: send the body, as far as TCP and the queue take it
 * now; on_writable sends the rest.  The request is done once all of it
 * is handed over.
 */
static int khttpd_stream(struct khttpd_conn *kc, const struct khttpd_body *b)
{
	int err;

	kc->body = *b;
	kc->streaming = true;
	err = khttpd_body_push(kc);
	if (err < 0)
		return err;
	if (!err)
		khttpd_request_done(kc);
	return 0;
}

static void khttpd_etag(struct khttpd_reply *r, const struct kstat *st)
{
	snprintf(r->etag, sizeof(r->etag), "\"%llx-%llx-%llx\"",
		 (u64)st->ino, (u64)st->size,
		 (u64)st->mtime.tv_sec * NSEC_PER_SEC + st->mtime.tv_nsec);
}

/* RFC 9110 13.2.2: If-None-Match first, If-Modified-Since without it. */
static bool khttpd_not_modified(const struct khttp_req *req,
				const struct khttpd_reply *r)
{
	s64 since;

	if (req->if_none_match.p)
		return khttp_etag_match(&req->if_none_match, r->etag,
					strlen(r->etag));
	return req->if_modified_since.p &&
	       !khttp_date_parse(&req->if_modified_since, &since) &&
	       r->mtime <= since;
}

/* If-Range: the range holds only if the validator is still ours. */
static bool khttpd_range_valid(const struct khttp_req *req,
			       const struct khttpd_reply *r)
{
	const struct khttp_str *ir = &req->if_range;
	s64 date;

	if (!ir->p)
		return true;
	if (ir->len && ir->p[0] == '"')
		return ir->len == strlen(r->etag) &&
		       !memcmp(ir->p, r->etag, ir->len);
	return !khttp_date_parse(ir, &date) && date == r->mtime;
}

/* Status, length and first byte from Range, or a 416. */
static void khttpd_ranges(const struct khttp_req *req, struct khttpd_reply *r)
{
	u64 first, last;
	int rc = 1;

	r->status = 200;
	r->first = 0;
	r->length = r->size;
	if (req->range.p && khttpd_range_valid(req, r))
		rc = khttp_range(&req->range, r->size, &first, &last);
	if (rc == -416) {
		r->status = 416;
		r->length = 0;
		r->head_only = true;
	} else if (rc == 0) {
		r->status = 206;
		r->first = first;
		r->length = last - first + 1;
	}
}

static int khttpd_serve_file(struct khttpd_conn *kc, struct khttp_req *req,
			     const struct path *path, const char *name,
			     size_t name_len)
{
	struct khttpd_reply r = { .req = req, .close = kc->close };
	struct file *file = NULL;
	struct kstat st;
	int err;

	err = vfs_getattr(path, &st, STATX_BASIC_STATS, AT_STATX_SYNC_AS_STAT);
	if (err)
		return khttpd_fail(kc, 404, req);
	r.size = st.size;
	r.mtime = st.mtime.tv_sec;
	r.type = khttp_mime_type(name, name_len);
	r.head_only = req->method == KHTTP_HEAD;
	khttpd_etag(&r, &st);

	if (khttpd_not_modified(req, &r)) {
		r.status = 304;
		r.head_only = true;
		r.length = 0;
	} else {
		khttpd_ranges(req, &r);
	}
	if (!r.head_only && r.length) {
		err = khttpd_file_open(path, &file);
		if (err)
			return khttpd_fail(kc, 403, req);
	}
	kc->log.status = r.status;
	err = khttpd_send_head(kc, &r);
	if (err < 0) {
		if (file)
			fput(file);
		return err;
	}
	if (!file) {
		khttpd_request_done(kc);
		return 0;
	}
	return khttpd_stream(kc, &(struct khttpd_body){
		.file = file, .pos = r.first, .end = r.first + r.length,
	});
}

/* 301 to the directory with its slash: the target as sent, plus '/'. */
static int khttpd_redirect(struct khttpd_conn *kc, struct khttp_req *req)
{
	struct khttpd_reply r = { .req = req, .close = kc->close };
	const char *q = memchr(req->target.p, '?', req->target.len);
	size_t plen = q ? q - req->target.p : req->target.len;
	char *loc;
	int err;

	loc = kmalloc(plen + 1 + (req->target.len - plen), GFP_KERNEL);
	if (!loc)
		return -ENOMEM;
	memcpy(loc, req->target.p, plen);
	loc[plen] = '/';
	memcpy(loc + plen + 1, req->target.p + plen, req->target.len - plen);
	r.status = 301;
	r.location = loc;
	r.location_len = req->target.len + 1;
	r.head_only = true;
	kc->log.status = 301;
	err = khttpd_send_head(kc, &r);
	kfree(loc);
	if (err >= 0)
		khttpd_request_done(kc);
	return err;
}

static int khttpd_serve_listing(struct khttpd_conn *kc, struct khttp_req *req,
				const struct path *dir, const char *name,
				size_t len)
{
	struct khttpd_reply r = { .req = req, .close = kc->close };
	void *html;
	size_t n;
	int err;

	err = khttpd_dir_listing(kc, dir, name, len, &html, &n);
	if (err)
		return khttpd_fail(kc, 403, req);
	r.status = 200;
	r.type = "text/html; charset=utf-8";
	r.length = n;
	r.head_only = req->method == KHTTP_HEAD;
	kc->log.status = 200;
	err = khttpd_send_head(kc, &r);
	if (err < 0 || r.head_only) {
		kvfree(html);
		if (err >= 0)
			khttpd_request_done(kc);
		return err;
	}
	return khttpd_stream(kc, &(struct khttpd_body){ .data = html, .end = n });
}

/* A directory: its index file, else the listing if allowed, else 403. */
static int khttpd_serve_dir(struct khttpd_conn *kc, struct khttp_req *req,
			    const struct path *dir, const char *name,
			    size_t len)
{
	const char *index = kc->ks->cfg.index;
	struct path p;
	int err;

	err = vfs_path_lookup(dir->dentry, dir->mnt, index,
			      LOOKUP_BENEATH | LOOKUP_NO_SYMLINKS |
			      LOOKUP_NO_MAGICLINKS | LOOKUP_NO_XDEV, &p);
	if (!err) {
		if (khttpd_file_servable(d_inode(p.dentry)))
			err = khttpd_serve_file(kc, req, &p, index,
						strlen(index));
		else
			err = khttpd_fail(kc, 403, req);
		path_put(&p);
		return err;
	}
	if (kc->ks->cfg.listing)
		return khttpd_serve_listing(kc, req, dir, name, len);
	return khttpd_fail(kc, err == -ENOENT ? 403 : 404, req);
}

/* proxy=fallback: what we cannot answer goes to the backend instead. */
static int khttpd_fail_or_relay(struct khttpd_conn *kc, int status,
				struct khttp_req *req)
{
	if (kc->ks->cfg.proxy == KHTTPD_PROXY_FALLBACK &&
	    (status == 404 || status == 405))
		return khttpd_relay(kc, req);
	return khttpd_fail(kc, status, req);
}

static int khttpd_serve_path(struct khttpd_conn *kc, struct khttp_req *req,
			     const char *name, size_t len, bool dir)
{
	struct inode *inode;
	struct path p;
	int err;

	err = khttpd_file_lookup(kc->ks, len ? name : ".", &p);
	/*
	 * Only a name that does not exist goes to the backend: one refused
	 * here (a symlink, a mount crossing) stays refused, so the backend
	 * is never asked for what our rules keep out.
	 */
	if (err == -ENOENT)
		return khttpd_fail_or_relay(kc, 404, req);
	if (err)
		return khttpd_fail(kc, err == -EACCES ? 403 : 404, req);
	inode = d_inode(p.dentry);
	if (S_ISDIR(inode->i_mode)) {
		if (!dir && len)
			err = khttpd_redirect(kc, req);
		else if (!(inode->i_mode & 0001))
			err = khttpd_fail(kc, 403, req);
		else
			err = khttpd_serve_dir(kc, req, &p, name, len);
	} else if (dir) {
		err = khttpd_fail(kc, 404, req);
	} else if (!khttpd_file_servable(inode)) {
		err = khttpd_fail(kc, 403, req);
	} else {
		const char *base = strrchr(name, '/');

		base = base ? base + 1 : name;
		err = khttpd_serve_file(kc, req, &p, base,
					len - (base - name));
	}
	path_put(&p);
	return err;
}

/*
 * Answer one request whose complete head is @head[0..len).  Returns 0
 * (the response is sent, queued or streaming; kc->close says whether the
 * connection ends after it) or a negative errno to reset it.
 */
int khttpd_request(struct khttpd_conn *kc, const char *head, size_t len)
{
	const struct khttpd_config *cfg = &kc->ks->cfg;
	char path[KHTTPD_PATH_MAX];
	struct khttp_req req;
	bool dir = false;
	long n;
	int err;

	khttpd_log_start(kc);
	khttpd_stat_add(kc->ks, KHTTPD_STAT_REQUESTS, 1);
	err = khttp_parse(&req, head, len, &cfg->limits);
	if (err)
		return khttpd_fail(kc, -err, &req);
	kc->log.method = req.method;
	if (req.has_content_length && req.content_length) {
		/* a body we skip exactly; a large one we refuse, closing */
		if (req.content_length > KHTTPD_MAX_BODY)
			return khttpd_fail(kc, 413, &req);
		kc->skip = req.content_length;
	}
	if (!req.keep_alive ||
	    (cfg->max_requests && kc->requests + 1 >= cfg->max_requests))
		kc->close = true;
	kc->head = head;
	kc->head_len = len;
	if (cfg->proxy == KHTTPD_PROXY_ALL)
		return khttpd_relay(kc, &req);
	if (req.method == KHTTP_OTHER)
		return khttpd_fail_or_relay(kc, 405, &req);

	n = khttp_decode_path(&req.target, path, sizeof(path), &dir);
	if (n < 0)
		return khttpd_fail(kc, -n, &req);
	/* the lookup wants no trailing slash; @dir remembers it */
	while (n && path[n - 1] == '/')
		path[--n] = '\0';
	khttpd_log_path(kc, path, n);
	return khttpd_serve_path(kc, &req, path, n, dir);
}
