#!/bin/sh
# KTAP helpers for the suites that run inside the VM (busybox sh).
#
#   t NAME CMD...     run CMD as test NAME: "ok N NAME" if it exits 0 and
#                     the kernel logged no problem meanwhile, else "not ok".
#   t_fails NAME CMD  the same, but CMD is expected to fail (a documented
#                     limit): ok if it exits 1.
#   skip NAME WHY     "ok N NAME # SKIP WHY"
#   done_testing      "# N passed, N failed", exit status
# TEST_TIMEOUT (seconds, default 300) bounds each command.

# Run CMD (a program or a shell function) with the time limit; on expiry
# kill it and the test programs it started.
ktap_limited() {
	( "$@" ) &
	ktap_pid=$!
	( sleep "${TEST_TIMEOUT:-300}"
	  echo "# timed out after ${TEST_TIMEOUT:-300} s"
	  killall -q ktest kecho-bench nc 2>/dev/null
	  kill $ktap_pid 2>/dev/null ) &
	ktap_wd=$!
	wait $ktap_pid
	ktap_rc=$?
	kill $ktap_wd 2>/dev/null
	return $ktap_rc
}

ktap_n=0
ktap_fail=0
ktap_pass=0
ktap_log=/tmp/kernel.log
: > $ktap_log

# Kernel log lines since the last call, appended to the whole run's log.
ktap_klog() {
	dmesg -c > /tmp/klog.new 2>/dev/null
	cat /tmp/klog.new >> $ktap_log
}

ktap_klog_bad() {
	grep -E 'BUG:|WARNING:|Oops|general protection|possible circular|possible recursive|inconsistent lock state|Invalid wait context|sleeping function called|scheduling while atomic|unreferenced object|blocked for more than|list_add corruption|list_del corruption|UBSAN:|KASAN:|refcount_t:' /tmp/klog.new
}

ktap_result() {
	name=$1 ok=$2
	ktap_n=$((ktap_n + 1))
	ktap_klog
	if ktap_klog_bad > /tmp/klog.bad; then
		sed 's/^/# kernel: /' /tmp/klog.bad | head -n 20
		ok=0
	fi
	if [ "$ok" = 1 ]; then
		echo "ok $ktap_n $name"
		ktap_pass=$((ktap_pass + 1))
	else
		echo "not ok $ktap_n $name"
		ktap_fail=$((ktap_fail + 1))
	fi
}

t() {
	name=$1
	shift
	ktap_klog
	start=$(cut -d' ' -f1 /proc/uptime)
	ktap_limited "$@"
	rc=$?
	end=$(cut -d' ' -f1 /proc/uptime)
	echo "# $name: $(awk "BEGIN { printf \"%.1f\", $end - $start }") s"
	[ $rc = 0 ] && ktap_result "$name" 1 || ktap_result "$name" 0
}

t_fails() {
	name=$1
	shift
	ktap_klog
	ktap_limited "$@"
	[ $? = 1 ] && ktap_result "$name" 1 || ktap_result "$name" 0
}

skip() {
	ktap_n=$((ktap_n + 1))
	echo "ok $ktap_n $1 # SKIP $2"
	ktap_pass=$((ktap_pass + 1))
}

done_testing() {
	echo "1..$ktap_n"
	echo "# $ktap_pass passed, $ktap_fail failed"
	[ $ktap_fail = 0 ]
}

# Seconds since boot, to two decimals.
now() {
	cut -d' ' -f1 /proc/uptime
}

# rmmod_during CMD...: run CMD (a load that creates /tmp/ready once it is
# up) in the background, then time `rmmod kecho` under it, then wait for
# CMD.  Sets rmmod_secs and load_rc; fails if the load never came up or
# rmmod failed.
rmmod_during() {
	rm -f /tmp/ready
	"$@" > /tmp/load.out 2>&1 &
	load_pid=$!
	i=0
	while [ ! -e /tmp/ready ]; do
		sleep 0.2
		i=$((i + 1))
		if [ $i -gt 300 ] || ! kill -0 $load_pid 2>/dev/null; then
			echo "# the load did not start"
			cat /tmp/load.out
			kill $load_pid 2>/dev/null
			return 1
		fi
	done
	t0=$(now)
	rmmod kecho || return 1
	rmmod_secs=$(awk "BEGIN { print $(now) - $t0 }")
	wait $load_pid
	load_rc=$?
	cat /tmp/load.out
	echo "# rmmod took $rmmod_secs s under load"
}

# Succeeds if rmmod_during's unload took under $1 seconds.
rmmod_within() {
	awk "BEGIN { exit !($rmmod_secs < $1) }"
}
