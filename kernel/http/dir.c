// SPDX-License-Identifier: GPL-2.0
/*
 * The directory listing, only with listing=1.  Every name is a file
 * name from the docroot, not the client's, but names may hold any byte
 * but '/' and NUL: each is HTML-escaped for the text and percent-encoded
 * for its link.  A listing is at most KHTTPD_LISTING_MAX bytes; beyond
 * that it says it was cut short.
 */
#include <linux/ctype.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "khttpd.h"

/* One entry's link and text, escaped; kept off the stack. */
struct khttpd_entry {
	char href[3 * NAME_MAX + 1];
	char text[6 * NAME_MAX + 1];
};

struct khttpd_listing {
	struct dir_context ctx;
	struct khttpd_entry *e;
	char *buf;
	size_t len;
	bool full;
};

#define KHTTPD_LISTING_TAIL "</ul></body></html>\n"
#define KHTTPD_LISTING_CUT "<li>(listing cut short)</li>\n"

static bool khttpd_unreserved(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

/* Percent-encode @name for an href; returns its length or -1. */
static long khttpd_url_encode(const char *name, size_t len, char *out,
			      size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = name[i];

		if (o + 4 > size)
			return -1;
		if (khttpd_unreserved(c)) {
			out[o++] = c;
		} else {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
	return o;
}

static bool khttpd_listing_add(struct dir_context *ctx, const char *name,
			       int len, loff_t pos, u64 ino, unsigned int type)
{
	struct khttpd_listing *l = container_of(ctx, struct khttpd_listing,
						ctx);
	size_t room = KHTTPD_LISTING_MAX - sizeof(KHTTPD_LISTING_TAIL) -
		      sizeof(KHTTPD_LISTING_CUT) - l->len;
	const char *slash = type == DT_DIR ? "/" : "";
	struct khttpd_entry *e = l->e;
	long h, t;

	/*
	 * Names beginning with '.' are never served (400), so none is
	 * listed: a listing must not tell of .git or .env.  Only ".." stays,
	 * the link to the parent, which clients resolve before they ask.
	 */
	if (name[0] == '.' && !(len == 2 && name[1] == '.'))
		return true;
	h = khttpd_url_encode(name, len, e->href, sizeof(e->href));
	t = khttp_html_escape(name, len, e->text, sizeof(e->text));
	if (h < 0 || t < 0 || h + t + 32 > room) {
		l->full = true;
		return false;
	}
	l->len += scnprintf(l->buf + l->len, room,
			    "<li><a href=\"%s%s\">%s%s</a></li>\n",
			    e->href, slash, e->text, slash);
	return true;
}

int khttpd_dir_listing(struct khttpd_conn *kc, const struct path *dir,
		       const char *path, size_t path_len, void **out,
		       size_t *len)
{
	struct khttpd_listing l = { .ctx.actor = khttpd_listing_add };
	struct file *file;
	char *title;
	long t;
	int err;

	file = dentry_open(dir, O_RDONLY | O_DIRECTORY, current_cred());
	if (IS_ERR(file))
		return PTR_ERR(file);
	l.buf = kvmalloc(KHTTPD_LISTING_MAX, GFP_KERNEL | __GFP_NOWARN);
	l.e = kmalloc(sizeof(*l.e), GFP_KERNEL | __GFP_NOWARN);
	err = -ENOMEM;
	if (!l.buf || !l.e)
		goto out;
	/* the title: the path, escaped, at the end of the buffer for now */
	title = l.buf + KHTTPD_LISTING_MAX / 2;
	t = khttp_html_escape(path, path_len, title, KHTTPD_LISTING_MAX / 8);
	err = -ENAMETOOLONG;
	if (t < 0)
		goto out;
	l.len = scnprintf(l.buf, KHTTPD_LISTING_MAX / 2,
			  "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>/%s</title></head>\n<body><h1>/%s</h1><ul>\n",
			  title, title);
	err = iterate_dir(file, &l.ctx);
out:
	fput(file);
	kfree(l.e);
	if (err) {
		kvfree(l.buf);
		return err;
	}
	if (l.full)
		l.len += scnprintf(l.buf + l.len, KHTTPD_LISTING_MAX - l.len,
				   "%s", KHTTPD_LISTING_CUT);
	l.len += scnprintf(l.buf + l.len, KHTTPD_LISTING_MAX - l.len, "%s",
			   KHTTPD_LISTING_TAIL);
	*out = l.buf;
	*len = l.len;
	return 0;
}
