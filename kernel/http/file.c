// SPDX-License-Identifier: GPL-2.0
/*
 * Files: lookup beneath the docroot, the serving policy, and bodies
 * streamed from the page cache without a copy.
 *
 * Lookup.  The path the parser decoded (no "." or ".." segment, no NUL,
 * no control character) is resolved with vfs_path_lookup() from the
 * docroot pinned at load, with LOOKUP_BENEATH (nothing may resolve
 * outside it, ".." included), LOOKUP_NO_SYMLINKS (no symbolic link is
 * followed, anywhere on the path: one that points inside is refused as
 * well as one that points out, which keeps the rule simple to audit),
 * LOOKUP_NO_MAGICLINKS and LOOKUP_NO_XDEV (no other mount).  Never a
 * string concatenated with the docroot and opened by name.
 *
 * Policy.  The work runs as root, so permissions would allow everything:
 * as TUX did, we serve only regular files that are world-readable, in
 * directories that are all world-searchable.
 *
 * Streaming.  Each page of the range is taken from the page cache (read
 * in if it is not there) and handed to the engine by reference; TCP or
 * the engine's queue holds the page, never a copy.  At most send_cap
 * bytes wait per connection; on_writable asks for more as TCP drains.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/namei.h>
#include <linux/pagemap.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "khttpd.h"

#define KHTTPD_LOOKUP	(LOOKUP_BENEATH | LOOKUP_NO_SYMLINKS | \
			 LOOKUP_NO_MAGICLINKS | LOOKUP_NO_XDEV)

/*
 * Every directory from @d's parent up to the docroot must be searchable
 * by others, as a served file must be readable by them: a world-readable
 * file in a private (say 0700) directory stays private, as it would from
 * a server running as nobody.
 */
static bool khttpd_path_searchable(const struct path *root,
				   struct dentry *d)
{
	struct dentry *p = dget_parent(d);
	bool ok = true;

	for (;;) {
		struct dentry *next;

		if (!(d_inode(p)->i_mode & 0001)) {
			ok = false;
			break;
		}
		if (p == root->dentry || IS_ROOT(p))
			break;
		next = dget_parent(p);
		dput(p);
		p = next;
	}
	dput(p);
	return ok;
}

/* @dir may be looked into: it and every directory above it are o+x. */
static bool khttpd_dir_searchable(const struct path *root,
				  const struct path *dir)
{
	if (!(d_inode(dir->dentry)->i_mode & 0001))
		return false;
	return dir->dentry == root->dentry ||
	       khttpd_path_searchable(root, dir->dentry);
}

/*
 * @path was not found (@err).  If the deepest directory on it that does
 * exist cannot be searched by others, say -EACCES, as for a name in it
 * that exists: a 404 against a 403 would tell a client which names a
 * private directory holds.  The error path only.
 */
static int khttpd_lookup_missing(const struct path *root, const char *path,
				 int err)
{
	char *name = kstrdup(path, GFP_KERNEL | __GFP_NOWARN);
	struct path dir;
	char *slash;
	int ret = err;

	if (!name)
		return err;
	while ((slash = strrchr(name, '/'))) {
		*slash = '\0';
		if (!vfs_path_lookup(root->dentry, root->mnt, name,
				     KHTTPD_LOOKUP, &dir)) {
			if (d_is_dir(dir.dentry) &&
			    !khttpd_dir_searchable(root, &dir))
				ret = -EACCES;
			path_put(&dir);
			goto out;
		}
	}
	if (!khttpd_dir_searchable(root, root))
		ret = -EACCES;
out:
	kfree(name);
	return ret;
}

int khttpd_file_lookup(struct khttpd_server *ks, const char *path,
		       struct path *out)
{
	const struct path *root = &ks->cfg.docroot;
	int err;

	err = vfs_path_lookup(root->dentry, root->mnt, path, KHTTPD_LOOKUP,
			      out);
	if (err == -ENOENT || err == -ENOTDIR)
		return khttpd_lookup_missing(root, path, err);
	if (err)
		return err;
	if (out->dentry != root->dentry &&
	    !khttpd_path_searchable(root, out->dentry)) {
		path_put(out);
		return -EACCES;
	}
	return 0;
}

bool khttpd_file_servable(const struct inode *inode)
{
	return S_ISREG(inode->i_mode) && (inode->i_mode & 0004);
}

int khttpd_file_open(const struct path *path, struct file **out)
{
	struct file *f = dentry_open(path, O_RDONLY | O_LARGEFILE,
				     current_cred());

	if (IS_ERR(f))
		return PTR_ERR(f);
	*out = f;
	return 0;
}

/* The page at @index, up to date, with a reference; or an ERR_PTR. */
static struct page *khttpd_file_page(struct file *file, pgoff_t index)
{
	struct address_space *mapping = file->f_mapping;
	struct page *page;

	page = pagecache_get_page(mapping, index, 0, 0);
	if (page && PageUptodate(page))
		return page;
	if (page)
		put_page(page);
	if (mapping->a_ops->read_folio)
		return read_cache_page(mapping, index, NULL, file);
	/* tmpfs reads its pages in without read_folio */
	if (file_inode(file)->i_sb->s_magic == TMPFS_MAGIC)
		return shmem_read_mapping_page_gfp(mapping, index,
						   mapping_gfp_mask(mapping));
	return ERR_PTR(-EOPNOTSUPP);
}

static int khttpd_push_data(struct khttpd_conn *kc, struct khttpd_body *b)
{
	long room = ksrv_conn_send(kc->conn, (u8 *)b->data + b->off,
				   b->end - b->off, 0);

	if (room == -EAGAIN)
		return 1;
	if (room < 0)
		return room;
	kc->log.bytes += b->end - b->off;
	khttpd_stat_add(kc->ks, KHTTPD_STAT_BODY_BYTES, b->end - b->off);
	b->off = b->end;
	return 0;
}

/*
 * Send more of the body.  Returns 0 when all of it is handed over, 1 when
 * more is to come (on_writable will ask), or a negative errno: a file
 * that shrank under us ends the connection with RST, so the client never
 * takes a short body for a whole one.
 */
int khttpd_body_push(struct khttpd_conn *kc)
{
	struct khttpd_body *b = &kc->body;
	size_t sent = 0;

	if (b->data)
		return khttpd_push_data(kc, b);
	while (b->pos < b->end) {
		size_t off = offset_in_page(b->pos);
		size_t n = min_t(loff_t, PAGE_SIZE - off, b->end - b->pos);
		struct page *page;
		long room;

		if (sent >= KHTTPD_STREAM_BUDGET)
			return 1;
		if (b->pos >= i_size_read(file_inode(b->file)))
			return -ENODATA;
		page = khttpd_file_page(b->file, b->pos >> PAGE_SHIFT);
		if (IS_ERR(page))
			return PTR_ERR(page);
		room = ksrv_conn_send_page(kc->conn, page, off, n,
					   b->pos + n < b->end ?
					   KSRV_SEND_MORE : 0);
		put_page(page);
		if (room == -EAGAIN)
			return 1;
		if (room < 0)
			return room;
		b->pos += n;
		sent += n;
		kc->log.bytes += n;
		khttpd_stat_add(kc->ks, KHTTPD_STAT_BODY_BYTES, n);
		if (!room && b->pos < b->end)
			return 1;
	}
	return 0;
}

void khttpd_body_release(struct khttpd_body *body)
{
	if (body->file)
		fput(body->file);
	kvfree(body->data);
	memset(body, 0, sizeof(*body));
}
