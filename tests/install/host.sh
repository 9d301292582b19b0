#!/bin/bash
# The dkms suite, on this machine (root): "make install" into a scratch
# root, DKMS in scratch trees (add, build for this machine's kernel
# headers and for the debug kernel's tree, install, remove), and the
# kecho-dkms .deb (its contents, then dpkg -i and dpkg -r for real).
# Prints KTAP; exits 1 if a test failed.  Nothing in /lib/modules,
# /usr/src or /var/lib/dkms is touched but by the .deb's two tests, which
# are skipped if kecho is already there (a real install is not disturbed).
#
# Environment: KVER (default scripts/kver.sh), the kernel of the
# installed headers; OTHER_KDIR, another kernel's build tree (default:
# the debug kernel's, build/debug/kdir, and trixie's and sid's,
# build/REL/kdir, those that are there; the tests are skipped without one).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib/ktap.sh"
build=${BUILD:-$top/build}
: "${KVER:=$("$top/scripts/kver.sh")}"
# the other kernels' trees, as "NAME=DIR" words
OTHERS=
if [ -n "${OTHER_KDIR:-}" ]; then
	OTHERS="other=$OTHER_KDIR"
else
	[ -f "$build/debug/kdir" ] && OTHERS="debug=$(cat "$build/debug/kdir")"
	for rel in trixie sid; do
		[ -f "$build/$rel/kdir" ] && OTHERS="$OTHERS $rel=$(cat "$build/$rel/kdir")/build"
	done
fi
TMP=$(mktemp -d /tmp/kecho-dkms.XXXXXX)
LOG=$TMP/log
MODS="ksrv kecho khttpd"
ARCH=$(uname -m)
DEB_INSTALLED=
export SOURCE_TREE=$TMP/src DKMS_TREE=$TMP/var INSTALL_TREE=$TMP/root/lib/modules
DK=(--sourcetree "$SOURCE_TREE" --dkmstree "$DKMS_TREE")

cleanup() {
	if [ -n "$DEB_INSTALLED" ]; then
		dpkg -P kecho-dkms > /dev/null 2>&1
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT

# t NAME CMD...: CMD as test NAME, with its time (ktap.sh's t runs CMD
# under a watchdog whose sleep, left behind, would hold check.sh's pipe
# open for minutes on the host).
t() {
	local name=$1 t0 st

	shift
	t0=$(date +%s.%N)
	"$@"
	st=$?
	echo "# $name: $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
	ktap_ok "$name" $st
}
# run CMD...: its output to the log, shown (the last lines) on failure.
run() {
	"$@" > "$LOG" 2>&1 && return 0
	diag "failed: $*"
	tail -n 20 "$LOG" | ktap_diag
	return 1
}

# dkms is installed, from Debian's archive if it was not.
have_dkms() {
	command -v dkms > /dev/null && return 0
	[ "$(id -u)" = 0 ] || { diag "no dkms, and not root"; return 1; }
	DEBIAN_FRONTEND=noninteractive run apt-get install -y -q --no-install-recommends dkms
}

# dkms status of kecho/VER for KVER ("" for every kernel): the state word.
dkms_state() {
	dkms status "kecho/$VER" ${1:+-k "$1"} "${DK[@]}" 2>/dev/null |
		sed -n 's/.*: \([a-z]*\)\( (.*)\)\?$/\1/p' | head -n 1
}

# The source DKMS gets is kernel/ as it is, with dkms.conf and VERSION,
# nothing else.
add_source() {
	run "$top/scripts/dkms.sh" add || return 1
	local dir=$SOURCE_TREE/kecho-$VER st=0
	diff -r -x dkms.conf -x VERSION -x .kecho-make-dkms "$top/kernel" "$dir" > "$LOG" ||
		{ diag "the source copy differs from kernel/:"; head "$LOG" | ktap_diag; st=1; }
	grep -qx "PACKAGE_VERSION=\"$VER\"" "$dir/dkms.conf" ||
		{ diag "dkms.conf does not have version $VER"; st=1; }
	[ "$(cat "$dir/VERSION")" = "$VER" ] || { diag "VERSION is not $VER"; st=1; }
	[ "$(dkms_state)" = added ] || { diag "dkms status: '$(dkms_state)', not added"; st=1; }
	return $st
}

# dkms build for kernel $1 (kernel source dir $2 if not its headers'): the
# three modules are in the DKMS tree.
build_for() {
	local k=$1 m

	shift
	run dkms build "kecho/$VER" -k "$k" "${DK[@]}" "$@" || return 1
	[ "$(dkms_state "$k")" = built ] || { diag "dkms status: '$(dkms_state "$k")'"; return 1; }
	for m in $MODS; do
		[ -f "$DKMS_TREE/kecho/$VER/$k/$ARCH/module/$m.ko" ] ||
			{ diag "no $m.ko in the DKMS tree for $k"; return 1; }
	done
}

# modinfo of the DKMS build for $1: names, vermagic, dependencies,
# namespace import.
modinfo_ok() {
	local k=$1 m ko want st=0

	for m in $MODS; do
		ko=$DKMS_TREE/kecho/$VER/$k/$ARCH/module/$m.ko
		[ "$(modinfo -F name "$ko")" = "$m" ] || { diag "$m: name '$(modinfo -F name "$ko")'"; st=1; }
		case "$(modinfo -F vermagic "$ko")" in
		"$k "*) ;;
		*) diag "$m: vermagic '$(modinfo -F vermagic "$ko")', not $k"; st=1 ;;
		esac
		want=ksrv
		[ "$m" = ksrv ] && want=
		[ "$(modinfo -F depends "$ko")" = "$want" ] ||
			{ diag "$m: depends '$(modinfo -F depends "$ko")', not '$want'"; st=1; }
		[ "$m" = ksrv ] && continue
		[ "$(modinfo -F import_ns "$ko")" = KSRV ] ||
			{ diag "$m: import_ns '$(modinfo -F import_ns "$ko")'"; st=1; }
	done
	return $st
}

