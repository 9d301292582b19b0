#!/bin/bash
# Host-side tests of the userspace tools and of khttpd's request parser
# (unit tests, and a minute of fuzzing), as KTAP result lines:
# "ok N name", "not ok N name [# SKIP why]" and "# diagnostic".
# Run by "make check", which builds BIN (the static tools) and HOST (the
# unit-test programs).  Exits 1 if any test failed.
#
# Servers listen on loopback ports in 23000-23999 (a block of 40 chosen by
# PID, so two runs rarely collide) and are killed on exit, whatever happens.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/ktap.sh"
. "$here/../lib/listen.sh"

BIN=${BIN:?} HOST=${HOST:?}
TMP=$(mktemp -d /tmp/kecho-host.XXXXXX)
PORT=$((23000 + ($$ % 24) * 40))
SERVERS=()

cleanup() {
	local pid

	for pid in "${SERVERS[@]}"; do
		kill "$pid" 2>/dev/null
	done
	wait 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

diag() { ktap_diag "$@"; }
report() { ktap_ok "$@"; }
skip() { ktap_skip "$@"; }

# start_server v4|v6 PROGRAM ARGS...: start it on the next free port and
# wait until it listens.  Sets ADDR and SERVER_PID.
start_server() {
	local fam=$1 st

	shift
	PORT=$((PORT + 1))
	if [ "$fam" = v6 ]; then ADDR="[::1]:$PORT"; else ADDR="127.0.0.1:$PORT"; fi
	start_listening "$TMP/server.$PORT" "$PORT" "$@" -a "$ADDR"
	st=$?
	SERVER_PID=$listen_pid
	SERVERS+=("$SERVER_PID")
	return $st
}

# stop_server: SIGTERM, and return the server's exit status.
stop_server() {
	kill "$SERVER_PID" 2>/dev/null
	wait "$SERVER_PID"
}

# bench ARGS...: kecho-bench --json; sets RC.
bench() {
	timeout 30 "$BIN/kecho-bench" --json "$@" >"$TMP/out" 2>"$TMP/err"
	RC=$?
}

# jget KEY: a number from kecho-bench's JSON output.
jget() { grep -o "\"$1\":[0-9.]*" "$TMP/out" | cut -d: -f2; }

bench_diag() {
	echo "kecho-bench $*: exit $RC, errors $(jget errors), msgs $(jget msgs)" | diag
	head -n 5 "$TMP/err" | diag
}

# expect_clean ARGS...: exit 0, no errors, and echoes were measured.
expect_clean() {
	bench "$@"
	[ "$RC" -eq 0 ] && [ "$(jget errors)" = 0 ] &&
		[ "$(jget msgs)" -gt 0 ] 2>/dev/null && return 0
	bench_diag "$@"
	return 1
}

# expect_fault KEY ARGS...: exit 1 with KEY (an error counter) above zero.
expect_fault() {
	local key=$1

	shift
	bench "$@"
	[ "$RC" -eq 1 ] && [ "$(jget "$key")" -gt 0 ] 2>/dev/null && return 0
	bench_diag "$@"
	return 1
}

# mode_args MODE: kecho-bench options for a mode, with a message length.
mode_args() {
	case $1 in
	pipeline) echo "-m pipeline -d 4 -l 32" ;;
	rate) echo "-m rate -r 4000 -l 32" ;;
	connect) echo "-m connect -l 256" ;;	# the fault must hit the one message
	thread) echo "--client thread -l 32" ;;	# blocking threads, ping-pong
	*) echo "-m $1 -l 32" ;;
	esac
}

# "thread" is the thread-per-connection client (ping-pong, blocking
# sockets): the same faults must fail it, the same servers pass it.
MODES="pingpong pipeline rate connect thread"

# --- unit tests: the histogram, the message format, khttpd's parser ---------
for prog in hist-test proto-test http-parse-test; do
	for t in $("$HOST/$prog"); do
		"$HOST/$prog" "$t" >"$TMP/unit"
		st=$?
		diag "$TMP/unit"
		report "$t" "$st"
	done
