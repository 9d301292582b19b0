/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny runner for the host unit tests.  A test program lists its cases
 * and hands them to unit_main():
 *   prog          prints the case names, one a line (run.sh reads them)
 *   prog NAME     runs that case; exit 0 if it held
 * A case reports a failure by setting unit_failed.
 */
#ifndef KECHO_UNIT_H
#define KECHO_UNIT_H

#include <stddef.h>

struct unit_case {
	const char *name;
	void (*fn)(void);
};

extern int unit_failed;

int unit_main(const struct unit_case *cases, size_t n, int argc, char **argv);

#endif