# dkms install into the scratch tree for $1, depmod -b, and modprobe -n
# there: ksrv, then the protocol module.
install_for() {
	local k=$1 m

	shift
	mkdir -p "$INSTALL_TREE/$k"
	run dkms install "kecho/$VER" -k "$k" "${DK[@]}" --installtree "$INSTALL_TREE" \
		--no-depmod "$@" || return 1
	[ "$(dkms_state "$k")" = installed ] || { diag "dkms status: '$(dkms_state "$k")'"; return 1; }
	for m in $MODS; do
		[ -f "$INSTALL_TREE/$k/updates/dkms/$m.ko" ] || { diag "not installed: $m.ko"; return 1; }
	done
	run depmod -b "$TMP/root" "$k" || return 1
	modprobe_order "$TMP/root" "$k" "$INSTALL_TREE/$k/updates/dkms"
}

# modprobe_order ROOT KVER DIR: modprobe -n -v of kecho and of khttpd in
# ROOT ("": this machine's tree) inserts DIR/ksrv.ko first, then the
# module.
modprobe_order() {
	local m

	for m in kecho khttpd; do
		modprobe -n -v -S "$2" ${1:+-d "$1"} $m > "$LOG" 2>&1 ||
			{ diag "modprobe -n $m failed:"; ktap_diag "$LOG"; return 1; }
		sed "s/^/modprobe -n $m: /" "$LOG" | ktap_diag
		awk '$1 == "insmod" { print $2 }' "$LOG" > "$TMP/order"
		printf '%s\n' "$3/ksrv.ko" "$3/$m.ko" | cmp -s - "$TMP/order" ||
			{ diag "not $3/ksrv.ko then $m.ko"; return 1; }
	done
}

# dkms remove --all: the DKMS tree and the installed modules are gone, for
# every kernel; "scripts/dkms.sh remove" then deletes the source copy.
remove_all() {
	local left

	run dkms remove "kecho/$VER" --all "${DK[@]}" --installtree "$INSTALL_TREE" --no-depmod ||
		return 1
	[ -e "$DKMS_TREE/kecho" ] && { diag "$DKMS_TREE/kecho is left"; return 1; }
	left=$(find "$INSTALL_TREE" -path '*/updates/dkms/*' \( -name 'ksrv.ko*' -o \
		-name 'kecho.ko*' -o -name 'khttpd.ko*' \))
	[ -z "$left" ] || { diag "left: $left"; return 1; }
	[ -z "$(dkms status kecho "${DK[@]}")" ] || { diag "dkms status: $(dkms status kecho "${DK[@]}")"; return 1; }
	run "$top/scripts/dkms.sh" remove || return 1
	[ -e "$SOURCE_TREE/kecho-$VER" ] && { diag "the source copy is left"; return 1; }
	return 0
}

