#!/bin/sh
# Loading and unloading a protocol module on the connection engine, for
# any protocol module (kecho.ko; khttpd.ko to come).  Sourced by the
# suites and the benchmark inside the VM (busybox sh), after these are set:
#
#   MOD      module name (kecho)
#   KO       its .ko file (/kecho/kecho.ko)
#   ST       its counters in /proc/net (/proc/net/kecho)
#   ADDR     where it listens by default (127.0.0.1:12345)
#   CLIENT   the protocol's test client (ktest), with the subcommands the
#            engine tests use: counters, maxconns, idle, load, mixed
#
# The engine may be a module of its own, ksrv.ko, that the protocol
# modules import: if ksrv.ko is next to $KO it is loaded first, and
# unloaded after the protocol module, if nothing else uses it.  Without it
# (the engine linked into each protocol module) nothing changes.
: "${MOD:?}" "${KO:?}" "${ST:?}"
: "${ADDR:=127.0.0.1:12345}" "${CLIENT:=ktest}"
ENGINE=ksrv
ENGINE_KO=$(dirname "$KO")/$ENGINE.ko
PORT=${ADDR##*:}
# The log lines of a load or unload come from the protocol module or, once
# it is a module of its own, from the engine: "kecho: ..." or "ksrv: ...".
LOGPFX="($MOD|$ENGINE)"

# The protocol's client, aimed at the server, with its counters.
kt() { $CLIENT -a "$ADDR" -s "$ST" "$@"; }

mod_loaded() { grep -q "^$1 " /proc/modules; }

engine_load() {
	[ -f "$ENGINE_KO" ] || return 0
	mod_loaded $ENGINE || insmod "$ENGINE_KO" || return 1
	note_module_range $ENGINE
}

# Unload the engine if it is a module and nothing uses it any more.
engine_unload() {
	mod_loaded $ENGINE || return 0
	[ "$(cat /sys/module/$ENGINE/refcnt 2>/dev/null)" = 0 ] || return 0
	rmmod $ENGINE
}

# mod_insmod [KO] PARAM...: load the protocol module (the engine first).
mod_insmod() {
	case ${1:-} in
	*.ko) mi_ko=$1; shift ;;
	*) mi_ko=$KO ;;
	esac
	engine_load || return 1
	if ! insmod "$mi_ko" "$@"; then
		engine_unload
		return 1
	fi
	note_module_range "$(basename "$mi_ko" .ko)"
}

# mod_rmmod [NAME]: unload the protocol module, then the engine if unused.
mod_rmmod() {
	rmmod "${1:-$MOD}" || return 1
	engine_unload
}

# Unload if loaded, then load with the given parameters.
fresh() {
	if mod_loaded "$MOD"; then
		mod_rmmod || return 1
	fi
	mod_insmod "$@"
}

unload() {
	if mod_loaded "$MOD"; then
		mod_rmmod || return 1
	fi
	[ ! -e "$ST" ]
}

# Where modules are loaded, for kmemleak (tests/lib/kmemleak.sh); a no-op
# unless that is in use.
command -v note_module_range > /dev/null 2>&1 || note_module_range() { :; }

# rmmod_during CMD...: run CMD (a load that creates /tmp/ready once it is
# up) in the background, then time `rmmod $MOD` under it, then wait for
# CMD.  Sets rmmod_secs and load_rc; fails if the load never came up or
# rmmod failed.
rmmod_during() {
	rm -f /tmp/ready
	"$@" > /tmp/load.out 2>&1 &
	load_pid=$!
	rd_tries=$(($(scaled 60) * 5))
	rd_i=0
	while [ ! -e /tmp/ready ]; do
		sleep 0.2
		rd_i=$((rd_i + 1))
		if [ $rd_i -gt $rd_tries ] || ! kill -0 $load_pid 2>/dev/null; then
			echo "# the load did not start"
			cat /tmp/load.out
			kill $load_pid 2>/dev/null
			return 1
		fi
	done
	rd_t0=$(now)
	rmmod "$MOD" || return 1
	rmmod_secs=$(awk "BEGIN { print $(now) - $rd_t0 }")
	wait $load_pid
	load_rc=$?
	engine_unload
	cat /tmp/load.out
	echo "# rmmod took $rmmod_secs s under load"
}

# Succeeds if rmmod_during's unload took under $1 seconds times KT_SCALE.
rmmod_within() {
	rw_lim=$(awk -v s="$1" -v k="${KT_SCALE:-1}" \
		'BEGIN { if (k < 1) k = 1; print s * k }')
	awk "BEGIN { exit !($rmmod_secs < $rw_lim) }" && return 0
	echo "# rmmod took $rmmod_secs s, limit $rw_lim s ($1 s x KT_SCALE ${KT_SCALE:-1})"
	return 1
}
