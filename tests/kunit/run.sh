#!/bin/sh
# The KUnit modules, in the VM on the debug kernel (after vm/init loaded
# ksrv.ko):  vm/run.sh run INITRD tests/kunit/run.sh
# Loads each module, which runs its suite at once, takes the KUnit KTAP
# from the kernel log, and prints every top-level case as one line
#   ok N kunit: <suite>.<case>     or     not ok N kunit: <suite>.<case>
# with the case's diagnostics as "# " lines.  A module that does not load,
# a suite whose plan and results disagree, or a kernel warning meanwhile
# is a failed line too.
cd /kecho || exit 1
# the project's one list of kernel-log problems
bad=/tmp/kunit-bad.patterns
grep -v '^#' /kecho/tests/lib/kernel-log.patterns | grep . > $bad
n=0
pass=0
failed=0

result() {	# ok|notok NAME
	n=$((n + 1))
	if [ "$1" = ok ]; then
		echo "ok $n $2"
		pass=$((pass + 1))
	else
		echo "not ok $n $2"
		failed=$((failed + 1))
	fi
}

echo "KTAP version 1"
dmesg -c > /dev/null
for m in ksrv_kunit khttpd_parse_kunit ksrv_sendq_kunit ksrv_stats_kunit; do
	if ! insmod /kecho/$m.ko; then
		result notok "kunit: $m loads"
		continue
	fi
	rmmod $m
	dmesg -c | sed 's/^\[[^]]*\] //' > /tmp/kunit.$m
	# "    # Subtest: S", "    1..N", "    ok N case", "    # case: ..."
	awk '
	/^    # Subtest: / { suite = $3; next }
	/^    1\.\.[0-9]+/ { p = $1; sub(/^1\.\./, "", p); plan += p; next }
	/^    (not )?ok [0-9]+ / {
		st = ($1 == "ok") ? "ok" : "notok"
		name = ($1 == "ok") ? $3 : $4
		for (i = 1; i <= ndiag; i++)
			if (st == "notok") print "D " diag[i]
		ndiag = 0
		print "R " st " " suite "." name
		seen++
		next
	}
	/^        / || /^    # / { sub(/^ +/, ""); diag[++ndiag] = $0 }
	END { print "P " plan + 0 " " seen + 0 }
	' /tmp/kunit.$m > /tmp/kunit.$m.res
	while read -r kind a b; do
		case $kind in
		D) echo "# $a $b" ;;
		R) result "$a" "kunit: $b" ;;
		P) [ "$a" -gt 0 ] && [ "$a" = "$b" ] ||
			result notok "kunit: $m: $b results for a plan of $a" ;;
		esac
	done < /tmp/kunit.$m.res
	if grep -E -f $bad /tmp/kunit.$m > /tmp/kunit.bad; then
		sed 's/^/# kernel: /' /tmp/kunit.bad | head -n 20
		result notok "kunit: $m: the kernel log is clean"
	fi
done
echo "1..$n"
echo "# $pass passed, $failed failed"
[ $failed = 0 ]
