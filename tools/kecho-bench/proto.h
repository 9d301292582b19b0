/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The message format.  A message of L bytes is a 16-byte header
 *
 *	u32 conn id | u32 L | u64 sequence number	(little endian)
 *
 * followed by a payload that is a pure function of (conn id, seq, offset).
 * The whole message is therefore known in advance: the sender generates it
 * on the fly and the receiver compares every echoed byte against the same
 * function, so a corrupted, dropped, duplicated or reordered byte shows up
 * at the first offset where the stream departs from what was sent.  Nothing
 * is buffered per message on either side.
 */
#ifndef KECHO_PROTO_H
#define KECHO_PROTO_H

#include <stddef.h>
#include <stdint.h>

#define PROTO_HDR_LEN	16
#define PROTO_MAX_LEN	(16u << 20)

/* One message's identity, with its payload seed precomputed. */
struct proto_msg {
	uint32_t conn;
	uint32_t len;
	uint64_t seq;
	uint64_t seed;
};

void proto_msg_init(struct proto_msg *m, uint32_t conn, uint64_t seq,
		    uint32_t len);

/* Write bytes [off, off + n) of message @m to @dst. */
void proto_fill(const struct proto_msg *m, uint32_t off, uint8_t *dst,
		size_t n);

/*
 * Compare @src against bytes [off, off + n) of message @m.  Returns the
 * index in @src of the first wrong byte, or n if all match.
 */
size_t proto_check(const struct proto_msg *m, uint32_t off,
		   const uint8_t *src, size_t n);

/* The byte message @m should have at offset @off (for error reports). */
uint8_t proto_byte(const struct proto_msg *m, uint32_t off);

#endif
