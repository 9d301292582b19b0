#!/bin/bash
# kecho-dkms_VERSION_all.deb: the modules' source for DKMS as a Debian
# package, what "dkms mkdeb" made before dkms 3 dropped it.  It holds
# /usr/src/kecho-VERSION (scripts/dkms.sh stage) and the example
# configurations; its postinst adds the source to DKMS and builds and
# installs the modules for every kernel with headers, its prerm removes
# them from DKMS again.
#   packaging/mkdeb.sh OUTDIR     writes OUTDIR/kecho-dkms_VERSION_all.deb
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?OUTDIR}
ver=$("$top/scripts/version.sh")
pkg=kecho-dkms
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root=$stage/root

mkdir -p "$root/usr/src" "$root/DEBIAN" "$root/usr/share/$pkg" \
	"$root/usr/share/doc/$pkg"
"$top/scripts/dkms.sh" stage "$root/usr/src" > /dev/null
# the examples; postinst copies them to /etc where no such file is
cp -R "$top/packaging/modprobe.d" "$top/packaging/modules-load.d" \
	"$root/usr/share/$pkg/"
cat > "$root/usr/share/doc/$pkg/README.Debian" <<EOT
kecho-dkms $ver: ksrv.ko, kecho.ko and khttpd.ko, built by DKMS from
/usr/src/kecho-$ver for each kernel that has its headers installed
("dkms status kecho" shows where).  modprobe kecho, or modprobe khttpd
docroot=DIR, loads ksrv first.  The options and boot-time loading
examples are /etc/modprobe.d/kecho.conf and /etc/modules-load.d/kecho.conf,
every line commented out; they are installed only where no such file was,
and removed with the package only if unchanged.
EOT
find "$root" -type d -exec chmod 755 {} +
find "$root" -type f -exec chmod 644 {} +

size=$(du -k -s "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<EOT
Package: $pkg
Version: $ver
Architecture: all
Section: kernel
Priority: optional
Maintainer: The kecho developers <kecho@localhost>
Depends: dkms (>= 2.1.0.0), kmod
Recommends: linux-headers-amd64 | linux-headers-generic
Installed-Size: $size
Description: in-kernel TCP servers (echo, HTTP) as DKMS modules
 ksrv.ko, an in-kernel TCP connection engine, and the two servers on it:
 kecho.ko, an echo server, and khttpd.ko, a static HTTP/1.1 file server.
 DKMS builds them for each installed kernel with headers.
EOT

cat > "$root/DEBIAN/postinst" <<EOT
#!/bin/sh
# $pkg: add the source to DKMS, build and install the modules for each
# kernel with headers, and put the example configurations in /etc where
# there is no such file.
set -e
NAME=kecho
VERSION=$ver
EOT
cat >> "$root/DEBIAN/postinst" <<'EOT'
[ "$1" = configure ] || exit 0
for f in modprobe.d/kecho.conf modules-load.d/kecho.conf; do
	[ -e "/etc/$f" ] && continue
	mkdir -p "/etc/${f%/*}"
	cp "/usr/share/kecho-dkms/$f" "/etc/$f"
done
dkms status -m $NAME -v "$VERSION" | grep -q . || dkms add -m $NAME -v "$VERSION"
failed=
for dir in /lib/modules/*/build; do
	[ -e "$dir/Makefile" ] || continue
	kver=${dir%/build}
	kver=${kver##*/}
	st=0
	dkms build -m $NAME -v "$VERSION" -k "$kver" &&
		dkms install -m $NAME -v "$VERSION" -k "$kver" || st=$?
	case $st in
	0) ;;
	# BUILD_EXCLUSIVE_KERNEL: a kernel older than 6.1
	77) echo "$NAME: not for kernel $kver (too old), skipped" >&2 ;;
	*) echo "$NAME: the build for kernel $kver failed (status $st)" >&2
	   failed="$failed $kver" ;;
	esac
done
if [ -n "$failed" ]; then
	echo "$NAME: no modules for:$failed; see /var/lib/dkms/$NAME/$VERSION/build/make.log" >&2
	exit 1
fi
exit 0
EOT

cat > "$root/DEBIAN/prerm" <<EOT
#!/bin/sh
# $pkg: remove the modules from DKMS (every kernel), and the example
# configurations if they are still as shipped.
set -e
NAME=kecho
VERSION=$ver
EOT
cat >> "$root/DEBIAN/prerm" <<'EOT'
case "$1" in
remove|upgrade|deconfigure|failed-upgrade) ;;
*) exit 0 ;;
esac
if dkms status -m $NAME -v "$VERSION" | grep -q .; then
	dkms remove -m $NAME -v "$VERSION" --all || true
fi
[ "$1" = remove ] || exit 0
for f in modprobe.d/kecho.conf modules-load.d/kecho.conf; do
	cmp -s "/usr/share/kecho-dkms/$f" "/etc/$f" && rm -f "/etc/$f"
done
exit 0
EOT
chmod 755 "$root/DEBIAN/postinst" "$root/DEBIAN/prerm"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' |
	sort -z | xargs -0 md5sum) > "$root/DEBIAN/md5sums"
chmod 644 "$root/DEBIAN/md5sums"

mkdir -p "$out"
deb=$out/${pkg}_${ver}_all.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" > /dev/null
echo "$deb"
