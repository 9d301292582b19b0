#!/bin/sh
# The modules installed like a distribution's, loaded by modprobe on the
# kernel this VM booted: run by vm/init (kmode=run), prints KTAP.  The
# initramfs (tests/install/mkroot.sh) holds two module trees for this
# kernel, each with its modules.dep from depmod:
#   /lib/modules/KVER/updates/kecho/       "make install DESTDIR=ROOT"
#   /dkms/lib/modules/KVER/updates/dkms/   "dkms build" and "dkms install
#                                          --installtree" of the source
#                                          DKMS gets (/usr/src/kecho-VER)
# and kmod's modprobe, as Debian has it (/usr/sbin/modprobe), which reads
# /etc/modprobe.d (there: packaging/'s example, all commented out).  Each
# tree in turn: modprobe kecho loads ksrv first, kecho echoes, modprobe
# khttpd docroot=... serves a file, modprobe -r unloads all three.
cd /kecho || exit 1
. tests/lib/ktap.sh
. tests/lib/listen.sh
MODPROBE=/usr/sbin/modprobe
KVER=$(uname -r)
WWW=/tmp/www
ktap_kernel_log tests/lib/kernel-log.patterns

loaded() { grep -q "^$1 " /proc/modules; }

# vm/init has loaded /kecho/ksrv.ko (the stock build): start from none of
# ours loaded.
clean_start() {
	for m in khttpd kecho ksrv_testproto ksrv; do
		loaded $m && rmmod $m
	done
	for m in khttpd kecho ksrv; do
		loaded $m && { diag "$m still loaded"; return 1; }
	done
	return 0
}

# The tree's files are what depmod indexed, and modules.dep makes both
# protocols depend on ksrv.
tree_ok() {
	dir=$1/lib/modules/$KVER
	for m in ksrv kecho khttpd; do
		[ -f "$dir/$2/$m.ko" ] || { diag "no $dir/$2/$m.ko"; return 1; }
	done
	sed 's/^/# modules.dep: /' "$dir/modules.dep"
	grep -qx "$2/kecho.ko: $2/ksrv.ko" "$dir/modules.dep" &&
		grep -qx "$2/khttpd.ko: $2/ksrv.ko" "$dir/modules.dep"
}

# $1: "-d ROOT" or nothing, split on purpose (modprobe's options).
# modprobe [-d ROOT] kecho: the verbose lines name the tree's ksrv.ko,
# then its kecho.ko; both are then loaded, and ksrv is held by kecho.
load_kecho() {
	$MODPROBE -v $1 kecho > /tmp/mp.out 2>&1
	st=$?
	sed 's/^/# modprobe: /' /tmp/mp.out
	[ $st = 0 ] || return 1
	grep '^insmod ' /tmp/mp.out | awk '{ print $2 }' > /tmp/mp.files
	want="$2/lib/modules/$KVER/$3"
	printf '%s\n' "$want/ksrv.ko" "$want/kecho.ko" | cmp -s - /tmp/mp.files ||
		{ diag "modprobe did not insmod $want/ksrv.ko then kecho.ko"; return 1; }
	if ! loaded ksrv || ! loaded kecho; then
		diag "not both in /proc/modules"; return 1
	fi
	[ -e /sys/module/ksrv/holders/kecho ] || { diag "ksrv not held by kecho"; return 1; }
}

# An exact echo round trip with the suite's client.
echo_trip() {
	wait_listening "$1" || { diag "nothing listens on $1"; return 1; }
	ktest -a "127.0.0.1:$1" concat
}

# modprobe [-d ROOT] khttpd docroot=$WWW: ksrv is not loaded twice, and a
# file comes back exactly.
http_serve() {
	$MODPROBE -v $1 khttpd docroot=$WWW > /tmp/mp.out 2>&1
	st=$?
	sed 's/^/# modprobe: /' /tmp/mp.out
	[ $st = 0 ] || return 1
	grep -q '^insmod .*/khttpd.ko docroot='"$WWW" /tmp/mp.out ||
		{ diag "modprobe did not insmod khttpd.ko with the docroot"; return 1; }
	wait_listening 8080 || { diag "khttpd does not listen on 8080"; return 1; }
	code=$(curl -s -o /tmp/got -w '%{http_code}' http://127.0.0.1:8080/hello.txt)
	[ "$code" = 200 ] || { diag "curl: status $code"; return 1; }
	cmp "$WWW/hello.txt" /tmp/got
}

# modprobe [-d ROOT] -r khttpd kecho: both go, and ksrv, unused now, with
# them.
unload_all() {
	$MODPROBE -v $1 -r khttpd kecho 2>&1 | sed 's/^/# modprobe: /'
	for m in khttpd kecho ksrv; do
		loaded $m && { diag "$m still loaded"; return 1; }
	done
	return 0
}

# The example options file is installed and changes nothing; an options
# line added there is what modprobe uses.
options_file() {
	f=/etc/modprobe.d/kecho.conf
	[ -f $f ] || { diag "no $f"; return 1; }
	if grep -v '^#' $f | grep -q .; then
		diag "$f has a line not commented out"; return 1
	fi
	grep -q '^#options kecho port=' $f || { diag "no commented kecho example"; return 1; }
	echo "options kecho port=12399" > /etc/modprobe.d/kecho-test.conf
	$MODPROBE -v kecho 2>&1 | sed 's/^/# modprobe: /'
	st=0
	[ "$(cat /sys/module/kecho/parameters/port 2>/dev/null)" = 12399 ] ||
		{ diag "kecho's port is $(cat /sys/module/kecho/parameters/port 2>/dev/null)"; st=1; }
	[ $st = 0 ] && { echo_trip 12399 || st=1; }
	rm -f /etc/modprobe.d/kecho-test.conf
	$MODPROBE -r kecho
	return $st
}

mkdir -p $WWW
echo "hello from a modprobed khttpd" > $WWW/hello.txt
chmod -R a+rX $WWW

t "clean start: none of ours loaded" clean_start
for tree in install dkms; do
	case $tree in
	install) root='' dir=updates/kecho opt='' ;;
	dkms) root=/dkms dir=updates/dkms opt="-d /dkms" ;;
	esac
	t "$tree: the tree and its modules.dep ($root/lib/modules/$KVER/$dir)" tree_ok "$root" $dir
	t "$tree: modprobe kecho loads ksrv, then kecho" load_kecho "$opt" "$root" $dir
	t "$tree: kecho echoes" echo_trip 12345
	t "$tree: modprobe khttpd docroot=$WWW serves a file" http_serve "$opt"
	t "$tree: modprobe -r khttpd kecho unloads all three" unload_all "$opt"
done
t "install: /etc/modprobe.d/kecho.conf commented out; an options line is used" options_file
ktap_done
