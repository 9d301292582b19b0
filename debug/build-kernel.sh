#!/bin/bash
# Build (or reuse) kecho's debug kernel: KASAN, lockdep, kmemleak, KUnit ...
#   debug/build-kernel.sh
# The last line of stdout is the result directory DIR.  It is the kernel's
# out-of-tree build directory (make O=DIR), so it is both
#   DIR/bzImage   the image to boot (KERNEL=DIR/bzImage vm/run.sh ...)
#   DIR           a build tree for modules (make -C DIR M=$PWD modules)
# DIR/source links to the unpacked kernel source, which is kept in the cache
# as well.  A second run with the same source and fragment only prints DIR.
#
# Source: linux-source-6.12 from Debian trixie, fetched with a private apt
# configuration (the system's apt sources are not touched).  If trixie cannot
# be reached, bookworm's linux-source-6.1 (/usr/src/linux-source-6.1.tar.xz)
# is used instead.
#
# Environment:
#   KECHO_CACHE           cache folder (default /var/cache/kecho/debug-kernel)
#   KECHO_KERNEL_VERSION  Debian version of linux-source-6.12 to use, e.g.
#                         6.12.117-1 (default: the one already downloaded into
#                         the cache, else trixie's newest)
#   KECHO_KERNEL_REFRESH  1: ask the archive for its newest version even if
#                         one is cached
#   KECHO_KERNEL_FALLBACK 1: use bookworm's 6.1 without trying trixie
#   KECHO_JOBS            make -j (default: nproc)
#
# Layout of the cache:
#   apt/                       private apt lists and package cache
#   debs/                      the downloaded linux-source .deb
#   src/VERSION/               unpacked source (about 1.5 GB)
#   VERSION-FRAGSHA/           build directory, bzImage, build.log, build-info
# Needs: gcc make bc bison flex libelf-dev libssl-dev xz-utils cpio
# (scripts/deps.sh --debug installs them).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
frag=$here/kernel.config
cache=${KECHO_CACHE:-/var/cache/kecho/debug-kernel}
series=6.12
suite=trixie
mirror=http://deb.debian.org/debian
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
jobs=${KECHO_JOBS:-$(nproc)}

say() { echo "build-kernel: $*" >&2; }
die() { echo "build-kernel: error: $*" >&2; exit 1; }

[ -r "$frag" ] || die "missing config fragment $frag"
for t in gcc make bc bison flex xz dpkg-deb sha256sum flock perl; do
	command -v "$t" >/dev/null || die "missing tool '$t' (scripts/deps.sh --debug installs the build dependencies)"
done
for h in /usr/include/libelf.h /usr/include/openssl/ssl.h; do
	[ -e "$h" ] || die "missing $h (install libelf-dev and libssl-dev)"
done
mkdir -p "$cache" 2>/dev/null && [ -w "$cache" ] ||
	die "cache folder $cache is not writable (set KECHO_CACHE)"
cache=$(cd "$cache" && pwd)

# One build at a time per cache.
exec 9>"$cache/.lock"
if ! flock -n 9; then
	say "waiting for another build-kernel.sh run on $cache"
	flock 9
fi

# --- find the source ----------------------------------------------------
# Sets: srcver (Debian version), srcname (linux-source-X), unpack (command
# that writes the source tarball's contents to stdout as .tar).
newest_cached_deb() {
	local f best='' bv='' v
	for f in "$cache"/debs/linux-source-${series}_*_all.deb; do
		[ -e "$f" ] || continue
		v=$(dpkg-deb -f "$f" Version)
		if [ -z "$bv" ] || dpkg --compare-versions "$v" gt "$bv"; then
			best=$f bv=$v
		fi
	done
	echo "$best"
}

