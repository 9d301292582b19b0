#!/bin/sh
# kecho's suite: kecho.ko on the kernel this VM booted.  Run by vm/init;
# prints KTAP.  The engine's generic tests come from tests/engine/, the
# echo-specific ones are here; the order (and so the test numbers) is that
# of the kecho.ko issue's suite.  Numbers in the names are the issue's.
#
# Arguments:
#   cycles=N     stress cycles (default 5)
#   debug=1      on the debug kernel: kmemleak scans at the end
#   only=A,B     just these sections: basic, limits, params, ipv6, legacy,
#                zerocopy, peers, stress (kmemleak scans run whenever
#                debug=1)
# Environment: KT_SCALE, this boot's slowness (vm/init measures it).
cd /kecho || exit 1
cycles=5
debug=0
only=
for arg in "$@"; do
	case $arg in
	cycles=*) cycles=${arg#cycles=} ;;
	debug=*) debug=${arg#debug=} ;;
	only=*) only=${arg#only=} ;;
	esac
done

MOD=kecho
KO=/kecho/kecho.ko
ST=/proc/net/kecho
ADDR=127.0.0.1:12345
CLIENT=ktest
. tests/lib/ktap.sh
. tests/lib/listen.sh
. tests/lib/kmemleak.sh
. tests/engine/lib.sh
. tests/engine/tests.sh

# Start a userspace peer on port 12346 and wait until it listens.
peer_start() {
	start_listening /tmp/peer.err 12346 $1-echo -a 127.0.0.1:12346 -T 2 &&
		peer_pid=$listen_pid
}

# Test 4 for the kthread design: a thread per connection.  The kernel caps
# threads (threads-max, from memory and stack size: about 8,000 on the
# KASAN kernel in 2 GiB).  Below the cap every connection is served; above
# it the design's limit shows: the excess is closed and counted as errors.
kthread_many() {
	max=$(cat /proc/sys/kernel/threads-max)
	if [ "$max" -gt 11000 ]; then
		kt many -n 10000
	else
		echo "# threads-max is $max: fewer than 10,000 threads fit (documented limit)"
		kt many -n 10000 -l $((max - 1))
	fi
}

section_basic() {
	engine_load_test
	engine_counters_test
	t "exact echo, all byte values, 1 B to 1 MiB (1)" kt sizes
	t "three writes, one read: nothing more (2)" kt concat
	t "16 MiB to a slow reader, bounded memory (3)" kt stream -l 65536
	t "10,000 connections at once, each echoed (4)" kt many -n 10000
	t "1,000 idle connections (> max_active) do not delay 10 clients (4)" \
		kt prompt -i 1000 -c 10 -r 20 -d "$(scaled_ms 1000)"
	t "half-close: the rest echoed, then EOF (5)" kt halfclose
	t "client resets handled and counted (5)" kt reset
	engine_unload_test
}

section_limits() {
	engine_limits_tests
}

section_params() {
	engine_params_tests
}

section_ipv6() {
	fresh addr=::1
	t "IPv6 listener on ::1 echoes exactly (12)" \
		ktest -a '[::1]:12345' -s $ST sizes
	t "IPv6: three writes, one read (12)" ktest -a '[::1]:12345' concat
	unload
}

section_legacy() {
	# Test 11: the historical designs pass the same correctness tests...
	for d in blocking kthread; do
		fresh design=$d
		t "$d: exact echo, 1 B to 1 MiB (11)" kt sizes
		t "$d: three writes, one read (11)" kt concat
		t "$d: 16 MiB to a slow reader, bounded memory (11)" kt stream -l 16384
		t "$d: half-close (11)" kt halfclose
		t "$d: client resets (11)" kt reset
		engine_rmmod_test "$d: rmmod under load; reloads (11)" design=$d
		engine_idle_test "$d: " design=$d
	done
	# ...and their structural limits are shown, not hidden.
	fresh design=blocking max_active=8
	t "blocking: of 200 connections at most 2 x max_active are served (4, documented limit)" \
		kt many -n 200 -l 16 -t 5
	# starved means never served: any wait shows it, so this one is not
	# scaled (it would only make the test wait longer)
	t_fails "blocking: idle connections beyond max_active starve a new client (4, documented limit)" \
		env KT_SCALE=1 ktest -a "$ADDR" -s "$ST" prompt -S -i 40 -c 1 -r 1 -d 3000
	fresh design=kthread
	t "kthread: 10,000 connections, a thread each, up to threads-max (4)" \
		kthread_many
	unload
}

# A peer test, or on the debug kernel its SKIP line: no code of ours runs
# in a userspace peer, the debug kernel's detectors are for our module,
# and the stock suite runs them.  The sockmap peer is the exception: its
# echo is the kernel's own sockmap code, which the debug kernel has (BPF,
# sockmap), so it runs on both kernels.
peer_t() {
	if [ "$debug" = 1 ] && [ "$peer" != sockmap ]; then
		ktap_skip "$1" "a userspace peer: run in the stock suite"
	else
		t "$@"
	fi
}

# The sockmap peer's documented limit: no backpressure.  Its verdict takes
# every skb off the receive queue whether or not the socket can send, so
# the TCP window never closes and a client that does not read may send
# the whole 16 MiB stream (the kernel holds what it cannot send).  ktest
# stream must fail, and for that reason; any other failure fails this.
no_backpressure() {
	"$@" stream > /tmp/stream.out 2>&1
	st=$?
	ktap_diag /tmp/stream.out
	[ $st != 0 ] && grep -q "took the whole stream without being read" /tmp/stream.out
}

# kecho-bench, its report shown as diagnostics
bench_quiet() {
	kecho-bench "$@" > /tmp/bench.out 2>&1
	st=$?
	ktap_diag /tmp/bench.out
	return $st
}

section_peers() {
	# The userspace peers pass the same correctness tests.
	for peer in epoll uring sockmap; do
		if { [ "$debug" != 1 ] || [ $peer = sockmap ]; } && ! peer_start $peer; then
			t "$peer peer starts" false
			continue
		fi
		P="ktest -a 127.0.0.1:12346"
		peer_t "$peer peer: exact echo, 1 B to 1 MiB (1)" $P sizes
		peer_t "$peer peer: three writes, one read (2)" $P concat
		if [ $peer = sockmap ]; then
			peer_t "sockmap peer: no backpressure: a client that does not read sends all 16 MiB (3, documented limit)" \
				no_backpressure $P
			# what it can do: large messages, echoed exactly (on the
			# debug kernel, 3 MB/s under KASAN, 4 MB in flight rather
			# than 64: kecho-bench calls 5 s without progress a stall)
			if [ "$debug" = 1 ]; then
				big="-c 2 -l 1000000 -d 2"
			else
				big="-c 4 -l 4000000 -d 4"
			fi
			# (a 4 MB echo took over 1 s beside two other VMs: the
			# measured time scales with the boot, as a limit would)
			peer_t "sockmap peer: large messages, several in flight, exact (3)" \
				bench_quiet -a 127.0.0.1:12346 $big -T 2 \
				-t "$(scaled 2)" -w 0 -m pipeline
		else
			peer_t "$peer peer: 16 MiB to a slow reader (3)" $P stream
		fi
		# on the debug kernel (only sockmap runs there) 10,000 took 281 s
		if [ "$debug" = 1 ]; then
			peer_t "$peer peer: 1,000 connections at once (4)" $P many -n 1000
		else
			peer_t "$peer peer: 10,000 connections at once (4)" $P many -n 10000
		fi
		peer_t "$peer peer: half-close (5)" $P halfclose
		peer_t "$peer peer: client resets (5)" $P reset
		peer_t "$peer peer: 10 blocking client threads, ping-pong, exact" \
			bench_quiet -a 127.0.0.1:12346 -c 10 -t 1 -w 0 --client thread
		[ "$debug" = 1 ] && [ $peer != sockmap ] && continue
		kill $peer_pid
		wait $peer_pid
	done
}

# /proc/net/kecho's counter KEY
kstat() { awk -v k="$1" '$1 == k { print $2 }' $ST; }

# by_ref CMP KIND BENCH-ARGS...: run kecho-bench, then compare the bytes it
# made go by reference with those it sent: CMP none (not one), most (at
# least 3 in 4) or some (at least one).
by_ref() {
	br_cmp=$1
	shift
	br_ref0=$(kstat bytes_in_by_ref)
	br_in0=$(kstat bytes_in)
	bench_quiet -w 0 "$@" || return 1
	br_ref=$(($(kstat bytes_in_by_ref) - br_ref0))
	br_in=$(($(kstat bytes_in) - br_in0))
	diag "$br_ref of $br_in bytes received went by reference"
	[ "$br_in" -gt 0 ] || return 1
	case $br_cmp in
	none) [ "$br_ref" = 0 ] ;;
	most) [ $((br_ref * 4)) -ge $((br_in * 3)) ] ;;
	some) [ "$br_ref" -gt 0 ] ;;
	esac
}

