#!/bin/sh
# A folder with Debian's programs and the libraries they load, laid out as
# they are on this machine, to add to an initramfs (perf for profiling;
# curl, wrk, ab, h2load for the HTTP suite; nginx and lighttpd for the
# HTTP benchmark).
#   scripts/bin-root.sh DIR PROGRAM|/PATH...
# A PROGRAM is looked up in PATH (and /usr/sbin, /sbin); an absolute
# /PATH is a file copied as it is (a config file, a plugin), with the
# libraries it loads if it is a shared object.
set -eu
root=$1
shift
rm -rf "$root"
mkdir -p "$root/usr/bin" "$root/etc"
for name in "$@"; do
	case $name in
	/*) prog=$name
	    [ -f "$prog" ] || { echo "bin-root: no $name" >&2; exit 1; } ;;
	*) prog=$(PATH=$PATH:/usr/sbin:/sbin command -v "$name") ||
		{ echo "bin-root: no $name" >&2; exit 1; } ;;
	esac
	mkdir -p "$root$(dirname "$prog")"
	cp "$prog" "$root$prog"
	ldd "$prog" >/dev/null 2>&1 || continue
	for lib in $(ldd "$prog" | awk '$3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
done
# name lookups of "localhost" by the clients
printf '127.0.0.1 localhost\n::1 localhost\n' > "$root/etc/hosts"
printf 'passwd: files\ngroup: files\nhosts: files\n' > "$root/etc/nsswitch.conf"
# user and group lookups of the servers (nginx's "user root root;")
printf 'root:x:0:0:root:/root:/bin/sh\nwww-data:x:33:33:www-data:/var/www:/bin/false\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$root/etc/passwd"
printf 'root:x:0:\nwww-data:x:33:\nnogroup:x:65534:\n' > "$root/etc/group"
