// SPDX-License-Identifier: GPL-2.0
/* The server's counters, read from its "key value" lines. */
#include <stdio.h>
#include <string.h>

#include "ktest.h"

/* The counter's value, or -1 if there are no counters or no such key. */
long long kt_stat(const struct kt_target *t, const char *key)
{
	char line[128], k[64];
	long long v, found = -1;
	FILE *f;

	if (!t->stats)
		return -1;
	f = fopen(t->stats, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %lld", k, &v) == 2 && !strcmp(k, key))
			found = v;
	fclose(f);
	return found;
}

/* Counters lag the socket a little: wait for @key to reach @want. */
int kt_stat_wait(const struct kt_target *t, const char *key, long long want,
		 int timeout_ms)
{
	long long deadline = kt_now_ms() + kt_ms(timeout_ms);
	long long v;

	while ((v = kt_stat(t, key)) != want) {
		if (kt_now_ms() > deadline) {
			kt_diag("counter %s is %lld, expected %lld", key, v, want);
			return -1;
		}
		kt_sleep_ms(20);
	}
	return 0;
}
