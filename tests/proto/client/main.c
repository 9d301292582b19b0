// SPDX-License-Identifier: GPL-2.0
/*
 * pclient SUBCOMMAND key=value...: the client of the engine API suite.
 * See pclient.h, and each subcommand's comment for its arguments.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "pclient.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} cmds[] = {
	{ "amplify", cmd_amplify },
	{ "linear", cmd_linear },
	{ "stream", cmd_stream },
	{ "abort", cmd_abort },
	{ "timer", cmd_timer },
	{ "conns", cmd_conns },
	{ "echo", cmd_echo },
	{ "load", cmd_load },
	{ "hold", cmd_hold },
	{ "flood", cmd_flood },
	{ "idle", cmd_idle },
	{ "owed", cmd_owed },
	{ "vanish", cmd_vanish },
	{ "chaos", cmd_chaos },
};

int main(int argc, char **argv)
{
	size_t i;

	signal(SIGPIPE, SIG_IGN);
	pattern_init();
	if (argc >= 2) {
		for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
			if (!strcmp(argv[1], cmds[i].name))
				return cmds[i].fn(argc - 2, argv + 2);
	}
	fprintf(stderr, "usage: pclient SUBCOMMAND key=value...; subcommands:");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(stderr, " %s", cmds[i].name);
	fputc('\n', stderr);
	return 2;
}