done

# --- khttpd's parser under libFuzzer: one test, HOST_FUZZ_SECS (60) long ------
"$(dirname "$0")/../fuzz/run.sh" "${HOST_FUZZ_SECS:-60}" >"$TMP/fuzz"
st=$?
grep '^#' "$TMP/fuzz"
name=$(sed -n 's/^\(not \)\{0,1\}ok 1 //p' "$TMP/fuzz")
report "${name:-http parser fuzzing did not report}" "$st"

# --- bad arguments: usage on stderr, exit 2 ---------------------------------
# usage_case NAME PATTERN PROGRAM ARGS...
usage_case() {
	local name=$1 pattern=$2 prog=$3 rc

	shift 3
	timeout 5 "$BIN/$prog" "$@" >/dev/null 2>"$TMP/err"
	rc=$?
	if [ "$rc" -eq 2 ] && grep -q '^usage:' "$TMP/err" &&
	   grep -q -- "$pattern" "$TMP/err"; then
		report "$name" 0
	else
		echo "$prog $*: exit $rc, want 2 and usage mentioning '$pattern'" | diag
		head -n 3 "$TMP/err" | diag
		report "$name" 1
	fi
}
usage_case usage_unknown_flag 'usage:' kecho-bench -x
usage_case usage_conns_zero '-c' kecho-bench -c 0
usage_case usage_length_below_header 'header' kecho-bench -l 15
usage_case usage_no_port '-a' kecho-bench -a 127.0.0.1
usage_case usage_port_range '-a' kecho-bench -a 127.0.0.1:65536
usage_case usage_hostname '-a' kecho-bench -a localhost:12345
usage_case usage_v6_unbracketed '-a' kecho-bench -a ::1:12345
usage_case usage_bad_mode 'mode' kecho-bench -m bogus
usage_case usage_missing_value 'usage:' kecho-bench -c
usage_case usage_rate_needs_r '-r' kecho-bench -m rate
usage_case usage_depth_needs_pipeline '-d' kecho-bench -d 4
usage_case usage_thread_client_pingpong_only '--client' kecho-bench --client thread -m rate -r 10
usage_case usage_unknown_client '--client' kecho-bench --client fork
usage_case usage_stray_argument 'unexpected' kecho-bench foo
usage_case usage_epoll_echo_threads 'usage:' epoll-echo -T 0
usage_case usage_uring_echo_address 'usage:' uring-echo -a 1.2.3
usage_case usage_sockmap_echo_threads 'usage:' sockmap-echo -T 2000
usage_case usage_faulty_echo_fault 'usage:' faulty-echo -a 127.0.0.1:1 -f bogus

# --- every fault is caught, in every mode ----------------------------------
# The fault hits the 101st byte: after three clean 32-byte messages in the
# streaming modes, inside the only message in connect mode.
declare -A FAULT_KEY=([corrupt]=errors_mismatch [drop]=errors_mismatch
		      [dup]=errors_mismatch [close]=errors_eof
		      [reset]=errors_reset)
for fault in corrupt drop dup close reset; do
	if start_server v4 "$BIN/faulty-echo" -f "$fault" -n 100; then
		for mode in $MODES; do
			# shellcheck disable=SC2046
			expect_fault "${FAULT_KEY[$fault]}" -a "$ADDR" -c 4 -T 2 \
				-t 1 -w 0 $(mode_args "$mode")
			report "fault_${fault}_${mode}" $?
		done
		stop_server
	else
		for mode in $MODES; do report "fault_${fault}_${mode}" 1; done
	fi
done

# A lost last byte of a message leaves the client waiting, not reading a
# wrong byte: that must be reported as a stall.
if start_server v4 "$BIN/faulty-echo" -f drop -n 127; then
	expect_fault errors_stall -a "$ADDR" -c 2 -t 0.5 -w 0 -l 64
	report fault_drop_last_byte_stall $?
	expect_fault errors_stall -a "$ADDR" -c 2 -t 0.5 -w 0 -l 64 --client thread
	report fault_drop_last_byte_stall_thread $?
	stop_server
