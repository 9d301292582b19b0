#!/bin/sh
# The one KTAP library of the project's suites: POSIX sh, sourced by the
# suites in the VM (busybox sh) and by the host's (bash).
#
#   ktap_ok NAME STATUS  "ok N NAME" if STATUS is 0, else "not ok N NAME"
#   ktap_skip NAME WHY   "ok N NAME # SKIP WHY"
#   ktap_diag [FILE]     FILE (or stdin) as "# " diagnostics
#   diag TEXT...         one "# TEXT" line
#   t NAME CMD...        run CMD (a program or a shell function) as test
#                        NAME, within the time limit; ktap_ok on its status
#   t_fails NAME CMD...  the same for a documented limit: ok if CMD exits 1
#   ktap_done            "1..N", "# N passed, N failed"; its status is 0
#                        if nothing failed
#   scaled N             N (seconds, or any amount of time) times this
#                        boot's KT_SCALE, rounded up; never less than N
#
# Inside the VM, ktap_kernel_log PATTERNS turns on the kernel-log check:
# each result is then "not ok" if the kernel logged a line matching
# PATTERNS (tests/lib/kernel-log.patterns) since the result before.
#
# The lines logged since the last result are in $KTAP_SLICE, which a test
# may read (after ktap_klog) to see what it made the kernel say; the whole
# run's kernel log is in $ktap_log.
#
# KT_SCALE (default 1) is how much slower this boot is than the reference
# (tests/lib/calibrate.sh); TEST_TIMEOUT (seconds, default 300, scaled,
# at most TEST_TIMEOUT_MAX, 1800) bounds each command of t and t_fails, so
# that no test hangs the suite.  On expiry the command is killed, and so
# are the programs named in KTAP_CLIENTS (default: ktest kecho-bench nc),
# the suite's clients.  A suite may define ktap_cleanup, which t and
# t_fails run after every test.

ktap_n=0
ktap_pass=0
ktap_fail=0
ktap_pat=
ktap_log=/tmp/kernel.log
KTAP_SLICE=/tmp/klog.new
: "${KTAP_CLIENTS:=ktest kecho-bench nc}"

# SECONDS x KT_SCALE, an integer, at least SECONDS.
scaled() {
	awk -v s="$1" -v k="${KT_SCALE:-1}" 'BEGIN {
		if (k < 1) k = 1
		v = s * k; i = int(v); if (i < v) i++; print i }'
}

# MILLISECONDS x KT_SCALE, an integer, at least MILLISECONDS.
scaled_ms() {
	scaled "$1"
}

ktap_diag() {
	sed 's/^/# /' "$@"
}

diag() {
	echo "# $*"
}

# A pattern file for grep -f: comments and empty lines dropped (an empty
# pattern would match every line).
ktap_patterns() {
	grep -v '^#' "$1" | grep . > "$2"
}

ktap_kernel_log() {
	ktap_pat=/tmp/kernel-log.patterns
	ktap_patterns "$1" "$ktap_pat" || return 1
	: > $ktap_log
	: > /tmp/klog.new
	ktap_klog
}

# Move the kernel log lines logged since the last call to /tmp/klog.new,
# which collects them until the next result checks them, and to the run's
# log.  Works from a subshell too (a test may call it to start its own view
# of dmesg afresh): nothing is lost to the check.
ktap_klog() {
	[ -n "$ktap_pat" ] || return 0
	dmesg -c > /tmp/klog.part 2>/dev/null
	cat /tmp/klog.part >> /tmp/klog.new
	cat /tmp/klog.part >> $ktap_log
}

ktap_ok() {
	ktap_n=$((ktap_n + 1))
	ktap_st=$2
	if [ -n "$ktap_pat" ]; then
		ktap_klog
		if grep -E -f "$ktap_pat" /tmp/klog.new > /tmp/klog.bad; then
			sed 's/^/# kernel: /' /tmp/klog.bad | head -n 20
			ktap_st=1
		fi
		: > /tmp/klog.new
	fi
	if [ "$ktap_st" = 0 ]; then
		echo "ok $ktap_n $1"
		ktap_pass=$((ktap_pass + 1))
	else
		echo "not ok $ktap_n $1"
		ktap_fail=$((ktap_fail + 1))
	fi
	return "$ktap_st"
}

ktap_skip() {
	ktap_n=$((ktap_n + 1))
	echo "ok $ktap_n $1 # SKIP $2"
	ktap_pass=$((ktap_pass + 1))
}

# Run CMD with the time limit; on expiry kill it and the test programs it
# started.
ktap_limited() {
	ktap_lim=$(scaled "${TEST_TIMEOUT:-300}")
	# a guard against hangs, not a promise: at most TEST_TIMEOUT_MAX
	[ "$ktap_lim" -gt "${TEST_TIMEOUT_MAX:-1800}" ] &&
		ktap_lim=${TEST_TIMEOUT_MAX:-1800}
	( "$@" ) &
	ktap_pid=$!
	# the watchdog takes its sleep with it when it is stopped
	( trap 'kill $ktap_sleep 2>/dev/null; exit 0' TERM
	  sleep "$ktap_lim" &
	  ktap_sleep=$!
	  wait $ktap_sleep || exit 0
	  echo "# timed out after $ktap_lim s"
	  kill $ktap_pid 2>/dev/null
	  # shellcheck disable=SC2086
	  killall -q $KTAP_CLIENTS 2>/dev/null ) &
	ktap_wd=$!
	wait $ktap_pid
	ktap_rc=$?
	kill $ktap_wd 2>/dev/null
	wait $ktap_wd 2>/dev/null
	return $ktap_rc
}

ktap_after() {
	command -v ktap_cleanup > /dev/null && ktap_cleanup
	return 0
}

# Seconds since boot, to two decimals.
now() {
	cut -d' ' -f1 /proc/uptime
}

t() {
	ktap_name=$1
	shift
	ktap_klog
	ktap_t0=$(now)
	ktap_limited "$@"
	ktap_trc=$?
	ktap_after
	echo "# $ktap_name: $(awk "BEGIN { printf \"%.1f\", $(now) - $ktap_t0 }") s"
	ktap_ok "$ktap_name" $ktap_trc
}

t_fails() {
	ktap_name=$1
	shift
	ktap_klog
	ktap_limited "$@"
	ktap_trc=$?
	ktap_after
	[ $ktap_trc = 1 ]
	ktap_ok "$ktap_name" $?
}

ktap_done() {
	echo "1..$ktap_n"
	echo "# $ktap_pass passed, $ktap_fail failed"
	[ $ktap_fail = 0 ]
}
