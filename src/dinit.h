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
 * The private header of dinit: the types every program shares and, file by
 * file, the prototypes of the shared library (log.c, mem.c, text.c, environ.c,
 * parse.c, subst.c, load.c, client.c), the engine (service.c), and the daemon's
 * own files: the control server (control.c), the shell (dinit.c), the
 * shutdown and boot-failure handling (shutdown.c), the child side of
 * launching (spawn.c) and the process layer's parent side (proc.c).
 */

#ifndef DINIT_H
#define DINIT_H

#include "compat.h"

#include <sys/types.h>
#include <sys/resource.h>

#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "queue.h"

#define DINIT_VERSION	PACKAGE_VERSION

struct event_base;
struct service;
struct service_set;
struct stat;

/* log.c */

/*
 * Levels, most verbose first.  A sink shows messages at or above its level;
 * LOG_LEVEL_NONE shows nothing.
 */
enum log_level {
	LOG_LEVEL_DEBUG,
	LOG_LEVEL_INFO,
	LOG_LEVEL_NOTICE,
	LOG_LEVEL_WARN,
	LOG_LEVEL_ERROR,
	LOG_LEVEL_NONE
};

/* The two sinks: the main log and the console. */
enum log_sink {
	LOG_SINK_MAIN,
	LOG_SINK_CONSOLE
};

void	 log_init(const char *);
void	 log_set_sink(enum log_sink, int, enum log_level);
void	 log_set_pending(enum log_sink, enum log_level);
void	 log_open_sink(enum log_sink, int);
void	 log_set_syslog(const char *, enum log_level);
int	 log_syslog_start(void);
int	 log_sink_fd(enum log_sink);
int	 log_level_parse(const char *, enum log_level *);
void	 log_set_flush_hook(void (*)(enum log_sink, int));
int	 log_pending(enum log_sink);
void	 log_flush(enum log_sink);
void	 log_hold(enum log_sink, int);
void	 log_divert_console(int);
void	 log_debug(const char *, ...) PRINTFLIKE(1, 2);
void	 log_info(const char *, ...) PRINTFLIKE(1, 2);
void	 log_notice(const char *, ...) PRINTFLIKE(1, 2);
void	 log_warn(const char *, ...) PRINTFLIKE(1, 2);
void	 log_warnx(const char *, ...) PRINTFLIKE(1, 2);
void	 log_error(const char *, ...) PRINTFLIKE(1, 2);
void	 log_errorx(const char *, ...) PRINTFLIKE(1, 2);
void	 log_vmsg(enum log_level, const char *, va_list) PRINTFLIKE(2, 0);
void	 log_status(const char *, const char *);
void	 log_announce(const char *, ...) PRINTFLIKE(1, 2);

/* mem.c */

/*
 * Checked allocation: every helper returns NULL (errno ENOMEM) on failure
 * and never aborts, so the daemon can fail one operation and carry on.
 * mem_fail_after lets tests make the n-th next allocation fail.
 * mem_event_* are libevent's allocator: when malloc fails they fall back
 * on a static reserve, so libevent never sees a failure while it lasts.
 */
void	*mem_alloc(size_t);
void	*mem_zalloc(size_t);
void	*mem_array(void *, size_t, size_t);
char	*mem_strdup(const char *);
char	*mem_strndup(const char *, size_t);
void	 mem_fail_after(long);
void	*mem_event_malloc(size_t);
void	*mem_event_realloc(void *, size_t);
void	 mem_event_free(void *);
size_t	 mem_reserve_free(void);
unsigned long	 mem_reserve_count(void);
void	 mem_trim(void);

/* text.c */

/* A growing string, NUL-terminated once anything is added. */
struct text_buf {
	char	*s;
	size_t	 len;
	size_t	 cap;
};

/* A growing NULL-terminated array of owned strings (usable as argv). */
struct strlist {
	char	**v;
	size_t	  n;
	size_t	  cap;
};

/*
 * The largest description, include or environment file read: ample for
 * any description, and a bound on what a wrong path can make us hold.
 */
#define TEXT_FILE_MAX		(1024 * 1024)
#define TEXT_FILE_MAX_WORDS	"1 MiB"

/* A file read whole by text_open, taken apart by text_line. */
struct text_file {
	char	*buf;		/* the contents, NUL-terminated */
	size_t	 len;
	size_t	 pos;		/* where the next line starts */
};

