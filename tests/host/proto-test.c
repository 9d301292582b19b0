// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for kecho-bench's message format (tools/kecho-bench/proto.c):
 * whatever happens to one byte, the checker must notice.  Same interface
 * as hist-test.c.
 */
#include <stdio.h>
#include <string.h>

#include "unit.h"

#include "proto.h"

#define LEN	300

static uint8_t msg[LEN + 1], bad[LEN + 1];

static void expect(int cond, const char *fmt, unsigned int a, unsigned int b)
{
	if (!cond && unit_failed++ < 5) {
		printf("# ");
		printf(fmt, a, b);
		putchar('\n');
	}
}

/* A message fills and checks clean, in one piece and split anywhere. */
static void t_roundtrip(void)
{
	struct proto_msg m;
	unsigned int cut;

	proto_msg_init(&m, 7, 123456789, LEN);
	proto_fill(&m, 0, msg, LEN);
	expect(proto_check(&m, 0, msg, LEN) == LEN, "whole message fails", 0, 0);
	for (cut = 0; cut <= LEN; cut++) {
		proto_fill(&m, 0, bad, cut);
		proto_fill(&m, cut, bad + cut, LEN - cut);
		expect(!memcmp(bad, msg, LEN), "fill split at %u differs", cut, 0);
		expect(proto_check(&m, 0, msg, cut) == cut &&
		       proto_check(&m, cut, msg + cut, LEN - cut) == LEN - cut,
		       "check split at %u fails", cut, 0);
		expect(proto_byte(&m, cut % LEN) == msg[cut % LEN],
		       "proto_byte(%u) differs", cut % LEN, 0);
	}
}

/* A byte changed at any offset, header included, is found there. */
static void t_corrupt(void)
{
	struct proto_msg m;
	unsigned int i;

	proto_msg_init(&m, 1, 2, LEN);
	proto_fill(&m, 0, msg, LEN);
	for (i = 0; i < LEN; i++) {
		memcpy(bad, msg, LEN);
		bad[i] ^= 1 << (i % 8);
		expect(proto_check(&m, 0, bad, LEN) == i,
		       "flip at %u found at %u", i,
		       (unsigned int)proto_check(&m, 0, bad, LEN));
	}
}

/* A byte dropped or repeated at any offset shifts the stream: found. */
static void t_shift(void)
{
	struct proto_msg m;
	unsigned int i;

	proto_msg_init(&m, 3, 4, LEN);
	proto_fill(&m, 0, msg, LEN);
	for (i = 0; i + 1 < LEN; i++) {
		memcpy(bad, msg, i);
		memcpy(bad + i, msg + i + 1, LEN - i - 1);	/* drop */
		expect(proto_check(&m, 0, bad, LEN - 1) < LEN - 1,
		       "drop at %u not found", i, 0);
		memcpy(bad, msg, i + 1);
		memcpy(bad + i + 1, msg + i, LEN - i);		/* dup */
		expect(proto_check(&m, 0, bad, LEN) < LEN,
		       "dup at %u not found", i, 0);
	}
}

/* Another connection's or sequence number's message does not pass. */
static void t_identity(void)
{
	struct proto_msg m, other;

	proto_msg_init(&m, 5, 100, LEN);
	proto_fill(&m, 0, msg, LEN);
	proto_msg_init(&other, 5, 101, LEN);
	expect(proto_check(&other, 0, msg, LEN) < LEN, "seq+1 passes", 0, 0);
	expect(proto_check(&other, PROTO_HDR_LEN, msg + PROTO_HDR_LEN,
			   LEN - PROTO_HDR_LEN) < 8,
	       "payload of seq+1 matches", 0, 0);
	proto_msg_init(&other, 6, 100, LEN);
	expect(proto_check(&other, 0, msg, LEN) == 0, "conn+1 passes", 0, 0);
	proto_msg_init(&other, 5, 100, LEN + 1);
	expect(proto_check(&other, 0, msg, LEN) == 4, "length+1 passes", 0, 0);
}

static const struct unit_case cases[] = {
	{ "proto_roundtrip", t_roundtrip },
	{ "proto_corrupt_any_byte", t_corrupt },
	{ "proto_drop_dup_any_byte", t_shift },
	{ "proto_identity", t_identity },
};

int main(int argc, char **argv)
{
	return unit_main(cases, sizeof(cases) / sizeof(cases[0]), argc, argv);
}