else
	report fault_drop_last_byte_stall 1
	report fault_drop_last_byte_stall_thread 1
fi

# --- correct servers pass in every mode, IPv4 and IPv6 ------------------------
have_v6=1
grep -q '^0\{31\}1 ' /proc/net/if_inet6 2>/dev/null || have_v6=0
have_uring=1
[ "$(cat /proc/sys/kernel/io_uring_disabled 2>/dev/null || echo 0)" = 2 ] && have_uring=0

# sockmap-echo loads BPF programs and attaches to the cgroup: root only
have_bpf=1
[ "$(id -u)" = 0 ] || have_bpf=0

for server in faulty-none epoll uring sockmap; do
	case $server in
	faulty-none) cmd=("$BIN/faulty-echo" -f none) ;;
	epoll) cmd=("$BIN/epoll-echo" -T 2) ;;
	uring) cmd=("$BIN/uring-echo" -T 2) ;;
	sockmap) cmd=("$BIN/sockmap-echo" -T 2) ;;
	esac
	for fam in v4 v6; do
		why=
		[ "$fam" = v6 ] && [ $have_v6 = 0 ] && why="no IPv6 loopback"
		[ "$server" = uring ] && [ $have_uring = 0 ] && why="io_uring disabled"
		[ "$server" = sockmap ] && [ $have_bpf = 0 ] && why="BPF needs root"
		if [ -n "$why" ]; then
			for mode in $MODES; do skip "echo_${server}_${fam}_${mode}" "$why"; done
			continue
		fi
		if ! start_server "$fam" "${cmd[@]}"; then
			for mode in $MODES; do report "echo_${server}_${fam}_${mode}" 1; done
			continue
		fi
		for mode in $MODES; do
			# shellcheck disable=SC2046
			expect_clean -a "$ADDR" -c 8 -T 2 -t 0.5 -w 0.1 $(mode_args "$mode")
			report "echo_${server}_${fam}_${mode}" $?
		done
		if [ "$server" != faulty-none ]; then
			# Messages far larger than the socket buffers force short
			# writes: the servers' EPOLLOUT / resubmit paths.
			expect_clean -a "$ADDR" -c 4 -T 2 -t 0.5 -w 0 -l 4000000 \
				-m pipeline -d 4
			report "echo_${server}_${fam}_short_writes" $?
			expect_clean -a "$ADDR" -c 4 -t 0.5 -w 0 -l 4000000 \
				--client thread
			report "echo_${server}_${fam}_short_writes_thread" $?
			stop_server
			report "echo_${server}_${fam}_sigterm_exit_0" $?
		else
			stop_server
		fi
	done
done

# --- nobody listening: every connect fails, and so does the run -------------
PORT=$((PORT + 1))
expect_fault connect_failures -a "127.0.0.1:$PORT" -c 4 -t 0.2 -w 0
report connect_refused_fails $?
expect_fault connect_failures -a "127.0.0.1:$PORT" -c 4 -t 0.2 -w 0 --client thread
report connect_refused_fails_thread $?