/* What text_open could not do. */
#define TEXT_OPEN_OPEN		1	/* open(2) */
#define TEXT_OPEN_TYPE		2	/* not a regular file */
#define TEXT_OPEN_SIZE		3	/* larger than TEXT_FILE_MAX */
#define TEXT_OPEN_READ		4	/* fstat, read, or memory */

int	 text_buf_add(struct text_buf *, const char *, size_t);
void	 text_buf_reset(struct text_buf *);
void	 text_buf_free(struct text_buf *);
int	 text_list_push(struct strlist *, char *);
int	 text_list_add(struct strlist *, const char *, size_t);
long	 text_list_find(const struct strlist *, const char *);
char	*text_list_join(const struct strlist *);
void	 text_list_free(struct strlist *);
size_t	 text_hash(const char *);
int	 text_open(struct text_file *, const char *, struct stat *, int *);
const char *text_open_reason(int, int);
char	*text_line(struct text_file *, size_t *);
void	 text_close(struct text_file *);
size_t	 text_utf8_len(const unsigned char *);
void	 text_json_str(FILE *, const char *);

/* environ.c */

/*
 * An environment: NAME=VALUE strings in a NULL-terminated array, usable as
 * envp.  Lookups are by name.
 */
struct environ {
	char	**vars;
	size_t	  count;
	size_t	  capacity;
	/*
	 * What an environment file's commands take away from the
	 * environment a service inherits (dinit's): all of it after
	 * "!clear", else the names "!unset" named (NULL-terminated, or
	 * NULL).  The set's own environment has neither.
	 */
	int	  cleared;
	char	**unset;
};

void		 environ_init(struct environ *);
void		 environ_clear(struct environ *);
int		 environ_copy(struct environ *, const struct environ *);
int		 environ_inherit(struct environ *, const struct environ *,
		    const struct environ *);
int		 environ_import(struct environ *, char **);
const char	*environ_get(const struct environ *, const char *, size_t);
int		 environ_set(struct environ *, const char *, const char *);
int		 environ_setn(struct environ *, const char *, size_t,
		     const char *);
int		 environ_put(struct environ *, const char *);
int		 environ_unset(struct environ *, const char *);
int		 environ_merge(struct environ *, const struct environ *);
int		 environ_read_file(struct environ *, const char *,
		     const struct environ *, char *, size_t);

/* parse.c */

enum service_type {
	SERVICE_INTERNAL,
	SERVICE_PROCESS,
	SERVICE_BGPROCESS,
	SERVICE_SCRIPTED,
	SERVICE_TRIGGERED,
	SERVICE_PLACEHOLDER	/* named by before/after, not loaded */
};

/*
 * Kinds of dependency.  In a service description "before: X" becomes an
 * AFTER edge from X to the service, so the engine sees only AFTER.
 */
enum dependency_type {
	DEP_REGULAR,		/* depends-on */
	DEP_MILESTONE,		/* depends-ms */
	DEP_WAITS_FOR,		/* waits-for */
	DEP_PREPARED_BY,	/* prepared-by */
	DEP_AFTER,		/* after (ordering only) */
	DEP_BEFORE		/* before: only in a service_desc */
};

enum restart_mode {
	RESTART_NO,
	RESTART_YES,
	RESTART_ON_FAILURE
};

enum log_type {
	LOGTYPE_NONE,
	LOGTYPE_FILE,
	LOGTYPE_BUFFER,
	LOGTYPE_PIPE
};

/* options: */
#define OPT_RUNS_ON_CONSOLE	0x0001
#define OPT_STARTS_ON_CONSOLE	0x0002
#define OPT_SHARES_CONSOLE	0x0004
#define OPT_UNMASK_INTR		0x0008
#define OPT_STARTS_RWFS		0x0010
#define OPT_STARTS_LOG		0x0020
#define OPT_PASS_CS_FD		0x0040
#define OPT_START_INTERRUPTIBLE	0x0080
#define OPT_SKIPPABLE		0x0100
#define OPT_SIGNAL_PROCESS_ONLY	0x0200
#define OPT_ALWAYS_CHAIN	0x0400
#define OPT_KILL_ALL_ON_STOP	0x0800
#define OPT_NO_NEW_PRIVS	0x1000
/* struct service_desc keeps the options in 16 bits. */
typedef char opt_fits[OPT_NO_NEW_PRIVS <= 0x8000 ? 1 : -1];

/* load-options: */
#define LOPT_EXPORT_PASSWD_VARS	0x01
#define LOPT_EXPORT_SERVICE_NAME 0x02
#define LOPT_SUB_VARS		0x04
/* ... and the load-options in 8. */
typedef char lopt_fits[LOPT_SUB_VARS <= 0x80 ? 1 : -1];

