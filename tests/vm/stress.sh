#!/bin/sh
# Stress cycles, sourced by suite.sh:  stress_cycles N
# Each cycle loads kecho with the next design and workqueue flavour, runs
# mixed clients with every byte checked (ping-pong, 1 MiB streams, resets,
# half-closes, idle), then unloads it under load and checks that the
# server ended every connection.  The kernel log is checked after each.

stress_configs="design=event design=blocking wq=unbound design=kthread
wq=highpri design=event,wq=unbound"

stress_one() {
	rmmod_during ktest mixed -t 2 -c 10 -i 200 -R /tmp/ready || return 1
	[ $load_rc = 0 ] && rmmod_within 5
}

stress_cycles() {
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
}
