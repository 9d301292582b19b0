#!/bin/sh
# The engine API suite: ksrv_testproto.ko (a test-only protocol) and
# kecho.ko on ksrv.ko, which vm/init loaded.  Runs in the VM:
#   vm/run.sh run INITRD tests/proto/suite.sh [debug=1] [cycles=N]
#       [stream_mib=N] [only=WORD]
# debug=1: the debug kernel; smaller transfers where KASAN makes them slow.
# only=WORD: only the tests whose name contains WORD.
cd /kecho || exit 1
. tests/lib/ktap.sh
# what a test must never make the kernel say: the project's one list
ktap_kernel_log tests/lib/kernel-log.patterns
KTAP_CLIENTS=pclient

debug=0 cycles= stream_mib= only=
for a in "$@"; do
	case $a in
	debug=*) debug=${a#debug=} ;;
	cycles=*) cycles=${a#cycles=} ;;
	stream_mib=*) stream_mib=${a#stream_mib=} ;;
	only=*) only=${a#only=} ;;
	esac
done
if [ "$debug" = 1 ]; then
	: "${cycles:=10}" "${stream_mib:=64}"
	# KASAN and lockdep: a connection costs ~30 ms, a MB ~0.6 s.
	# LIN_IN: the smaller run (1,000 times LIN_IN out) must be well
	# beyond what the sockets' buffers hold, or it only measures filling
	# them: with 1 MB it took 0.17 s against 2.2 s for 4 MB, a "ratio" of
	# 13 on a busy host
	# AMP_DELAY: the reader must be slower than the debug kernel's
	# ~3 MB/s producer, or nothing is ever queued (16 KiB per 20 ms)
	AMP_IN=16384 AMP_DELAY=20000 LIN_IN=4096 SLACK=4000 RCVBUF=-1
	TEST_TIMEOUT=900
else
	: "${cycles:=4}" "${stream_mib:=256}"
	AMP_IN=65536 AMP_DELAY=500 LIN_IN=16384 SLACK=2500 RCVBUF=262144
fi
TP=/kecho/ksrv_testproto.ko
TPP=12400
KEP=12345
PROC=ksrv_testproto
# an idle connection, a queued chunk's header: the per-connection constant
SLOP=16384

fail() {
	diag "FAIL: $*"
	return 1
}

kv() {	# PROCNAME KEY
	awk -v k="$2" '$1 == k { print $2 }' "/proc/net/$1" 2>/dev/null
}

tp_load() {
	insmod $TP port=$TPP "$@" || fail "insmod ksrv_testproto $*"
}

# The bound on mem_bytes for one connection with send_cap CAP bytes: the
# queue's bytes, plus chunk headers (a 4 KiB send is queued as at most a
# page-sized chunk and a small one: under 1/8 more), plus the connection.
mem_bound() {
	echo $(($1 + $1 / 8 + SLOP))
}

# wait_for SECS CMD...: until CMD succeeds, at most SECS seconds
wait_for() {
	wf_end=$(($(date +%s) + $1))
	shift
	until "$@"; do
		[ "$(date +%s)" -ge $wf_end ] && return 1
		sleep 0.2
	done
}

kv_is() {	# PROCNAME KEY VALUE
	[ "$(kv "$1" "$2")" = "$3" ]
}

expect_kv() {	# PROCNAME KEY VALUE
	v=$(kv "$1" "$2")
	[ "$v" = "$3" ] || fail "/proc/net/$1: $2 is '$v', expected $3"
}

# rmmod_clean MODULE: unload within 10 s; the engine's "stopped in" line
# shows errors 0, no "connection closed on error" line (defect 8), and for
# ksrv_testproto every open had exactly one close.
rmmod_clean() {
	rc_t0=$(now)
	rmmod "$1" || { fail "rmmod $1"; return 1; }
	rc_secs=$(awk "BEGIN { printf \"%.2f\", $(now) - $rc_t0 }")
	ktap_klog
	stopped=$(grep "$1: stopped in" $KTAP_SLICE | tail -n 1)
	diag "rmmod $1: ${rc_secs} s: ${stopped#*] }"
	rr=0
	awk "BEGIN { exit !($rc_secs <= 10) }" ||
		{ fail "rmmod $1 took $rc_secs s"; rr=1; }
	echo "$stopped" | grep -q 'errors 0$' ||
		{ fail "rmmod $1: errors in '$stopped'"; rr=1; }
	if grep "connection closed on error" $KTAP_SLICE > /tmp/pt-err; then
		sed 's/^/# /' /tmp/pt-err | head -n 5
		{ fail "connections closed on error"; rr=1; }
	fi
	if [ "$1" = ksrv_testproto ]; then
		line=$(grep 'ksrv_testproto: unloaded:' $KTAP_SLICE | tail -n 1)
		diag "${line#*] }"
		echo "$line" | awk '{
			for (i = 1; i < NF; i++) v[$i] = $(i + 1)
			exit !(v["opens"] == v["closes"] && v["double_closes"] == 0 &&
			       v["orphan_closes"] == 0 && v["reopens"] == 0 &&
			       v["priv_lost"] == 0 && v["unclosed"] == 0 &&
			       v["cap_violations"] == 0 && v["opens"] != "")
		}' || { fail "ksrv_testproto: on_open/on_close accounting is off"; rr=1; }
	fi
	[ "$rr" = 0 ]
}

