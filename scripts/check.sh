#!/bin/bash
# Run test suites, show their KTAP lines, and end with the total.
#   scripts/check.sh SUITE...
# SUITE: host       the userspace tools, on this machine
#        dkms       make install, DKMS (this kernel's headers, the debug
#                   kernel's tree) and the .deb, on this machine (root)
#        install    modprobe from installed module trees (make install,
#                   dkms), in QEMU
#        lint       coding style and warning-free builds
#        stock      the kernel suite on Debian's kernel, in QEMU
#        http       the khttpd suite on Debian's kernel, in QEMU
#        http-debug the khttpd suite on the debug kernel
#        proto      the engine API suite (ksrv_testproto.ko) on Debian's kernel
#        proto-debug the engine API suite on the debug kernel
#        kunit      the KUnit modules on the debug kernel
#        selfcheck  the debug kernel catches planted bugs (its own boot)
#        debug      the kernel suite on the debug kernel, 20 stress cycles,
#                   kmemleak scans
#        stress     CYCLES stress cycles on the debug kernel
#        stock-REL, http-REL, proto-REL
#                   the kernel, khttpd and engine API suites on Debian
#                   RELease's packaged kernel (trixie, sid), in QEMU
#                   (make distro-initramfs-REL prepares it)
# Exits non-zero if any test or any suite as a whole failed.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
mkdir -p "$build"
# this run's results (two runs at once must not count each other's), kept
# as build/check.log when done
log=$(mktemp "$build/check.XXXXXX")
trap 'cp "$log" "$build/check.log"; rm -f "$log"' EXIT
# the stock kernel, as the Makefile picks it
: "${KERNEL:=/boot/vmlinuz-$("$top/scripts/kver.sh")}"
export KERNEL
: > "$log"

run_suite() {
	case $1 in
	host)
		make -s --no-print-directory -C "$top/tests/host" check ;;
	dkms)
		"$top/tests/install/host.sh" ;;
	install)
		VM_OUT=$build/vm-install VM_TIMEOUT=600 "$top/vm/run.sh" run \
			"$build/stock/install.cpio.gz" tests/install/modprobe.sh ;;
	lint)
		"$top/scripts/lint.sh" ;;
	stock)
		VM_OUT=$build/vm-stock "$top/vm/run.sh" check \
			"$build/stock/initramfs.cpio.gz" ;;
	http)
		VM_OUT=$build/vm-http "$top/vm/run.sh" run \
			"$build/stock/initramfs.cpio.gz" tests/http/suite.sh ;;
	http-debug)
		KERNEL=$(cat "$build/debug/kdir")/bzImage VM_OUT=$build/vm-http-debug \
		VM_TIMEOUT=1800 "$top/vm/run.sh" run \
			"$build/debug/initramfs.cpio.gz" tests/http/suite.sh debug=1 \
			only=params,correct,status,traversal,limits,listing,memory,slowloris,rmmod,stress,relay,privacy,trace \
			stress_cycles=2 ;;
	proto)
		VM_OUT=$build/vm-proto VM_TIMEOUT=1800 "$top/vm/run.sh" run \
			"$build/stock/initramfs.cpio.gz" tests/proto/suite.sh ;;
	proto-debug)
		KERNEL=$(cat "$build/debug/kdir")/bzImage VM_OUT=$build/vm-proto-debug \
		VM_TIMEOUT=3600 "$top/vm/run.sh" run \
			"$build/debug/initramfs.cpio.gz" tests/proto/suite.sh debug=1 \
			cycles=20 stream_mib=32 ;;
	kunit)
		KERNEL=$(cat "$build/debug/kdir")/bzImage VM_OUT=$build/vm-kunit \
		VM_TIMEOUT=600 "$top/vm/run.sh" run \
			"$build/debug/initramfs.cpio.gz" tests/kunit/run.sh ;;
	selfcheck)
		KERNEL=$(cat "$build/debug/kdir")/bzImage VM_OUT=$build/vm-selfcheck \
		VM_SCAN=$top/debug/selfcheck-log.sh VM_TIMEOUT=900 \
			"$top/vm/run.sh" selfcheck "$build/debug/initramfs.cpio.gz" ;;
	debug)
		KERNEL=$(cat "$build/debug/kdir")/bzImage VM_OUT=$build/vm-debug \
		VM_TIMEOUT=3600 "$top/vm/run.sh" check \
			"$build/debug/initramfs.cpio.gz" cycles=20 debug=1 ;;
	stress)
		KERNEL=$(cat "$build/debug/kdir")/bzImage VM_OUT=$build/vm-stress \
		VM_TIMEOUT=$((600 + ${CYCLES:-100} * 30)) "$top/vm/run.sh" check \
			"$build/debug/initramfs.cpio.gz" cycles="${CYCLES:-100}" \
			only=stress debug=1 ;;
	stock-* | http-* | proto-*)
		distro_suite "${1%%-*}" "${1#*-}" ;;
	*)
		echo "unknown suite $1" >&2; return 2 ;;
	esac
}

# distro_suite SUITE RELEASE: a stock-kernel suite on another release's
# kernel, with the modules built for it (build/RELEASE/).
distro_suite() {
	local dir=$build/$2 kd
	kd=$(cat "$dir/kdir" 2>/dev/null) && [ -f "$kd/vmlinuz" ] || {
		echo "no kernel prepared for $2 (make distro-initramfs-$2)" >&2
		return 2
	}
	case $1 in
	stock)
		KERNEL=$kd/vmlinuz VM_OUT=$build/vm-stock-$2 "$top/vm/run.sh" check \
			"$dir/initramfs.cpio.gz" ;;
	http)
		KERNEL=$kd/vmlinuz VM_OUT=$build/vm-http-$2 "$top/vm/run.sh" run \
			"$dir/initramfs.cpio.gz" tests/http/suite.sh ;;
	proto)
		KERNEL=$kd/vmlinuz VM_OUT=$build/vm-proto-$2 VM_TIMEOUT=1800 \
			"$top/vm/run.sh" run "$dir/initramfs.cpio.gz" tests/proto/suite.sh ;;
	esac
}

rc=0
for suite in "$@"; do
	echo "# suite: $suite" | tee -a "$log"
	before=$(grep -c '^not ok ' "$log")
	run_suite "$suite" 2>&1 | tee -a "$log"
	if [ "${PIPESTATUS[0]}" != 0 ]; then
		rc=1
		# a failure no test line shows: a kernel warning, a timeout
		[ "$(grep -c '^not ok ' "$log")" = "$before" ] &&
			echo "not ok - suite $suite" | tee -a "$log"
	fi
done
passed=$(grep -c '^ok ' "$log")
failed=$(grep -c '^not ok ' "$log")
echo "$passed passed, $failed failed"
[ "$rc" = 0 ] && [ "$failed" = 0 ]
