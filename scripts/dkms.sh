#!/bin/bash
# kecho's modules under DKMS.
#   scripts/dkms.sh stage DIR   copy the modules' source to DIR/kecho-VERSION
#                               (kernel/ and dkms.conf); print that path
#   scripts/dkms.sh add         stage into the source tree (/usr/src) and
#                               "dkms add" it; a version already added is
#                               removed first
#   scripts/dkms.sh remove      "dkms remove --all" every version of kecho,
#                               and delete the source copies "add" made
#   scripts/dkms.sh version     the version (scripts/version.sh)
# Environment: SOURCE_TREE, DKMS_TREE, INSTALL_TREE pass --sourcetree,
# --dkmstree, --installtree to dkms (a scratch tree for tests); DKMS_ARGS
# more options.  What DKMS gets is kernel/ as it is, with its Kbuild at
# the top: dkms.conf builds it with "make -C KDIR M=BUILD-DIR modules",
# nothing of tests/ or tools/.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
name=kecho
ver=$("$top/scripts/version.sh")
src=${SOURCE_TREE:-/usr/src}
# the mark of a copy that "add" made, which "remove" may delete
mark=.kecho-make-dkms

dkms_() {
	local opts=()

	[ -n "${SOURCE_TREE:-}" ] && opts+=(--sourcetree "$SOURCE_TREE")
	[ -n "${DKMS_TREE:-}" ] && opts+=(--dkmstree "$DKMS_TREE")
	[ -n "${INSTALL_TREE:-}" ] && opts+=(--installtree "$INSTALL_TREE")
	# shellcheck disable=SC2086
	dkms "$@" "${opts[@]}" ${DKMS_ARGS:-}
}

stage() {
	local dir=$1/$name-$ver

	rm -rf "$dir"
	mkdir -p "$dir"
	cp -R "$top/kernel/." "$dir/"
	sed "s/@VERSION@/$ver/" "$top/packaging/dkms.conf" > "$dir/dkms.conf"
	echo "$ver" > "$dir/VERSION"
	echo "$dir"
}

# The versions of kecho the DKMS tree holds.
added() {
	local d=${DKMS_TREE:-/var/lib/dkms}/$name v

	[ -d "$d" ] || return 0
	for v in "$d"/*/; do
		v=$(basename "$v")
		[ -e "$d/$v/source" ] || [ -d "$d/$v/build" ] && echo "$v"
	done
	return 0
}

case ${1:-} in
stage)
	stage "${2:?stage DIR}" ;;
add)
	command -v dkms >/dev/null || { echo "dkms.sh: no dkms; apt-get install dkms" >&2; exit 1; }
	if added | grep -qxF "$ver"; then
		dkms_ remove "$name/$ver" --all
	fi
	mkdir -p "$src"
	touch "$(stage "$src")/$mark"
	dkms_ add "$name/$ver"
	echo "added $name/$ver: now 'dkms build $name/$ver' and 'dkms install $name/$ver' (-k KVER for another kernel)"
	;;
remove)
	command -v dkms >/dev/null || exit 0
	for v in $(added); do
		dkms_ remove "$name/$v" --all
	done
	for d in "$src/$name"-*/; do
		[ -e "$d$mark" ] && rm -rf "$d"
	done
	;;
version)
	echo "$ver" ;;
*)
	sed -n '2,/^set /p' "$0" | sed '$d' >&2
	exit 2 ;;
esac
