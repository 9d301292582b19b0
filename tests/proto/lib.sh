#!/bin/sh
# KTAP helpers of the engine API suite (busybox sh, in the VM).
#
#   pt_run NAME FUNC [ARGS...]  run FUNC as test NAME within PT_TIMEOUT
#                               seconds (default 300): "ok N NAME" if it
#                               returns 0 and the kernel log it caused is
#                               clean, else "not ok N NAME"
#   pt_klog                     add the kernel log since the last call to
#                               $PT_SLICE, the current test's slice
#   pt_done                     "1..N", "# N passed, N failed", exit status
#   say TEXT                    a "# TEXT" line
# A test function may define pt_cleanup, run after every test.

# what a test must never make the kernel say: the project's one list
PT_BAD=/tmp/pt-bad.patterns
grep -v '^#' /kecho/tests/lib/kernel-log.patterns | grep . > $PT_BAD
PT_SLICE=/tmp/pt-klog.slice
PT_ALL=/tmp/pt-klog.all
pt_n=0
pt_pass=0
pt_fail=0
: > $PT_ALL

say() {
	echo "# $*"
}

pt_klog() {
	dmesg -c > /tmp/pt-klog.new 2>/dev/null
	cat /tmp/pt-klog.new >> $PT_SLICE
	cat /tmp/pt-klog.new >> $PT_ALL
}

pt_uptime() {
	cut -d' ' -f1 /proc/uptime
}

# FUNC ARGS... in the background, killed (with the clients it started)
# after PT_TIMEOUT seconds.
pt_limited() {
	( "$@" ) &
	pt_pid=$!
	( sleep "${PT_TIMEOUT:-300}"
	  echo "# timed out after ${PT_TIMEOUT:-300} s"
	  killall -q pclient 2>/dev/null
	  kill $pt_pid 2>/dev/null ) &
	pt_wd=$!
	wait $pt_pid
	pt_rc=$?
	kill $pt_wd 2>/dev/null
	return $pt_rc
}

pt_run() {
	pt_name=$1
	shift
	pt_klog
	: > $PT_SLICE
	pt_t0=$(pt_uptime)
	pt_limited "$@"
	pt_rc=$?
	pt_klog
	if grep -E -f $PT_BAD $PT_SLICE > /tmp/pt-klog.bad; then
		sed 's/^/# kernel: /' /tmp/pt-klog.bad | head -n 20
		pt_rc=1
	fi
	command -v pt_cleanup >/dev/null && pt_cleanup
	pt_n=$((pt_n + 1))
	say "$pt_name: $(awk "BEGIN { printf \"%.1f\", $(pt_uptime) - $pt_t0 }") s"
	if [ "$pt_rc" = 0 ]; then
		echo "ok $pt_n $pt_name"
		pt_pass=$((pt_pass + 1))
	else
		echo "not ok $pt_n $pt_name"
		pt_fail=$((pt_fail + 1))
	fi
}

pt_done() {
	echo "1..$pt_n"
	echo "# $pt_pass passed, $pt_fail failed"
	[ $pt_fail = 0 ]
}