/* One dependency named in a description, with where it was named. */
struct dep_name {
	char			*name;
	enum dependency_type	 type;
	char			*file;
	int			 line;
	int			 from_dir;	/* an entry of a *.d directory */
};

/* An rlimit-* setting: which halves were given, and their values. */
struct rlimit_setting {
	int		set_soft;
	int		set_hard;
	rlim_t		soft;
	rlim_t		hard;
};

/*
 * The settings few services use, apart from struct service_desc so that
 * the thousands of services that set none of them do not pay for them:
 * a description that sets none points at one shared block of defaults
 * (parse_rare_none), which nothing writes to.
 */
struct service_desc_rare {
	int			 has_nice;
	int			 nice;
	char			*ioprio;
	int			 has_oom_score_adj;
	int			 oom_score_adj;
	char			*capabilities;
	char			*securebits;
	struct rlimit_setting	 rlimit_nofile;
	struct rlimit_setting	 rlimit_core;
	struct rlimit_setting	 rlimit_data;
	struct rlimit_setting	 rlimit_addrspace;
	char			*inittab_id;
	char			*inittab_line;
	mode_t			 logfile_permissions;
	int			 ready_fd;	/* pipefd:N, or -1 */
	char			*logfile_uid;
	char			*logfile_gid;
	mode_t			 socket_permissions;
	char			*socket_uid;
	char			*socket_gid;
	char			*socket_listen;
	char			*pid_file;
	char			*run_in_cgroup;
	size_t			 log_buffer_size;
	char			*ready_var;	/* pipevar:NAME */
	char			*chain_to;
	char			*consumer_of;
	char			*enable_via;	/* @meta enable-via */
	char			*waits_for_d;	/* first waits-for.d, resolved */
};

/*
 * Everything one service description says, after includes, substitution
 * and validation.  Strings are NULL when absent; argv arrays are
 * NULL-terminated; times are milliseconds.
 */
struct service_desc {
	/*
	 * The name shares the record's allocation (so may command).  The
	 * top-level file is not kept whole: its directory is shared by
	 * every description read from there, and its last component is
	 * the name, or follows the name's NUL (file_form says which and
	 * how they join); parse_desc_file puts the path together.
	 */
	char			*name;		/* full name, with @arg */
	time_t			 mtime;		/* file modification time */

	char			**command;
	char			**stop_command;
	char			*working_dir;
	char			*run_as;
	char			*env_file;
	struct service_desc_rare *rare;	/* settings few services use */

	struct dep_name		*deps;
	unsigned		 ndeps;
	unsigned		 restart_limit_count;	/* 0: no limit */

	unsigned long		 restart_delay;
	unsigned long		 restart_limit_interval;
	unsigned long		 start_timeout;		/* 0: none */
	unsigned long		 stop_timeout;		/* 0: none */

	char			*logfile;

	/*
	 * env-file and load-option variables: an environment of its own
	 * when there are any, else one shared empty one (parse_env_none),
	 * which nothing writes to.
	 */
	struct environ		*env;

	uint32_t		 dir;		/* its directory (shared),
						   for parse_desc_dir */
	uint16_t		 options;	/* OPT_* */
	uint8_t			 load_options;	/* LOPT_* */

	/* Small values in a byte each: every service has a description. */
	uint8_t			 type;		/* enum service_type */
	uint8_t			 term_signal;	/* 0: none */
	uint8_t			 restart;	/* enum restart_mode */
	uint8_t			 smooth_recovery;
	uint8_t			 log_type;	/* enum log_type */
	uint8_t			 ready_notify;	/* notify: NOTIFY_SOCKET */
	uint8_t			 command_inline; /* command shares the
						   record's allocation */
	uint8_t			 file_form;	/* DESC_FILE_* */
};

/* How a description's file is dir and last component (file_form). */
#define DESC_FILE_BARE		0x01	/* no directory: "." is implied */
#define DESC_FILE_ROOT		0x02	/* "/name": dir "/" is the slash */
#define DESC_FILE_OWN		0x04	/* last component follows the name */

/* Where a description was wrong, and how. */
struct parse_error {
	char	file[1024];
	int	line;		/* 0: not tied to one line */
	char	msg[768];	/* room for two names of SERVICE_NAME_MAX */
};
/* Room for parse_error_string: file, line and message on one line. */
#define PARSE_ERROR_TEXT	1900

