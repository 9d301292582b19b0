#!/bin/bash
# Fetch (or reuse) one of Debian's packaged kernels for the VM suites, and
# a tree to build modules for it with this machine's compiler.
#   scripts/distro-kernel.sh RELEASE        RELEASE: trixie, sid, ...
# The last line of stdout is the result directory DIR:
#   DIR/vmlinuz   Debian's own image, from linux-image-KREL (or, where that
#                 is a meta-package, linux-binary-KREL)
#   DIR/build     a module build tree (make -C DIR/build M=... modules)
#   DIR/krel      the kernel release, e.g. 7.2.13+deb14-amd64
#
# Why not Debian's linux-headers-KREL as it comes: its host programs
# (modpost, genksyms) are linked against the newer release's C library
# (GLIBC_2.38) and do not run on bookworm, and its flags assume that
# release's compiler (gcc-14 or newer).  So DIR/build is made from the
# same version's linux-source package: Debian's configuration (the
# headers package's .config) through olddefconfig with this machine's
# gcc, then modules_prepare with Debian's KERNELRELEASE, and the headers
# package's Module.symvers.  Only options that test the compiler change
# (listed in DIR/config.diff).  The kernel refuses a module whose struct
# module or vermagic do not match its own, so a wrong tree cannot pass
# unnoticed: the suites load what is built here.
#
# Environment:
#   KECHO_KERNELS   cache folder (default /var/cache/kecho/kernels)
#   KECHO_JOBS      make -j (default: nproc)
# Offline, the newest complete tree cached for RELEASE is used.
#
# Layout of the cache:
#   apt/RELEASE/   private apt lists and package cache (the system's apt
#                  sources are not touched)
#   debs/          the downloaded packages
#   src/VERSION/   the part of the kernel source modules_prepare reads
#   KREL/          vmlinuz, build/, krel, config.diff, .complete
#   RELEASE.krel   the release last fetched for RELEASE
# Needs: gcc make bc bison flex libelf-dev libssl-dev xz-utils pahole
# (scripts/deps.sh --kernels installs them).
set -euo pipefail

release=${1:?usage: distro-kernel.sh RELEASE}
cache=${KECHO_KERNELS:-/var/cache/kecho/kernels}
mirror=http://deb.debian.org/debian
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
jobs=${KECHO_JOBS:-$(nproc)}

say() { echo "distro-kernel: $*" >&2; }
die() { echo "distro-kernel: error: $*" >&2; exit 1; }

case $release in
*[!a-z0-9-]* | '') die "bad release name '$release'" ;;
esac
for t in gcc make bc bison flex xz dpkg-deb flock pahole apt-get; do
	command -v "$t" >/dev/null ||
		die "missing tool '$t' (scripts/deps.sh --kernels installs it)"
done
mkdir -p "$cache" 2>/dev/null && [ -w "$cache" ] ||
	die "cache folder $cache is not writable (set KECHO_KERNELS)"
cache=$(cd "$cache" && pwd)

exec 9>"$cache/.lock"
flock -n 9 || { say "waiting for another run on $cache"; flock 9; }

apt=$cache/apt/$release
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$cache/debs"
echo "deb [signed-by=$keyring] $mirror $release main" >"$apt/sources.list"
aptopt=(-o "Dir::Etc::sourcelist=$apt/sources.list"
	-o Dir::Etc::sourceparts=/dev/null
	-o "Dir::State::Lists=$apt/lists"
	-o "Dir::Cache=$apt/cache"
	-o Acquire::Retries=3 -o Acquire::http::Timeout=30)

field() {	# PACKAGE[=VERSION] FIELD: a field of the newest such package
	apt-cache "${aptopt[@]}" show "$1" 2>/dev/null |
		awk -v f="$2" 'BEGIN { FS = ": " }
			$1 == "Version" { v = $2 } $1 == f && !done[v]++ { print v "\t" $2 }' |
		sort -V | tail -n 1 | cut -f 2
}

cached_tree() {
	local k
	k=$(cat "$cache/$release.krel" 2>/dev/null) || return 1
	[ -f "$cache/$k/.complete" ] && echo "$cache/$k"
}

say "asking $mirror $release for linux-image-amd64"
if ! apt-get "${aptopt[@]}" -q update >"$apt/update.log" 2>&1; then
	out=$(cached_tree) ||
		die "apt-get update failed (see $apt/update.log) and nothing is cached for $release"
	say "offline: using the cached $out"
	echo "$out"
	exit 0
fi
ver=$(field linux-image-amd64 Version)
[ -n "$ver" ] || die "no linux-image-amd64 in $release"
# linux-image-amd64 depends on linux-image-KREL (and, from 7.x, on
# linux-base-KREL as well)
krel=$(field "linux-image-amd64=$ver" Depends | tr ',' '\n' |
	sed -n 's/^ *linux-image-\([^ ]*-amd64\) .*/\1/p' | head -n 1)
