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
 * The private header of dinit-import: the header parsers of the two legacy
 * formats (rcorder.c for FreeBSD rc.d, lsb.c for init.d), the rc.conf
 * reader, the dependency graph (graph.c) and the writer of service
 * descriptions (emit.c).  import.c holds main() and nothing the tests need.
 */

#ifndef IMPORT_H
#define IMPORT_H

#include "dinit.h"

#include <err.h>
#include <stdio.h>

/* Abort on a failed allocation: dinit-import is a utility, not the daemon. */
static inline void *
import_need(void *p)
{
	if (p == NULL)
		err(1, "out of memory");
	return (p);
}

/* strlist.c */

/*
 * Lists of owned strings: the struct strlist of text.c, with helpers that
 * end the program on a failed allocation.
 */
void	 strlist_add(struct strlist *, const char *);
void	 strlist_addn(struct strlist *, const char *, size_t);
int	 strlist_add_unique(struct strlist *, const char *);
int	 strlist_find(const struct strlist *, const char *);
int	 strlist_find_nocase(const struct strlist *, const char *);
void	 strlist_free(struct strlist *);
char	*import_printf(const char *, ...) PRINTFLIKE(1, 2);

/* A growable text buffer, for the files we write. */
struct textbuf {
	char	*s;
	size_t	 len;
	size_t	 cap;
};

void	 textbuf_add(struct textbuf *, const char *);
void	 textbuf_printf(struct textbuf *, const char *, ...)
	    PRINTFLIKE(2, 3);
void	 textbuf_free(struct textbuf *);

/* rcorder.c */

/* What the rcorder(8) header of an rc.d script says. */
struct rcd_header {
	struct strlist	provide;
	struct strlist	require;
	struct strlist	before;
	struct strlist	keyword;
	int		tagged;		/* a tag line was seen */
};

/* The rc.subr conventions service -e reads: ^name= and ^rcvar= lines. */
struct rcd_vars {
	char	*name;
	char	*rcvar;		/* NULL: no rcvar, the script always runs */
	int	 provide_line;	/* a line starts with "# PROVIDE:" */
};

char	*rcorder_readline(FILE *);
void	 rcorder_parse(FILE *, struct rcd_header *);
int	 rcorder_parse_file(const char *, struct rcd_header *,
	    struct rcd_vars *);
void	 rcorder_scan_vars(FILE *, struct rcd_vars *);
void	 rcorder_header_free(struct rcd_header *);
void	 rcorder_vars_free(struct rcd_vars *);
int	 rcorder_scratch_name(const char *);

/* lsb.c */

/* What the LSB comment block of an init.d script says. */
struct lsb_header {
	int		has_header;	/* ### BEGIN INIT INFO seen */
	int		has_end;	/* ### END INIT INFO seen */
	struct strlist	provides;
	struct strlist	required_start;
	struct strlist	required_stop;
	struct strlist	should_start;
	struct strlist	should_stop;
	struct strlist	default_start;
	struct strlist	default_stop;
	struct strlist	start_before;	/* X-Start-Before */
	struct strlist	start_after;	/* X-Start-After */
	struct strlist	stop_after;	/* X-Stop-After */
	char		*short_description;
	char		*description;
	int		interactive;	/* X-Interactive: true */
};

/* One line of insserv.conf: a facility and what stands behind it. */
struct lsb_facility {
	char		*name;		/* with its '$' */
	struct strlist	 members;	/* "name", "+name" or "$facility" */
};

/* insserv.conf with insserv.conf.d. */
struct lsb_conf {
	struct lsb_facility	*fac;
	size_t			 nfac;
	struct strlist		 interactive;	/* <interactive> */
};

void	 lsb_parse(FILE *, struct lsb_header *);
int	 lsb_parse_file(const char *, struct lsb_header *);
void	 lsb_header_free(struct lsb_header *);
int	 lsb_ignored_name(const char *);
void	 lsb_conf_default(struct lsb_conf *);
void	 lsb_conf_line(struct lsb_conf *, const char *);
int	 lsb_conf_read_file(struct lsb_conf *, const char *);
int	 lsb_conf_read(struct lsb_conf *, const char *);
struct lsb_facility *lsb_conf_find(struct lsb_conf *, const char *);
void	 lsb_conf_free(struct lsb_conf *);

/* rcconf.c */

int	 rcconf_read(struct environ *, const char *);
int	 rcconf_line(struct environ *, const char *);
int	 rcconf_checkyesno(const char *);

/* graph.c */

enum node_kind {
	NODE_RCD,		/* a FreeBSD rc.d script */
	NODE_LSB,		/* an init.d script */
	NODE_MILESTONE,		/* an rc.d milestone no script provides */
	NODE_FACILITY,		/* an LSB facility, $all included */
	NODE_STAGE		/* lsb.rcS: the end of the rcS stage */
};

/* Why one node comes after another; strongest first. */
enum edge_kind {
	EDGE_REQUIRE,		/* REQUIRE, Required-Start: order and wait */
	EDGE_BEFORE,		/* BEFORE, X-Start-Before, seen reversed */
	EDGE_MEMBER,		/* a facility waits for what stands behind it */
	EDGE_SHOULD,		/* Should-Start, X-Start-After: order only */
	EDGE_IMPLIED		/* stages, $all, early/late divider */
};

struct graph_node;

