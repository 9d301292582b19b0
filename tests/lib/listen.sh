#!/bin/sh
# The one "start a server and wait until it listens" helper: POSIX sh, for
# the VM (busybox) and the host (bash).  It asks the kernel, not the
# server's messages: a TCP socket in LISTEN state on the port, in
# /proc/net/tcp or tcp6, and, for a process, one of that process's own
# sockets.  So it works alike for a module (no process) and a userspace
# server, whatever either prints.
#
#   listening PORT [PID]     status 0 if something (PID) listens on PORT
#   wait_listening PORT [PID] [SECONDS]
#                            wait until it does, up to SECONDS (default 30,
#                            times KT_SCALE); fails at once if PID exits
#   start_listening LOG PORT CMD...
#                            start CMD in the background (output to LOG),
#                            set listen_pid, wait until it listens; on
#                            failure show LOG and stop CMD

# Inodes of the sockets listening on PORT.
listen_inodes() {
	lp=$(printf ':%04X' "$1")
	for f in /proc/net/tcp /proc/net/tcp6; do
		[ -r $f ] && awk -v p="$lp" '$4 == "0A" &&
			substr($2, length($2) - 4) == p { print $10 }' $f
	done
}

listening() {
	listen_inodes "$1" > /tmp/listen.$$ 2>/dev/null
	if [ -z "${2:-}" ]; then
		[ -s /tmp/listen.$$ ]
		listen_st=$?
	else
		listen_st=1
		while read -r ino; do
			ls -l /proc/"$2"/fd 2>/dev/null | grep -q "socket:\[$ino\]" &&
				listen_st=0
		done < /tmp/listen.$$
	fi
	rm -f /tmp/listen.$$
	return $listen_st
}

wait_listening() {
	wl_port=$1 wl_pid=${2:-} wl_secs=${3:-30}
	wl_tries=$(awk -v s="$wl_secs" -v k="${KT_SCALE:-1}" \
		'BEGIN { if (k < 1) k = 1; print int(s * k * 10) }')
	wl_i=0
	until listening "$wl_port" $wl_pid; do
		if [ -n "$wl_pid" ] && ! kill -0 "$wl_pid" 2>/dev/null; then
			echo "# process $wl_pid exited before it listened on port $wl_port"
			return 1
		fi
		wl_i=$((wl_i + 1))
		if [ $wl_i -gt "$wl_tries" ]; then
			echo "# nothing listens on port $wl_port after $wl_secs s (x ${KT_SCALE:-1})"
			return 1
		fi
		sleep 0.1
	done
}

start_listening() {
	sl_log=$1 sl_port=$2
	shift 2
	"$@" > "$sl_log" 2>&1 &
	listen_pid=$!
	wait_listening "$sl_port" $listen_pid && return 0
	echo "# $* did not start:"
	sed 's/^/#   /' "$sl_log"
	kill $listen_pid 2>/dev/null
	wait $listen_pid 2>/dev/null
	return 1
}