/* Told of each error of a description read on past its errors. */
typedef void		 parse_report_fn(void *, const struct parse_error *);

struct service_desc	*parse_service(const char *, const char *,
			     const struct environ *, struct parse_error *);
struct service_desc	*parse_service_all(const char *, const char *,
			     const struct environ *, parse_report_fn *, void *);
void			 parse_desc_free(struct service_desc *);
size_t			 parse_desc_file(const struct service_desc *,
			     char *, size_t);
const char		*parse_desc_dir(const struct service_desc *);
void			 parse_desc_drop_deps(struct service_desc *);
const char		*parse_error_string(const struct parse_error *,
			     char *, size_t);
int			 parse_signal(const char *);
const char		*parse_signal_name(int);
int			 parse_ioprio(const char *, int *, int *);
unsigned		 parse_securebits(const char *);
#define SERVICE_NAME_MAX	255	/* bytes of a name, @argument included */
int			 parse_service_name(const char *, char *, size_t,
			     const char **);

/* subst.c */

/* Where substitution looks variables up, and the service argument. */
struct subst_vars {
	const struct environ	*first;		/* service environment */
	const struct environ	*second;	/* dinit's environment */
	const char		*arg;		/* $1, or NULL */
};

int	subst_word(const struct subst_vars *, const char *, struct strlist *,
	    const char **);
int	subst_string(const struct subst_vars *, const char *, char **,
	    const char **);

/* service.c */

enum service_state {
	SERVICE_STOPPED,
	SERVICE_STARTING,
	SERVICE_STARTED,
	SERVICE_STOPPING
};

/* Why a service last stopped (or failed to start). */
enum stop_reason {
	STOP_NORMAL,
	STOP_DEPRESTART,	/* a dependency restarted */
	STOP_DEPFAILED,		/* a dependency failed or stopped */
	STOP_FAILED,		/* the start command or process failed */
	STOP_EXECFAILED,	/* could not be launched */
	STOP_TIMEDOUT,		/* start timed out */
	STOP_TERMINATED		/* the process ended on its own */
};

/* Stages of launching a child, reported when one fails. */
enum exec_stage {
	STAGE_FDS,
	STAGE_ENV_FILE,
	STAGE_ENV_SET,
	STAGE_ACTIVATION_SOCKET,
	STAGE_CONTROL_SOCKET,
	STAGE_CHDIR,
	STAGE_STDIO,
	STAGE_CGROUP,
	STAGE_RLIMITS,
	STAGE_SETUID,
	STAGE_LOGFILE,
	STAGE_CAPABILITIES,
	STAGE_PRIORITY,
	STAGE_EXEC,
	STAGE_FORK,		/* fork itself failed (not from the child) */
	STAGE_ENV_BUILD		/* no memory for the child's environment */
};
/* struct service keeps a stage in 4 bits. */
typedef char exec_stage_fits[STAGE_ENV_BUILD < 16 ? 1 : -1];

/* What the engine tells its observers (console lines, later clients). */
enum service_event {
	SERVICE_EVENT_STARTED,
	SERVICE_EVENT_STOPPED,
	SERVICE_EVENT_FAILED,		/* failed to start */
	SERVICE_EVENT_START_CANCELLED,
	SERVICE_EVENT_STOP_CANCELLED
};

/* Which of a service's processes a launch is for. */
enum launch_kind {
	LAUNCH_START,		/* command: main process or start script */
	LAUNCH_STOP		/* stop-command */
};

/* What the single per-service timer is counting down. */
enum service_timer {
	TIMER_NONE,
	TIMER_START,		/* start-timeout */
	TIMER_STOP,		/* stop-timeout, then SIGKILL */
	TIMER_RESTART,		/* restart-delay before relaunch */
	TIMER_KILL_ALL		/* kill-all-on-stop: SIGTERM, then SIGKILL */
};

/*
 * A dependency edge, owned by the dependent.  "holding" says the dependent
 * currently requires the dependency (it counts in the dependency's
 * holders); the engine keeps it true exactly while the dependent wants to
 * run and the dependency has not failed or been forced down under it.
 */
struct dependency {
	struct service		*from;		/* dependent */
	struct service		*to;		/* dependency */
	enum dependency_type	 type;
	unsigned		 holding:1;
	unsigned		 before:1;	/* to said "before = from" */
	TAILQ_ENTRY(dependency)	 from_entry;	/* in from->depends */
	TAILQ_ENTRY(dependency)	 to_entry;	/* in to->dependents */
};
TAILQ_HEAD(dependency_list, dependency);

