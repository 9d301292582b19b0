#!/bin/sh
# The HTTP benchmark, inside the VM (vm/init kmode=run
# kargs="bench/http.sh ARGS").  In one boot, serving the same docroot (a
# tmpfs), to Debian's own clients:
#   khttpd-event         khttpd, its event design
#   khttpd-kthread       khttpd, a kthread per connection (the KernelHTTP model)
#   khttpd-relay-python  khttpd with proxy=all: every request relayed over a
#                        new kernel TCP connection to python3 -m http.server
#   khttpd-relay-nginx   the same relay to nginx: the relay's own cost
#   nginx, lighttpd      configured for static files (bench/http/*.conf)
# The loads:
#   keepalive  wrk -t2 -cN -dS --latency          (p50/p99 from wrk)
#   pipeline   h2load --h1 -m 16 -cN -D S         (16 requests in flight per connection)
#   close      ab -t S -n 10000000 -cN            (a connection per request, no -k)
# Each client runs S seconds (h2load and ab by time, not by count, so
# that every point costs the same time whatever its rate).
#
# Arguments:
#   plan=demo   10 connections x 4 KiB, keepalive and close: khttpd, the
#               relay to python3, nginx, lighttpd (make demo)
#   plan=quick  the demo points and 10 x 1 MiB keepalive, 10 x 100 B
#               pipeline, every server (a check of the driver)
#   plan=full   files 100 B, 4 KiB, 64 KiB, 1 MiB x 1, 10, 100, 1000
#               connections x the three loads, less the points that say
#               nothing (a LIMIT line each, with the reason) (make bench-http)
#   secs=N      seconds per point (default 2)
#   rounds=N    how often the headline points run (default 3): round 1 runs
#               the whole plan, server after server; later rounds run the
#               headline points again, servers alternating, so that the
#               report can take the median and show the spread
#   servers=A,B only these servers (also khttpd-event-unbound,
#               khttpd-event-highpri, khttpd-event-percpu: the event design
#               on that workqueue)
#   points=L:S:C,...  only these points (LOAD:SIZE:CONNS), all headline
#
# Every point is checked: before the load, curl fetches the file and cmp
# compares it with the original; during the load the client's own error
# counts are taken.  A point with any error is "ok": false, with the counts.
#
# Output, one line each, read by bench/report_http.py on the host:
#   HTTP {json}       one point: requests/s, latency, errors, CPU, memory
#   LIMIT {json}      a point or server not run, and why
#   INFO key value    the setup
#   CONFIG name line  the userspace servers' configurations, as run
cd /kecho || exit 1
. bench/lib.sh

plan=demo
secs=2
rounds=3
only_servers=
only_points=
for arg in "$@"; do
	case $arg in
	plan=*) plan=${arg#plan=} ;;
	secs=*) secs=${arg#secs=} ;;
	rounds=*) rounds=${arg#rounds=} ;;
	servers=*) only_servers=$(echo "${arg#servers=}" | tr ',' ' ') ;;
	points=*) only_points=$(echo "${arg#points=}" | tr ',' ' ') ;;
	esac
done

WWW=/srv/www
SIZES="100 4096 65536 1048576"
NCPU=$(nproc)
fails=0
server_pid=

# --- the docroot: a tmpfs, files of random bytes made now ---------------
mkdir -p $WWW
grep -q " $WWW " /proc/mounts || mount -t tmpfs www $WWW
for s in $SIZES; do
	head -c "$s" /dev/urandom > $WWW/f$s.bin
done
echo "<h1>kecho HTTP benchmark</h1>" > $WWW/index.html
chmod -R a+rX $WWW

info() {
	echo "INFO kernel $(uname -r)"
	echo "INFO cpus $NCPU"
	echo "INFO cpu_model $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
	echo "INFO mem_kib $(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)"
	echo "INFO cmdline $(cat /proc/cmdline)"
	echo "INFO plan $plan"
	echo "INFO secs $secs"
	echo "INFO rounds $rounds"
	echo "INFO nofile $(ulimit -n)"
	echo "INFO nginx $(/usr/sbin/nginx -v 2>&1 | sed 's/^nginx version: //')"
	echo "INFO lighttpd $(/usr/sbin/lighttpd -v 2>&1 | head -n 1 | sed 's/ - .*//')"
	echo "INFO python3 $(command -v python3 > /dev/null && python3 --version 2>&1 || echo missing)"
	echo "INFO wrk $(wrk -v 2>&1 | head -n 1 | awk '{ print $2 }')"
	echo "INFO h2load $(h2load --version 2>&1 | head -n 1)"
	echo "INFO ab $(ab -V 2>&1 | head -n 1 | sed 's/.*Version //; s/ .*//')"
	echo "INFO curl $(curl --version | head -n 1 | awk '{ print $2 }')"
}

