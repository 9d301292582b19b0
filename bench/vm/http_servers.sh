#!/bin/sh
# The HTTP servers of the benchmark and of `make profile`, started and
# stopped the same way for both (sourced by http.sh and profile.sh).
# Needs WWW (the docroot) and NCPU; sets server_pid, why_not and
# settle_max.
port_of() {
	case $1 in
	khttpd*) echo 8080 ;;
	nginx) echo 8081 ;;
	lighttpd) echo 8082 ;;
	python) echo 8091 ;;
	esac
}

# The relay's backend: python3's own HTTP server (threaded, HTTP/1.0, a
# log line per request on stderr), as run by hand.
PYTHON_CMD="python3 -m http.server --bind 127.0.0.1 $(port_of python) --directory $WWW"
KHTTPD_CMD="insmod khttpd.ko docroot=$WWW port=$(port_of khttpd)"

# wait_http PORT [PID]: until the server answers, 20 s at most; false if
# it does not, or if PID (the server) has ended.
uptime_ds() { awk '{ printf "%d", $1 * 10 }' /proc/uptime; }
wait_http() {
	t0=$(uptime_ds)
	until curl -s -o /dev/null "http://127.0.0.1:$1/f100.bin"; do
		if [ -n "${2:-}" ] && ! kill -0 "$2" 2>/dev/null; then
			echo "# the server (pid $2) has ended"
			return 1
		fi
		if [ $(($(uptime_ds) - t0)) -gt 200 ]; then
			echo "# no answer on port $1 after 20 s"
			return 1
		fi
		sleep 0.2
	done
	echo "# port $1 answered after $(( $(uptime_ds) - t0 ))00 ms"
}

# The userspace servers; each sets server_pid.
start_nginx() {
	# its compiled-in temporary paths must exist
	mkdir -p /var/lib/nginx /var/log/nginx
	rm -f /tmp/nginx-error.log
	setsid /usr/sbin/nginx -c /kecho/bench/http/nginx.conf -e /tmp/nginx-error.log \
		> /tmp/server.out 2>&1 &
	server_pid=$!
}

start_python() {
	rm -f /tmp/python.out
	# its own session, like lighttpd; stderr (a line per request) kept
	# for the errors among them
	setsid $PYTHON_CMD > /tmp/python.out 2>&1 &
	server_pid=$!
}

# The commands each server was started with, for the report.
commands() {
	echo "INFO start:khttpd-event $KHTTPD_CMD"
	echo "INFO start:khttpd-kthread $KHTTPD_CMD design=kthread"
	for wq in percpu unbound highpri; do
		echo "INFO start:khttpd-event-$wq $KHTTPD_CMD wq=$wq"
	done
	echo "INFO start:khttpd-relay-python $PYTHON_CMD; $KHTTPD_CMD proxy=all backend=127.0.0.1:$(port_of python)"
	echo "INFO start:khttpd-relay-nginx nginx as below; $KHTTPD_CMD proxy=all backend=127.0.0.1:$(port_of nginx)"
	echo "INFO start:nginx /usr/sbin/nginx -c bench/http/nginx.conf"
	echo "INFO start:lighttpd /usr/sbin/lighttpd -D -f bench/http/lighttpd.conf (@WORKERS@ = $NCPU)"
}

# start_server NAME: 0 when it serves; 1 when it failed to start;
# 2 when it cannot run in this VM ($why_not says why: a LIMIT line).
# server_pid is the userspace server's (a relay's backend's) process.
start_server() {
	server_pid=
	why_not=
	settle_max=100
	case $1 in
	khttpd-event)
		$KHTTPD_CMD || return 1 ;;
	khttpd-event-*)
		# the event design on another workqueue: -unbound, -highpri
		$KHTTPD_CMD wq=${1#khttpd-event-} || return 1 ;;
	khttpd-kthread)
		$KHTTPD_CMD design=kthread || return 1 ;;
	nginx)
		start_nginx ;;
	lighttpd)
		# its own session: lighttpd's master ends its workers with a
		# signal to its whole process group, which would end this script
		sed "s/@WORKERS@/$NCPU/" bench/http/lighttpd.conf > /tmp/lighttpd.conf
		rm -f /tmp/lighttpd-error.log /tmp/lighttpd.pid
		setsid /usr/sbin/lighttpd -D -f /tmp/lighttpd.conf > /tmp/server.out 2>&1 &
		server_pid=$! ;;
	khttpd-relay-python|khttpd-relay-nginx)
		# the backend first, answering on its own port; then khttpd,
		# relaying every request to it.  After 100 and 1000 connections
		# python3 takes longer than 10 s to work through what the relay
		# left queued (measured), and the next point would be measured
		# against that: 60 s to settle.
		settle_max=600
		backend=${1#khttpd-relay-}
		if [ $backend = python ] && ! command -v python3 > /dev/null; then
			why_not="python3 is not in the VM's initramfs"
			return 2
		fi
		start_$backend
		if ! wait_http "$(port_of $backend)" $server_pid; then
			echo "# $1: the backend, $backend, does not answer"
			sed 's/^/#   /' /tmp/server.out /tmp/python.out /tmp/*-error.log 2>/dev/null | tail -n 10
			stop_server "$1"
			return 1
		fi
		$KHTTPD_CMD proxy=all backend=127.0.0.1:$(port_of $backend) || {
			stop_server "$1"
			return 1
		} ;;
	*)
		echo "# unknown server $1"
		return 1 ;;
	esac
	if ! wait_http "$(port_of "$1")" $server_pid; then
		echo "# $1 does not answer"
		sed 's/^/#   /' /tmp/server.out /tmp/python.out /tmp/*-error.log 2>/dev/null | tail -n 10
		ps | grep -v '\[' | sed 's/^/#   /' | tail -n 15
		netstat -ltn 2>/dev/null | sed 's/^/#   /'
		dmesg | tail -n 3 | sed 's/^/#   /'
		stop_server "$1"
		return 1
	fi
}

# stop_server NAME: khttpd unloaded first (a relay's connections to its
# backend end with it), then the userspace server.
stop_server() {
	case $1 in
	khttpd-*)
		grep -q '^khttpd ' /proc/modules && rmmod khttpd ;;
	esac
	if [ -n "$server_pid" ]; then
		kill "$server_pid"
		wait "$server_pid" 2>/dev/null
		server_pid=
	fi
	# anything the server logged about itself; python3 logs every
	# request, so only its lines that are not a 200
	for f in /tmp/nginx-error.log /tmp/lighttpd-error.log /tmp/python.out; do
		[ -s $f ] && grep -v 'server started\|server stopped\|gracefully\|clock jumped\|" 200 -$\|^Serving HTTP on' $f |
			sed "s|^|# $1: |" | head -n 5
		rm -f $f
	done
}
