#!/bin/sh
# kmemleak checks for the debug kernel, sourced by suite.sh.
#
# A kmemleak report counts as ours if its allocation backtrace has a frame
# in kecho: by symbol ("[kecho]") while the module is loaded, or by address
# within any place the module was loaded at this boot, since after rmmod
# the frames are bare addresses.  Other reports (the kernel's own false
# positives) are shown, not counted.
KML=/sys/kernel/debug/kmemleak

kmemleak_start() {
	echo 0 > /proc/sys/kernel/kptr_restrict
	: > /tmp/kecho-ranges
	if [ ! -e $KML ]; then
		echo "# kmemleak: $KML missing"
		return 1
	fi
	# forget what boot left behind
	echo scan > $KML
	echo clear > $KML
}

# Remember where kecho is loaded: "base size".
note_module_range() {
	[ -e /tmp/kecho-ranges ] || return 0
	awk '$1 == "kecho" { print $6, $2 }' /proc/modules >> /tmp/kecho-ranges
}

kmemleak_in_kecho() {
	a=$((0x$1))
	while read -r base size; do
		b=$((base))
		[ "$a" -ge "$b" ] && [ "$a" -lt $((b + size)) ] && return 0
	done < /tmp/kecho-ranges
	return 1
}

# Reports in FILE that point into kecho, to stdout.
kmemleak_ours() {
	report= ours=0
	while IFS= read -r line; do
		case $line in
		"unreferenced object"*)
			[ $ours = 1 ] && echo "$report"
			report=$line ours=0
			continue ;;
		esac
		report="$report
$line"
		case $line in
		*"[kecho]"*) ours=1 ;;
		*"[<"*">]"*)
			addr=${line#*\[<}
			addr=${addr%%>\]*}
			kmemleak_in_kecho "$addr" && ours=1 ;;
		esac
	done < "$1"
	[ $ours = 1 ] && echo "$report"
}

# Objects must be 5 s old to be reported, and a new one shows on the
# second scan that finds it unreferenced.
kmemleak_none() {
	[ -e $KML ] || return 1
	sleep 6
	echo scan > $KML
	echo scan > $KML
	cat $KML > /tmp/kmemleak.all
	kmemleak_ours /tmp/kmemleak.all > /tmp/kmemleak.ours
	total=$(grep -c '^unreferenced object' /tmp/kmemleak.all)
	ours=$(grep -c '^unreferenced object' /tmp/kmemleak.ours)
	echo "# kmemleak: $total suspects in all, $ours from kecho"
	if [ "$ours" != 0 ]; then
		sed 's/^/# /' /tmp/kmemleak.ours | head -n 60
		return 1
	fi
	[ "$total" = 0 ] || head -n 20 /tmp/kmemleak.all | sed 's/^/# not ours: /'
	return 0
}
