#!/bin/sh
# The engine's generic tests, for any protocol module on it: load and
# unload, bad parameters, max_conns, idle_timeout, rmmod under load,
# counters, stress cycles, kmemleak.  Sourced by a protocol's suite
# (tests/echo/suite.sh) after tests/lib/ktap.sh, tests/lib/kmemleak.sh and
# tests/engine/lib.sh, with MOD, KO, ST, ADDR and CLIENT set (see lib.sh).
# Each engine_* function adds its KTAP lines; the suite decides the order,
# so that test numbers stay stable.  Numbers in the names are those of the
# kecho.ko issue.

loads_and_logs() {
	fresh || return 1
	[ "$(dmesg | grep -Ec "$LOGPFX: listening on $ADDR: design=event")" = 1 ]
}

unloads_and_logs() {
	unload || return 1
	[ "$(dmesg | grep -Ec "$LOGPFX: stopped in")" = 1 ] || return 1
	! mod_loaded "$MOD"
}

engine_load_test() {
	t "load: listens, logs one line" loads_and_logs
}

engine_counters_test() {
	t "counters match what the test did (10)" kt counters
}

engine_unload_test() {
	t "unload: stops, logs one line" unloads_and_logs
}

# Test 9: a bad value fails insmod, with one log line saying why.
bad_param() {
	param=$1 why=$2
	engine_load || return 1
	ktap_klog	# what is logged from here on is this insmod's
	if insmod "$KO" "$param" 2>/dev/null; then
		echo "# insmod $param was accepted"
		mod_rmmod
		return 1
	fi
	# busybox insmod may try twice (finit_module, then init_module):
	# count distinct lines
	dmesg | sed 's/^\[[^]]*\] //' | grep -E "^$LOGPFX: " |
		grep -v 'taints kernel\|tainting kernel' | sort -u > /tmp/why
	engine_unload
	sed 's/^/# /' /tmp/why
	[ "$(wc -l < /tmp/why)" = 1 ] && grep -q "$why" /tmp/why
}

port_in_use() {
	unload
	nc -l -p "$PORT" > /dev/null &
	ncpid=$!
	wait_listening "$PORT" $ncpid || { kill $ncpid; return 1; }
	mod_insmod 2>/dev/null && { mod_rmmod; kill $ncpid; return 1; }
	kill $ncpid
	wait $ncpid 2>/dev/null
	dmesg | grep -E "$LOGPFX: cannot bind to $ADDR: -98"
}

engine_params_tests() {
	unload
	for bad in "port=0 invalid port=0" "port=65536 invalid port=65536" \
		"port=-1 invalid port=-1" "port=abc invalid for parameter" \
		"addr=localhost invalid addr=localhost" \
		"addr=1.2.3.4.5 invalid addr=1.2.3.4.5" "addr=::g invalid addr=::g" \
		"backlog=0 invalid backlog=0" "backlog=-5 invalid backlog=-5" \
		"max_conns=-1 invalid max_conns=-1" \
		"idle_timeout=-1 invalid idle_timeout=-1" \
		"design=fast invalid design=fast" "wq=bogus invalid wq=bogus" \
		"max_active=-1 invalid max_active=-1"; do
		set -- $bad
		param=$1
		shift
		t "bad parameter $param fails insmod with a reason (9)" \
			bad_param "$param" "$*"
	done
	# One over the kernel's WQ_MAX_ACTIVE (512 on 6.1 and 6.12, 2048 on
	# 7.x), which the refusal of max_active=-1 has just named (bad_param
	# keeps the module's lines in /tmp/why).
	wq_max=$(sed -n 's/.*invalid max_active=-1: must be 0 (default) to \([0-9][0-9]*\)$/\1/p' /tmp/why | tail -n 1)
	t "max_active's limit is the kernel's WQ_MAX_ACTIVE (${wq_max:-unknown})" \
		test "${wq_max:-0}" -ge 512
	over=$(( ${wq_max:-512} + 1 ))
	t "bad parameter max_active=$over fails insmod with a reason (9)" \
		bad_param "max_active=$over" invalid "max_active=$over"
	t "port in use fails insmod with a reason (9)" port_in_use
}

# Test 8: rmmod with 10 clients mid-transfer and 1,000 idle is prompt (the
# bound: RMMOD_LIMIT seconds, times KT_SCALE), and the module loads again
# at once on the same port, and serves.
RMMOD_LIMIT=${RMMOD_LIMIT:-2}
rmmod_under_load() {
	rmmod_during kt load -c 10 -i 1000 -t 30 -R /tmp/ready ||
		return 1
	[ $load_rc = 0 ] && rmmod_within "$RMMOD_LIMIT" || return 1
	mod_insmod "$@" && kt concat
}

# engine_rmmod_test NAME PARAM...: the unload test for a loaded server
# started with PARAMs (which the reload repeats).
engine_rmmod_test() {
	ert_name=$1
	shift
	t "$ert_name" rmmod_under_load "$@"
}

engine_limits_tests() {
	fresh max_conns=5
	t "max_conns: one over the limit refused and counted (6)" kt maxconns -l 5
	fresh idle_timeout=2
	t "idle_timeout closes idle, keeps busy (7)" kt idle -t 2
	fresh
	engine_rmmod_test "rmmod under load is prompt; reloads at once (8)"
	unload
}

# engine_idle_test PREFIX PARAM...: idle_timeout for another design.
engine_idle_test() {
	eit_prefix=$1
	shift
	fresh "$@" idle_timeout=2
	t "${eit_prefix}idle_timeout closes idle, keeps busy (7)" kt idle -t 2
}

# Stress cycles: each loads the module with the next design and workqueue
# flavour, runs mixed clients with every byte checked (ping-pong, 1 MiB
# streams, resets, half-closes, idle), then unloads it under load and
# checks that the server ended every connection.
stress_configs="design=event design=blocking wq=unbound design=kthread
wq=highpri design=event,wq=unbound wq=spread"

stress_one() {
	rmmod_during kt mixed -t 2 -c 10 -i 200 -R /tmp/ready || return 1
	[ $load_rc = 0 ] && rmmod_within "$RMMOD_LIMIT"
}

engine_stress_tests() {
	cycles=$1
	c=1
	while [ $c -le "$cycles" ]; do
		set -- $stress_configs
		shift $(( (c - 1) % $# ))
		cfg=$(echo "$1" | tr ',' ' ')
		fresh $cfg
		t "stress cycle $c/$cycles ($cfg): mixed clients, rmmod under load" \
			stress_one
		c=$((c + 1))
	done
	unload
}

# Leaks of a loaded module (traffic, then a scan with it still loaded),
# then of an unloaded one.  TRAFFIC is a command that exercises it.
engine_kmemleak_tests() {
	fresh
	"$@" > /dev/null
	kt many -n 100 > /dev/null
	t "kmemleak: nothing of $MOD's leaked, module loaded" kmemleak_none
	unload
	t "kmemleak: nothing of $MOD's leaked, after rmmod" kmemleak_none
}
