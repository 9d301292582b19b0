#!/bin/bash
# Boot the test VM and carry its result back.
#   vm/run.sh check|run|bench|shell INITRD [ARGS...]
# ARGS reach the suite (check, bench) or insmod (shell) inside the VM.
#
# Environment:
#   KERNEL      kernel image to boot (required; the Makefile picks the one
#               matching the headers, or the debug kernel)
#   VM_OUT      folder for console.log and results.log (default build/vm)
#   VM_TIMEOUT  seconds before the VM is killed and the run fails (900)
#   VM_APPEND   more kernel command line
#   VM_SCAN     the kernel-log check (default vm/scan-log.sh; the debug
#               kernel's self-check expects its planted reports instead)
#   VM_CPU      QEMU CPU model
#   VM_QEMU     the QEMU program (tests/host/fake-qemu stands in for it)
#
# check and bench fail (exit 1) when the suite fails, when the VM times
# out, or when the kernel log shows a BUG, WARNING, Oops, lockdep report,
# KASAN report, leak or hung task.
set -u
mode=$1 initrd=$2
shift 2
: "${KERNEL:?KERNEL must name a kernel image}"
out=${VM_OUT:-build/vm}
limit=${VM_TIMEOUT:-900}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
console=$out/console.log
results=$out/results.log

# idle=poll: a cross-CPU wake-up otherwise waits for the tick.
# tsc=reliable: under TCG the kernel finds the vCPUs' TSCs unsynchronized
# and falls back to the HPET, whose emulated reads were the top entry of
# every profile (make profile); with the TSC, throughput doubled.
# no_timer_check: on a busy host the emulated timer can miss the boot-time
# IO-APIC timer check, and the kernel then panics ("IO-APIC + timer
# doesn't work!") before anything of ours runs.
# log_buf_len: vm/init checks the whole boot log in dmesg before the suite.
append="console=ttyS0 idle=poll tsc=reliable no_timer_check panic=-1 mitigations=off log_buf_len=4M kmode=$mode"
[ $# -gt 0 ] && append+=" kargs=\"$*\""
append+=" ${VM_APPEND:-}"
# -cpu max,la57=off: QEMU's "max" CPU under TCG has LA57, so a kernel with
# CONFIG_X86_5LEVEL runs with 5-level paging.  On the debug kernel that
# gives a false KASAN report at boot, now and then: pgtable_l5_enabled()
# is cpu_feature_enabled(X86_FEATURE_LA57), which until alternatives are
# patched reads boot_cpu_data; identify_cpu() zeroes those capabilities
# and fills them in again, and an interrupt in that window that goes
# through KASAN's out-of-line check (kasan_check_range: addr_has_metadata
# computes KASAN_SHADOW_START from pgtable_l5_enabled()) sees the 5-level
# direct map below the 4-level shadow start: "wild-memory-access in
# do_raw_spin_lock" from handle_edge_irq, and KASAN and lockdep are off
# for the rest of the boot.  4-level paging also makes loopback TCP about
# 2.5x faster under TCG (shorter page walks on every TLB miss).
qemu=("${VM_QEMU:-qemu-system-x86_64}" -accel tcg -cpu "${VM_CPU:-max,la57=off}" -smp 2 -m 2G -nographic
      -no-reboot -kernel "$KERNEL" -initrd "$initrd" -append "$append")

if [ "$mode" = shell ]; then
	exec "${qemu[@]}" -serial mon:stdio -serial null
fi

# One boot; sets qrc, status, secs.
boot() {
	start=$(date +%s)
	timeout --foreground -k 5 "$limit" "${qemu[@]}" -monitor none \
		-serial "file:$console" -serial stdio </dev/null |
		stdbuf -oL tr -d '\r' | tee "$results" |
		grep --line-buffered -v '^kecho-vm-exit \|^kecho-vm-boot-report$\|^BENCH \|^HTTP \|^CONFIG \|^IDLEMEM \|^RMMOD \|^LIMIT \|^INFO '
	qrc=${PIPESTATUS[0]}
	secs=$(( $(date +%s) - start ))
	status=$(sed -n 's/^kecho-vm-exit \([0-9a-z-]*\)$/\1/p' "$results" | tail -n 1)
	# A boot that died (a panic) before vm/init's marker, with a kernel
	# report in its log, is a boot report too: the kernel's own, before
	# any code of ours.  Seen: 6.12's setup_IO_APIC() taking an interrupt
	# for a pin whose chip data was not set yet, under TCG on a busy host.
	if [ -z "$status" ] && [ "$qrc" != 124 ] && [ "$qrc" != 137 ] &&
	   ! grep -q 'kecho-vm: first module load' "$console" &&
	   ! "$here/scan-log.sh" "$console" > /dev/null; then
		status=boot-report
	fi
}

# A kernel report before our first module load is the kernel's own, but
# it switches detectors off for the rest of the boot: vm/init stops such a
# boot at once (or the kernel panicked before the marker), and it is booted
# again, at most twice.  The report is kept
# (console.bootN.log) and shown; a report after the marker always fails.
attempt=1
while :; do
	boot
	[ "$status" = boot-report ] || break
	cp "$console" "$out/console.boot$attempt.log"
	"$here/scan-log.sh" "$console"
	echo "# VM: the kernel reported a problem while booting, before any module of ours (log: $out/console.boot$attempt.log)"
	[ $attempt -gt 2 ] && break
	echo "# VM: booting again ($((attempt + 1)) of 3)"
	attempt=$((attempt + 1))
done

fail=0
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	echo "# VM: timed out after ${limit} s (console log: $console)"
	fail=1
elif [ "$status" = boot-report ]; then
	echo "# VM: every boot had a kernel report before our code ran; the run fails"
	fail=1
elif [ -z "$status" ]; then
	echo "# VM: the suite did not finish (qemu exit $qrc, console log: $console)"
	fail=1
elif [ "$status" != 0 ]; then
	fail=1
fi
if ! "${VM_SCAN:-$here/scan-log.sh}" "$console"; then
	echo "# VM: the kernel log reports a problem (above; whole log: $console)"
	fail=1
fi
echo "# VM: $mode run took ${secs} s, kernel $(basename "$KERNEL")"
exit $fail
