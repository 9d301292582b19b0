#!/bin/sh
# Where the time goes: perf (cpu-clock, the only event under TCG) over a
# load, for each server given.  Run by `make profile`.
#   profile.sh [servers=kecho-event,kecho-kthread] [conns=10] [secs=3]
#              [len=64] [mode=pingpong|pipeline]
#              [load=keepalive|close] [size=4096] [callers=SYM,SYM]
# An echo server is kecho-DESIGN[-WQ], kecho-zerocopy, or one of the
# peers epoll, uring and sockmap (the BPF floor); kecho-bench drives it
# (len, mode).  An HTTP server is khttpd-event, khttpd-kthread, nginx or
# lighttpd, as the HTTP benchmark starts them (khttpd-event-unbound and
# khttpd-event-highpri: the event design on those workqueues); wrk (load=keepalive) or
# ab (load=close, a connection per request) fetches a file of size bytes.
# callers= prints, for each symbol given, the call chains that led to it.
cd /kecho || exit 1
servers=kecho-event,kecho-kthread
conns=10
secs=3
len=64
mode=pingpong
load=keepalive
size=4096
callers=
for arg in "$@"; do
	case $arg in
	servers=*) servers=${arg#servers=} ;;
	conns=*) conns=${arg#conns=} ;;
	secs=*) secs=${arg#secs=} ;;
	len=*) len=${arg#len=} ;;
	mode=*) mode=${arg#mode=} ;;
	load=*) load=${arg#load=} ;;
	size=*) size=${arg#size=} ;;
	callers=*) callers=${arg#callers=} ;;
	esac
done
mount -t tmpfs tmp /tmp 2>/dev/null
MOD=kecho KO=/kecho/kecho.ko ST=/proc/net/kecho ADDR=127.0.0.1:12345
. tests/lib/ktap.sh
. tests/lib/listen.sh
. tests/engine/lib.sh

# The HTTP servers' docroot: one file of random bytes.
WWW=/srv/www
NCPU=$(nproc)
. bench/http_servers.sh

http_docroot() {
	mkdir -p $WWW
	grep -q " $WWW " /proc/mounts || mount -t tmpfs www $WWW
	head -c "$size" /dev/urandom > $WWW/f$size.bin
	head -c 100 /dev/urandom > $WWW/f100.bin
	chmod -R a+rX $WWW
}

# start SERVER / stop SERVER: as bench/run.sh and bench/http.sh start and
# stop them.
start() {
	case $1 in
	khttpd-*|nginx|lighttpd)
		http_docroot
		engine_load || return 1
		start_server "$1" ;;
	kecho-zerocopy)
		mod_insmod design=event zerocopy=1 ;;
	kecho-*)
		set -- $(echo "${1#kecho-}" | tr '-' ' ')
		mod_insmod design=$1 ${2:+wq=$2} ;;
	epoll|uring|sockmap)
		start_listening /tmp/server.err "$PORT" \
			"$1-echo" -a $ADDR -T "$(nproc)" || return 1
		server_pid=$listen_pid ;;
	*)
		echo "# unknown server $1"
		return 1 ;;
	esac
}

stop() {
	case $1 in
	kecho-*) mod_rmmod ;;
	khttpd-*|nginx|lighttpd) stop_server "$1" ;;
	*) kill "$server_pid"; wait "$server_pid" 2>/dev/null ;;
	esac
}
# load_start SERVER: the load, in the background ($pid), for secs + 2 s.
load_start() {
	case $1 in
	khttpd-*|nginx|lighttpd)
		url="http://127.0.0.1:$(port_of "$1")/f$size.bin"
		if [ "$load" = close ]; then
			ab -t $((secs + 2)) -n 10000000 -c "$conns" "$url" \
				> /tmp/bench.out 2>&1 &
		else
			wrk -t2 -c"$conns" -d$((secs + 2))s "$url" \
				> /tmp/bench.out 2>&1 &
		fi ;;
	*)
		kecho-bench -a $ADDR -c "$conns" -T 2 -l "$len" -m "$mode" -w 1 \
			-t $((secs + 2)) > /tmp/bench.out & ;;
	esac
	pid=$!
}

# load_result SERVER: the load's rate and errors, and the server's counters.
load_result() {
	case $1 in
	khttpd-*|nginx|lighttpd)
		echo "## $1: $load, $size B x $conns connections: $(grep -E '^Requests.sec|^Requests per second' /tmp/bench.out)"
		grep -E 'Non-2xx|Socket errors|^Failed requests|^Complete requests' /tmp/bench.out |
			sed 's/^ */# /'
		counters=/proc/net/khttpd ;;
	*)
		echo "## $1: $(grep -i 'msgs/s' /tmp/bench.out | head -n 1)"
		counters=/proc/net/kecho ;;
	esac
	[ -e $counters ] && grep -v '^design\|^wq\|^max_active' $counters |
		tr '\n' ' ' | sed 's/^/# counters: /; s/$/\n/'
}

echo 0 > /proc/sys/kernel/kptr_restrict
echo -1 > /proc/sys/kernel/perf_event_paranoid
for s in $(echo $servers | tr ',' ' '); do
	start "$s" || exit 1
	load_start "$s"
	sleep 1.5
	perf record -a -g -e cpu-clock -o /tmp/perf.data -- sleep "$secs" 2>/dev/null
	wait $pid
	load_result "$s"
	echo "# top symbols, all processes"
	perf report -i /tmp/perf.data --stdio --no-children --sort comm,sym \
		--percent-limit 0.7 -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -n 30
	echo "# server side: kworkers, kecho threads, userspace servers"
	perf report -i /tmp/perf.data --stdio --no-children --sort comm,sym \
		--percent-limit 0.15 -g none 2>/dev/null |
		grep -E 'kworker|-conn|-echo|nginx|lighttpd' | head -n 50
	perf report -i /tmp/perf.data --stdio --no-children --sort comm \
		-g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -n 12
	# how much of it is our own code, and how much the hand-off to a kworker
	perf report -i /tmp/perf.data --stdio --no-children --sort sym \
		-g none --percent-limit 0 2>/dev/null | awk '
		/ ksrv_| kecho_| khttpd_| khttp_/ { e += $1 }
		/ queue_work_on| queue_delayed_work_on| __queue_work/ { q += $1 }
		/ cpu_idle_poll/ { i += $1 }
		/ link_path_walk| path_lookupat| walk_component| lookup_fast| __d_lookup| step_into| vfs_path_lookup| complete_walk| terminate_walk| dget_parent| dput$/ { l += $1 }
		/ do_dentry_open| alloc_empty_file| __alloc_file| __fput| file_free| delayed_fput| security_file| fsnotify/ { o += $1 }
		END {
			printf "# share of all samples: ksrv_/kecho_/khttpd_ code %.2f %%, queue_work %.2f %%, idle %.2f %%\n", e, q, i
			printf "# share of all samples: path lookup %.2f %%, file open and close %.2f %%\n", l, o
		}'
	for sym in $(echo "$callers" | tr ',' ' '); do
		echo "# call chains to $sym"
		perf report -i /tmp/perf.data --stdio --no-children -S "$sym" \
			-g graph,0.5,callee --percent-limit 0 2>/dev/null |
			grep -v '^#' | grep -v '^$' | head -n 60
	done
	stop "$s"
done

