/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The byte pattern that ksrv_testproto sends and pclient verifies, shared
 * by the module and the client.  Byte i of a connection's output is
 * table[i % KTP_PERIOD]; the table is pseudo-random bytes.  The period is
 * a prime, so no page, chunk or segment size is a multiple of it: a lost,
 * repeated or reordered piece of any such size shows as a mismatch.
 * The table is built with KTP_SPAN extra bytes that repeat its start, so
 * KTP_SPAN bytes from any offset are contiguous in it.
 */
#ifndef KTP_PATTERN_H
#define KTP_PATTERN_H

#define KTP_PERIOD	65521u
#define KTP_SPAN	4096u
#define KTP_TABLE_SIZE	(KTP_PERIOD + KTP_SPAN)
/* amplify mode: bytes sent for each byte received */
#define KTP_AMPLIFY	1000u

static inline void ktp_pattern_fill(unsigned char *tab)
{
	unsigned int x = 0x9e3779b9u;
	unsigned int i;

	for (i = 0; i < KTP_PERIOD; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		tab[i] = (unsigned char)(x >> 24);
	}
	for (; i < KTP_TABLE_SIZE; i++)
		tab[i] = tab[i - KTP_PERIOD];
}

#endif /* KTP_PATTERN_H */