ktap_cleanup() {
	killall -q pclient 2>/dev/null
	rmmod ksrv_testproto 2>/dev/null
	rmmod kecho 2>/dev/null
	[ -e /sys/module/ksrv ] || insmod /kecho/ksrv.ko
	rm -f /tmp/ready*
	return 0
}

# wait_ready FILE PID: the background client made FILE, or it died
wait_ready() {
	i=0
	while [ ! -e "$1" ]; do
		kill -0 "$2" 2>/dev/null || { fail "the client exited before it was ready"; return 1; }
		i=$((i + 1))
		[ $i -gt 300 ] && { fail "the client was not ready in 60 s"; return 1; }
		sleep 0.2
	done
}

# ---- amplify --------------------------------------------------------------

t_amplify_mem() {
	cap=262144
	tp_load mode=amplify send_cap=256 || return 1
	rc=0
	pclient amplify port=$TPP in=$AMP_IN delay=$AMP_DELAY proc=$PROC \
		memmax="$(mem_bound $cap)" || rc=1
	mq=$(kv $PROC max_queued)
	diag "max_queued $mq, send_cap $cap, cap_violations $(kv $PROC cap_violations)"
	[ "$mq" -le $cap ] || { fail "max_queued $mq over send_cap"; rc=1; }
	expect_kv $PROC cap_violations 0 || rc=1
	[ "$mq" -gt 0 ] || { fail "nothing was ever queued: no backpressure seen"; rc=1; }
	rmmod_clean ksrv_testproto || rc=1
	[ "$rc" = 0 ]
}

# Draining 4x the input takes 4x the time if each byte is copied once;
# the bound 8x leaves 2x for noise on a shared host.  An engine that
# re-copied its backlog on every send would do O(n^2) work: about 16x.
t_amplify_linear() {
	tp_load mode=amplify || return 1
	rc=0
	pclient linear port=$TPP in=$LIN_IN rounds=3 ratio=8 rcvbuf=$RCVBUF || rc=1
	rmmod_clean ksrv_testproto || rc=1
	[ "$rc" = 0 ]
}

# ---- stream, abort ---------------------------------------------------------

t_stream() {	# extra module arguments
	tp_load mode=stream mib="$stream_mib" "$@" || return 1
	rc=0
	pclient stream port=$TPP bytes=$((stream_mib << 20)) delay=500 \
		slow=$((16 << 20)) proc=$PROC memmax="$(mem_bound 262144)" || rc=1
	wait_for 5 kv_is $PROC close_done 1 ||
		{ fail "close_done is $(kv $PROC close_done), expected 1 (ksrv_conn_shutdown)"; rc=1; }
	rmmod_clean ksrv_testproto || rc=1
	[ "$rc" = 0 ]
}

t_abort() {
	tp_load mode=abort mib=64 abort_kib=1024 || return 1
	rc=0
	pclient abort port=$TPP max=$(((1024 + 4) * 1024)) || rc=1
	wait_for 5 kv_is $PROC close_abort 1 ||
		{ fail "close_abort is $(kv $PROC close_abort), expected 1"; rc=1; }
	rmmod_clean ksrv_testproto || rc=1
	[ "$rc" = 0 ]
}

# ---- timer -----------------------------------------------------------------

t_timer() {	# fire|cancel|rearm
	tp_load mode=timer || return 1
	rc=0
	pclient timer port=$TPP what="$1" ms=500 slack=$SLACK || rc=1
	diag "timer_fired $(kv $PROC timer_fired)"
	rmmod_clean ksrv_testproto || rc=1
	[ "$rc" = 0 ]
}

# ---- on_close exactly once ---------------------------------------------------