/*
 * The engine's view of the world: it calls these to act, and is told what
 * happened through service_child_*, service_timer_expired and friends.
 * The daemon's implementation is in proc.c; unit tests use a fake one.
 */
/*
 * The bytes an ops' record takes before its service: size rounded up to
 * the alignment of max_align_t, so that the service after it is aligned.
 */
#define SERVICE_RECORD(size)						\
	(((size) + _Alignof(max_align_t) - 1) &				\
	    ~(size_t)(_Alignof(max_align_t) - 1))

struct service_ops {
	/*
	 * Per-service resources, made when a service is loaded.  When
	 * record_size is given, service_new allocates that many bytes with
	 * the service itself, zeroed, just before it (SERVICE_RECORD of
	 * them: service_record finds them, and the process layer, which
	 * knows its size, finds the service back), before it calls attach:
	 * one allocation a service, not two, and no pointer either way.
	 */
	size_t	(*record_size)(void);
	int	(*attach)(struct service *);
	void	(*detach)(struct service *);
	/* Launch a child; 0, or -1 with errno (nothing launched). */
	int	(*launch)(struct service *, enum launch_kind, pid_t *);
	/* Send a signal to the pid, or to its process group. */
	int	(*kill)(struct service *, pid_t, int, int);
	/* Send a signal to every process (kill-all-on-stop); may be NULL. */
	void	(*kill_all)(struct service *, int);
	/* Arm the service's timer; 0, or -1 when it cannot be armed. */
	int	(*timer_set)(struct service *, unsigned long);
	void	(*timer_clear)(struct service *);
	/* Monotonic milliseconds. */
	uint64_t (*now)(void);
	/* A state event. */
	void	(*notify)(struct service *, enum service_event);
	/* A finished service asks to start its chain-to service. */
	void	(*chain)(struct service *, const char *);
	/* A service took (1) or gave back (0) the console. */
	void	(*console)(struct service *, int);
};

/*
 * A service.  Its flags are single bits, and its fields are ordered so
 * that no padding falls between them: with thousands of services, the
 * record's size is much of what a service costs.
 */
struct control_watch;

struct service {
	struct service_set	*set;
	struct service_desc	*desc;	/* NULL for a placeholder */

	struct dependency_list	 depends;	/* what we need */
	struct dependency_list	 dependents;	/* who needs us */
	struct dependency	*ready_cursor;	/* deps before it were ready */

	/*
	 * Entries of the queues, one pointer each: the engine takes from
	 * their head, and only an unloaded service leaves from elsewhere.
	 */
	STAILQ_ENTRY(service)	 console_entry;	/* in set->console_queue */
	STAILQ_ENTRY(service)	 queue_entry;	/* in set->queue */
	TAILQ_ENTRY(service)	 set_entry;	/* in set->services */
	struct service		*hash_next;

	void			*output; /* output.c's record, or NULL */
	struct control_watch	*watchers; /* control.c's, or NULL */

	uint64_t		 restart_window;	/* ms, start of window */
	/*
	 * For status and the timeline: when it last entered each state
	 * (indexed by enum service_state) and last launched its process
	 * (restart-delay counts from then too), in ops->now() ms, 0 for
	 * never; and how often it restarted since it was loaded.  Fixed
	 * fields, so recording never allocates.
	 */
	uint64_t		 entered[4];
	uint64_t		 launched_at;
	unsigned		 restarts;
	unsigned		 restart_count;	/* launches in the window */

	unsigned		 holders;	/* holding dependents */
	unsigned		 hard_down;	/* hard dependencies not STARTED */
	pid_t			 pid;		/* main process or script */
	pid_t			 stop_pid;	/* stop-command */
	int			 exit_status;	/* wait status of last exit */
	int			 exec_errno;

	unsigned		 load_gen;	/* loader's scratch marks */
	unsigned		 want_gen;	/* queued in that load */

