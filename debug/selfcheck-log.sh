#!/bin/sh
# Host side of the debug kernel's self-check: a console log of a boot that
# ran tests/bugs/selfcheck.sh must show each planted bug's report exactly
# once, and no other problem that vm/scan-log.sh flags.
#   debug/selfcheck-log.sh CONSOLE_LOG
# Exits 0 if so; prints what is missing or unexpected otherwise.
log=$1
top=$(cd "$(dirname "$0")/.." && pwd)
[ -r "$log" ] || { echo "# selfcheck-log: cannot read $log"; exit 2; }
found=$(mktemp)
trap 'rm -f "$found"' EXIT
# scan-log.sh prints "#   LINENO:TEXT" for each problem line.
"$top/vm/scan-log.sh" "$log" | sed -n 's/^#   [0-9]*://p' >"$found"
fail=0
for want in \
	'WARNING: possible circular locking dependency detected' \
	'BUG: sleeping function called from invalid context' \
	'kmemleak: unreferenced object 0x[0-9a-f]* \(size 192\)' \
	'BUG: KASAN: [a-z-]*use-after-free in kecho_bugs_uaf'
do
	n=$(grep -Ec "$want" "$found")
	if [ "$n" != 1 ]; then
		echo "# selfcheck-log: expected 1 line matching '$want', got $n"
		fail=1
	fi
	grep -Ev "$want" "$found" >"$found.tmp"; mv "$found.tmp" "$found"
done
if [ -s "$found" ]; then
	echo "# selfcheck-log: unexpected kernel log problems in $log:"
	sed 's/^/#   /' "$found"
	fail=1
fi
[ $fail = 0 ] && echo "# selfcheck-log: each detector reported its planted bug, nothing else"
exit $fail
