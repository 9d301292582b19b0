#!/bin/sh
echo "hello from suite: $*"
uname -r
t0=$(date +%s)
insmod /kecho/kecho.ko && echo loaded
printf 'abc\000def\n' | nc -w 1 127.0.0.1 12345 | od -c
cat /proc/net/kecho
rmmod kecho && echo unloaded
dmesg | grep kecho
echo "ok 1 proto"
