#!/bin/sh
# The version of the modules' source, for DKMS and the .deb: the release
# in VERSION, and in a git checkout "+git<commits>.<hash>" after it (the
# commit count keeps the order of versions built from later commits), and
# ".dirty" if kernel/ or packaging/ differ from that commit.  A tag vX.Y
# on the history, if there is one, replaces VERSION: X.Y+git<commits
# since>.<hash>, or just X.Y on the tag itself.
#   scripts/version.sh
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
base=$(cat "$top/VERSION")
cd "$top"
if ! git rev-parse --git-dir >/dev/null 2>&1; then
	echo "$base"
	exit 0
fi
hash=$(git rev-parse --short=7 HEAD)
if desc=$(git describe --tags --match 'v[0-9]*' --long 2>/dev/null); then
	# vX.Y-N-gHASH
	n=${desc%-g*}
	tag=${n%-*}
	n=${n##*-}
	base=${tag#v}
	[ "$n" = 0 ] && ver=$base || ver=$base+git$n.$hash
else
	ver=$base+git$(git rev-list --count HEAD).$hash
fi
[ -n "$(git status --porcelain -- kernel packaging VERSION)" ] && ver=$ver.dirty
echo "$ver"
