#!/bin/sh
# A folder with Debian's programs and the libraries they load, laid out as
# they are on this machine, to add to an initramfs (perf for profiling;
# curl, wrk, ab, h2load for the HTTP suite; nginx, lighttpd and python3's
# http.server for the HTTP benchmark).
#   scripts/bin-root.sh DIR [-x PATTERN]... PROGRAM|/PATH|/TREE/...
# A PROGRAM is looked up in PATH (and /usr/sbin, /sbin); an absolute
# /PATH is a file copied as it is (a config file, a plugin), with the
# libraries it loads if it is a shared object; a symbolic link is copied
# as a link, and what it points to as well (/usr/bin/python3 ->
# python3.11).  A /TREE/ (a folder, with the slash) is copied whole
# (python3's standard library), minus the files and folders whose names
# match a PATTERN given before it (a shell pattern, as tar --exclude takes
# it: "test", "_test*.so"), with the libraries its shared objects load.
set -eu
root=$1
shift
rm -rf "$root"
mkdir -p "$root/usr/bin" "$root/etc"

# libs FILE: copy the libraries FILE loads, if it is dynamically linked
libs() {
	ldd "$1" >/dev/null 2>&1 || return 0
	for lib in $(ldd "$1" | awk '$3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}

# copy FILE: FILE and its libraries; a link as a link, then its target
copy() {
	mkdir -p "$root$(dirname "$1")"
	if [ -L "$1" ]; then
		cp -P "$1" "$root$1"
		target=$(readlink "$1")
		case $target in
		/*) ;;
		*) target=$(realpath -m -s "$(dirname "$1")/$target") ;;
		esac
		copy "$target"
		return
	fi
	cp "$1" "$root$1"
	libs "$1"
}

excludes=
while [ $# -gt 0 ]; do
	name=$1
	shift
	case $name in
	-x) excludes="$excludes
--exclude=$1"
	    shift
	    continue ;;
	*/) [ -d "$name" ] || { echo "bin-root: no folder $name" >&2; exit 1; }
	    tree=${name%/}
	    mkdir -p "$root$(dirname "$tree")"
	    # one pattern a line: patterns may hold spaces, never newlines
	    (IFS='
'
	     # shellcheck disable=SC2086
	     tar -C "$(dirname "$tree")" $excludes -cf - "$(basename "$tree")") |
		tar -C "$root$(dirname "$tree")" -xf -
	    find "$root$tree" -type f -name '*.so*' | while read -r so; do
		libs "$so"
	    done
	    continue ;;
	/*) [ -e "$name" ] || { echo "bin-root: no $name" >&2; exit 1; }
	    prog=$name ;;
	*) prog=$(PATH=$PATH:/usr/sbin:/sbin command -v "$name") ||
		{ echo "bin-root: no $name" >&2; exit 1; } ;;
	esac
	copy "$prog"
done
# name lookups of "localhost" by the clients
printf '127.0.0.1 localhost\n::1 localhost\n' > "$root/etc/hosts"
printf 'passwd: files\ngroup: files\nhosts: files\n' > "$root/etc/nsswitch.conf"
# user and group lookups of the servers (nginx's "user root root;")
printf 'root:x:0:0:root:/root:/bin/sh\nwww-data:x:33:33:www-data:/var/www:/bin/false\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$root/etc/passwd"
printf 'root:x:0:\nwww-data:x:33:\nnogroup:x:65534:\n' > "$root/etc/group"
