/* SPDX-License-Identifier: GPL-2.0 */
/*
 * khttpd's access log, as a tracepoint: free while nobody listens.
 *
 *   perf trace -e khttpd:khttpd_request
 *   echo 1 > /sys/kernel/tracing/events/khttpd/enable; cat .../trace_pipe
 *
 * The path is the decoded one (no control characters), cut at 31 bytes,
 * with a hash of the whole of it.  Nothing of a request goes to the
 * kernel log.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM khttpd

#if !defined(KHTTPD_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define KHTTPD_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(khttpd_request,
	    TP_PROTO(u8 method, u16 status, u64 bytes, u64 duration_ns,
		     u32 path_hash, const char *path),
	    TP_ARGS(method, status, bytes, duration_ns, path_hash, path),
	    TP_STRUCT__entry(__field(u8, method)
			     __field(u16, status)
			     __field(u64, bytes)
			     __field(u64, duration_ns)
			     __field(u32, path_hash)
			     __array(char, path, 32)),
	    TP_fast_assign(__entry->method = method;
			   __entry->status = status;
			   __entry->bytes = bytes;
			   __entry->duration_ns = duration_ns;
			   __entry->path_hash = path_hash;
			   strscpy(__entry->path, path, sizeof(__entry->path));),
	    TP_printk("%s /%s hash=%08x status=%u bytes=%llu ns=%llu",
		      __print_symbolic(__entry->method, { 0, "GET" },
				       { 1, "HEAD" }, { 2, "OTHER" }),
		      __entry->path, __entry->path_hash, __entry->status,
		      __entry->bytes, __entry->duration_ns)
);

#endif /* KHTTPD_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