# --- the JSON names the client: a thread per connection, as many as conns ---
if start_server v4 "$BIN/epoll-echo" -T 2; then
	expect_clean -a "$ADDR" -c 12 -T 2 -t 0.3 -w 0 --client thread &&
		grep -q '"client":"thread"' "$TMP/out" && [ "$(jget threads)" = 12 ]
	report thread_client_json $?
	expect_clean -a "$ADDR" -c 12 -T 2 -t 0.3 -w 0 &&
		grep -q '"client":"event"' "$TMP/out" && [ "$(jget threads)" = 2 ]
	report event_client_json $?
	# --cpu: /proc/stat over the window; without it, -1.  The window's
	# CPU time is wall time x CPUs (1 s here, within 10 %), busy is that
	# less idle and cannot exceed it, and the tick's own sample is there.
	# The load must keep the CPU measurably busy on a quiet host: /proc/stat
	# counts in 10 ms units, and its idle time can even step back a little.
	expect_clean -a "$ADDR" -c 8 -t 1 -w 0 -m rate -r 20000 --cpu &&
		cpu_ok=$(awk -v t="$(jget cpu_total_s)" -v u="$(jget cpu_us_per_msg)" \
			-v b="$(jget cpu_busy_s)" -v k="$(jget cpu_tick_busy_s)" \
			-v n="$(nproc)" \
			'BEGIN { print (t > 0.9 * n && t < 1.1 * n && u > 0 &&
					b > 0 && b <= t && k != "") ? "yes" : "no" }') &&
		{ [ "$cpu_ok" = yes ] ||
		  grep -o '"cpu_[a-z_]*":[-0-9.]*' "$TMP/out" | diag; } &&
		[ "$cpu_ok" = yes ] &&
		expect_clean -a "$ADDR" -c 4 -t 0.2 -w 0 &&
		grep -q '"cpu_total_s":-1' "$TMP/out"
	report bench_cpu_per_message $?
	stop_server
else
	report thread_client_json 1
	report event_client_json 1
	report bench_cpu_per_message 1
fi

# --- many connections, opened in batches --------------------------------------
if start_server v4 "$BIN/epoll-echo" -T 2; then
	expect_clean -a "$ADDR" -c 3000 -T 2 -t 0.5 -w 0 -l 32
	report bench_3000_conns $?
	stop_server
else
	report bench_3000_conns 1
fi

# --- hbackend, the relay's test backend (tests/http/backend.sh) ---------------
# Each mode on its own port, checked with curl (and hclient raw for exact
# bytes on the wire).
. "$here/../http/backend.sh"
export HBACKEND=$BIN/hbackend BACKEND_LOGS=$TMP
WWW=$TMP/www
mkdir -p "$WWW/sub"
head -c 1048577 /dev/urandom > "$WWW/big.bin"	# odd: half is 524288
head -c 163840 /dev/urandom > "$WWW/slow.bin"	# 10 x 16 KiB
head -c 3000 /dev/urandom > "$WWW/small.bin"
echo "<h1>sub</h1>" > "$WWW/sub/index.html"
: > "$WWW/empty"

usage_case usage_hbackend_bad_mode 'mode' hbackend -p 1 -d . -m bogus
usage_case usage_hbackend_no_dir '-d' hbackend -p 1 -m length
usage_case usage_hbackend_bad_addr '-a' hbackend -a 1.2.3 -p 1 -d . -m length

# hb_start MODE [ADDR]: hbackend on the next port; sets U (its URL) and HP
# (HOST:PORT for hclient).
hb_start() {
	PORT=$((PORT + 1))
	HP=127.0.0.1:$PORT U=http://127.0.0.1:$PORT
	[ -n "${2:-}" ] && U="http://[$2]:$PORT"
	backend_start "$1" "$PORT" "$WWW" "${2:-127.0.0.1}" > "$TMP/hb.start"
	local st=$?
	diag "$TMP/hb.start"
	[ $st = 0 ] && SERVERS+=("$backend_pid")
	return $st
}

# hb_case NAME FUNC...: test NAME fails if FUNC returns non-zero or calls
# bad; FUNC's output is shown as diagnostics.
hb_case() {
	local name=$1 st

	shift
	HB_BAD=0
	"$@" > "$TMP/hb.out" 2>&1
	st=$?
	[ $HB_BAD = 0 ] || st=1
	diag "$TMP/hb.out"
	report "$name" $st
}

# bad WHY: the test fails, for that reason
bad() { echo "$*"; HB_BAD=1; }

# get PATH [CURL ARGS...]: GET (or what the ARGS say) into $TMP/body and
# $TMP/hdr; sets CODE and CRC (curl's exit status).
get() {
	local path=$1

	shift
	CODE=$(curl -s -o "$TMP/body" -D "$TMP/hdr" -w '%{http_code}' -m 20 \
		"$@" "$U$path")
	CRC=$?
}

