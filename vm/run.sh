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
append="console=ttyS0 idle=poll tsc=reliable panic=-1 mitigations=off kmode=$mode"
[ $# -gt 0 ] && append+=" kargs=\"$*\""
append+=" ${VM_APPEND:-}"
qemu=(qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 2G -nographic
      -no-reboot -kernel "$KERNEL" -initrd "$initrd" -append "$append")

if [ "$mode" = shell ]; then
	exec "${qemu[@]}" -serial mon:stdio -serial null
fi

start=$(date +%s)
timeout --foreground -k 5 "$limit" "${qemu[@]}" -monitor none \
	-serial "file:$console" -serial stdio </dev/null |
	tr -d '\r' | tee "$results" |
	grep --line-buffered -v '^kecho-vm-exit \|^BENCH \|^HTTP \|^CONFIG \|^IDLEMEM \|^RMMOD \|^LIMIT \|^INFO '
qrc=${PIPESTATUS[0]}
secs=$(( $(date +%s) - start ))

status=$(sed -n 's/^kecho-vm-exit \([0-9]*\)$/\1/p' "$results" | tail -n 1)
fail=0
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	echo "# VM: timed out after ${limit} s (console log: $console)"
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