# make install DESTDIR: the modules under updates/kecho, depmod's
# modules.dep, modprobe -n loading ksrv first, the example files, all
# commented out.
make_install() {
	local d=$TMP/inst f st=0

	run make -s --no-print-directory -C "$top" install DESTDIR="$d" KVER="$KVER" || return 1
	if ! grep -qx "updates/kecho/kecho.ko: updates/kecho/ksrv.ko" "$d/lib/modules/$KVER/modules.dep" ||
		! grep -qx "updates/kecho/khttpd.ko: updates/kecho/ksrv.ko" "$d/lib/modules/$KVER/modules.dep"; then
		diag "modules.dep:"; ktap_diag "$d/lib/modules/$KVER/modules.dep"; st=1
	fi
	modprobe_order "$d" "$KVER" "$d/lib/modules/$KVER/updates/kecho" || st=1
	for f in modprobe.d/kecho.conf modules-load.d/kecho.conf; do
		[ -f "$d/etc/$f" ] || { diag "no /etc/$f"; st=1; continue; }
		if grep -v '^#' "$d/etc/$f" | grep -q .; then
			diag "/etc/$f: a line is not commented out"; st=1
		fi
	done
	grep -q '^#options khttpd docroot=/var/www/html port=8080$' "$d/etc/modprobe.d/kecho.conf" ||
		{ diag "no khttpd example in modprobe.d/kecho.conf"; st=1; }
	grep -qx '#kecho' "$d/etc/modules-load.d/kecho.conf" ||
		{ diag "no kecho example in modules-load.d/kecho.conf"; st=1; }
	return $st
}

# make install again keeps an edited example; make uninstall removes the
# modules and the unedited example, keeps the edited one.
make_uninstall() {
	local d=$TMP/inst m

	echo "options kecho port=2000" >> "$d/etc/modprobe.d/kecho.conf"
	run make -s --no-print-directory -C "$top" install DESTDIR="$d" KVER="$KVER" || return 1
	tail -n 1 "$d/etc/modprobe.d/kecho.conf" | grep -qx "options kecho port=2000" ||
		{ diag "make install replaced the edited modprobe.d/kecho.conf"; return 1; }
	run make -s --no-print-directory -C "$top" uninstall DESTDIR="$d" KVER="$KVER" || return 1
	for m in $MODS; do
		[ -e "$d/lib/modules/$KVER/updates/kecho/$m.ko" ] && { diag "$m.ko is left"; return 1; }
	done
	grep -q kecho "$d/lib/modules/$KVER/modules.dep" && { diag "modules.dep still names kecho"; return 1; }
	[ -e "$d/etc/modules-load.d/kecho.conf" ] && { diag "the unedited modules-load.d/kecho.conf is left"; return 1; }
	[ -e "$d/etc/modprobe.d/kecho.conf" ] || { diag "the edited modprobe.d/kecho.conf was removed"; return 1; }
	return 0
}

# The .deb: its name, control fields, maintainer scripts and files.
deb_contents() {
	local deb=$TMP/deb/kecho-dkms_${VER}_all.deb st=0 f

	run "$top/packaging/mkdeb.sh" "$TMP/deb" || return 1
	[ -f "$deb" ] || { diag "no $deb"; return 1; }
	dpkg-deb --info "$deb" > "$TMP/info" || return 1
	dpkg-deb --contents "$deb" | awk '{ print $6 }' > "$TMP/contents" || return 1
	ktap_diag "$TMP/info"
	for f in "Package: kecho-dkms" "Version: $VER" "Architecture: all" "Depends: dkms"; do
		grep -q "^ $f" "$TMP/info" || { diag "no '$f'"; st=1; }
	done
	for f in postinst prerm; do
		grep -q " $f .*#!/bin/sh" "$TMP/info" || { diag "no $f"; st=1; }
	done
	dpkg-deb --ctrl-tarfile "$deb" | tar -x -O ./postinst > "$TMP/postinst"
	dpkg-deb --ctrl-tarfile "$deb" | tar -x -O ./prerm > "$TMP/prerm"
	for f in "dkms add" "dkms build" "dkms install"; do
		grep -q "$f" "$TMP/postinst" || { diag "postinst lacks $f"; st=1; }
	done
	grep -q "dkms remove" "$TMP/prerm" || { diag "prerm lacks dkms remove"; st=1; }
	sh -n "$TMP/postinst" && sh -n "$TMP/prerm" || st=1
	for f in dkms.conf Kbuild VERSION engine/main.c echo/main.c http/main.c; do
		grep -qx "./usr/src/kecho-$VER/$f" "$TMP/contents" || { diag "no /usr/src/kecho-$VER/$f"; st=1; }
	done
	grep -qx "./usr/share/kecho-dkms/modprobe.d/kecho.conf" "$TMP/contents" ||
		{ diag "no example modprobe.d/kecho.conf"; st=1; }
	if grep -E '/(tests|tools|bench)/|\.ko$|\.o$|\.kecho-make-dkms' "$TMP/contents"; then
		diag "the package holds more than the source"; st=1
	fi
	echo "# $(wc -l < "$TMP/contents") entries, $(stat -c %s "$deb") bytes"
	return $st
}