# hdr NAME: that response header's value, from $TMP/hdr
hdr() { tr -d '\r' < "$TMP/hdr" | sed -n "s/^$1: *//Ip" | head -n 1; }

# raw FILE [IDLE]: send FILE with hclient raw; the response in $TMP/raw,
# hclient's exit in RRC (0: the server closed, 2: still open).
raw() {
	"$BIN/hclient" raw -t "${2:-3}" "$HP" "$1" > "$TMP/raw" 2> "$TMP/raw.err"
	RRC=$?
}

# is_head_only: $TMP/raw is one response head and nothing after it
is_head_only() {
	local n

	n=$(grep -c -a '^HTTP/' "$TMP/raw")
	[ "$n" = 1 ] || bad "$n status lines"
	n=$(grep -a -m 1 -n $'^\r$' "$TMP/raw" | cut -d: -f1)	# the empty line
	[ -n "$n" ] && [ "$(head -n "$n" "$TMP/raw" | wc -c)" = "$(wc -c < "$TMP/raw")" ] ||
		bad "bytes after the head"
}

t_get_file() {	# MODE: GET big.bin, framed as MODE says
	get /big.bin
	[ "$CRC" = 0 ] && [ "$CODE" = 200 ] || bad "curl exit $CRC, status $CODE"
	cmp "$TMP/body" "$WWW/big.bin" || bad "body differs"
	grep -q -i '^X-Backend-Hop: 1' "$TMP/hdr" || bad "no X-Backend-Hop"
	case $1 in
	length|slow)
		[ "$(hdr Content-Length)" = 1048577 ] || bad "Content-Length $(hdr Content-Length)"
		[ -z "$(hdr Transfer-Encoding)" ] || bad "Transfer-Encoding" ;;
	chunked)
		[ "$(hdr Transfer-Encoding)" = chunked ] || bad "not chunked"
		[ -z "$(hdr Content-Length)" ] || bad "Content-Length with chunked" ;;
	eof)
		head -n 1 "$TMP/hdr" | grep -q '^HTTP/1.0 200 OK' || bad "status line: $(head -n 1 "$TMP/hdr")"
		[ -z "$(hdr Content-Length)$(hdr Transfer-Encoding)" ] || bad "framed" ;;
	esac
}

t_head() {	# HEAD: the head, Content-Length (or chunked), no body
	printf 'HEAD /big.bin HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' > "$TMP/req"
	raw "$TMP/req"
	[ "$RRC" = 0 ] || bad "hclient raw exit $RRC"
	is_head_only || return 1
	case $1 in
	chunked) grep -q -a -i '^Transfer-Encoding: chunked' "$TMP/raw" || bad "not chunked" ;;
	eof) grep -q -a '^HTTP/1.0 200 OK' "$TMP/raw" || bad "not HTTP/1.0 200 OK"
	     ! grep -q -a -i '^Content-Length:' "$TMP/raw" || bad "Content-Length" ;;
	*) grep -q -a -i '^Content-Length: 1048577' "$TMP/raw" || bad "no Content-Length" ;;
	esac
}

t_dir_index() {
	get /sub/
	[ "$CODE" = 200 ] && cmp "$TMP/body" "$WWW/sub/index.html" || bad "status $CODE"
	[ "$(hdr Content-Type)" = text/html ] || bad "Content-Type $(hdr Content-Type)"
}

t_missing() {	# 404 with a short body
	get /no-such-file
	[ "$CODE" = 404 ] || bad "status $CODE"
	local n
	n=$(wc -c < "$TMP/body")
	[ "$n" -gt 0 ] && [ "$n" -lt 100 ] || bad "404 body of $n bytes"
	get /../etc/passwd --path-as-is
	[ "$CODE" = 404 ] || bad "/../etc/passwd: status $CODE"
}