fetch_deb() {	# [VERSION] -> path of the .deb, or non-zero exit
	local want=${1:-} apt=$cache/apt
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$cache/debs"
	echo "deb [signed-by=$keyring] $mirror $suite main" >"$apt/sources.list"
	local o=(-o "Dir::Etc::sourcelist=$apt/sources.list"
		 -o Dir::Etc::sourceparts=/dev/null
		 -o "Dir::State::Lists=$apt/lists"
		 -o "Dir::Cache=$apt/cache"
		 -o Acquire::Retries=3 -o Acquire::http::Timeout=30)
	say "asking $mirror $suite for linux-source-$series"
	apt-get "${o[@]}" -q update >"$apt/update.log" 2>&1 || {
		say "apt-get update failed (see $apt/update.log)"; return 1; }
	if [ -z "$want" ]; then
		want=$(apt-cache "${o[@]}" show "linux-source-$series" 2>/dev/null |
			sed -n 's/^Version: //p' | sort -V | tail -n 1)
		[ -n "$want" ] || { say "no linux-source-$series in $suite"; return 1; }
	fi
	local deb=$cache/debs/linux-source-${series}_${want}_all.deb
	if [ ! -s "$deb" ]; then
		say "downloading linux-source-$series $want (about 150 MB)"
		(cd "$apt/cache/archives/partial" &&
		 rm -f ./*.deb &&
		 apt-get "${o[@]}" -q download "linux-source-$series=$want" >"$apt/download.log" 2>&1 &&
		 mv "linux-source-${series}_${want}_all.deb" "$deb.tmp") || {
			say "download failed (see $apt/download.log)"; return 1; }
		mv "$deb.tmp" "$deb"
		# Keep only the version in use.
		find "$cache/debs" -name "linux-source-${series}_*_all.deb" ! -path "$deb" -delete
	fi
	echo "$deb"
}

deb=''
if [ "${KECHO_KERNEL_FALLBACK:-0}" != 1 ]; then
	if [ -n "${KECHO_KERNEL_VERSION:-}" ]; then
		deb=$cache/debs/linux-source-${series}_${KECHO_KERNEL_VERSION}_all.deb
		[ -s "$deb" ] || deb=$(fetch_deb "$KECHO_KERNEL_VERSION") || deb=''
	elif [ "${KECHO_KERNEL_REFRESH:-0}" != 1 ]; then
		deb=$(newest_cached_deb)
	fi
	[ -n "$deb" ] || deb=$(fetch_deb) || deb=''
fi
if [ -n "$deb" ]; then
	srcver=$(dpkg-deb -f "$deb" Version)
	srcname=linux-source-$series
	unpack() { dpkg-deb --fsys-tarfile "$deb" |
		tar -xOf - "./usr/src/$srcname.tar.xz" | xz -dc; }
else
	[ -n "${KECHO_KERNEL_VERSION:-}" ] &&
		die "linux-source-$series $KECHO_KERNEL_VERSION is not available"
	series=6.1 srcname=linux-source-6.1
	tarball=/usr/src/$srcname.tar.xz
	if [ ! -r "$tarball" ]; then
		say "installing bookworm's $srcname"
		apt-get install -y -q "$srcname" >&2 || die "cannot get $srcname"
	fi
	srcver=$(dpkg-query -W -f='${Version}' "$srcname" 2>/dev/null) || srcver=unknown
	if [ "${KECHO_KERNEL_FALLBACK:-0}" = 1 ]; then
		say "KECHO_KERNEL_FALLBACK=1: using bookworm's $srcname $srcver"
	else
		say "trixie's linux-source-6.12 is not reachable: falling back to bookworm's $srcname $srcver"
	fi
	unpack() { xz -dc "$tarball"; }
fi

fragsha=$(sha256sum "$frag" | cut -c1-12)
out=$cache/$srcver-$fragsha
if [ -f "$out/.complete" ] && [ -f "$out/bzImage" ]; then
	say "cached: $out"
	echo "$out"
	exit 0
fi

# --- unpack ---------------------------------------------------------------
src=$cache/src/$srcver/$srcname
if [ ! -f "$src/.unpacked" ]; then
	say "unpacking $srcname $srcver into $cache/src/$srcver (about 1.5 GB)"
	rm -rf "$cache/src/$srcver" "$cache/src/$srcver.tmp"
	mkdir -p "$cache/src/$srcver.tmp"
	unpack | tar -xf - -C "$cache/src/$srcver.tmp" ||
		die "unpacking $srcname failed"
	[ -f "$cache/src/$srcver.tmp/$srcname/Makefile" ] ||
		die "unexpected layout of $srcname (no $srcname/Makefile)"
	touch "$cache/src/$srcver.tmp/$srcname/.unpacked"
	mv "$cache/src/$srcver.tmp" "$cache/src/$srcver"
fi

# --- configure ------------------------------------------------------------
mkdir -p "$out"
log=$out/build.log
: >"$log"
mk() { nice -n 10 make -C "$src" O="$out" "$@" >>"$log" 2>&1; }
say "configuring in $out (log: $log)"
mk tinyconfig || die "make tinyconfig failed (see $log)"
"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$frag" >>"$log" 2>&1 ||
	die "merge_config.sh failed (see $log)"
mk olddefconfig || die "make olddefconfig failed (see $log)"

# Every setting of the fragment must have survived olddefconfig (a missing
# dependency silently drops a symbol).
bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*)
		grep -qxF -- "$line" "$out/.config" || {
			say "config: wanted '$line', got '$(grep -E "^(# )?${line%%=*}[= ]" "$out/.config" || echo unset)'"
			bad=1; } ;;
	"# CONFIG_"*" is not set")
		sym=${line#\# }; sym=${sym%% *}
		! grep -q "^$sym=" "$out/.config" || {
			say "config: wanted '$line', got '$(grep "^$sym=" "$out/.config")'"
			bad=1; } ;;
	esac
done <"$frag"
[ $bad = 0 ] || die "the fragment $frag does not apply to $srcname $srcver"

# --- build ----------------------------------------------------------------
say "building bzImage and modules with -j$jobs (log: $log; 10-30 min)"
start=$(date +%s)
(
	while sleep 60; do
		n=$(grep -c '^  CC ' "$log" || true)
		say "  ... $(( ($(date +%s) - start) / 60 )) min, $n files compiled"
	done
) &
ticker=$!
trap 'kill $ticker 2>/dev/null || true' EXIT
if ! mk -j"$jobs" bzImage modules; then
	grep -E -m 20 'error:|Error [0-9]' "$log" >&2 || true
	die "kernel build failed (see $log)"
fi
kill $ticker 2>/dev/null || true
secs=$(( $(date +%s) - start ))

[ -f "$out/Module.symvers" ] || die "no Module.symvers after the build"
cp "$out/arch/x86/boot/bzImage" "$out/bzImage"
release=$(cat "$out/include/config/kernel.release")
cat >"$out/build-info" <<EOF
source=$srcname $srcver
release=$release
fragment=$frag sha256:$fragsha
built=$(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores, -j$jobs
build_seconds=$secs
EOF
touch "$out/.complete"
# Keep disk use sane: other versions of this series (source and builds) go;
# builds of this version with another fragment stay.
for d in "$cache"/src/*/"$srcname"; do
	d=${d%/"$srcname"}
	[ -d "$d" ] && [ "$d" != "$cache/src/$srcver" ] || continue
	say "removing old source $d"
	rm -rf "$d"
done
for d in "$cache"/*/source; do
	[ -L "$d" ] && [ ! -e "$d" ] || continue
	say "removing old build ${d%/source}"
	rm -rf "${d%/source}"
done
say "built $release in $((secs / 60)) min $((secs % 60)) s: $out"
echo "$out"
