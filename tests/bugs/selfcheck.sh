#!/bin/sh
# Self-check of the debug kernel, run INSIDE the VM (busybox sh, as root):
# loads kecho_bugs.ko with each planted bug in turn and checks that the
# matching detector reports it in the kernel log.  Prints KTAP on stdout;
# exits 0 when every detector fired.
#   sh tests/bugs/selfcheck.sh [PATH/kecho_bugs.ko]
#
# The reports it provokes reach the console log (kmemleak's too: it turns on
# kmemleak's verbose mode for its scans), one line each that vm/scan-log.sh
# flags.  The host must expect exactly these in this run, and only here:
# debug/selfcheck-log.sh checks a console log for that.
#
# Order matters: lockdep switches itself off after its first report and after
# a KASAN report (which taints the kernel), and KASAN reports only its first
# bug per boot (no kasan_multi_shot), so lockdep goes first and KASAN last.
ko=${1:-}
if [ -z "$ko" ]; then
	for f in /kecho/kecho_bugs.ko "$(dirname "$0")/kecho_bugs.ko"; do
		[ -f "$f" ] && { ko=$f; break; }
	done
fi
kml=/sys/kernel/debug/kmemleak
kmv=/sys/module/kmemleak/parameters/verbose
# KTAP, without the kernel-log check: the reports here are planted.
. "$(dirname "$0")/../lib/ktap.sh"

log() { echo "$*" >/dev/kmsg 2>/dev/null; }

# Kernel log since the marker of the current test.
since() { dmesg | sed -n "/kecho-selfcheck: begin $1\$/,\$p"; }

result() {	# ok|not-ok NAME [reason]
	[ "$1" = ok ] || echo "# detector $2: ${3:-no report}"
	[ "$1" = ok ]
	ktap_ok "detector $2 fires" $?
}

plant() {	# BUG: load kecho_bugs with bug=BUG, leave it loaded
	log "kecho-selfcheck: begin $1"
	if ! insmod "$ko" bug="$1"; then
		echo "# insmod $ko bug=$1 failed"
		return 1
	fi
}

unplant() { rmmod kecho_bugs 2>/dev/null || echo "# rmmod kecho_bugs failed"; }

# check NAME BUG PATTERN WANT: plant BUG, pass if the log since then
# matches PATTERN and also contains WANT (a kecho_bugs symbol).
check() {
	if ! plant "$2"; then
		result not-ok "$1" "insmod failed"
		return
	fi
	sleep 1
	since "$2" >/tmp/selfcheck.log
	if ! grep -Eq "$3" /tmp/selfcheck.log; then
		result not-ok "$1" "no '$3' in dmesg"
	elif ! grep -q "$4" /tmp/selfcheck.log; then
		result not-ok "$1" "report does not name $4"
	else
		grep -E -m 1 "$3" /tmp/selfcheck.log | sed 's/^/# /'
		result ok "$1"
	fi
	unplant
}

check_kmemleak() {
	if [ ! -e $kml ]; then
		mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
	fi
	if [ ! -e $kml ]; then
		result not-ok kmemleak "no $kml"
		return
	fi
	# Forget earlier suspects (quietly), so only new ones are reported.
	echo scan >$kml 2>/dev/null
	echo clear >$kml 2>/dev/null
	if ! plant leak; then
		result not-ok kmemleak "insmod failed"
		return
	fi
	# Verbose: the scan itself prints each new suspect to the kernel log.
	verbose=$(cat $kmv 2>/dev/null)
	[ -n "$verbose" ] && echo 1 >$kmv
	# A suspect must be 5 s old, and a scan reports it only if its contents
	# did not change since the scan before: age it, then scan up to 3 times.
	sleep 6
	found=0
	for i in 1 2 3; do
		if ! echo scan >$kml 2>/dev/null; then
			[ -n "$verbose" ] && echo "$verbose" >$kmv
			result not-ok kmemleak "cannot write scan to $kml (kmemleak off?)"
			unplant
			return
		fi
		# The backtrace is symbolised only while kecho_bugs is loaded.
		cat $kml >/tmp/selfcheck.kml
		if awk '/^unreferenced object/ { obj = $0 }
			/kecho_bugs_leak/ && obj != "" { print obj; print; found = 1; exit }
			END { exit !found }' /tmp/selfcheck.kml >/tmp/selfcheck.hit; then
			found=1
			break
		fi
	done
	[ -n "$verbose" ] && echo "$verbose" >$kmv
	if [ $found = 1 ]; then
		sed 's/^/# /' /tmp/selfcheck.hit
		result ok kmemleak
	elif grep -q '^unreferenced object' /tmp/selfcheck.kml; then
		result not-ok kmemleak "suspects reported, none from kecho_bugs_leak"
	else
		result not-ok kmemleak "no unreferenced object after $i scans"
	fi
	echo clear >$kml 2>/dev/null
	unplant
}

echo "KTAP version 1"
echo "1..5"
if [ -z "$ko" ] || [ ! -f "$ko" ]; then
	echo "# kecho_bugs.ko not found"
	echo "Bail out! no kecho_bugs.ko"
	exit 1
fi
lsmod | grep -q '^kecho_bugs ' && unplant

# bug=none: loads and unloads quietly.
ktap_patterns "$(dirname "$0")/../lib/kernel-log.patterns" /tmp/selfcheck.pat
log "kecho-selfcheck: begin none"
if insmod "$ko" bug=none && rmmod kecho_bugs; then
	if since none | grep -E -f /tmp/selfcheck.pat | ktap_diag | grep .; then
		echo "# it reported a bug"
		false
	fi
else
	echo "# insmod/rmmod failed"
	false
fi
ktap_ok "kecho_bugs bug=none is quiet" $?

check lockdep lockinv 'WARNING: possible circular locking dependency detected' kecho_bugs_lock_
check atomic-sleep sleep 'BUG: sleeping function called from invalid context' kecho_bugs_sleep
check_kmemleak
check kasan uaf 'BUG: KASAN: [a-z-]*use-after-free' kecho_bugs_uaf

rm -f /tmp/selfcheck.log /tmp/selfcheck.kml /tmp/selfcheck.hit
log "kecho-selfcheck: done, $ktap_fail failed"
echo "# selfcheck: $ktap_pass/$ktap_n passed"
[ $ktap_fail = 0 ]
