#!/bin/sh
# Minimal KTAP helpers for the khttpd suite (busybox sh), self-contained.
#
#   t NAME FUNC ARGS...  run FUNC as test NAME, bounded by TEST_TIMEOUT
#                        seconds (default 120): "ok N NAME" if it returns 0
#                        and the kernel log it caused shows no problem,
#                        else "not ok N NAME".  FUNC may read its own slice
#                        of the kernel log with `dmesg` (cleared before).
#   skip NAME WHY        "ok N NAME # SKIP WHY"
#   done_testing         the plan, "# N passed, N failed", exit status
#   diag TEXT...         "# TEXT"

ktap_n=0
ktap_pass=0
ktap_fail=0
ktap_klog=/tmp/khttpd-kernel.log
: > $ktap_klog

diag() {
	echo "# $*"
}

# What a test must never make the kernel say: the project's one list.
ktap_bad=/tmp/khttpd-bad.patterns
grep -v '^#' /kecho/tests/lib/kernel-log.patterns | grep . > $ktap_bad

# Take the kernel log since the last call (kept whole in $ktap_klog);
# fail if it shows a problem.
ktap_klog_check() {
	dmesg -c > /tmp/klog.slice 2>/dev/null
	cat /tmp/klog.slice >> $ktap_klog
	if grep -E -f $ktap_bad /tmp/klog.slice > /tmp/klog.bad; then
		sed 's/^/# kernel: /' /tmp/klog.bad | head -n 20
		return 1
	fi
	return 0
}

ktap_report() {
	ktap_n=$((ktap_n + 1))
	if [ "$2" = 0 ]; then
		echo "ok $ktap_n $1"
		ktap_pass=$((ktap_pass + 1))
	else
		echo "not ok $ktap_n $1"
		ktap_fail=$((ktap_fail + 1))
	fi
}

# The programs a test may leave behind when it times out.
ktap_clients="hclient curl wrk ab h2load nc"

t() {
	name=$1
	shift
	ktap_klog_check || diag "(before $name)"
	t_start=$(cut -d' ' -f1 /proc/uptime)
	( "$@" ) &
	t_pid=$!
	( trap 'kill $t_sleep 2>/dev/null; exit 0' TERM
	  sleep "${TEST_TIMEOUT:-120}" &
	  t_sleep=$!
	  wait $t_sleep || exit 0
	  echo "# $name: timed out after ${TEST_TIMEOUT:-120} s"
	  kill $t_pid 2>/dev/null
	  killall -q $ktap_clients 2>/dev/null ) &
	t_wd=$!
	wait $t_pid
	t_rc=$?
	kill $t_wd 2>/dev/null
	wait $t_wd 2>/dev/null
	t_end=$(cut -d' ' -f1 /proc/uptime)
	diag "$name: $(awk "BEGIN { printf \"%.1f\", $t_end - $t_start }") s"
	ktap_klog_check || t_rc=1
	ktap_report "$name" $t_rc
}

skip() {
	ktap_n=$((ktap_n + 1))
	ktap_pass=$((ktap_pass + 1))
	echo "ok $ktap_n $1 # SKIP $2"
}

done_testing() {
	echo "1..$ktap_n"
	echo "# $ktap_pass passed, $ktap_fail failed"
	[ $ktap_fail = 0 ]
}