. bench/http_servers.sh

# The guest's CPU time, in jiffies (USER_HZ, 100 a second): "uptime
# idle tick", where uptime is wall time since boot, idle the idle and
# iowait time of all CPUs, and tick the busy fields.  Busy time over a
# window is its wall time x CPUs less its idle time.  The idle time is
# exact (a tickless kernel measures each idle period); the busy fields
# are the timer tick's samples, which miss or double-count short bursts
# of work, so they are only reported beside it.
cpu_jiffies() {
	awk 'NR == FNR { up = $1 * 100; next }
	/^cpu / { printf "%d %d %d\n", up, $5 + $6, $2 + $3 + $4 + $7 + $8 + $9 }' \
		/proc/uptime /proc/stat
}

# The highest mem_bytes of khttpd while the load runs, every 0.2 s.
mem_sampler() {
	max=0
	while [ ! -e /tmp/sampler.stop ]; do
		v=$(awk '/^mem_bytes / { print $2 }' /proc/net/khttpd 2>/dev/null)
		[ -n "$v" ] && [ "$v" -gt "$max" ] 2>/dev/null && max=$v
		echo $max > /tmp/sampler.max
		usleep 200000
	done
}

# Turn a client's output into JSON members: requests, rps, latency and
# the error counts, with "err_total".  Latencies in µs.
parse_wrk() {
	awk '
	function us(v) {
		if (v ~ /us$/) return v + 0
		if (v ~ /ms$/) return v * 1000
		if (v ~ /m$/) return v * 60000000
		if (v ~ /s$/) return v * 1000000
		return v + 0
	}
	/requests in/ { req = $1 }
	/^Requests\/sec:/ { rps = $2 }
	/^ +Latency +[0-9]/ { mean = us($2) }
	/^ +50% / { p50 = us($2) }
	/^ +75% / { p75 = us($2) }
	/^ +90% / { p90 = us($2) }
	/^ +99% / { p99 = us($2) }
	/Socket errors:/ { gsub(",", ""); conn = $4; rd = $6; wr = $8; to = $10 }
	/Non-2xx or 3xx responses:/ { non2xx = $5 }
	END {
		e = conn + rd + wr + to + non2xx
		printf "\"requests\": %d, \"rps\": %.2f, \"mean_us\": %.1f, \"p50_us\": %.1f, \"p75_us\": %.1f, \"p90_us\": %.1f, \"p99_us\": %.1f, ", req, rps, mean, p50, p75, p90, p99
		printf "\"errors\": {\"non2xx_3xx\": %d, \"connect\": %d, \"read\": %d, \"write\": %d, \"timeout\": %d}, \"err_total\": %d", non2xx, conn, rd, wr, to, e
	}'
}

parse_h2load() {
	awk '
	function us(v) {
		if (v ~ /us$/) return v + 0
		if (v ~ /ms$/) return v * 1000
		if (v ~ /s$/) return v * 1000000
		return v + 0
	}
	/^finished in/ { gsub(",", ""); rps = $4 }
	/^requests:/ { gsub(",", ""); total = $2; started = $4; done = $6; succ = $8; failed = $10; errored = $12; to = $14 }
	/^status codes:/ { gsub(",", ""); s2 = $3; s3 = $5; s4 = $7; s5 = $9 }
	/^time for request:/ { mean = us($6) }
	END {
		e = failed + errored + to + s3 + s4 + s5
		if (succ == "") e++
		printf "\"requests\": %d, \"rps\": %.2f, \"mean_us\": %.1f, ", succ, rps, mean
		printf "\"errors\": {\"failed\": %d, \"errored\": %d, \"timeout\": %d, \"status_3xx\": %d, \"status_4xx\": %d, \"status_5xx\": %d, \"no_summary\": %d}, \"err_total\": %d", failed, errored, to, s3, s4, s5, (succ == "") ? 1 : 0, e
	}'
}

