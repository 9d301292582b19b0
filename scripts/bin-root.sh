#!/bin/sh
# A folder with Debian's programs and the libraries they load, laid out as
# they are on this machine, to add to an initramfs (perf for profiling;
# curl, wrk, ab, h2load for the HTTP suite).
#   scripts/bin-root.sh DIR PROGRAM...
set -eu
root=$1
shift
rm -rf "$root"
mkdir -p "$root/usr/bin" "$root/etc"
for name in "$@"; do
	prog=$(command -v "$name") || { echo "bin-root: no $name" >&2; exit 1; }
	mkdir -p "$root$(dirname "$prog")"
	cp "$prog" "$root$prog"
	for lib in $(ldd "$prog" | awk '$3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
done
# name lookups of "localhost" by the clients
printf '127.0.0.1 localhost\n::1 localhost\n' > "$root/etc/hosts"
echo 'hosts: files' > "$root/etc/nsswitch.conf"
