#!/bin/sh
# A folder with Debian's perf and the libraries it loads, laid out as they
# are on this machine, for the profiling initramfs.
#   scripts/perf-root.sh DIR
set -eu
root=$1
perf=$(command -v perf)
rm -rf "$root"
mkdir -p "$root/usr/bin"
cp "$perf" "$root/usr/bin/perf"
for lib in $(ldd "$perf" | awk '$3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done