t_post_echo() {	# POST and PUT (chunked upload too): the body comes back
	get /anything --data-binary @"$WWW/big.bin"
	[ "$CODE" = 200 ] && cmp "$TMP/body" "$WWW/big.bin" || bad "POST: status $CODE"
	get /x -X PUT --data-binary @"$WWW/small.bin"
	[ "$CODE" = 200 ] && cmp "$TMP/body" "$WWW/small.bin" || bad "PUT: status $CODE"
	get /x -T - < "$WWW/small.bin"	# Transfer-Encoding: chunked
	[ "$CODE" = 200 ] && cmp "$TMP/body" "$WWW/small.bin" || bad "chunked PUT: status $CODE"
	get /x -X DELETE
	[ "$CODE" = 200 ] && [ ! -s "$TMP/body" ] || bad "DELETE: status $CODE"
}

# body_of FILE: the body of the one HTTP response in FILE (framed by
# Content-Length, chunked or the end), on stdout
body_of() {
	python3 - "$1" <<'PY'
import re, sys
raw = open(sys.argv[1], 'rb').read()
head, _, rest = raw.partition(b'\r\n\r\n')
cl = re.search(rb'(?im)^content-length: *(\d+)', head)
if re.search(rb'(?im)^transfer-encoding: *chunked', head):
    body = b''
    while True:
        line, _, rest = rest.partition(b'\r\n')
        size = int(line.split(b';')[0], 16)
        if not size:
            break
        body, rest = body + rest[:size], rest[size + 2:]
elif cl:
    body = rest[:int(cl.group(1))]
else:
    body = rest
sys.stdout.buffer.write(body)
PY
}

t_echo_head() {	# /echo-head: the request head, byte for byte
	printf 'POST /echo-head?q=1 HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: 10.1.2.3\r\nTE: trailers\r\nConnection: close\r\nContent-Length: 5\r\n\r\n' > "$TMP/req.head"
	{ cat "$TMP/req.head"; printf 'hello'; } > "$TMP/req"
	raw "$TMP/req"
	[ "$RRC" = 0 ] || bad "hclient raw exit $RRC"
	body_of "$TMP/raw" | cmp - "$TMP/req.head" || bad "not the head"
	curl -s -o "$TMP/body" -H 'X-Forwarded-For: 10.1.2.3' "$U/echo-head" &&
		grep -q -a '^X-Forwarded-For: 10.1.2.3' "$TMP/body" || bad "curl: no X-Forwarded-For"
}

t_keepalive() {	# two requests on one connection; Connection: close closes
	local n
	n=$(curl -s -o /dev/null -o /dev/null -w '%{num_connects} ' "$U/small.bin" "$U/small.bin")
	[ "$n" = "1 0 " ] || bad "keep-alive: connects '$n', want '1 0 '"
	n=$(curl -s -H 'Connection: close' -o /dev/null -o /dev/null -w '%{num_connects} ' \
		"$U/small.bin" "$U/small.bin")
	[ "$n" = "1 1 " ] || bad "Connection: close: connects '$n', want '1 1 '"
	n=$(curl -s -0 -o /dev/null -o /dev/null -w '%{num_connects} ' "$U/small.bin" "$U/small.bin")
	[ "$n" = "1 1 " ] || bad "HTTP/1.0: connects '$n', want '1 1 '"
}

t_pipeline() {	# three requests in one write; the last one closes
	printf 'GET /small.bin HTTP/1.1\r\nHost: t\r\n\r\nGET /sub/ HTTP/1.1\r\nHost: t\r\n\r\nGET /empty HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' > "$TMP/req"
	raw "$TMP/req"
	[ "$RRC" = 0 ] || bad "hclient raw exit $RRC (not closed)"
	local n
	n=$(grep -o -a 'HTTP/1.1 200 OK' "$TMP/raw" | wc -l)
	[ "$n" = 3 ] || bad "$n responses"
	[ "$(wc -c < "$TMP/raw")" -gt 3000 ] || bad "short"
	grep -a -i '^Connection: close' "$TMP/raw" | grep -q . || bad "no Connection: close"
}