	/*
	 * Bits and small enums, packed: with thousands of services every
	 * word counts (bench/memory).  state and type, read at every step
	 * of the engine, have whole bytes, so reading or setting one is
	 * one instruction; exec_stage has 4 bits (enum exec_stage says so).
	 */
	unsigned		 explicit_start:1;	/* activated by request */
	unsigned		 pinned_started:1;
	unsigned		 pinned_stopped:1;
	unsigned		 acquired:1;	/* we hold our dependencies */
	unsigned		 triggered:1;
	unsigned		 skipped:1;	/* scripted start skipped */
	unsigned		 restarting:1;	/* stopping to restart */
	unsigned		 manual_restart:1; /* restart asked for: no delay */
	unsigned		 relaunch:1;	/* this launch restarts by itself */
	unsigned		 ready_wait:1;	/* launched, not yet ready */
	unsigned		 stop_issued:1;	/* stop signal or command sent */
	unsigned		 launched:1;	/* start action under way */
	unsigned		 failing:1;	/* start failed: report FAILED */
	unsigned		 force_pending:1;	/* a dependency went down */
	unsigned		 force_failed:1;	/* ... because it failed */
	unsigned		 was_started:1;	/* reached STARTED this run */
	unsigned		 chain_pending:1;	/* start chain-to when stopped */
	unsigned		 exec_failed:1;	/* last child could not exec */
	unsigned		 bg_launching:1;	/* pid is a bgprocess's start
						   command, not its daemon */
	unsigned		 has_exit_status:1;
	unsigned		 has_console:1;
	unsigned		 waiting_console:1;
	unsigned		 queued:1;	/* on set->queue */
	unsigned		 instance_depth:6; /* template nesting, in a
						   load: LOAD_INSTANCE_MAX */
	unsigned		 load_mark:2;	/* loader's scratch: 0, 1, 2 */
	enum service_state	 state:8;
	enum service_type	 type:8;
	enum service_timer	 timer:4;
	enum stop_reason	 stop_reason:4;
	enum stop_reason	 down_reason:4;	/* why the target went down */
	enum exec_stage		 exec_stage:4;

	char			 name[];	/* NUL-terminated */
};
TAILQ_HEAD(service_list, service);
STAILQ_HEAD(service_queue, service);

/* Every loaded service, the name index, and the work queue. */
struct service_set {
	struct service_list	 services;
	struct service		**hash;
	size_t			 hash_size;
	size_t			 count;
	struct service_queue	 queue;
	struct service		*console_owner;
	struct service_queue	 console_queue;	/* waiting for the console */
	int			 draining;
	unsigned		 active;	/* services not STOPPED */
	int			 shutting_down;	/* service_order_shutdown */
	uint64_t		 born;		/* ops->now() when made */
	const struct service_ops *ops;
	size_t			 record;	/* ops' record_size, rounded */

	char			**dirs;		/* service directories */
	size_t			 ndirs;
	struct environ		*env;		/* dinit's environment */
	unsigned		 load_gen;	/* loader's generation */
};

void		 service_set_init(struct service_set *,
		     const struct service_ops *);
void		 service_set_free(struct service_set *);
struct service	*service_find(struct service_set *, const char *);
struct service	*service_new(struct service_set *, const char *);
void		 service_free(struct service *);
void		 service_apply_desc(struct service *, struct service_desc *);
struct dependency *service_add_dep(struct service *, struct service *,
		     enum dependency_type);
void		 service_rm_dep(struct dependency *);
void		 service_hold_dep(struct dependency *);
int		 service_start(struct service *, int);
int		 service_stop(struct service *, int);
int		 service_wake(struct service *);
void		 service_release(struct service *);
void		 service_unpin(struct service *);
int		 service_trigger(struct service *, int);
void		 service_order_shutdown(struct service_set *);
void		 service_cancel_shutdown(struct service_set *);
void		 service_stop_all(struct service_set *);
void		 service_child_started(struct service *, pid_t);
void		 service_child_ready(struct service *, pid_t, int);
void		 service_child_exec_failed(struct service *, pid_t,
		     enum exec_stage, int);
void		 service_child_exited(struct service *, pid_t, int);
void		 service_child_daemon(struct service *, pid_t, pid_t);
void		 service_timer_expired(struct service *);
void		 service_drain(struct service_set *);
enum service_state service_target(const struct service *);
const char	*service_state_name(enum service_state);
const char	*service_type_name(enum service_type);
const char	*service_stage_name(enum exec_stage);
const char	*service_reason_name(enum stop_reason);
int		 service_is_failed(const struct service *);
void		 service_pin_stopped(struct service *);
int		 service_restart(struct service *, int);

/* load.c */

int		 load_set_dirs(struct service_set *, const char *const *,
		     size_t);
struct service	*load_service(struct service_set *, const char *,
		     struct parse_error *);
int		 load_check_cycles(struct service_set *, struct service *,
		     char *, size_t);
void		 load_unload(struct service_set *, struct service *);
int		 load_reload(struct service_set *, struct service *,
		     struct parse_error *);

