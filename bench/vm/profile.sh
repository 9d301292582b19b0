#!/bin/sh
# Where the time goes: perf (cpu-clock, the only event under TCG) over a
# ping-pong run, for each server given.  Run by `make profile`.
#   profile.sh [servers=kecho-event,kecho-kthread] [conns=10] [secs=3]
#              [len=64] [mode=pingpong|pipeline]
# A server is kecho-DESIGN[-WQ], kecho-zerocopy, or one of the peers
# epoll, uring and sockmap (the BPF floor).
cd /kecho || exit 1
servers=kecho-event,kecho-kthread
conns=10
secs=3
len=64
mode=pingpong
for arg in "$@"; do
	case $arg in
	servers=*) servers=${arg#servers=} ;;
	conns=*) conns=${arg#conns=} ;;
	secs=*) secs=${arg#secs=} ;;
	len=*) len=${arg#len=} ;;
	mode=*) mode=${arg#mode=} ;;
	esac
done
mount -t tmpfs tmp /tmp 2>/dev/null
MOD=kecho KO=/kecho/kecho.ko ST=/proc/net/kecho ADDR=127.0.0.1:12345
. tests/lib/ktap.sh
. tests/lib/listen.sh
. tests/engine/lib.sh

# start SERVER / stop SERVER: as bench/run.sh starts and stops them.
start() {
	case $1 in
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
	*) kill "$server_pid"; wait "$server_pid" 2>/dev/null ;;
	esac
}
echo 0 > /proc/sys/kernel/kptr_restrict
echo -1 > /proc/sys/kernel/perf_event_paranoid
for s in $(echo $servers | tr ',' ' '); do
	start "$s" || exit 1
	kecho-bench -a $ADDR -c "$conns" -T 2 -l "$len" -m "$mode" -w 1 \
		-t $((secs + 2)) > /tmp/bench.out &
	pid=$!
	sleep 1.5
	perf record -a -g -e cpu-clock -o /tmp/perf.data -- sleep "$secs" 2>/dev/null
	wait $pid
	echo "## $s: $(grep -i 'msgs/s' /tmp/bench.out | head -n 1)"
	[ -e /proc/net/kecho ] && grep -v '^design\|^wq\|^max_active' /proc/net/kecho |
		tr '\n' ' ' | sed 's/^/# counters: /; s/$/\n/' 
	echo "# top symbols, all processes"
	perf report -i /tmp/perf.data --stdio --no-children --sort comm,sym \
		--percent-limit 0.7 -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -n 30
	echo "# server side: kworkers, kecho threads, userspace servers"
	perf report -i /tmp/perf.data --stdio --no-children --sort comm,sym \
		--percent-limit 0.15 -g none 2>/dev/null |
		grep -E 'kworker|kecho-conn|-echo' | head -n 50
	perf report -i /tmp/perf.data --stdio --no-children --sort comm \
		-g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -n 12
	# how much of it is our own code, and how much the hand-off to a kworker
	perf report -i /tmp/perf.data --stdio --no-children --sort sym \
		-g none --percent-limit 0 2>/dev/null | awk '
		/ ksrv_| kecho_/ { e += $1 }
		/ queue_work_on| queue_delayed_work_on| __queue_work/ { q += $1 }
		/ cpu_idle_poll/ { i += $1 }
		END { printf "# share of all samples: ksrv_/kecho_ code %.2f %%, queue_work %.2f %%, idle %.2f %%\n", e, q, i }'
	stop "$s"
done

