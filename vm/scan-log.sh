#!/bin/sh
# Fail if a kernel log shows a bug report of any kind: a line matching one
# of tests/lib/kernel-log.patterns (the list the in-VM checks use too).
#   vm/scan-log.sh LOG [FROM]
# FROM: only lines after the first line that contains FROM (a marker).
log=$1 from=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
pat=$(mktemp) found=$(mktemp)
trap 'rm -f "$pat" "$found"' EXIT
grep -v '^#' "$here/../tests/lib/kernel-log.patterns" | grep . > "$pat"
if [ -n "$from" ]; then
	awk -v m="$from" 'seen { print NR ":" $0 } index($0, m) { seen = 1 }' "$log"
else
	awk '{ print NR ":" $0 }' "$log"
fi 2>/dev/null | grep -E -f "$pat" > "$found"
if [ -s "$found" ]; then
	echo "# kernel log problems in $log:"
	sed 's/^/#   /' "$found" | head -n 40
	exit 1
fi
exit 0