[ -n "$krel" ] || die "cannot tell the kernel release of linux-image-amd64 $ver"
series=$(echo "$ver" | sed -n 's/^\([0-9]*\.[0-9]*\)\..*/\1/p')
[ -n "$series" ] || die "cannot tell the series of version $ver"
out=$cache/$krel
if [ -f "$out/.complete" ]; then
	echo "$krel" >"$cache/$release.krel"
	say "cached: $out"
	echo "$out"
	exit 0
fi

download() {	# PACKAGE=VERSION -> the .deb's path
	local name=${1%%=*} v=${1#*=} deb
	deb=$cache/debs/${name}_${v}.deb
	if [ ! -s "$deb" ]; then
		say "downloading $name $v"
		(cd "$apt/cache/archives/partial" && rm -f ./*.deb &&
		 apt-get "${aptopt[@]}" -q download "$1" >"$apt/download.log" 2>&1 &&
		 mv ./"${name}"_*.deb "$deb.tmp") ||
			die "cannot download $1 (see $apt/download.log)"
		mv "$deb.tmp" "$deb"
	fi
	echo "$deb"
}

rm -rf "$out"
mkdir -p "$out/build"
echo "$krel" >"$out/krel"

# The image: linux-image-KREL holds /boot/vmlinuz-KREL on 6.12; on 7.x it
# is a meta-package and linux-binary-KREL holds
# /usr/lib/modules/KREL/vmlinuz.
take_image() {	# DEB: copy its vmlinuz, if it has one
	local m
	m=$(dpkg-deb --fsys-tarfile "$1" | tar -t |
		grep -Fx -e "./boot/vmlinuz-$krel" -e "./usr/lib/modules/$krel/vmlinuz" |
		head -n 1)
	[ -n "$m" ] || return 1
	dpkg-deb --fsys-tarfile "$1" | tar -xOf - "$m" >"$out/vmlinuz"
}
take_image "$(download "linux-image-$krel=$ver")" ||
	take_image "$(download "linux-binary-$krel=$ver")" ||
	die "no vmlinuz in linux-image-$krel nor linux-binary-$krel"

hdeb=$(download "linux-headers-$krel=$ver")
for f in .config Module.symvers; do
	dpkg-deb --fsys-tarfile "$hdeb" |
		tar -xOf - "./usr/src/linux-headers-$krel/$f" >"$out/debian-${f#.}" ||
		die "no $f in linux-headers-$krel"
done

# The source: only what olddefconfig and modules_prepare read (every
# Kconfig file; the top level, arch/x86, include, scripts, tools, kernel,
# init, certs, usr, rust; SELinux's class map for scripts/selinux):
# about 230 MB of the 1.5 GB.
src=$cache/src/$ver
top=linux-source-$series
if [ ! -f "$src/.complete" ]; then
	sdeb=$(download "linux-source-$series=$ver")
	say "unpacking part of $top $ver into $src"
	rm -rf "$src" && mkdir -p "$src"
	dpkg-deb --fsys-tarfile "$sdeb" | tar -xOf - "./usr/src/$top.tar.xz" |
		xz -dc -T"$jobs" | tar -x -C "$src" --wildcards \
			"$top/Makefile" "$top/Kbuild" "$top/Kconfig" "$top/*/Kconfig*" \
			"$top/arch/x86/*" "$top/include/*" "$top/scripts/*" \
			"$top/tools/*" "$top/kernel/*" "$top/init/*" "$top/certs/*" \
			"$top/usr/*" "$top/rust/*" "$top/security/selinux/include/*"
	# keep the cache to one version of each series
	find "$cache/debs" -name "linux-source-${series}_*" ! -name "*_$ver.deb" -delete
	touch "$src/.complete"
fi

kmake() { make -s -C "$src/$top" O="$out/build" KERNELRELEASE="$krel" -j"$jobs" "$@"; }
say "configuring $krel with $(gcc -dumpfullversion) (log: $out/build.log)"
cp "$out/debian-config" "$out/build/.config"
kmake olddefconfig >"$out/build.log" 2>&1 || die "olddefconfig failed (see $out/build.log)"
diff <(grep '^CONFIG_' "$out/debian-config" | sort) \
	<(grep '^CONFIG_' "$out/build/.config" | sort) >"$out/config.diff" || true
# Options that shape what a module must look like to load: they must come
# through unchanged.
for opt in MODULES MODULE_UNLOAD MODVERSIONS SMP PREEMPT_DYNAMIC PREEMPT_VOLUNTARY \
	DEBUG_INFO_BTF_MODULES MODULE_SIG KASAN; do
	[ "$(grep "^CONFIG_$opt=" "$out/debian-config")" = \
	  "$(grep "^CONFIG_$opt=" "$out/build/.config")" ] ||
		die "CONFIG_$opt differs from Debian's after olddefconfig (see $out/config.diff)"
done
say "modules_prepare (log: $out/build.log)"
kmake modules_prepare >>"$out/build.log" 2>&1 || die "modules_prepare failed (see $out/build.log)"
cp "$out/debian-Module.symvers" "$out/build/Module.symvers"
[ "$(cat "$out/build/include/config/kernel.release")" = "$krel" ] ||
	die "the tree's kernel release is not $krel"
touch "$out/.complete"
echo "$krel" >"$cache/$release.krel"
say "ready: $out"
echo "$out"
