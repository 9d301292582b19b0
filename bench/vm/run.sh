#!/bin/sh
# The benchmark, inside the VM (vm/init, kmode=bench).  Every server is
# measured with the same client, kecho-bench, in the same boot.
#
# Arguments:
#   plan=demo   10 connections x 64 B ping-pong, each server (a minute or two)
#   plan=quick  every server at 10 and 100 connections x 64 B ping-pong
#   plan=full   the whole matrix (make bench), every server at 10 and
#               100 connections x 64 B with a client thread per connection,
#               and plan=cost's points for kecho (event, zero-copy,
#               kthread), epoll and sockmap
#   plan=floor  the sockmap floor, kecho's designs and epoll, at 10 and 100
#               connections x 64 B ping-pong, with either client
#   plan=zerocopy  kecho copying (the default) against kecho zerocopy=1,
#               64 B to 64 KiB, throughput and CPU per message
#   plan=cost   CPU per message: open loop at rate=N messages/s in all
#               (default 2000), 10/100/1000 connections x 64 B/4 KiB;
#               the guest's busy CPU from /proc/stat over the measured
#               time (kecho-bench --cpu), first with no server work at all
#   rate=N      the offered rate of plan=cost
#   secs=N      measured seconds per point (default 2; warm-up 1)
#   threads=N   client threads (default: as many as vCPUs, 1 for 1 conn)
#   rounds=N    how often the headline points are measured (default 3):
#               round 1 runs the whole plan, server after server; later
#               rounds run the headline points again, so that drift and
#               noise show as spread and the report can take the median
#   servers=A,B only these servers (kecho-event[-percpu|-unbound|-highpri],
#               kecho-zerocopy, kecho-blocking, kecho-kthread, epoll, uring, sockmap)
#
# A point is CONNS:LENGTH:MODE[:thread]; ":thread" runs it with
# kecho-bench --client thread (a blocking client thread per connection)
# rather than the epoll client.
#
# Output, one line each, read by bench/report.py on the host:
#   BENCH {json}      a kecho-bench result, with "server" added
#   IDLEMEM {json}    memory of 10,000 idle connections to a server
#   RMMOD {json}      time to unload under load
#   LIMIT {json}      a point not run: beyond the design's structural limit
#   INFO key value    the setup
cd /kecho || exit 1
MOD=kecho
KO=/kecho/kecho.ko
ST=/proc/net/kecho
ADDR=127.0.0.1:12345
. tests/lib/ktap.sh
. tests/lib/listen.sh
. tests/engine/lib.sh
. bench/lib.sh

plan=demo
secs=2
threads=
rounds=3
only_servers=
cost_rate=2000
cost_servers=
cost_points=
for arg in "$@"; do
	case $arg in
	plan=*) plan=${arg#plan=} ;;
	secs=*) secs=${arg#secs=} ;;
	threads=*) threads=${arg#threads=} ;;
	rounds=*) rounds=${arg#rounds=} ;;
	servers=*) only_servers=$(echo "${arg#servers=}" | tr ',' ' ') ;;
	rate=*) cost_rate=${arg#rate=} ;;
	esac
done

fails=0

info() {
	echo "INFO kernel $(uname -r)"
	echo "INFO cpus $(nproc)"
	echo "INFO cpu_model $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
	echo "INFO mem_kib $(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)"
	echo "INFO cmdline $(cat /proc/cmdline)"
	echo "INFO plan $plan"
	echo "INFO secs $secs"
}

# start_server NAME: load or start it, and wait until it listens.
start_server() {
	case $1 in
	kecho-zerocopy)
		mod_insmod design=event zerocopy=1 || return 1
		;;
	kecho-*)
		set -- $(echo "${1#kecho-}" | tr '-' ' ')
		args="design=$1"
		[ -n "${2:-}" ] && args="$args wq=$2"
		mod_insmod $args || return 1
		;;
	epoll|uring|sockmap)
		start_listening /tmp/server.err "$PORT" \
			"$1-echo" -a $ADDR -T "$(nproc)" || return 1
		server_pid=$listen_pid
		;;
	esac
}