# dpkg -i: postinst adds, builds and installs for this kernel; modprobe -n
# in the real tree loads the DKMS ksrv first.
deb_install() {
	local deb=$TMP/deb/kecho-dkms_${VER}_all.deb

	DEB_INSTALLED=1
	run dpkg -i "$deb" || return 1
	dkms status "kecho/$VER" -k "$KVER" | grep -q ": installed" ||
		{ diag "dkms status: $(dkms status kecho)"; return 1; }
	[ -f /etc/modprobe.d/kecho.conf ] || { diag "no /etc/modprobe.d/kecho.conf"; return 1; }
	modprobe_order "" "$KVER" "/lib/modules/$KVER/updates/dkms"
}

# dpkg -r: nothing of kecho is left in DKMS, /lib/modules, /usr/src, /etc.
deb_remove() {
	local left

	run dpkg -r kecho-dkms || return 1
	DEB_INSTALLED=
	left=$(find /lib/modules/*/updates/dkms /var/lib/dkms/kecho "/usr/src/kecho-$VER" \
		/etc/modprobe.d/kecho.conf /etc/modules-load.d/kecho.conf \
		\( -name 'ksrv.ko*' -o -name 'kecho.ko*' -o -name 'khttpd.ko*' -o -path /var/lib/dkms/kecho \
		-o -path "/usr/src/kecho-$VER" -o -name kecho.conf \) -print 2>/dev/null)
	[ -z "$left" ] || { diag "left: $left"; return 1; }
	grep -q kecho "/lib/modules/$KVER/modules.dep" && { diag "modules.dep still names kecho"; return 1; }
	return 0
}

t "dkms is installed" have_dkms
VER=$("$top/scripts/dkms.sh" version)
diag "version $VER, kernel $KVER, scratch trees in $TMP"
mkdir -p "$SOURCE_TREE" "$DKMS_TREE" "$INSTALL_TREE"
t "dkms add: /usr/src/kecho-VER is kernel/ with dkms.conf" add_source
t "dkms build for $KVER (installed headers)" build_for "$KVER"
t "modinfo: names, vermagic $KVER, kecho and khttpd depend on ksrv" modinfo_ok "$KVER"
t "dkms install --installtree; modprobe -n loads ksrv first" install_for "$KVER"
others=0
for other in $OTHERS; do
	name=${other%%=*} OTHER_KDIR=${other#*=}
	[ -f "$OTHER_KDIR/include/config/kernel.release" ] || continue
	others=$((others + 1))
	OTHER=$(cat "$OTHER_KDIR/include/config/kernel.release")
	t "dkms build -k $OTHER --kernelsourcedir (the $name kernel's tree)" \
		build_for "$OTHER" --kernelsourcedir "$OTHER_KDIR"
	t "modinfo: vermagic $OTHER" modinfo_ok "$OTHER"
	t "dkms install -k $OTHER --installtree; modprobe -n loads ksrv first" \
		install_for "$OTHER" --kernelsourcedir "$OTHER_KDIR"
done
if [ $others = 0 ]; then
	for n in build modinfo install; do
		ktap_skip "dkms $n for another kernel" "no other kernel tree (OTHER_KDIR, build/debug/kdir, build/REL/kdir)"
	done
fi
t "dkms remove --all leaves nothing behind" remove_all
t "make install DESTDIR: updates/kecho, depmod, modprobe -n, examples" make_install
t "make install keeps an edited example; make uninstall" make_uninstall
t "the .deb: dpkg-deb --info and --contents" deb_contents
if dpkg-query -W kecho-dkms > /dev/null 2>&1 || [ -e /var/lib/dkms/kecho ] ||
	[ -e "/lib/modules/$KVER/updates/kecho" ] || [ -e /etc/modprobe.d/kecho.conf ]; then
	why="kecho is installed on this machine; not disturbed"
	ktap_skip "dpkg -i kecho-dkms builds and installs for $KVER" "$why"
	ktap_skip "dpkg -r kecho-dkms leaves nothing behind" "$why"
elif [ ! -f "$TMP/deb/kecho-dkms_${VER}_all.deb" ]; then
	ktap_ok "dpkg -i kecho-dkms builds and installs for $KVER" 1
	ktap_ok "dpkg -r kecho-dkms leaves nothing behind" 1
else
	t "dpkg -i kecho-dkms builds and installs for $KVER" deb_install
	DEB_INSTALLED=1
	t "dpkg -r kecho-dkms leaves nothing behind" deb_remove
	dpkg-query -W kecho-dkms > /dev/null 2>&1 || DEB_INSTALLED=
fi
ktap_done
