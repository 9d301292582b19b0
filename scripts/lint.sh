#!/bin/bash
# The code standards as tests (KTAP): kernel coding style, warning-free
# builds (W=1 for the modules, -Wall -Wextra for userspace), sparse.
#   scripts/lint.sh
# Builds happen in a scratch folder, so this never disturbs build/.
# Environment: KDIR (stock headers), BUILD (for the debug kernel's path).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
kdir=${KDIR:-/lib/modules/$("$top/scripts/kver.sh")/build}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
. "$top/tests/lib/ktap.sh"
result() { ktap_ok "$@"; }
skip() { ktap_skip "$@"; }

# Lines of a build log that are compiler or checker complaints.
complaints() {
	grep -E 'warning:|error:|: note:' "$1" | grep -v 'Skipping BTF generation'
}

# build_module NAME SRC KDIR [MAKEARGS]: build SRC against KDIR, W=1.
build_module() {
	local name=$1 src=$2 kd=$3
	shift 3
	mkdir -p "$scratch/$name"
	cp -r "$src"/. "$scratch/$name/"
	make -C "$kd" M="$scratch/$name" W=1 "$@" modules > "$scratch/$name.log" 2>&1
	local rc=$?
	if [ $rc != 0 ] || complaints "$scratch/$name.log" > "$scratch/$name.bad"; then
		sed 's/^/# /' "$scratch/$name.bad" 2>/dev/null | head -n 20
		[ $rc != 0 ] && tail -n 5 "$scratch/$name.log" | sed 's/^/# /'
		return 1
	fi
}

# checkpatch.pl: Debian's headers package lacks it; the kernel sources we
# unpack (the debug kernel's, or linux-source-6.1) have it.
checkpatch=
debug_kdir=$(cat "$build/debug/kdir" 2>/dev/null)
for c in "$kdir/scripts/checkpatch.pl" "$debug_kdir/source/scripts/checkpatch.pl" \
	/var/cache/kecho/debug-kernel/src/*/linux-source-*/scripts/checkpatch.pl; do
	[ -x "$c" ] && { checkpatch=$c; break; }
done

echo "KTAP version 1"
# Version guards belong in kernel/engine/compat.[ch] and nowhere else:
# checkpatch's warnings about them are waived there, and only there.
compat="$top/kernel/engine/compat.h $top/kernel/engine/compat.c"
files=$(find "$top/kernel" "$top/tests/bugs" "$top/tests/proto" "$top/tests/kunit" \
	-name '*.[ch]' ! -name '*.mod.c' ! -path '*/client/*' \
	! -name 'compat.[ch]')
if [ -n "$checkpatch" ]; then
	# shellcheck disable=SC2086
	{ "$checkpatch" --no-tree --strict --terse --show-types -f $files
	  "$checkpatch" --no-tree --strict --terse --show-types \
		--ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON -f $compat
	} > "$scratch/checkpatch.log" 2>&1
	grep -v '^total: 0 errors, 0 warnings, 0 checks' "$scratch/checkpatch.log" |
		grep . > "$scratch/checkpatch.bad"
	sed 's/^/# /' "$scratch/checkpatch.bad" | head -n 20
	[ ! -s "$scratch/checkpatch.bad" ]
	result "checkpatch.pl --strict: kernel code in kernel style" $?
else
	skip "checkpatch.pl --strict" "no kernel source with checkpatch.pl yet (make debug-kernel)"
fi

# shellcheck disable=SC2086
! grep -n 'LINUX_VERSION_CODE\|KERNEL_VERSION' $files
result "version guards only in kernel/engine/compat.[ch]" $?

build_module stock "$top/kernel" "$kdir"
result "ksrv.ko, kecho.ko, khttpd.ko build with W=1 against $(basename "$(dirname "$kdir")"), no warning" $?

if command -v sparse > /dev/null; then
	build_module sparse "$top/kernel" "$kdir" C=2
	result "the modules are sparse-clean (C=2)" $?
else
	skip "sparse" "sparse is not installed"
fi

if [ -n "$debug_kdir" ] && [ -d "$debug_kdir" ]; then
	build_module debug "$top/kernel" "$debug_kdir"
	result "the modules build with W=1 against the debug kernel, no warning" $?
	build_module bugs "$top/tests/bugs" "$debug_kdir"
	result "kecho_bugs.ko builds with W=1 against the debug kernel, no warning" $?
else
	skip "W=1 build against the debug kernel" "not built yet (make debug-kernel)"
fi

# Debian's newer kernels, where make distro-kernel-REL has prepared them.
for rel in trixie sid; do
	rel_kdir=$(cat "$build/$rel/kdir" 2>/dev/null)
	if [ -n "$rel_kdir" ] && [ -d "$rel_kdir/build" ]; then
		build_module "$rel" "$top/kernel" "$rel_kdir/build"
		result "the modules build with W=1 against $rel's $(cat "$rel_kdir/krel"), no warning" $?
	else
		skip "W=1 build against $rel's kernel" "not prepared (make distro-kernel-$rel)"
	fi
done

make -C "$top/tools" OUT="$scratch/bin" -B > "$scratch/tools.log" 2>&1
rc=$?
complaints "$scratch/tools.log" > "$scratch/tools.bad"
sed 's/^/# /' "$scratch/tools.bad" | head -n 20
[ $rc = 0 ] && [ ! -s "$scratch/tools.bad" ]
result "userspace builds with -Wall -Wextra, no warning" $?

ktap_done
