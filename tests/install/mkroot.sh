#!/bin/bash
# The extra root of the install suite's initramfs (tests/install/
# modprobe.sh): two module trees for KVER, and the programs the suite
# needs beyond busybox.
#   tests/install/mkroot.sh ROOT
#     ROOT/lib/modules/KVER/updates/kecho   make install DESTDIR=ROOT
#     ROOT/etc/modprobe.d/kecho.conf        (the same install)
#     ROOT/dkms/lib/modules/KVER/updates/dkms
#                                           dkms add, build, install
#                                           --installtree, in scratch
#                                           DKMS trees; depmod -b
#     ROOT/usr/bin/kmod, curl               with their libraries;
#                                           /usr/sbin/modprobe -> kmod
# Environment: KVER (default scripts/kver.sh), BUILD (default build/).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
root=${1:?ROOT}
: "${KVER:=$("$top/scripts/kver.sh")}"
build=${BUILD:-$top/build}
log=$build/install-root.log
: > "$log"

"$top/scripts/bin-root.sh" "$root" curl /usr/bin/kmod
mkdir -p "$root/usr/sbin"
for p in modprobe insmod rmmod lsmod modinfo depmod; do
	ln -sf ../bin/kmod "$root/usr/sbin/$p"
done

echo "install-root: make install DESTDIR=$root"
make -s --no-print-directory -C "$top" install DESTDIR="$root" KVER="$KVER" >> "$log" 2>&1 ||
	{ cat "$log" >&2; exit 1; }

echo "install-root: dkms build and install into $root/dkms"
scratch=$build/install-dkms
rm -rf "$scratch" "$root/dkms"
mkdir -p "$scratch/src" "$scratch/var" "$root/dkms/lib/modules/$KVER"
export SOURCE_TREE=$scratch/src DKMS_TREE=$scratch/var \
	INSTALL_TREE=$root/dkms/lib/modules
ver=$("$top/scripts/dkms.sh" version)
{
	"$top/scripts/dkms.sh" add &&
	dkms build "kecho/$ver" -k "$KVER" --sourcetree "$SOURCE_TREE" --dkmstree "$DKMS_TREE" &&
	dkms install "kecho/$ver" -k "$KVER" --sourcetree "$SOURCE_TREE" --dkmstree "$DKMS_TREE" \
		--installtree "$INSTALL_TREE" --no-depmod &&
	depmod -b "$root/dkms" "$KVER"
} >> "$log" 2>&1 || { cat "$log" >&2; exit 1; }
rm -rf "$scratch"