/* control.c */
struct proto_status;

/*
 * What the control server may ask of the daemon that opened it, so that
 * control.c calls nothing above it.
 */
struct control_ops {
	void	(*shutdown)(int);	/* stop everything: a SHUTDOWN_* type */
	void	(*settle)(void);	/* requests were handled: act on them */
};

int		 control_open(struct event_base *, struct service_set *,
		     const char *, int, const struct control_ops *);
void		 control_close(void);
void		 control_adopt(int, const char *);
void		 control_service_event(struct service *, enum service_event);
void		 control_service_gone(struct service *);
void		 control_fill_status(const struct service *,
		     struct proto_status *, int);

/* client.c */
struct proto_reader;
struct proto_writer;

/* client_recv: the first request was not made (client_speaks). */
#define CLIENT_RETRY	0xffff

extern int	 client_fd;
extern uint16_t	 client_version;
void		 client_begin(struct proto_writer *, uint16_t);
void		 client_send(struct proto_writer *);
uint16_t	 client_recv(struct proto_reader *);
uint16_t	 client_reply(struct proto_reader *);
uint16_t	 client_error(struct proto_reader *, char *, size_t);
char		*client_socket_path(const char *, int, int);
void		 client_connect(char *, int);
void		 client_adopt(int);
int		 client_speaks(uint16_t);
int		 client_last(void);
void		 client_again(void);
void		 client_greet(void);

/* shutdown.c */

/*
 * What the daemon shell lends the shutdown: its loop and services, its
 * options, and the few things only it can do.
 */
struct shutdown_shell {
	struct event_base	 *base;
	struct service_set	 *set;
	int			  system_mgr;
	int			  auto_recovery;	/* -r */
	const char *const	 *boot;		/* what the prompt's "s" starts */
	size_t			  nboot;
	int			(*start)(const char *);	/* load, start by name */
	void			(*restore_fds)(void);	/* before reboot(2) */
};

int		 shutdown_init(const struct shutdown_shell *);
void		 shutdown_free(void);
void		 shutdown_settle(void);
void		 shutdown_request(int);
void		 shutdown_single_user(void);
void		 shutdown_immediate(void);
int		 shutdown_cad_forces(void);
int		 shutdown_under_way(void);
void NORETURN	 shutdown_now(int);

/* spawn.c */

#define SPAWN_EXIT_SETUP	126	/* a stage before exec failed */
#define SPAWN_EXIT_NOEXEC	127	/* the exec failed */
#define SPAWN_MAX_GROUPS	64	/* supplementary groups of run-as */
#define SPAWN_MAX_PASS		4	/* descriptors passed at fixed numbers */
#define SPAWN_MAX_PID_ENV	4096	/* variables, with pid_env */

/* What a child's standard descriptors are. */
enum spawn_stdio {
	SPAWN_STDIO_NULL,	/* in: in_fd or /dev/null; out: out_fd
				   (a pipe, the log file) or /dev/null */
	SPAWN_STDIO_INHERIT,	/* dinit's own */
	SPAWN_STDIO_TERMINAL	/* its own description of terminal[] (dinit's
				   own when that is "") */
};

/* The rlimit-* settings a child can be given. */
enum spawn_limit {
	SPAWN_LIMIT_NOFILE,
	SPAWN_LIMIT_CORE,
	SPAWN_LIMIT_DATA,
	SPAWN_LIMIT_AS,
	SPAWN_NLIMITS
};

/* A descriptor the child gets at a fixed number (to -1: at fd's own). */
struct spawn_fd {
	int	fd;
	int	to;
};

/*
 * Everything a child is to be, prepared by the parent before the fork
 * (spawn_plan_init, then the fields and the spawn_plan_* helpers).
 */
struct spawn_plan {
	char *const		*argv;
	char *const		*envp;
	const char		*dir;		/* chdir there, or NULL */

	enum spawn_stdio	 stdio;
	int			 new_session;	/* setsid */
	const char		*cgroup;	/* join this cgroup, or NULL */
	int			 reaper;	/* reap our own descendants */
	int			 in_fd;		/* SPAWN_STDIO_NULL: or -1 */
	int			 out_fd;	/* SPAWN_STDIO_NULL: or -1 */
	struct spawn_fd		 pass[SPAWN_MAX_PASS];	/* spawn_plan_pass */
	int			 npass;

