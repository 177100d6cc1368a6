/*
 * Copyright (c) 2026 The dinit authors.
 *
 * Permission to use, copy, modify, and distribute this software for any
 * purpose with or without fee is hereby granted, provided that the above
 * copyright notice and this permission notice appear in all copies.
 *
 * THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
 * WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
 * MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
 * ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
 * WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
 * ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
 * OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
 */

/*
 * The control protocol between dinit and its clients (dinitctl).  Our own,
 * documented in doc/PROTOCOL.md: a version handshake, then messages framed
 * by a 32-bit length, every integer fixed-width little-endian, services
 * named by name.  This header is all a client needs.
 */

#ifndef DINIT_PROTOCOL_H
#define DINIT_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#define PROTO_VERSION		4
#define PROTO_MIN_VERSION	1
#define PROTO_VERSION_STATUS_TEXT 2	/* status records carry STATUS= */
#define PROTO_VERSION_DETAIL	3	/* DETAIL, LIST_DETAIL, EDGES, DIRS */
#define PROTO_VERSION_BYE	4	/* BYE; a detail record's zone */

/* A frame: u32 length of what follows, u16 type, payload. */
#define PROTO_HEADER_SIZE	6
#define PROTO_MAX_MESSAGE	65536	/* type + payload, bytes */
#define PROTO_MAX_NAME		1024
#define PROTO_MAX_STATUS_TEXT	128	/* a service's STATUS= text */

/* Requests, client to server. */
enum proto_request {
	REQ_HELLO = 0x01,	/* u16 min, u16 max */
	REQ_START = 0x10,	/* u8 flags, str name */
	REQ_STOP = 0x11,	/* u8 flags, str name */
	REQ_WAKE = 0x12,	/* u8 flags, str name */
	REQ_RELEASE = 0x13,	/* u8 flags, str name */
	REQ_RESTART = 0x14,	/* u8 flags, str name */
	REQ_UNPIN = 0x15,	/* str name */
	REQ_STATUS = 0x16,	/* str name */
	REQ_LIST = 0x17,	/* nothing */
	REQ_RELOAD = 0x18,	/* str name */
	REQ_UNLOAD = 0x19,	/* str name */
	REQ_ADD_DEP = 0x1a,	/* u8 type, u8 flags, str from, str to */
	REQ_RM_DEP = 0x1b,	/* u8 type, u8 flags, str from, str to */
	REQ_TRIGGER = 0x1c,	/* u8 on, str name */
	REQ_SETENV = 0x1d,	/* u8 set, str name, str value */
	REQ_GETENV = 0x1e,	/* nothing */
	REQ_CATLOG = 0x1f,	/* u8 flags, str name */
	REQ_SIGNAL = 0x20,	/* i32 signal, str name */
	REQ_SHUTDOWN = 0x21,	/* u8 shutdown type */
	REQ_MONITOR = 0x22,	/* u16 count, count x str name (0: all) */
	REQ_LOAD = 0x23,	/* str name */
	REQ_SERVICE_FILE = 0x24, /* str name */
	/* Version 3. */
	REQ_DETAIL = 0x25,	/* str name */
	REQ_LIST_DETAIL = 0x26,	/* nothing */
	REQ_EDGES = 0x27,	/* nothing */
	REQ_DIRS = 0x28,	/* nothing */
	REQ_BYE = 0x29		/* nothing: close once the replies are out */
};

/* Flags of START, STOP, WAKE, RELEASE, RESTART. */
#define REQF_PIN		0x01
#define REQF_FORCE		0x02
#define REQF_IGNORE_UNSTARTED	0x04
#define REQF_WATCH		0x08	/* send events until it settles */
#define REQF_ACTIVATE		0x10	/* ADD_DEP: also start it (enable) */

/* Flags of CATLOG, and of its reply REP_LOG. */
#define CATLOGF_CLEAR		0x01	/* empty the buffer after the reply */
#define CATLOGF_TIMESTAMPS	0x02	/* send the lines' stamps */
#define LOGF_TRUNCATED		0x01	/* only the buffer's tail was sent */

/* Replies and events, server to client. */
enum proto_reply {
	REP_HELLO = 0x81,	/* u16 version */
	REP_OK = 0x82,		/* nothing */
	REP_ERROR = 0x83,	/* u16 code, str message */
	REP_STATUS = 0x84,	/* status record */
	REP_LIST_END = 0x85,	/* nothing; after REP_STATUS records */
	REP_ENV = 0x86,		/* u32 count, count x str "NAME=VALUE" */
	REP_LOG = 0x87,		/* u8 flags, u32 dropped, stamps, bytes */
	REP_DEPENDENTS = 0x88,	/* u16 count, count x str name */
	REP_FILE = 0x89,	/* str file, str enable-via, str waits-for.d */
	REP_DETAIL = 0x8a,	/* status record, detail record (v3) */
	REP_EDGE = 0x8b,	/* u8 dependency type, str from, str to (v3) */
	REP_DIRS = 0x8c,	/* u16 count, count x str directory (v3) */
	REP_EVENT = 0xc0	/* u8 event, status record */
};

/* REP_ERROR codes. */
enum proto_error {
	PERR_BAD_REQUEST = 1,	/* malformed: the connection is closed */
	PERR_NOT_FOUND = 2,	/* no such service (loaded or on disk) */
	PERR_LOAD = 3,		/* description error: message has file:line */
	PERR_DENIED = 4,	/* the peer may only query */
	PERR_SHUTTING_DOWN = 5,
	PERR_PINNED = 6,
	PERR_NOT_STARTED = 7,
	PERR_WRONG_TYPE = 8,
	PERR_BUSY = 9,		/* wrong state for the request */
	PERR_NO_MEMORY = 10,
	PERR_CYCLE = 11,
	PERR_NO_PID = 12,
	PERR_BAD_SIGNAL = 13,
	PERR_FAILED = 14,	/* the request was tried and failed */
	PERR_UNAVAILABLE = 15	/* connection refused: at a limit; closed */
};

