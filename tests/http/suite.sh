#!/bin/sh
# The khttpd suite (placeholder until the full suite lands): load, one
# GET, unload.
cd /kecho || exit 1
n=0 fail=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n $2"; else echo "not ok $n $2"; fail=$((fail + 1)); fi; }
mkdir -p /srv/www && echo hello > /srv/www/index.html && chmod -R a+rX /srv/www
insmod /kecho/khttpd.ko docroot=/srv/www; ok $? "khttpd loads"
[ "$(curl -s http://127.0.0.1:8080/)" = hello ]; ok $? "GET / returns the index"
rmmod khttpd; ok $? "khttpd unloads"
echo "# $((n - fail)) passed, $fail failed"
[ $fail = 0 ]