parse_ab() {
	awk '
	/^Complete requests:/ { req = $3 }
	/^Failed requests:/ { failed = $3 }
	/^ +\(Connect:/ { gsub("[(),]", ""); c = $2; r = $4; l = $6; x = $8 }
	/^Write errors:/ { we = $3 }
	/^Non-2xx responses:/ { non2xx = $3 }
	/^Requests per second:/ { rps = $4 }
	/^Time per request:.*\(mean\)$/ { mean = $4 * 1000 }
	/^ +50% / { p50 = $2 * 1000 }
	/^ +90% / { p90 = $2 * 1000 }
	/^ +99% / { p99 = $2 * 1000 }
	END {
		e = failed + we + non2xx
		if (req == "") e++
		printf "\"requests\": %d, \"rps\": %.2f, \"mean_us\": %.1f, \"p50_us\": %.1f, \"p90_us\": %.1f, \"p99_us\": %.1f, ", req, rps, mean, p50, p90, p99
		printf "\"errors\": {\"failed\": %d, \"connect\": %d, \"receive\": %d, \"length\": %d, \"exceptions\": %d, \"write\": %d, \"non2xx\": %d, \"no_summary\": %d}, \"err_total\": %d", failed, c, r, l, x, we, non2xx, (req == "") ? 1 : 0, e
	}'
}

# point SERVER LOAD SIZE CONNS
point() {
	server=$1 load=$2 size=$3 conns=$4
	at=$(cut -d' ' -f1 /proc/uptime)
	url="http://127.0.0.1:$(port_of "$server")/f$size.bin"
	t=2
	[ "$conns" -lt 2 ] && t=1
	check=ok
	rm -f /tmp/got
	if ! curl -s -f -o /tmp/got "$url"; then
		check=fetch_failed
	elif ! cmp -s /tmp/got "$WWW/f$size.bin"; then
		check=mismatch
	fi
	if [ $check != ok ]; then
		echo "# $server $load ${size}B c=$conns: check $check"
		echo "HTTP {\"server\": \"$server\", \"round\": $round, \"load\": \"$load\", \"size\": $size, \"conns\": $conns, \"secs\": $secs, \"check\": \"$check\", \"exit\": -1, \"ok\": false, \"requests\": 0, \"err_total\": 1, \"errors\": {\"check\": 1}}"
		fails=$((fails + 1))
		settle /proc/net/khttpd $settle_max
		return
	fi
	sampling=
	case $server in khttpd-*)
		if [ "$size" = 1048576 ]; then
			rm -f /tmp/sampler.stop /tmp/sampler.max
			mem_sampler &
			sampling=$!
		fi ;;
	esac
	set -- $(cpu_jiffies)
	up0=$1 idle0=$2 tick0=$3
	start=$(date +%s)
	case $load in
	keepalive)
		client=wrk
		wrk -t$t -c"$conns" -d"${secs}s" --latency --timeout 5s "$url" > /tmp/client.out 2>&1 ;;
	pipeline)
		client=h2load
		h2load --h1 -m 16 -t$t -c"$conns" -D "$secs" "$url" > /tmp/client.out 2>&1 ;;
	close)
		client=ab
		ab -t "$secs" -n 10000000 -c "$conns" "$url" > /tmp/client.out 2>&1 ;;
	esac
	rc=$?
	wall=$(($(date +%s) - start))
	set -- $(cpu_jiffies)
	total=$((($1 - up0) * NCPU)) tick=$(($3 - tick0))
	busy=$((total - ($2 - idle0)))
	[ $busy -lt 0 ] && busy=0
	mem=
	if [ -n "$sampling" ]; then
		touch /tmp/sampler.stop
		wait "$sampling"
		mem=", \"mem_max_bytes\": $(cat /tmp/sampler.max 2>/dev/null || echo -1)"
	fi
	fields=$(parse_$client < /tmp/client.out)
	json="{\"server\": \"$server\", \"round\": $round, \"at\": $at, \"load\": \"$load\", \"client\": \"$client\", \"size\": $size, \"conns\": $conns, \"secs\": $secs, \"check\": \"$check\", \"exit\": $rc, $fields, \"cpu_busy_jiffies\": $busy, \"cpu_total_jiffies\": $total, \"cpu_tick_busy_jiffies\": $tick, \"wall_secs\": $wall$mem}"
	# ok: the client ran to its end, counted requests and no error
	good=$(echo "$json" | awk '{
		e = $0; sub(/.*"err_total": /, "", e); e += 0
		r = $0; sub(/.*"requests": /, "", r); r += 0
		print (e == 0 && r > 0) ? "true" : "false" }')
	[ $rc != 0 ] && good=false
	if [ $good = false ]; then
		fails=$((fails + 1))
		echo "# $server $load ${size}B c=$conns: FAILED (exit $rc)"
		grep -v '^progress:\|^spawning\|^Warm-up\|^Main benchmark\|^Stopped\|^Completed\|^Finished' /tmp/client.out |
			tail -n 8 | sed 's/^/#   /'
	fi
	echo "HTTP ${json%\}}, \"ok\": $good}"
	settle /proc/net/khttpd $settle_max
}