/* Shutdown types. */
enum proto_shutdown {
	SHUTDOWN_REMAIN = 1,	/* stop services, keep running */
	SHUTDOWN_HALT = 2,
	SHUTDOWN_POWEROFF = 3,
	SHUTDOWN_REBOOT = 4
};

/*
 * A status record: str name, u8 state, u8 target, u8 type, u16 flags,
 * u8 stop reason, u8 exec stage, i32 exec errno, i32 pid, u8 exit kind,
 * i32 exit value, str file.
 */
#define STF_EXPLICIT		0x0001
#define STF_PINNED_STARTED	0x0002
#define STF_PINNED_STOPPED	0x0004
#define STF_HAS_PID		0x0008
#define STF_SKIPPED		0x0010
#define STF_TRIGGERED		0x0020
#define STF_MODIFIED		0x0040	/* file changed since load */
#define STF_FAILED		0x0080
#define STF_CONSOLE		0x0100
#define STF_WAITING_CONSOLE	0x0200
#define STF_ALREADY		0x0400	/* was so before the request */
#define STF_TREE_CGROUP		0x0800	/* its tree: a cgroup */
#define STF_TREE_REAPER		0x1000	/* its tree: a reaper's */

#define EXIT_KIND_NONE		0
#define EXIT_KIND_EXITED	1
#define EXIT_KIND_SIGNALLED	2

struct proto_status {
	char		name[PROTO_MAX_NAME + 1];
	uint8_t		state;		/* enum service_state */
	uint8_t		target;
	uint8_t		type;		/* enum service_type */
	uint16_t	flags;		/* STF_* */
	uint8_t		stop_reason;	/* enum stop_reason */
	uint8_t		exec_stage;	/* enum exec_stage */
	int32_t		exec_errno;
	int32_t		pid;
	uint8_t		exit_kind;
	int32_t		exit_value;
	char		file[PROTO_MAX_NAME + 1];
	char		status_text[PROTO_MAX_STATUS_TEXT + 1];	/* v2 */
};

/*
 * A detail record (version 3), after a status record in REP_DETAIL: the
 * daemon's clock now and when it started, when the service last entered
 * each state (indexed by state) and launched its process, all in the
 * daemon's monotonic milliseconds (0: never); its restarts since loaded;
 * where its output goes, and the log file's path.
 */
#define OUTPUT_DISCARDED	0
#define OUTPUT_FILE		1
#define OUTPUT_BUFFER		2
#define OUTPUT_PIPE		3
#define OUTPUT_CONSOLE		4

struct proto_detail {
	uint64_t	now;
	uint64_t	born;
	uint64_t	entered[4];	/* by enum service_state */
	uint64_t	launched;
	uint32_t	restarts;
	uint8_t		output;		/* OUTPUT_* */
	char		log_path[PROTO_MAX_NAME + 1];
	int32_t		zone;		/* v4: see PROTO_NO_ZONE */
};

/*
 * A detail record's zone (version 4): seconds east of UTC, in the daemon's
 * time zone, when the service entered the state it is in; so that a
 * client prints that time as local time without reading the zone itself.
 * PROTO_NO_ZONE when the daemon did not say (in REQ_LIST_DETAIL's records,
 * and before version 4).
 */
#define PROTO_NO_ZONE		INT32_MIN

/* A message being built: the caller's buffer, filled front to back. */
struct proto_writer {
	uint8_t		*buf;
	size_t		 size;
	size_t		 len;
	int		 overflow;
};

/* A message being read: bounds-checked cursor over its payload. */
struct proto_reader {
	const uint8_t	*p;
	size_t		 left;
	int		 bad;
};

void	proto_begin(struct proto_writer *, uint8_t *, size_t, uint16_t);
void	proto_put_u8(struct proto_writer *, uint8_t);
void	proto_put_u16(struct proto_writer *, uint16_t);
void	proto_put_u32(struct proto_writer *, uint32_t);
void	proto_put_u64(struct proto_writer *, uint64_t);
void	proto_put_i32(struct proto_writer *, int32_t);
void	proto_put_str(struct proto_writer *, const char *);
void	proto_put_bytes(struct proto_writer *, const void *, size_t);
void	proto_put_status(struct proto_writer *, const struct proto_status *,
	    uint16_t);
void	proto_put_detail(struct proto_writer *, const struct proto_detail *,
	    uint16_t);
int	proto_end(struct proto_writer *);

int	proto_frame(const uint8_t *, size_t, uint16_t *, size_t *);
void	proto_reader_init(struct proto_reader *, const uint8_t *, size_t);
uint8_t	proto_get_u8(struct proto_reader *);
uint16_t proto_get_u16(struct proto_reader *);
uint32_t proto_get_u32(struct proto_reader *);
uint64_t proto_get_u64(struct proto_reader *);
int32_t	proto_get_i32(struct proto_reader *);
int	proto_get_str(struct proto_reader *, char *, size_t);
const uint8_t *proto_get_bytes(struct proto_reader *, size_t);
int	proto_get_status(struct proto_reader *, struct proto_status *,
	    uint16_t);
int	proto_get_detail(struct proto_reader *, struct proto_detail *,
	    uint16_t);
int	proto_done(const struct proto_reader *);

#endif /* DINIT_PROTOCOL_H */