stop_server() {
	case $1 in
	kecho-*)
		mod_rmmod ;;
	*)
		kill "$server_pid"
		wait "$server_pid" 2>/dev/null ;;
	esac
}

# point SERVER CONNS LENGTH MODE [thread]
point() {
	server=$1 conns=$2 len=$3 mode=$4
	extra=
	[ "$mode" = pipeline ] && extra="-d 16"
	[ "${5:-}" = thread ] && extra="--client thread"
	[ "$mode" = rate ] && extra="-r $cost_rate"
	nt=${threads:-$(nproc)}
	[ "$conns" -lt "$nt" ] && nt=$conns
	# --cpu everywhere: at saturation it checks the accounting
	out=$(kecho-bench -a $ADDR -c "$conns" -T $nt -l "$len" -m "$mode" \
		$extra --cpu -w 1 -t "$secs" --json 2>/tmp/bench.err)
	rc=$?
	if [ -z "$out" ]; then
		echo "# $server c=$conns l=$len $mode: no result (exit $rc)"
		sed 's/^/#   /' /tmp/bench.err | head -n 5
		out="{\"conns\": $conns, \"length\": $len, \"mode\": \"$mode\", \"client\": \"${5:-event}\", \"failed\": true}"
		fails=$((fails + 1))
	elif [ $rc != 0 ]; then
		echo "# $server c=$conns l=$len $mode: kecho-bench exit $rc"
		sed 's/^/#   /' /tmp/bench.err | head -n 5
		fails=$((fails + 1))
	fi
	echo "BENCH {\"server\": \"$server\", \"round\": $round, \"exit\": $rc, \"result\": $out}"
	settle $ST
}

# Memory of 10,000 idle connections: MemAvailable and Slab deltas, both
# ends of every connection included; and kecho's own account.
idlemem() {
	server=$1
	out=$(ktest -s $ST idlemem -n 10000 2>&1 | sed -n 's/^IDLEMEM //p')
	echo "IDLEMEM {\"server\": \"$server\", $out}"
	settle $ST
}

# Unload with 10 streaming and 1,000 idle connections.
rmmod_time() {
	rmmod_during ktest load -c 10 -i 1000 -t 30 -R /tmp/ready > /dev/null
	echo "RMMOD {\"server\": \"$1\", \"seconds\": ${rmmod_secs:--1}, \"load_exit\": ${load_rc:-1}}"
	mod_loaded kecho && mod_rmmod
	settle $ST
}

# The open-loop points of CPU per message: 10, 100, 1,000 x 64 B, 4 KiB.
cost_matrix() {
	for c in 10 100 1000; do
		for l in 64 4096; do
			echo "$c:$l:rate"
		done
	done
}

info
case $plan in
demo)
	servers="kecho-event kecho-blocking kecho-kthread epoll uring"
	points="10:64:pingpong"
	headline=$points
	;;
quick)
	servers="kecho-event-percpu kecho-event-unbound kecho-event-highpri kecho-blocking kecho-kthread epoll uring"
	points="10:64:pingpong 100:64:pingpong"
	headline=$points
	;;
full)
	servers="kecho-event-percpu kecho-event-unbound kecho-event-highpri kecho-zerocopy kecho-blocking kecho-kthread epoll uring sockmap"
	points=
	for c in 1 10 100 1000; do
		for l in 64 4096; do
			for m in pingpong pipeline; do
				points="$points $c:$l:$m"
			done
		done
	done
	points="$points 10000:64:pingpong 10000:4096:pingpong"
	points="$points 10:64:pingpong:thread 100:64:pingpong:thread"
	headline="10:64:pingpong 100:64:pingpong 10:64:pingpong:thread 100:64:pingpong:thread"
	# CPU per message (as plan=cost), in round 1, for these servers
	cost_servers="kecho-event-percpu kecho-event-highpri kecho-zerocopy kecho-kthread epoll sockmap"
	cost_points=$(cost_matrix)
	;;