/* A provision: a name (or an anonymous edge) and who provides it. */
struct graph_cond {
	char			*name;		/* NULL when anonymous */
	struct graph_node	*before_of;	/* BEFORE: the file before */
	struct graph_node	**prov;		/* providers, newest first */
	size_t			 nprov;
	int			 provided;	/* rcorder's head exists */
	int			 in_progress;
	size_t			 depth;		/* DFS depth of its requirer */
	struct graph_cond	*hash_next;
};

/* One requirement of a node, in rcorder's order. */
struct graph_req {
	struct graph_cond	*cond;
	enum edge_kind		 kind;
};

/* An edge kept once the order is known: it agrees with the order. */
struct graph_edge {
	struct graph_node	*to;
	enum edge_kind		 kind;
};

/* A script, or one of the internal services the graph needs. */
struct graph_node {
	char			*name;		/* service name */
	char			*path;		/* where it was read */
	char			*run_path;	/* where it runs */
	enum node_kind		 kind;
	int			 local;		/* from a later rc.d directory */
	int			 milestone;	/* rc.d milestone: internal */
	int			 executable;
	int			 enabled;	/* rc.conf: 1, 0, -1 unknown */
	char			*rcvar;		/* its enable variable */
	char			*rcvalue;	/* its value in rc.conf */

	/* Decided by graph_classify(). */
	int			 boot;		/* in the boot group */
	int			 startable;	/* boot, or internal */
	int			 shutdown;	/* stopped at shutdown */
	int			 interactive;

	struct rcd_header	 rcd;
	struct lsb_header	 lsb;
	struct strlist		 keywords;
	struct strlist		 members;	/* facility: its conf line */

	struct graph_req	*reqs;
	size_t			 nreqs;
	size_t			 capreqs;
	struct graph_edge	*edges;
	size_t			 nedges;

	/* rcorder's depth-first search. */
	int			 in_progress;
	int			 prov_done;	/* removed from its provisions */
	int			 done;		/* removed from the file list */
	size_t			 order;		/* 1 + position in the order */
	unsigned		 mark;		/* graph_reaches() scratch */
};

/* What the target system is like, for the boot and shutdown sets. */
struct graph_settings {
	int		 jail;		/* a jail: skip nojail */
	int		 vnet;		/* a jail with its own network stack */
	int		 firstboot;	/* the firstboot sentinel exists */
	int		 ignore_mode;	/* every script counts as executable */
	int		 enabled_only;	/* rc.conf-disabled scripts not at boot */
	const char	*runlevel;	/* LSB: the runlevel booted to */
	const char	*divider;	/* rc.d: early_late_divider */
};

struct graph {
	struct graph_node	**nodes;	/* in argv order */
	size_t			  nnodes;
	struct graph_cond	**conds;	/* every provision, to free */
	size_t			  nconds;
	struct graph_cond	**hash;
	size_t			  hash_size;
	struct graph_node	**order;	/* rcorder's output order */
	size_t			  norder;
	struct graph_node	**stack;	/* do_file() chain */
	size_t			  depth;
	struct graph_settings	  settings;
	unsigned		  mark;
	unsigned		  problems;	/* missing providers, cycles */
	unsigned		  warnings;
	struct strlist		  messages;	/* everything reported */
	FILE			 *msgfp;	/* where it goes, or NULL */
	int			  resolved;
};

void		 graph_init(struct graph *, const struct graph_settings *);
void		 graph_free(struct graph *);
struct graph_node *graph_add(struct graph *, enum node_kind, const char *,
		    const char *, const char *, int);
struct graph_node *graph_find(struct graph *, const char *);
struct graph_cond *graph_cond(struct graph *, const char *, int);
void		 graph_report(struct graph *, int, const char *, ...)
		    PRINTFLIKE(3, 4);
void		 graph_classify(struct graph *);
void		 graph_resolve(struct graph *);
void		 graph_order(struct graph *);
void		 graph_edges(struct graph *);
int		 graph_has_keyword(const struct graph_node *, const char *);
int		 graph_print_ok(const struct graph_node *,
		    const struct strlist *, const struct strlist *);
void		 graph_print_order(struct graph *, FILE *,
		    const struct strlist *, const struct strlist *);
void		 graph_print_dot(struct graph *, FILE *);
int		 graph_reaches(struct graph *, struct graph_node *,
		    struct graph_node *);
const char	*graph_kind_name(enum edge_kind);

/* emit.c */

/* How the descriptions are written. */
struct emit_settings {
	const char	*outdir;
	const char	*group;		/* the boot group's name */
	unsigned	 stop_timeout;	/* seconds */
	unsigned	 start_timeout;	/* seconds, 0: none */
	int		 console;	/* scripts share the console */
	const char	*runlevel;	/* RUNLEVEL in the init.d environment */
};

/* A dependency line of a description: "waits-for" or "after". */
struct emit_dep {
	const char	*setting;
	const char	*name;
};

char	*emit_word(const char *);
char	*emit_sh_word(const char *);
char	*emit_service_name(const char *);
void	 emit_deps(struct graph *, struct graph_node *, struct emit_dep **,
	    size_t *);
char	*emit_node_text(struct graph *, struct graph_node *,
	    const struct emit_settings *);
char	*emit_group_text(struct graph *, const struct emit_settings *);
char	*emit_alias_text(const struct graph_cond *);
char	*emit_env_text(enum node_kind, const struct emit_settings *);
int	 emit_check(const char *, const char *, char *, size_t);
int	 emit_all(struct graph *, const struct emit_settings *);

#endif /* IMPORT_H */
