// SPDX-License-Identifier: GPL-2.0
/*
 * Message generation and verification; the format is in proto.h.
 *
 * Every message is a sequence of 64-bit little-endian words: two header
 * words, then payload words seed ^ (k * golden), which differ from word to
 * word and from message to message.  Working a word at a time keeps the
 * generator and the checker near memcpy speed, which matters because the
 * client shares the CPUs with the server it measures.
 */
#include <endian.h>
#include <string.h>

#include "proto.h"

#define GOLDEN	0x9e3779b97f4a7c15ull

/* splitmix64's finaliser: nearby (conn, seq) pairs get unrelated seeds. */
static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

void proto_msg_init(struct proto_msg *m, uint32_t conn, uint64_t seq,
		    uint32_t len)
{
	m->conn = conn;
	m->len = len;
	m->seq = seq;
	m->seed = mix64(((uint64_t)conn << 40) ^ seq ^ GOLDEN);
}

/* Word @k of the message, in wire (little-endian) byte order. */
static uint64_t word(const struct proto_msg *m, uint64_t k)
{
	uint64_t w;

	if (k == 0)
		w = m->conn | (uint64_t)m->len << 32;
	else if (k == 1)
		w = m->seq;
	else
		w = m->seed ^ (k * GOLDEN);
	return htole64(w);
}

uint8_t proto_byte(const struct proto_msg *m, uint32_t off)
{
	uint64_t w = word(m, off / 8);

	return ((const uint8_t *)&w)[off % 8];
}

void proto_fill(const struct proto_msg *m, uint32_t off, uint8_t *dst,
		size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint32_t o = off + i;
		uint64_t w = word(m, o / 8);
		size_t b = o % 8;
		size_t take = 8 - b;

		if (take > n - i)
			take = n - i;
		if (take == 8)
			memcpy(dst + i, &w, 8);
		else
			memcpy(dst + i, (const uint8_t *)&w + b, take);
		i += take;
	}
}

size_t proto_check(const struct proto_msg *m, uint32_t off,
		   const uint8_t *src, size_t n)
{
	size_t i = 0, j;

	while (i < n) {
		uint32_t o = off + i;
		uint64_t w = word(m, o / 8), got;
		size_t b = o % 8;
		size_t take = 8 - b;

		if (take > n - i)
			take = n - i;
		if (take == 8) {
			memcpy(&got, src + i, 8);
			if (got == w) {
				i += 8;
				continue;
			}
		}
		for (j = 0; j < take; j++)
			if (src[i + j] != ((const uint8_t *)&w)[b + j])
				return i + j;
		i += take;
	}
	return n;
}
