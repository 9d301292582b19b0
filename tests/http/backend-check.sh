#!/bin/sh
# The userspace backends of khttpd's relay, in the VM, without khttpd:
# python3 -m http.server (the benchmark's) and hbackend in each of its
# modes (the suite's), each checked with curl.  Prints KTAP.  Run by
# vm/init (kmode=run) from /kecho:
#   vm/run.sh run INITRD tests/http/backend-check.sh
# It also says how long python3 took to listen, the first time (cold:
# nothing of it read yet) and the second.
cd /kecho || exit 1
. tests/lib/ktap.sh
. tests/http/backend.sh

WWW=/srv/www
PY_PORT=8081
HB_PORT=9000
mkdir -p $WWW && mount -t tmpfs www $WWW
head -c 1048576 /dev/urandom > $WWW/1m.bin
head -c 1048577 /dev/urandom > $WWW/big.bin	# odd: half is 524288
head -c 163840 /dev/urandom > $WWW/slow.bin	# 10 x 16 KiB
head -c 3000 /dev/urandom > $WWW/small.bin
chmod -R a+rX $WWW

now() { cut -d' ' -f1 /proc/uptime; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

# --- python3 -m http.server ---------------------------------------------------
py_in_path() {
	[ "$(command -v python3)" = /usr/bin/python3 ] ||
		{ echo "# python3 is $(command -v python3)"; return 1; }
	python3 -c 'import sys; print("# " + sys.version.split()[0], sys.prefix)'
}

# py_serve: start it, wait until it listens, fetch 1m.bin, stop it
py_serve() {
	t0=$(now)
	python3 -m http.server --bind 127.0.0.1 $PY_PORT --directory $WWW \
		> /tmp/py.log 2>&1 &
	pid=$!
	if ! wait_listening $PY_PORT $pid 120; then
		sed 's/^/#   /' /tmp/py.log
		kill $pid 2>/dev/null
		return 1
	fi
	echo "# python3 -m http.server listening after $(since "$t0") s"
	rc=0
	code=$(curl -s -o /tmp/py.out -w '%{http_code}' -m 60 \
		http://127.0.0.1:$PY_PORT/1m.bin)
	[ "$code" = 200 ] || { echo "# status $code"; rc=1; }
	cmp /tmp/py.out $WWW/1m.bin || rc=1
	kill $pid
	wait $pid 2>/dev/null
	return $rc
}

py_in_path
ktap_ok python3_in_path $?
py_serve
ktap_ok python3_http_server_1mib_cold $?
py_serve
ktap_ok python3_http_server_1mib_warm $?

# --- hbackend, mode by mode -----------------------------------------------------
U=http://127.0.0.1:$HB_PORT
get() {	# get PATH [CURL ARGS...]: sets CODE, CRC; /tmp/hb.body, /tmp/hb.hdr
	p=$1
	shift
	CODE=$(curl -s -o /tmp/hb.body -D /tmp/hb.hdr -w '%{http_code}' -m 30 \
		"$@" "$U$p")
	CRC=$?
}
bad() { echo "# $*"; hb_bad=1; }

check_mode() {
	hb_bad=0
	case $1 in
	length|chunked|slow)
		f=big.bin
		[ "$1" = slow ] && f=slow.bin
		t0=$(now)
		get /$f
		[ "$CODE" = 200 ] && cmp /tmp/hb.body $WWW/$f || bad "GET: status $CODE"
		echo "# GET /$f: $(since "$t0") s"
		get /x --data-binary @$WWW/small.bin
		[ "$CODE" = 200 ] && cmp /tmp/hb.body $WWW/small.bin || bad "POST: status $CODE"
		get /echo-head -H 'X-Forwarded-For: 10.9.8.7'
		grep -q '^X-Forwarded-For: 10.9.8.7' /tmp/hb.body || bad "echo-head"
		get /missing
		[ "$CODE" = 404 ] || bad "missing: status $CODE"
		if [ "$1" = chunked ]; then
			grep -qi '^Transfer-Encoding: chunked' /tmp/hb.hdr || bad "not chunked"
			curl -s --raw -o /tmp/hb.raw $U/small.bin
			tail -c 21 /tmp/hb.raw | grep -q 'X-Trailer: done' || bad "no trailer"
		fi
		if [ "$1" = slow ]; then
			t=$(since "$t0")
			awk -v t="$t" 'BEGIN { exit !(t >= 1) }' || bad "not slow: $t s"
		fi ;;
	eof)
		get /big.bin
		[ "$CRC" = 0 ] && [ "$CODE" = 200 ] && cmp /tmp/hb.body $WWW/big.bin ||
			bad "curl exit $CRC, status $CODE"
		head -n 1 /tmp/hb.hdr | grep -q '^HTTP/1.0 200 OK' || bad "status line"
		! grep -qi '^Content-Length' /tmp/hb.hdr || bad "Content-Length" ;;
	cut)
		get /big.bin
		[ "$CRC" = 18 ] || bad "curl exit $CRC, want 18"
		[ "$(wc -c < /tmp/hb.body)" = 524288 ] || bad "$(wc -c < /tmp/hb.body) bytes"
		head -c 524288 $WWW/big.bin | cmp - /tmp/hb.body || bad "not the first half" ;;
	silent)
		curl -s -o /tmp/hb.body -m 2 $U/small.bin
		rc=$?
		[ $rc = 28 ] || bad "curl exit $rc, want 28 (timeout)" ;;
	esac
	[ $hb_bad = 0 ]
}

for mode in length chunked eof cut silent slow; do
	if backend_start $mode $HB_PORT $WWW; then
		check_mode $mode
		ktap_ok "hbackend_$mode" $?
		if [ $mode = length ]; then
			hclient many -n 1000 -t 30 127.0.0.1:$HB_PORT $WWW /small.bin
			ktap_ok hbackend_1000_connections $?
		fi
		backend_stop
		ktap_ok "hbackend_${mode}_sigterm_exit_0" $?
	else
		ktap_ok "hbackend_$mode" 1
	fi
done

umount $WWW
ktap_done
