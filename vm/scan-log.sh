#!/bin/sh
# Fail if a kernel log shows a bug report of any kind.  The patterns are
# precise on purpose: boot prints harmless lines such as "fail to add
# MMCONFIG" that a broad "fail" or "error" would catch.
#   vm/scan-log.sh LOG
log=$1
pat='BUG:|WARNING:|Oops|Kernel panic|general protection fault|'
pat=$pat'possible circular locking|possible recursive locking|'
pat=$pat'inconsistent lock state|Invalid wait context|'
pat=$pat'sleeping function called from invalid context|scheduling while atomic|'
pat=$pat'unreferenced object|blocked for more than|list_add corruption|'
pat=$pat'list_del corruption|UBSAN:|KASAN:|stack-protector|refcount_t:'
if grep -E -n "$pat" "$log" >/tmp/scan-log.$$ 2>/dev/null; then
	echo "# kernel log problems in $log:"
	sed 's/^/#   /' /tmp/scan-log.$$ | head -n 40
	rm -f /tmp/scan-log.$$
	exit 1
fi
rm -f /tmp/scan-log.$$
exit 0
