#!/bin/sh
# Helpers shared by the benchmark drivers (run.sh: echo, http.sh: HTTP).

# settle PROC: wait until the server (counters in PROC, if it has them)
# has closed the last run's connections.
settle() {
	if [ -e "$1" ]; then
		i=0
		while [ "$(awk '/^active / { print $2 }' "$1")" != 0 ] && [ $i -lt 100 ]; do
			sleep 0.1
			i=$((i + 1))
		done
	fi
	sleep 0.5
}