mem_available_kb() { awk '$1 == "MemAvailable:" { print $2 }' /proc/meminfo; }

# Every page reference taken is dropped: after many MiB echoed by
# reference and the module unloaded, MemAvailable is back within half of
# what went by reference (a leaked reference keeps its whole page).
no_page_leak() {
	sync
	echo 3 > /proc/sys/vm/drop_caches
	npl_before=$(mem_available_kb)
	fresh zerocopy=1 || return 1
	# enough to tell, even on the debug kernel: no need to scale past 20 s
	npl_secs=$(scaled 3)
	[ "$npl_secs" -gt 20 ] && npl_secs=20
	bench_quiet -c 4 -l 65536 -m pipeline -d 4 -t "$npl_secs" -w 0 ||
		return 1
	npl_ref=$(($(kstat bytes_in_by_ref) / 1024))
	unload || return 1
	sleep 1
	sync
	echo 3 > /proc/sys/vm/drop_caches
	npl_after=$(mem_available_kb)
	diag "$npl_ref KiB by reference; MemAvailable $npl_before KiB before, $npl_after KiB after"
	[ "$npl_ref" -ge 16384 ] || { diag "too little by reference to tell"; return 1; }
	[ $((npl_before - npl_after)) -lt $((npl_ref / 2)) ]
}