t_close_once() {
	n=10000
	tp_load mode=amplify || return 1
	rc=0
	pclient conns port=$TPP n=$n threads=4 || rc=1
	wait_for 30 kv_is $PROC closes $n
	for k in opens closes active; do diag "$k $(kv $PROC $k)"; done
	expect_kv $PROC opens $n || rc=1
	expect_kv $PROC closes $n || rc=1
	expect_kv $PROC active 0 || rc=1
	for k in double_closes orphan_closes reopens priv_lost close_error; do
		expect_kv $PROC $k 0 || rc=1
	done
	rmmod_clean ksrv_testproto || rc=1
	[ "$rc" = 0 ]
}

# Cycles of connections that end in every way (closed, reset, held,
# aborted, timed out), in every mode, each ended by rmmod under load:
# each unload's accounting must balance.
t_close_stress() {
	rc=0
	i=0
	while [ $i -lt "$cycles" ]; do
		case $((i % 4)) in
		0) m=amplify ;;
		1) m=stream ;;
		2) m=abort ;;
		3) m=timer ;;
		esac
		i=$((i + 1))
		tp_load mode=$m mib=4 abort_kib=256 idle_timeout=1 || return 1
		pclient chaos port=$TPP secs=30 kind=$m threads=4 > /tmp/chaos.out 2>&1 &
		cpid=$!
		[ $m = amplify ] && pclient amplify port=$TPP in=4096 delay=2000 \
			> /dev/null 2>&1 &
		sleep 3
		rmmod_clean ksrv_testproto || { rc=1; diag "cycle $i ($m) failed"; }
		wait $cpid || { rc=1; cat /tmp/chaos.out; }
		wait
	done
	diag "$cycles cycles"
	[ "$rc" = 0 ]
}

# ---- two protocols -----------------------------------------------------------

t_two_serve() {
	insmod /kecho/kecho.ko port=$KEP || return 1
	tp_load mode=amplify || return 1
	rc=0
	pclient echo port=$KEP bytes=1048576 || rc=1
	pclient amplify port=$TPP in=1024 || rc=1
	pclient echo port=$KEP bytes=65536 || rc=1
	rmmod_clean kecho || rc=1
	rmmod_clean ksrv_testproto || rc=1
	[ "$rc" = 0 ]
}

# two_rmmod FIRST: both serve under load, FIRST is unloaded, the other
# must go on serving until its load ends, then it is unloaded too.
t_two_rmmod() {
	insmod /kecho/kecho.ko port=$KEP || return 1
	tp_load mode=amplify || return 1
	if [ "$1" = kecho ]; then
		go=kecho stay=ksrv_testproto kgo=1 tgo=0
	else
		go=ksrv_testproto stay=kecho kgo=0 tgo=1
	fi
	rm -f /tmp/ready.k /tmp/ready.t
	pclient load port=$KEP kind=echo secs=15 maygo=$kgo ready=/tmp/ready.k > /tmp/load.k 2>&1 &
	kp=$!
	pclient load port=$TPP kind=amplify secs=15 maygo=$tgo ready=/tmp/ready.t > /tmp/load.t 2>&1 &
	tpid=$!
	rc=0
	wait_ready /tmp/ready.k $kp && wait_ready /tmp/ready.t $tpid || rc=1
	sleep 1
	rmmod_clean $go || rc=1
	# (8) what the unload itself cut (an EPIPE after our shutdown) is
	# KSRV_CLOSE_KILLED, not the peer's error: these clients never reset
	if [ $go = ksrv_testproto ]; then
		echo "$line" | awk '{
			for (i = 1; i < NF; i++) v[$i] = $(i + 1)
			exit !(v["close_error"] == 0)
		}' || { fail "unload under load: closes not all KSRV_CLOSE_KILLED"; rc=1; }
	fi
	wait $kp || rc=1
	wait $tpid || rc=1
	cat /tmp/load.k /tmp/load.t
	if [ $stay = kecho ]; then
		pclient echo port=$KEP bytes=65536 || rc=1
	else
		pclient amplify port=$TPP in=64 || rc=1
	fi
	rmmod_clean $stay || rc=1
	[ "$rc" = 0 ]
}

# ---- engine defects ----------------------------------------------------------

