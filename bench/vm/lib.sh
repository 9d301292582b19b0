#!/bin/sh
# Helpers shared by the benchmark drivers (run.sh: echo, http.sh: HTTP).

# settle PROC [TENTHS]: wait until the server (counters in PROC, if it has
# them) has closed the last run's connections, TENTHS tenths of a second
# at most (default 100: 10 s); say so if some are still open then.
settle() {
	if [ -e "$1" ]; then
		i=0
		while [ "$(awk '/^active / { print $2 }' "$1")" != 0 ] && [ $i -lt "${2:-100}" ]; do
			sleep 0.1
			i=$((i + 1))
		done
		[ $i -ge "${2:-100}" ] &&
			echo "# settle: $(awk '/^active / { print $2 }' "$1") connections still active after $((i / 10)) s"
	fi
	sleep 0.5
}