# Echo without the copy (zerocopy=1, the event design's on_pages).
section_zerocopy() {
	fresh
	t "zerocopy=0 (default): 4 KiB messages are copied, none by reference" \
		by_ref none -a "$ADDR" -c 4 -l 4096 -t 1
	fresh zerocopy=1
	t "zerocopy=1: exact echo, all byte values, 1 B to 1 MiB" kt sizes
	t "zerocopy=1: three writes, one read: nothing more" kt concat
	t "zerocopy=1: 4 KiB messages go back by reference (at least 3 bytes in 4)" \
		by_ref most -a "$ADDR" -c 4 -l 4096 -t 1
	t "zerocopy=1: 64 KiB pipelined, by reference, exact" \
		by_ref most -a "$ADDR" -c 4 -l 65536 -m pipeline -d 4 -t 1
	t "zerocopy=1: 64 B messages are copied (too small to pin a page for)" \
		by_ref none -a "$ADDR" -c 4 -l 64 -t 1
	t "zerocopy=1: 16 MiB to a slow reader, bounded memory" kt stream -l 65536
	t "zerocopy=1: half-close: the rest echoed, then EOF" kt halfclose
	t "zerocopy=1: client resets handled and counted" kt reset
	t "zerocopy=1: 1,000 connections at once, each echoed" kt many -n 1000
	engine_rmmod_test "zerocopy=1: rmmod under load; reloads" zerocopy=1
	fresh zerocopy=1 design=blocking
	t "zerocopy=1, design=blocking: exact echo (copies: on_data)" kt sizes
	t "zerocopy=1: no page reference leaked" no_page_leak
	unload
}

section_stress() {
	engine_stress_tests "$cycles"
}

echo "KTAP version 1"
echo "# kernel $(uname -r), $(nproc) CPUs, threads-max $(cat /proc/sys/kernel/threads-max), KT_SCALE ${KT_SCALE:-1}"
ktap_kernel_log tests/lib/kernel-log.patterns
[ "$debug" = 1 ] && kmemleak_start
for section in basic limits params ipv6 legacy zerocopy peers stress; do
	case ",${only:-$section}," in
	*",$section,"*) section_$section ;;
	esac
done
[ "$debug" = 1 ] && engine_kmemleak_tests kt sizes
unload
t "no payload byte in the kernel log" sh -c "! grep -q canary $ktap_log"
# vm/run.sh's CPU model: with LA57 (5-level paging) the debug kernel can
# report a false KASAN wild-memory-access at boot (see vm/run.sh)
t "VM: 4-level paging (no LA57, no false KASAN report at boot)" \
	sh -c "! grep -qw la57 /proc/cpuinfo"
ktap_done