# The points of the plan, as LOAD:SIZE:CONNS, and those skipped, with why.
skip_reason() {
	load=$1 size=$2 conns=$3
	case $load:$size:$conns in
	keepalive:1048576:1000)
		echo "fewer responses fit in a ${secs} s run than there are connections, so the figure would be start-up and client timeouts, not throughput" ;;
	pipeline:1048576:*)
		echo "16 pipelined 1 MiB responses per connection only measure bandwidth, which keep-alive at 1 MiB already shows" ;;
	pipeline:65536:1000)
		echo "16 pipelined 64 KiB responses on each of 1000 connections ask for 1 GiB at once: bandwidth only, which keep-alive shows" ;;
	close:65536:1000|close:1048576:1000)
		echo "concurrent connection-per-request fetches of a large file: ab's single thread and bandwidth, nothing the 100-connection point does not show" ;;
	esac
}

case $plan in
demo)
	servers="khttpd-event khttpd-relay-python nginx lighttpd"
	points="keepalive:4096:10 close:4096:10"
	headline=$points
	;;
quick)
	servers="khttpd-event khttpd-kthread nginx lighttpd khttpd-relay-python khttpd-relay-nginx"
	points="keepalive:4096:10 close:4096:10 keepalive:1048576:10 pipeline:100:10"
	headline="keepalive:4096:10"
	;;
full)
	servers="khttpd-event khttpd-kthread nginx lighttpd khttpd-relay-python khttpd-relay-nginx"
	points=
	for load in keepalive pipeline close; do
		for size in $SIZES; do
			for c in 1 10 100 1000; do
				points="$points $load:$size:$c"
			done
		done
	done
	headline="keepalive:4096:10 keepalive:4096:100 close:4096:10 keepalive:1048576:10"
	;;
*)
	echo "unknown plan $plan"
	exit 2
	;;
esac
[ -n "$only_servers" ] && servers=$only_servers
if [ -n "$only_points" ]; then
	points=$only_points
	headline=$only_points
fi

info
commands
for f in bench/http/nginx.conf bench/http/lighttpd.conf; do
	sed "s|^|CONFIG $(basename $f) |" $f
done
# the LIMIT lines of the plan, once
run=
for p in $points; do
	set -- $(echo "$p" | tr ':' ' ')
	why=$(skip_reason "$1" "$2" "$3")
	if [ -n "$why" ]; then
		echo "LIMIT {\"server\": \"all\", \"load\": \"$1\", \"size\": $2, \"conns\": $3, \"reason\": \"$why\"}"
	else
		run="$run $p"
	fi
done
points=$run
n=$(echo $points | wc -w)
h=$(echo $headline | wc -w)
# every server counts, but one that cannot run here
ns=$(echo $servers | wc -w)
case " $servers " in *" khttpd-relay-python "*)
	command -v python3 > /dev/null || ns=$((ns - 1)) ;;
esac
# points with 100 connections and more cost the relay to python3 about
# 25 s more each: it settles slowly (measured under TCG: its 40 points
# of the full plan took 640 s)
slow=0
case " $servers " in *" khttpd-relay-python "*)
	if command -v python3 > /dev/null; then
		for p in $points; do
			[ "${p##*:}" -ge 100 ] && slow=$((slow + 1))
		done
		for p in $headline; do
			[ "${p##*:}" -ge 100 ] && slow=$((slow + rounds - 1))
		done
	fi ;;
esac
echo "INFO points $n"
# a point costs about its seconds, plus 3.5 s of client start-up and
# teardown, checks and settling (measured under TCG)
echo "INFO planned_secs $(( (n + (rounds - 1) * h) * ns * (secs * 2 + 7) / 2 + slow * 25 ))"

# run_server SERVER POINTS
run_server() {
	server=$1
	start_server "$server"
	case $? in
	0) ;;
	2)
		echo "# $server: not run: $why_not"
		[ $round = 1 ] && echo "LIMIT {\"server\": \"$server\", \"reason\": \"$why_not\"}"
		return ;;
	*)
		echo "# cannot start $server"
		echo "LIMIT {\"server\": \"$server\", \"round\": $round, \"reason\": \"did not start\"}"
		fails=$((fails + 1))
		return ;;
	esac
	echo "# $server (round $round) at $(cut -d' ' -f1 /proc/uptime) s"
	for p in $2; do
		set -- $(echo "$p" | tr ':' ' ')
		point "$server" "$1" "$2" "$3"
	done
	stop_server "$server"
	settle /proc/net/khttpd
}

round=1
for server in $servers; do
	run_server "$server" "$points"
done
while [ $round -lt "$rounds" ]; do
	round=$((round + 1))
	# servers alternate, in a rotated order each round
	first=${servers%% *}
	[ "$first" != "$servers" ] && servers="${servers#* } $first"
	for server in $servers; do
		run_server "$server" "$headline"
	done
done
echo "# http bench: $fails failed points; done at $(cut -d' ' -f1 /proc/uptime) s"
[ $fails = 0 ]