cost)
	servers="sockmap kecho-event kecho-zerocopy kecho-kthread epoll"
	points=$(cost_matrix)
	headline=$points
	;;
zerocopy)
	servers="kecho-event kecho-zerocopy"
	points="10:64:pingpong 10:4096:pingpong 100:4096:pingpong 10:16384:pingpong"
	points="$points 10:65536:pingpong 10:4096:pipeline 10:65536:pipeline"
	points="$points 10:64:rate 10:4096:rate 100:4096:rate"
	headline=$points
	;;
floor)
	servers="kecho-event kecho-blocking kecho-kthread epoll sockmap"
	points="10:64:pingpong 100:64:pingpong 10:64:pingpong:thread 100:64:pingpong:thread"
	headline=$points
	;;
*)
	echo "unknown plan $plan"
	exit 2
	;;
esac

[ -n "$only_servers" ] && servers=$only_servers
echo "INFO threads ${threads:-$(nproc)}"
# The blocking design serves at most max_active connections per pool at
# once; the rest wait in the queue until one closes, and kecho-bench fails
# their connections after 10 s.  Points above that are not run.
blocking_cap=$((256 * $(nproc)))

# run_server SERVER POINTS: one server through POINTS.
run_server() {
	server=$1
	start_server "$server" || { echo "# cannot start $server"; fails=$((fails + 1)); return; }
	echo "# $server (round $round)"
	for p in $2; do
		set -- $(echo "$p" | tr ':' ' ')
		if [ "$server" = kecho-blocking ] && [ "$1" -gt $blocking_cap ]; then
			[ $round = 1 ] && echo "LIMIT {\"server\": \"$server\", \"conns\": $1, \"length\": $2, \"mode\": \"$3\", \"cap\": $blocking_cap}"
			continue
		fi
		point "$server" "$1" "$2" "$3" "${4:-}"
	done
	# CPU per message is measured in every round: the report takes medians
	case " $cost_servers " in
	*" $server "*)
		for p in $cost_points; do
			set -- $(echo "$p" | tr ':' ' ')
			point "$server" "$1" "$2" "$3"
		done ;;
	esac
	if [ "$plan" = full ] && [ $round = 1 ]; then
		idlemem "$server"
		case $server in
		kecho-*) rmmod_time "$server"; return ;;
		esac
	fi
	stop_server "$server"
	settle $ST
}

# The method's zero: the same window with no server and no client.  Busy
# time is the window's CPU time less idle time, as kecho-bench --cpu takes
# it (idle=poll spins, but counts as idle); it should be near nothing.
if [ "$plan" = cost ] || [ "$plan" = zerocopy ] || [ -n "$cost_servers" ]; then
	i0=$(awk '/^cpu / { print $5+$6 }' /proc/stat)
	u0=$(cut -d' ' -f1 /proc/uptime)
	sleep "$secs"
	i1=$(awk '/^cpu / { print $5+$6 }' /proc/stat)
	u1=$(cut -d' ' -f1 /proc/uptime)
	echo "INFO idle_cpu_busy_s $(awk -v a="$i0" -v b="$i1" -v s="$u0" -v t="$u1" -v n="$(nproc)" \
		'BEGIN { v = (t - s) * n - (b - a) / 100; if (v < 0) v = 0; printf "%.2f", v }')"
	echo "INFO cost_rate $cost_rate"
fi

round=1
for server in $servers; do
	run_server "$server" "$points"
done
while [ $round -lt "$rounds" ]; do
	round=$((round + 1))
	for server in $servers; do
		run_server "$server" "$headline"
	done
done
echo "# bench: $fails failed points"
[ $fails = 0 ]