# (1) A kthread must keep ksrv.ko until module_put_and_kthread_exit().
t_kthread_ref() {
	tp_load mode=amplify design=kthread || return 1
	r0=$(cat /sys/module/ksrv/refcnt)
	pclient hold port=$TPP n=100 secs=60 expect_close=1 ready=/tmp/ready.h > /tmp/hold.out 2>&1 &
	hp=$!
	rc=0
	wait_ready /tmp/ready.h $hp || rc=1
	r1=$(cat /sys/module/ksrv/refcnt)
	diag "ksrv refcnt: $r0 without connections, $r1 with 100 kthread connections"
	[ "$r1" -ge $((r0 + 100)) ] || { fail "refcnt rose by $((r1 - r0)), not 100"; rc=1; }
	rmmod_clean ksrv_testproto || rc=1
	# (8) the unload wakes each blocked thread with an error of its own
	# making; every one of the 100 must close as KSRV_CLOSE_KILLED
	echo "$line" | awk '{
		for (i = 1; i < NF; i++) v[$i] = $(i + 1)
		exit !(v["close_error"] == 0 && v["close_killed"] >= 100)
	}' || { fail "the unload's closes are not all KSRV_CLOSE_KILLED"; rc=1; }
	wait $hp || rc=1
	cat /tmp/hold.out
	i=0
	until rmmod ksrv 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 50 ]; then
			{ fail "rmmod ksrv still fails after 10 s: refcnt $(cat /sys/module/ksrv/refcnt)"; rc=1; }
			break
		fi
		sleep 0.2
	done
	[ -e /sys/module/ksrv ] || diag "rmmod ksrv succeeded after $i retries"
	insmod /kecho/ksrv.ko 2>/dev/null
	[ "$rc" = 0 ]
}

# (2) A huge backlog is clamped to net.core.somaxconn, and logged so.
t_backlog() {
	old=$(cat /proc/sys/net/core/somaxconn)
	echo 1000 > /proc/sys/net/core/somaxconn
	rc=0
	insmod /kecho/kecho.ko port=$KEP backlog=1000000 || rc=1
	echo "$old" > /proc/sys/net/core/somaxconn
	[ $rc = 0 ] || return 1
	ktap_klog
	line=$(grep 'kecho: listening on' $KTAP_SLICE | tail -n 1)
	diag "${line#*] }"
	expect_kv kecho backlog 1000 || rc=1
	echo "$line" | grep -q ' backlog=1000 ' || { fail "the load line does not diag backlog=1000"; rc=1; }
	pclient echo port=$KEP bytes=4096 || rc=1
	rmmod_clean kecho || rc=1
	[ "$rc" = 0 ]
}

# (3) Output owed and dropped ends in RST; nothing owed ends in FIN.
t_trunc_idle() {
	insmod /kecho/kecho.ko port=$KEP idle_timeout=2 || return 1
	rc=0
	pclient flood port=$KEP bytes=$((16 << 20)) wait=7 expect=rst \
		proc=kecho minq=1 || rc=1
	diag "kecho: timeouts $(kv kecho timeouts) aborts $(kv kecho aborts)"
	expect_kv kecho timeouts 1 || rc=1
	rmmod_clean kecho || rc=1
	[ "$rc" = 0 ]
}

t_trunc_rmmod() {
	insmod /kecho/kecho.ko port=$KEP || return 1
	rc=0
	pclient flood port=$KEP bytes=$((16 << 20)) wait=5 expect=rst \
		proc=kecho minq=1 ready=/tmp/ready.f > /tmp/flood.out 2>&1 &
	fp=$!
	wait_ready /tmp/ready.f $fp || rc=1
	rmmod_clean kecho || rc=1
	wait $fp || rc=1
	cat /tmp/flood.out
	[ "$rc" = 0 ]
}

# The same with nothing unread at the server, which closing would reset by
# itself: only the engine's truncation rule makes these RST.
t_owed_idle() {
	tp_load mode=amplify idle_timeout=2 || return 1
	rc=0
	pclient owed port=$TPP in=4096 wait=6 expect=rst || rc=1
	expect_kv $PROC close_idle 1 || rc=1
	rmmod_clean ksrv_testproto || rc=1
	[ "$rc" = 0 ]
}

t_owed_rmmod() {
	tp_load mode=amplify || return 1
	rc=0
	pclient owed port=$TPP in=4096 wait=4 expect=rst ready=/tmp/ready.o > /tmp/owed.out 2>&1 &
	op=$!
	wait_ready /tmp/ready.o $op || rc=1
	rmmod_clean ksrv_testproto || rc=1
	wait $op || rc=1
	cat /tmp/owed.out
	[ "$rc" = 0 ]
}

t_fin_idle() {
	insmod /kecho/kecho.ko port=$KEP idle_timeout=2 || return 1
	rc=0
	pclient idle port=$KEP expect=eof || rc=1
	expect_kv kecho timeouts 1 || rc=1
	rmmod_clean kecho || rc=1
	[ "$rc" = 0 ]
}

