#!/bin/sh
# Print the newest kernel release that has both an image in /boot and a
# build tree (linux-headers) to compile modules against.
for img in /boot/vmlinuz-*; do
	v=${img#/boot/vmlinuz-}
	[ -d "/lib/modules/$v/build" ] && echo "$v"
done | sort -V | tail -n 1
