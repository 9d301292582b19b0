/* SPDX-License-Identifier: GPL-2.0 */
#ifndef FAULTY_FAULT_H
#define FAULTY_FAULT_H

#include <stdint.h>

enum fault {
	FAULT_NONE,
	FAULT_CORRUPT,		/* flip every bit of one byte */
	FAULT_DROP,		/* leave one byte out */
	FAULT_DUP,		/* send one byte twice */
	FAULT_CLOSE,		/* close the connection (FIN) */
	FAULT_RESET,		/* abort the connection (RST) */
};

struct fault_cfg {
	enum fault fault;
	uint64_t at;		/* input offset of the faulty byte */
};

/* "corrupt", "drop", ... to enum fault; -1 if unknown. */
int fault_parse(const char *name);

/* Echo one blocking connection, with the fault, and close it. */
void fault_echo(const struct fault_cfg *cfg, int fd);

#endif