	struct rlimit_setting	 limits[SPAWN_NLIMITS];
	int			 has_nice;
	int			 nice;
	int			 has_ioprio;	/* spawn_plan_privs */
	int			 ioprio_class;
	int			 ioprio_level;
	int			 has_oom_score_adj;
	int			 oom_score_adj;
	int			 has_caps;	/* capabilities, securebits */
	struct osdep_caps	 caps;
	int			 no_new_privs;
	int			 set_ids;	/* spawn_plan_ids */
	uid_t			 uid;
	gid_t			 gid;
	int			 ngroups;
	sigset_t		 mask;		/* signal mask at exec */
	int			 pid_env;	/* envp[pid_env] ("NAME=") gets
						   the child's pid, or -1 */
	size_t			 nenv;		/* ... with this many in envp */
	int			 own_fds;	/* from here up, ours alone (or 0) */

	/*
	 * The buffers, last: spawn_plan_init clears what comes before them
	 * only (clearing their 8 KiB cost a launch more than the rest of
	 * its preparation), and each is read only as far as it was filled.
	 */
	char			 path[PATH_MAX];	/* spawn_plan_path */
	char			 terminal[PATH_MAX];	/* spawn_plan_terminal */
	gid_t			 groups[SPAWN_MAX_GROUPS];	/* ngroups */
};

/*
 * How a launch went.  While status_fd is not -1 the outcome is still to
 * be read (spawn_report_read); then stage is -1 when the exec succeeded,
 * else the enum exec_stage that failed, with its errno in error.
 */
struct spawn_report {
	int	status_fd;
	int	stage;
	int	error;
};

void		 spawn_plan_init(struct spawn_plan *);
int		 spawn_plan_pass(struct spawn_plan *, int, int);
void		 spawn_plan_path(struct spawn_plan *);
void		 spawn_plan_terminal(struct spawn_plan *);
int		 spawn_plan_ids(struct spawn_plan *, const char *);
int		 spawn_plan_privs(struct spawn_plan *,
		    const struct service_desc *);
int		 spawn_env_term(const struct spawn_plan *, struct environ *);
void		 spawn_utmpx(const struct service *, pid_t);
int		 spawn_pipe(int [2]);
pid_t		 spawn_child(const struct spawn_plan *, struct spawn_report *);
int		 spawn_report_read(struct spawn_report *);
void		 spawn_report_close(struct spawn_report *);

/* proc.c */

int		 proc_init(struct event_base *, void (*)(void));
size_t		 proc_record_size(void);
void		 proc_reap(void);
void		 proc_reap_named(const pid_t *, int);
int		 proc_attach(struct service *);
void		 proc_detach(struct service *);
int		 proc_launch(struct service *, enum launch_kind, pid_t *);
int		 proc_kill(struct service *, pid_t, int, int);
enum proc_tree {
	PROC_TREE_GROUP,	/* the process group only */
	PROC_TREE_CGROUP,	/* run-in-cgroup */
	PROC_TREE_REAPER	/* the first process reaps its tree */
};
enum proc_tree	 proc_tree(const struct service *);
void		 proc_kill_all(struct service *, int);
void		 proc_free(void);
int		 proc_timer_set(struct service *, unsigned long);
void		 proc_timer_clear(struct service *);
uint64_t	 proc_now(void);
void		 proc_stopped(struct service *);
const char	*proc_status_text(const struct service *);

/* notify.c */
struct notify_socket;

void		 notify_init(struct event_base *, const char *);
struct notify_socket *notify_new(void);
void		 notify_free(struct notify_socket *);
int		 notify_open(struct notify_socket *, struct service *, uid_t,
		     void (*)(struct service *));
void		 notify_close(struct notify_socket *);
void		 notify_poll(struct notify_socket *);
const char	*notify_path(const struct notify_socket *);
int		 notify_ready(const struct notify_socket *);
pid_t		 notify_pid(const struct notify_socket *);
const char	*notify_status_text(const struct notify_socket *);

/* bgproc.c */

pid_t		 bgproc_daemon(const struct service *, pid_t, pid_t, char *,
		     size_t);

/* sockact.c */

#define SOCKACT_FD	3	/* where a service finds its socket */

int		 sockact_open(const struct service *, int *);
void		 sockact_close(const struct service *, int *);

/* output.c */
struct proto_writer;

void		 output_init(struct event_base *);
int		 output_plan(struct service *, enum launch_kind,
		     struct spawn_plan *);
void		 output_detach(struct service *);
void		 output_log_reply(struct service *, struct proto_writer *, int,
		     size_t);
void		 output_log_clear(struct service *);

#endif /* DINIT_H */