t_fin_rmmod() {
	insmod /kecho/kecho.ko port=$KEP || return 1
	rc=0
	pclient idle port=$KEP expect=eof ready=/tmp/ready.i > /tmp/idle.out 2>&1 &
	ip=$!
	wait_ready /tmp/ready.i $ip || rc=1
	rmmod_clean kecho || rc=1
	wait $ip || rc=1
	cat /tmp/idle.out
	[ "$rc" = 0 ]
}

# (4) A peer gone without FIN or RST: keepalive finds it, or nothing does.
t_vanish() {	# KEEPALIVE
	insmod /kecho/kecho.ko port=$KEP keepalive="$1" || return 1
	rc=0
	pclient vanish port=$KEP || rc=1
	sleep 0.5
	# the vanish itself must not have told the server anything
	expect_kv kecho active 1 || rc=1
	t0=$(date +%s)
	if [ "$1" = 0 ]; then
		sleep 15
		expect_kv kecho active 1 || rc=1
		diag "keepalive=0: the connection is still there after 15 s"
	else
		wait_for 15 kv_is kecho active 0 ||
			{ fail "the connection to the vanished peer is still there after 15 s"; rc=1; }
		diag "keepalive=$1: active $(kv kecho active) after $(($(date +%s) - t0)) s, resets $(kv kecho resets)"
	fi
	rmmod_clean kecho || rc=1
	[ "$rc" = 0 ]
}

# ---- kmemleak (debug kernel) -------------------------------------------------

KML=/sys/kernel/debug/kmemleak
t_kmemleak() {
	echo scan > $KML
	sleep 1
	echo scan > $KML
	cat $KML > /tmp/kml
	diag "kmemleak: $(grep -c '^unreferenced object' /tmp/kml) suspects in all"
	if grep -qE 'ksrv_|ktp_' /tmp/kml; then
		sed 's/^/# /' /tmp/kml | head -n 40
		return 1
	fi
}

run() {	# NAME FUNC ARGS...
	case "$1" in *"$only"*) t "$@" ;; esac
}

echo "KTAP version 1"
diag "engine API suite: debug=$debug cycles=$cycles stream_mib=$stream_mib, kernel $(uname -r)"
[ "$debug" = 1 ] && [ -e $KML ] && echo clear > $KML
suite_t0=$(date +%s)
run "amplify: mem_bytes within send_cap under a slow reader ($((AMP_IN / 1024)) KiB in, $((AMP_IN / 1024)) MB out)" t_amplify_mem
run "amplify: 4x the input drains in at most 8x the time" t_amplify_linear
run "stream: $stream_mib MiB from a buffer to a slow reader, bounded, verified" t_stream
run "stream: $stream_mib MiB from pages (ksrv_conn_send_page) to a slow reader, bounded, verified" t_stream pages=1
run "abort: ksrv_conn_abort mid-stream, the peer sees RST" t_abort
run "timer: an armed timer fires after its time" t_timer fire
run "timer: a cancelled timer never fires" t_timer cancel
run "timer: re-arming moves the deadline, both ways" t_timer rearm
run "on_close exactly once over 10,000 connections" t_close_once
run "two protocols: kecho and ksrv_testproto serve in one boot" t_two_serve
run "two protocols: rmmod kecho under load, ksrv_testproto keeps serving" t_two_rmmod kecho
run "two protocols: rmmod ksrv_testproto under load, kecho keeps serving" t_two_rmmod ksrv_testproto
run "defect 1: 100 kthread connections hold ksrv.ko; rmmod ksrv once they are gone" t_kthread_ref
run "defect 2: backlog=1000000 is clamped to somaxconn and logged" t_backlog
run "defect 3: idle_timeout with output queued ends in RST" t_trunc_idle
run "defect 3: rmmod with output queued ends in RST" t_trunc_rmmod
run "defect 3: idle_timeout with output owed and nothing unread ends in RST" t_owed_idle
run "defect 3: rmmod with output owed and nothing unread ends in RST" t_owed_rmmod
run "defect 3: idle_timeout with nothing owed ends in FIN" t_fin_idle
run "defect 3: rmmod with nothing owed ends in FIN" t_fin_rmmod
run "defect 4: keepalive=2 finds a vanished peer within 15 s" t_vanish 2
run "defect 4: keepalive=0 keeps a vanished peer (the check can fail)" t_vanish 0
run "on_close exactly once over $cycles stress cycles, rmmod under load" t_close_stress
[ "$debug" = 1 ] && [ -e $KML ] && run "kmemleak: nothing leaked from ksrv or ksrv_testproto" t_kmemleak
diag "suite took $(($(date +%s) - suite_t0)) s"
ktap_done