t_many() {	# 1000 connections at once, one keep-alive request on each
	timeout 60 "$BIN/hclient" many -n 1000 -t 10 "$HP" "$WWW" /small.bin
}

t_chunk_framing() {	# chunks of 1, 7, 4096, 65536 in turn, extension, trailer
	curl -s --raw -o "$TMP/body" -m 20 "$U/$2" || bad "curl failed"
	python3 - "$TMP/body" "$WWW/$2" <<'PY'
import sys
raw = open(sys.argv[1], 'rb').read()
want = open(sys.argv[2], 'rb').read()
sizes, body, exts, i = [], b'', 0, 0
while True:
    j = raw.index(b'\r\n', i)
    line = raw[i:j]
    size = int(line.split(b';')[0], 16)
    exts += b';' in line
    i = j + 2
    if size == 0:
        break
    body += raw[i:i + size]
    sizes.append(size)
    assert raw[i + size:i + size + 2] == b'\r\n', 'no CRLF after chunk data'
    i += size + 2
assert raw[i:] == b'X-Trailer: done\r\n\r\n', 'trailer: %r' % raw[i:]
assert body == want, 'body differs'
cycle = [1, 7, 4096, 65536]
for k, s in enumerate(sizes[:-1]):
    assert s == cycle[k % 4], 'chunk %d of %d bytes' % (k, s)
assert not want or exts > 0, 'no chunk extension'
print('%d chunks, %d with an extension' % (len(sizes), exts))
PY
}

t_eof_closes() {	# a keep-alive request, still closed after the body
	printf 'GET /small.bin HTTP/1.1\r\nHost: t\r\n\r\n' > "$TMP/req"
	raw "$TMP/req"
	[ "$RRC" = 0 ] || bad "hclient raw exit $RRC (not closed)"
	head -n 1 "$TMP/raw" | grep -q -a '^HTTP/1.0 200 OK' || bad "status line"
	tail -c 3000 "$TMP/raw" | cmp - "$WWW/small.bin" || bad "body differs"
}

t_cut() {	# Content-Length of all, half of the body, then the close
	get /big.bin
	[ "$CRC" = 18 ] || bad "curl exit $CRC, want 18 (partial file)"
	[ "$(hdr Content-Length)" = 1048577 ] || bad "Content-Length $(hdr Content-Length)"
	head -c 524288 "$WWW/big.bin" | cmp - "$TMP/body" || bad "not the first half"
}

t_silent() {	# the request is read, never answered, the connection kept
	printf 'GET /small.bin HTTP/1.1\r\nHost: t\r\n\r\n' > "$TMP/req"
	raw "$TMP/req" 2
	[ "$RRC" = 2 ] || bad "hclient raw exit $RRC, want 2 (still open)"
	[ ! -s "$TMP/raw" ] || bad "it answered"
}

t_slow() {	# the head, then 10 pieces of 16 KiB, each 100 ms after the last
	local t
	t=$(curl -s -o "$TMP/body" -w '%{time_starttransfer} %{time_total}' -m 20 "$U/slow.bin")
	cmp "$TMP/body" "$WWW/slow.bin" || bad "body differs"
	echo "first byte, last byte after: $t s"
	awk -v t="$t" 'BEGIN { split(t, a, " "); exit !(a[2] - a[1] >= 0.9) }' ||
		bad "not slow, or not streamed"
}

t_v6() {
	get /small.bin
	[ "$CODE" = 200 ] && cmp "$TMP/body" "$WWW/small.bin" || bad "status $CODE"
}

