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
	*) echo "-m $1 -l 32" ;;
	esac
}

MODES="pingpong pipeline rate connect"

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
usage_case usage_stray_argument 'unexpected' kecho-bench foo
usage_case usage_epoll_echo_threads 'usage:' epoll-echo -T 0
usage_case usage_uring_echo_address 'usage:' uring-echo -a 1.2.3
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
	stop_server
else
	report fault_drop_last_byte_stall 1
fi

# --- correct servers pass in every mode, IPv4 and IPv6 ------------------------
have_v6=1
grep -q '^0\{31\}1 ' /proc/net/if_inet6 2>/dev/null || have_v6=0
have_uring=1
[ "$(cat /proc/sys/kernel/io_uring_disabled 2>/dev/null || echo 0)" = 2 ] && have_uring=0

for server in faulty-none epoll uring; do
	case $server in
	faulty-none) cmd=("$BIN/faulty-echo" -f none) ;;
	epoll) cmd=("$BIN/epoll-echo" -T 2) ;;
	uring) cmd=("$BIN/uring-echo" -T 2) ;;
	esac
	for fam in v4 v6; do
		why=
		[ "$fam" = v6 ] && [ $have_v6 = 0 ] && why="no IPv6 loopback"
		[ "$server" = uring ] && [ $have_uring = 0 ] && why="io_uring disabled"
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

# --- many connections, opened in batches --------------------------------------
if start_server v4 "$BIN/epoll-echo" -T 2; then
	expect_clean -a "$ADDR" -c 3000 -T 2 -t 0.5 -w 0 -l 32
	report bench_3000_conns $?
	stop_server
else
	report bench_3000_conns 1
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
