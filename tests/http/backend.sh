#!/bin/sh
# Shell helpers for the tests of khttpd's relay: start and stop hbackend
# (tests/http/client/hbackend.c), the userspace HTTP server that khttpd
# forwards to.  POSIX sh: sourced by tests/http/suite.sh in the VM (busybox
# sh, from /kecho) and by tests/host/run.sh (bash).  Needs
# tests/lib/listen.sh, which it sources (relative to the working folder,
# /kecho in the VM) unless that is loaded already.
#
#   backend_start MODE PORT DIR [ADDR]
#	Start "hbackend -a ADDR -p PORT -d DIR -m MODE" in the background
#	(ADDR default 127.0.0.1; MODE length, chunked, eof, cut, silent or
#	slow: see hbackend.c) and wait until it listens on PORT.  Sets
#	backend_pid and adds it to backend_pids.  Its stderr goes to
#	$BACKEND_LOGS/hbackend.PORT.log.  Fails, showing that log as "# "
#	lines, if it does not listen within 30 s (times KT_SCALE).
#   backend_stop [PORT]
#	SIGTERM the backend started on PORT, or every one started (and not
#	stopped yet), and wait for them.  Fails unless each exited 0, as
#	hbackend does on SIGTERM.
#
# Start and stop a backend in the same shell: a test function of the suite
# runs in a subshell, whose backends the suite's top level cannot wait for.
#
# Environment: HBACKEND, the program (default "hbackend", found in PATH:
# /kecho/bin in the VM); BACKEND_LOGS, the log folder (default /tmp).

command -v start_listening > /dev/null 2>&1 || . tests/lib/listen.sh

backend_pid=
backend_pids=

backend_start() {
	bs_mode=$1 bs_port=$2 bs_dir=$3 bs_addr=${4:-127.0.0.1}
	bs_log=${BACKEND_LOGS:-/tmp}/hbackend.$bs_port.log
	start_listening "$bs_log" "$bs_port" "${HBACKEND:-hbackend}" \
		-a "$bs_addr" -p "$bs_port" -d "$bs_dir" -m "$bs_mode" || return 1
	backend_pid=$listen_pid
	backend_pids="$backend_pids $bs_port:$backend_pid"
}

backend_stop() {
	bt_rc=0 bt_keep=
	for bt_e in $backend_pids; do
		bt_port=${bt_e%%:*} bt_pid=${bt_e#*:}
		if [ -n "${1:-}" ] && [ "$bt_port" != "$1" ]; then
			bt_keep="$bt_keep $bt_e"
			continue
		fi
		kill "$bt_pid" 2>/dev/null
		wait "$bt_pid"
		bt_st=$?
		if [ $bt_st != 0 ]; then
			echo "# hbackend on port $bt_port exited with status $bt_st"
			bt_rc=1
		fi
	done
	backend_pids=$bt_keep
	return $bt_rc
}