for mode in length chunked eof cut silent slow; do
	case $mode in
	length) tests="get_file head dir_index missing post_echo echo_head keepalive pipeline many" ;;
	chunked) tests="get_file head missing post_echo echo_head keepalive chunk_framing chunk_framing_empty" ;;
	eof) tests="get_file head post_echo eof_closes" ;;
	cut) tests="cut" ;;
	silent) tests="silent" ;;
	slow) tests="slow head" ;;
	esac
	if ! hb_start $mode; then
		for tc in $tests sigterm_exit_0; do report "hbackend_${mode}_$tc" 1; done
		continue
	fi
	for tc in $tests; do
		case $tc in
		chunk_framing) hb_case "hbackend_${mode}_$tc" t_chunk_framing "$mode" big.bin ;;
		chunk_framing_empty) hb_case "hbackend_${mode}_$tc" t_chunk_framing "$mode" empty ;;
		*) hb_case "hbackend_${mode}_$tc" "t_$tc" "$mode" ;;
		esac
	done
	hb_case "hbackend_${mode}_sigterm_exit_0" backend_stop
done

if [ $have_v6 = 0 ]; then
	skip hbackend_v6 "no IPv6 loopback"
elif hb_start length ::1; then
	hb_case hbackend_v6 t_v6
	backend_stop
else
	report hbackend_v6 1
fi

# --- the VM harness: boot reports, re-boots, the kernel-log scan -----------
# vm/run.sh with tests/host/fake-qemu in QEMU's place.
# vm_case NAME WANT_RC WANT_BOOTS BOOT...
vm_case() {
	local name=$1 want_rc=$2 want_boots=$3 rc boots

	shift 3
	rm -f "$TMP/boots"
	FAKE_QEMU_BOOTS="$*" FAKE_QEMU_COUNT=$TMP/boots VM_QEMU=$here/fake-qemu \
		VM_OUT=$TMP/vm KERNEL=/dev/null VM_TIMEOUT=20 \
		"$here/../../vm/run.sh" check /dev/null >"$TMP/vm.out" 2>&1
	rc=$?
	boots=$(cat "$TMP/boots" 2>/dev/null || echo 0)
	if [ "$rc" = "$want_rc" ] && [ "$boots" = "$want_boots" ]; then
		report "$name" 0
	else
		echo "vm/run.sh with boots '$*': exit $rc after $boots boots, want $want_rc after $want_boots" | diag
		diag "$TMP/vm.out"
		report "$name" 1
	fi
}
vm_case vm_clean_boot_passes 0 1 clean
vm_case vm_failed_test_fails 1 1 fail
vm_case vm_boot_report_boots_again 0 2 boot-report clean
vm_case vm_boot_report_at_most_3_boots 1 3 boot-report boot-report boot-report clean
vm_case vm_report_after_marker_fails_no_reboot 1 1 late-report clean
vm_case vm_boot_report_then_late_report_fails 1 2 boot-report late-report
vm_case vm_panic_before_marker_boots_again 0 2 boot-panic clean
vm_case vm_panic_before_marker_at_most_3_boots 1 3 boot-panic boot-panic boot-panic clean
vm_case vm_panic_after_marker_fails_no_reboot 1 1 late-panic clean

# scan_case NAME WANT_RC LINE: vm/scan-log.sh on a log with that line.
scan_case() {
	printf '[    1.000000] booting\n%s\n' "$3" >"$TMP/scan.log"
	"$here/../../vm/scan-log.sh" "$TMP/scan.log" >"$TMP/scan.out"
	local rc=$?
	[ "$rc" = "$2" ] || { diag "$TMP/scan.out"; echo "scan-log.sh: exit $rc, want $2" | diag; }
	report "$1" $([ "$rc" = "$2" ]; echo $?)
}
scan_case scan_kasan_flagged 1 '[    0.004000] BUG: KASAN: wild-memory-access in do_raw_spin_lock+0x10d/0x240'
scan_case scan_kernel_bug_at_flagged 1 '[    5.000000] kernel BUG at net/core/skbuff.c:123!'
scan_case scan_lockdep_flagged 1 '[    5.000000] WARNING: possible circular locking dependency detected'
scan_case scan_leak_flagged 1 'kmemleak: unreferenced object 0xffff888003a1b000 (size 192):'
scan_case scan_mmconfig_not_flagged 0 '[    0.100000] PCI: fail to add MMCONFIG information'

[ "$ktap_fail" = 0 ]
