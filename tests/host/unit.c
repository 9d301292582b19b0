// SPDX-License-Identifier: GPL-2.0
/* The host unit tests' runner; see unit.h. */
#include <stdio.h>
#include <string.h>

#include "unit.h"

int unit_failed;

int unit_main(const struct unit_case *cases, size_t n, int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		for (i = 0; i < n; i++)
			puts(cases[i].name);
		return 0;
	}
	for (i = 0; i < n; i++)
		if (!strcmp(argv[1], cases[i].name)) {
			cases[i].fn();
			return !!unit_failed;
		}
	printf("# no test case '%s'\n", argv[1]);
	return 1;
}
