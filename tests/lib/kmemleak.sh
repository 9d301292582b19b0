#!/bin/sh
# kmemleak checks for the debug kernel, sourced by the suites in the VM.
#
# A kmemleak report counts as ours if its allocation backtrace has a frame
# in one of our modules: by symbol ("[kecho]", "[ksrv]") while the module
# is loaded, or by address within any place one of them was loaded at this
# boot (note_module_range NAME after each insmod), since after rmmod the
# frames are bare addresses.  Other reports (the kernel's own false
# positives) are shown, not counted.
KML=/sys/kernel/debug/kmemleak

kmemleak_start() {
	echo 0 > /proc/sys/kernel/kptr_restrict
	: > /tmp/kecho-ranges
	: > /tmp/kecho-mods
	if [ ! -e $KML ]; then
		echo "# kmemleak: $KML missing"
		return 1
	fi
	# forget what boot left behind
	echo scan > $KML
	echo clear > $KML
}

# note_module_range NAME: remember where module NAME is loaded, as
# "base size", and its name for symbolised frames.
note_module_range() {
	[ -e /tmp/kecho-ranges ] || return 0
	awk -v m="$1" '$1 == m { print $6, $2 }' /proc/modules >> /tmp/kecho-ranges
	grep -qx "$1" /tmp/kecho-mods 2>/dev/null || echo "$1" >> /tmp/kecho-mods
}

kmemleak_in_ours() {
	a=$((0x$1))
	while read -r base size; do
		b=$((base))
		[ "$a" -ge "$b" ] && [ "$a" -lt $((b + size)) ] && return 0
	done < /tmp/kecho-ranges
	return 1
}

# Reports in FILE that point into our modules, to stdout.
kmemleak_ours() {
	report= ours=0
	mods=$(tr '\n' ' ' < /tmp/kecho-mods)
	while IFS= read -r line; do
		case $line in
		"unreferenced object"*)
			[ $ours = 1 ] && echo "$report"
			report=$line ours=0
			continue ;;
		esac
		report="$report
$line"
		for m in $mods; do
			case $line in
			*"[$m]"*) ours=1 ;;
			esac
		done
		case $line in
		*"[<"*">]"*)
			addr=${line#*\[<}
			addr=${addr%%>\]*}
			kmemleak_in_ours "$addr" && ours=1 ;;
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
	echo "# kmemleak: $total suspects in all, $ours from $(tr '\n' ' ' < /tmp/kecho-mods)"
	if [ "$ours" != 0 ]; then
		sed 's/^/# /' /tmp/kmemleak.ours | head -n 60
		return 1
	fi
	[ "$total" = 0 ] || head -n 20 /tmp/kmemleak.all | sed 's/^/# not ours: /'
	return 0
}
