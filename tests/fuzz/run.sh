#!/bin/bash
# Fuzz khttpd's request parser with libFuzzer for SECONDS (default 60),
# and print one KTAP line:
#   ok 1 http parser fuzzed for N s, M runs, no crash
#   not ok 1 http parser ...: <why, and the crashing input's path>
#   tests/fuzz/run.sh [SECONDS]
# Builds into $BUILD/fuzz (build/fuzz by default), where the log
# (fuzz.log) and any crashing input (crash-*, leak-*, timeout-*) stay.
# The fuzzer grows a scratch copy of the seed corpus, never the committed
# one.  Exits 1 if it found anything or could not run.
set -u
secs=${1:-60}
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${BUILD:-$top/build}/fuzz
bin=$out/http-parse-fuzz
log=$out/fuzz.log
name="http parser fuzzed for $secs s"

fail() {
	echo "not ok 1 $name: $*"
	exit 1
}

case $secs in
'' | *[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;;
esac
mkdir -p "$out" || fail "cannot create $out"
command -v clang > /dev/null || fail "clang is not installed (make deps)"

# -O1 and every sanitizer: bugs found, not speed, is the point.
if ! clang -g -O1 -Wall -Wextra -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -I"$top/kernel/http" -o "$bin" \
	"$top/tests/fuzz/http-parse-fuzz.c" "$top/kernel/http/parse.c" \
	> "$out/build.log" 2>&1; then
	sed 's/^/# /' "$out/build.log" | head -n 20
	fail "the harness does not build"
fi
if grep -q 'warning:' "$out/build.log"; then
	sed 's/^/# /' "$out/build.log" | head -n 20
	fail "the harness builds with warnings"
fi

scratch=$(mktemp -d /tmp/khttp-fuzz.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/corpus"
cp "$top/tests/fuzz/corpus/"* "$scratch/corpus/"

# -timeout: an input taking seconds means something went quadratic.
"$bin" -max_total_time="$secs" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
	-print_final_stats=1 -artifact_prefix="$out/" "$scratch/corpus" \
	> "$log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
if [ "$rc" != 0 ] || [ -n "$crash" ]; then
	grep -E 'ERROR|SUMMARY|check failed|runtime error' "$log" | head -n 5 |
		sed 's/^/# /'
	fail "${runs:-?} runs, crashed: ${crash:-no input saved} (log: $log)"
fi
[ -n "$runs" ] || fail "no run count in $log"
echo "ok 1 $name, $runs runs, no crash"
