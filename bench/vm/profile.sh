#!/bin/sh
# Where the time goes: perf (cpu-clock, the only event under TCG) over a
# ping-pong run, for each server given.  Run by `make profile`.
#   profile.sh [servers=kecho-event,kecho-kthread] [conns=10] [secs=3]
#              [len=64] [mode=pingpong|pipeline]
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
MOD=kecho KO=/kecho/kecho.ko ST=/proc/net/kecho
. tests/lib/ktap.sh
. tests/engine/lib.sh
echo 0 > /proc/sys/kernel/kptr_restrict
echo -1 > /proc/sys/kernel/perf_event_paranoid
for s in $(echo $servers | tr ',' ' '); do
	set -- $(echo "${s#kecho-}" | tr '-' ' ')
	args="design=$1"
	[ -n "${2:-}" ] && args="$args wq=$2"
	mod_insmod $args || exit 1
	kecho-bench -c "$conns" -T 2 -l "$len" -m "$mode" -w 1 \
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
	mod_rmmod
done

