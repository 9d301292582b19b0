#!/bin/sh
# The kernel suite: kecho.ko on the kernel this VM booted.  Run by
# vm/init; prints KTAP.  Test numbers in the comments are those of the
# kecho.ko issue.
cd /kecho || exit 1
. tests/lib.sh
. tests/stress.sh

# Arguments:
#   cycles=N     stress cycles (default 5)
#   debug=1      on the debug kernel: kmemleak scans at the end
#   only=A,B     just these sections: basic, limits, params, ipv6, legacy,
#                peers, stress (kmemleak scans run whenever debug=1)
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
. tests/kmemleak.sh

KO=/kecho/kecho.ko
ST=/proc/net/kecho

kt() { ktest -s $ST "$@"; }

# Unload if loaded, then load with the given parameters.
fresh() {
	grep -q '^kecho ' /proc/modules && rmmod kecho
	insmod $KO "$@" && note_module_range
}

unload() {
	grep -q '^kecho ' /proc/modules && rmmod kecho
	[ ! -e $ST ]
}

loads_and_logs() {
	fresh || return 1
	[ "$(dmesg | grep -c 'kecho: listening on 127.0.0.1:12345: design=event')" = 1 ]
}

unloads_and_logs() {
	unload || return 1
	[ "$(dmesg | grep -c 'kecho: stopped in')" = 1 ] || return 1
	! grep -q kecho /proc/modules
}

# Test 9: a bad value fails insmod, with one log line saying why.
bad_param() {
	param=$1 why=$2
	if insmod $KO "$param" 2>/dev/null; then
		echo "# insmod $param was accepted"
		rmmod kecho
		return 1
	fi
	# busybox insmod may try twice (finit_module, then init_module):
	# count distinct lines
	dmesg | sed 's/^\[[^]]*\] //' | grep '^kecho: ' |
		grep -v 'taints kernel\|tainting kernel' | sort -u > /tmp/why
	sed 's/^/# /' /tmp/why
	[ "$(wc -l < /tmp/why)" = 1 ] && grep -q "$why" /tmp/why
}

port_in_use() {
	unload
	nc -l -p 12345 > /dev/null &
	ncpid=$!
	sleep 0.5
	insmod $KO 2>/dev/null && { rmmod kecho; kill $ncpid; return 1; }
	kill $ncpid
	wait $ncpid 2>/dev/null
	dmesg | grep "kecho: cannot bind to 127.0.0.1:12345: -98"
}

# Test 8: rmmod with 10 clients mid-transfer and 1,000 idle.
rmmod_under_load() {
	rmmod_during ktest load -c 10 -i 1000 -t 30 -R /tmp/ready || return 1
	[ $load_rc = 0 ] && rmmod_within 5 || return 1
	# it loads again at once on the same port, and serves
	insmod $KO "$@" && note_module_range && ktest concat
}

# Start a userspace peer on port 12346 and wait until it listens.
peer_start() {
	$1-echo -a 127.0.0.1:12346 -T 2 2> /tmp/peer.err &
	peer_pid=$!
	i=0
	until grep -q listening /tmp/peer.err; do
		sleep 0.1
		i=$((i + 1))
		if [ $i -gt 300 ] || ! kill -0 $peer_pid 2>/dev/null; then
			echo "# $1-echo did not start:"
			sed 's/^/#   /' /tmp/peer.err
			return 1
		fi
	done
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
	t "load: listens, logs one line" loads_and_logs
	t "counters match what the test did (10)" kt counters
	t "exact echo, all byte values, 1 B to 1 MiB (1)" kt sizes
	t "three writes, one read: nothing more (2)" kt concat
	t "16 MiB to a slow reader, bounded memory (3)" kt stream -l 65536
	t "10,000 connections at once, each echoed (4)" kt many -n 10000
	t "1,000 idle connections (> max_active) do not delay 10 clients (4)" \
		kt prompt -i 1000 -c 10 -r 20 -d 1000
	t "half-close: the rest echoed, then EOF (5)" kt halfclose
	t "client resets handled and counted (5)" kt reset
	t "unload: stops, logs one line" unloads_and_logs
}

