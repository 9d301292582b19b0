#!/bin/sh
# This boot's speed, measured once at startup by vm/init before any module
# of ours is loaded: `ktest calibrate` times a fixed CPU loop and 300
# loopback TCP round trips (connect, 64 bytes there and back, close)
# against an echo thread of its own.  Compared with the same measures on
# the reference (Debian's stock kernel in this VM, on a quiet 2-core
# host), that gives KT_SCALE, exported to the suites: how much slower this
# boot is, at least 1.  Time limits that guard a promise and must scale
# with the machine are multiplied by it: in the shell by `scaled`, and in
# ktest, which reads KT_SCALE itself.
#
# The round trips go through the kernel's TCP, scheduler and allocator, so
# they see the debug kernel's slowness (KASAN, lockdep) as well as a slow
# or busy host; the CPU loop sees only the latter.  The scale is the larger
# of the two ratios.  A KT_SCALE already set (kernel command line
# KT_SCALE=N) is kept.
CALIB_REF_CPU_MS=${CALIB_REF_CPU_MS:-80}
CALIB_REF_NET_MS=${CALIB_REF_NET_MS:-400}

calibrate() {
	calib=$(ktest calibrate -n 300 2>&1)
	cpu=$(echo "$calib" | sed -n 's/^CALIB cpu_ms=\([0-9]*\) .*/\1/p')
	net=$(echo "$calib" | sed -n 's/^CALIB .* net_ms=\([0-9]*\)$/\1/p')
	if [ -z "$cpu" ] || [ -z "$net" ]; then
		echo "$calib" | sed 's/^/# /'
		echo "# calibration failed: KT_SCALE ${KT_SCALE:-1}"
		return 1
	fi
	scale=$(awk -v c="$cpu" -v n="$net" -v rc=$CALIB_REF_CPU_MS \
		-v rn=$CALIB_REF_NET_MS 'BEGIN {
		s = c / rc; if (n / rn > s) s = n / rn; if (s < 1) s = 1
		printf "%.1f", s }')
	echo "# calibration: CPU loop $cpu ms (reference $CALIB_REF_CPU_MS), 300 loopback round trips $net ms (reference $CALIB_REF_NET_MS): scale $scale"
	if [ -n "${KT_SCALE:-}" ]; then
		echo "# KT_SCALE $KT_SCALE, as given"
	else
		KT_SCALE=$scale
	fi
	export KT_SCALE
}
