#!/bin/sh
# Install from Debian's archive whatever the build, the VM and the reports
# need and the machine lacks.  Idempotent and quick when all is there.
# clang and libclang-rt-dev (a mere Recommends of clang, so named here)
# build the parser's libFuzzer harness.  dkms for the DKMS suite.
# clang, bpftool and libbpf-dev (with libelf-dev and zlib1g-dev for the
# static libelf.a and libz.a) build sockmap-echo, the BPF floor peer.
#   scripts/deps.sh [--debug] [--profile]
#     --debug    adds what building a kernel needs
#     --kernels  adds what preparing Debian's newer kernels needs
#                (scripts/distro-kernel.sh): --debug's, and pahole
#     --profile  adds perf, for `make profile`
set -eu
pkgs="make gcc libc6-dev linux-image-amd64 linux-headers-amd64
qemu-system-x86 busybox-static cpio gzip kmod liburing-dev gnuplot-nox
python3 procps sparse clang libclang-rt-dev
curl wrk apache2-utils nghttp2-client nginx lighttpd dkms
bpftool libbpf-dev libelf-dev zlib1g-dev"
for arg in "$@"; do
	case $arg in
	--debug) pkgs="$pkgs bc bison flex libelf-dev libssl-dev xz-utils" ;;
	--kernels) pkgs="$pkgs bc bison flex libelf-dev libssl-dev xz-utils dwarves" ;;
	--profile) pkgs="$pkgs linux-perf" ;;
	esac
done
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
		grep -q '^install ok installed$' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages:$missing; run as root to install them" >&2
	exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null
