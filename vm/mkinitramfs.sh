#!/bin/sh
# Build the VM's initramfs.
#   vm/mkinitramfs.sh OUT.cpio.gz MODULE_DIR BIN_DIR [EXTRA_ROOT]
# MODULE_DIR holds the .ko files, BIN_DIR the static test programs.  The
# suites' scripts come from tests/ and bench/vm/ of this checkout, copied
# as trees (/kecho/tests/lib/ktap.sh, /kecho/tests/echo/suite.sh, ...,
# /kecho/bench/run.sh).  The files of EXTRA_ROOT, if given, are added as
# they are (perf and its libraries, say).
set -eu
out=$1 kodir=$2 bindir=$3 extra=${4:-}
top=$(cd "$(dirname "$0")/.." && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage/bin" "$stage/proc" "$stage/sys" "$stage/dev" "$stage/tmp" \
	"$stage/kecho/bin" "$stage/kecho/tests" "$stage/kecho/bench"
cp /bin/busybox "$stage/bin/busybox"
cp "$top/vm/init" "$stage/init"
chmod 755 "$stage/init"
cp "$kodir"/*.ko "$stage/kecho/"
cp "$bindir"/* "$stage/kecho/bin/"
cp -R "$top"/tests/. "$stage/kecho/tests/"
cp -R "$top"/bench/vm/. "$stage/kecho/bench/"
# the userspace servers' configurations for the HTTP benchmark
[ -d "$top/bench/http" ] && cp -R "$top/bench/http" "$stage/kecho/bench/http"
[ -n "$extra" ] && cp -a "$extra"/. "$stage"/
(cd "$stage" && find . | cpio -o -H newc --quiet | gzip -1) > "$out.tmp"
mv "$out.tmp" "$out"