section_limits() {
	fresh max_conns=5
	t "max_conns: one over the limit refused and counted (6)" kt maxconns -l 5
	fresh idle_timeout=2
	t "idle_timeout closes idle, keeps busy (7)" kt idle -t 2
	fresh
	t "rmmod under load is prompt; reloads at once (8)" rmmod_under_load
	unload
}

section_params() {
	unload
	for bad in "port=0 invalid port=0" "port=65536 invalid port=65536" \
		"port=-1 invalid port=-1" "port=abc invalid for parameter" \
		"addr=localhost invalid addr=localhost" \
		"addr=1.2.3.4.5 invalid addr=1.2.3.4.5" "addr=::g invalid addr=::g" \
		"backlog=0 invalid backlog=0" "backlog=-5 invalid backlog=-5" \
		"max_conns=-1 invalid max_conns=-1" \
		"idle_timeout=-1 invalid idle_timeout=-1" \
		"design=fast invalid design=fast" "wq=bogus invalid wq=bogus" \
		"max_active=-1 invalid max_active=-1" \
		"max_active=513 invalid max_active=513"; do
		set -- $bad
		param=$1
		shift
		t "bad parameter $param fails insmod with a reason (9)" \
			bad_param "$param" "$*"
	done
	t "port in use fails insmod with a reason (9)" port_in_use
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
		t "$d: rmmod under load; reloads (11)" rmmod_under_load design=$d
		fresh design=$d idle_timeout=2
		t "$d: idle_timeout closes idle, keeps busy (7)" kt idle -t 2
	done
	# ...and their structural limits are shown, not hidden.
	fresh design=blocking max_active=8
	t "blocking: of 200 connections at most 2 x max_active are served (4, documented limit)" \
		kt many -n 200 -l 16 -t 5
	t_fails "blocking: idle connections beyond max_active starve a new client (4, documented limit)" \
		kt prompt -i 40 -c 1 -r 1 -d 3000
	fresh design=kthread
	t "kthread: 10,000 connections, a thread each, up to threads-max (4)" \
		kthread_many
	unload
}

section_peers() {
	# The userspace peers pass the same correctness tests.
	for peer in epoll uring; do
		if ! peer_start $peer; then
			t "$peer peer starts" false
			continue
		fi
		P="ktest -a 127.0.0.1:12346"
		t "$peer peer: exact echo, 1 B to 1 MiB (1)" $P sizes
		t "$peer peer: three writes, one read (2)" $P concat
		t "$peer peer: 16 MiB to a slow reader (3)" $P stream
		t "$peer peer: 10,000 connections at once (4)" $P many -n 10000
		t "$peer peer: half-close (5)" $P halfclose
		t "$peer peer: client resets (5)" $P reset
		kill $peer_pid
		wait $peer_pid
	done
}

section_stress() {
	stress_cycles "$cycles"
	unload
}

# Leaks of a loaded module (traffic, then a scan with it still loaded),
# then of an unloaded one.
section_kmemleak() {
	fresh
	kt sizes > /dev/null
	kt many -n 100 > /dev/null
	t "kmemleak: nothing of kecho's leaked, module loaded" kmemleak_none
	unload
	t "kmemleak: nothing of kecho's leaked, after rmmod" kmemleak_none
}

echo "KTAP version 1"
echo "# kernel $(uname -r), $(nproc) CPUs, threads-max $(cat /proc/sys/kernel/threads-max)"
[ "$debug" = 1 ] && kmemleak_start
for section in basic limits params ipv6 legacy peers stress; do
	case ",${only:-$section}," in
	*",$section,"*) section_$section ;;
	esac
done
[ "$debug" = 1 ] && section_kmemleak
unload
t "no payload byte in the kernel log" sh -c "! grep -q canary $ktap_log"
done_testing
