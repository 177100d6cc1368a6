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
 * The loader: finds services by name in the service directories, parses
 * them, links their dependencies (loading what they name, on demand, with
 * a work list rather than recursion) and refuses dependency cycles.
 *
 * A load is a transaction.  If any description in it is bad, or a cycle
 * appears, every record and edge it made is taken away again, so loading
 * a bad description leaves the services already loaded (and running)
 * exactly as they were.
 */

#include "dinit.h"

#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOAD_TRIM_AFTER	64	/* descriptions read before a trim */

/* What one load has made, to keep or to take away again. */
struct load_txn {
	struct service		**created;	/* new records */
	size_t			  ncreated;
	struct service		**filled;	/* placeholders now loaded */
	size_t			  nfilled;
	struct dependency	**edges;	/* new edges */
	size_t			  nedges;
	struct service		**pending;	/* still to parse */
	size_t			  npending;
	unsigned		  gen;		/* marks what this load wants */
	size_t			  cap_created, cap_filled, cap_edges,
				  cap_pending;
};

/* Append p to a growing array. */
static int
load_push(void ***array, size_t *n, size_t *cap, void *p)
{
	void	**grown;
	size_t	  newcap;

	if (*n == *cap) {
		newcap = *cap == 0 ? 16 : *cap * 2;
		if ((grown = mem_array(*array, newcap, sizeof(void *))) == NULL)
			return (-1);
		*array = grown;
		*cap = newcap;
	}
	(*array)[(*n)++] = p;
	return (0);
}

#define LOAD_INSTANCE_MAX	32	/* instances of a template, nested */
/* A service's instance_depth has six bits. */
typedef char load_instance_max_fits[LOAD_INSTANCE_MAX < 64 ? 1 : -1];
#define LOAD_STR1(x)	#x
#define LOAD_STR(x)	LOAD_STR1(x)

#define LOAD_PUSH(txn, what, p)						\
	load_push((void ***)&(txn)->what, &(txn)->n##what,		\
	    &(txn)->cap_##what, (p))

/* Fill an error that has no file line of its own. */
static void
load_error(struct parse_error *err, const char *file, int line,
    const char *fmt, ...)
{
	va_list	ap;

	(void)strlcpy(err->file, file != NULL ? file : "", sizeof(err->file));
	err->line = line;
	va_start(ap, fmt);
	(void)vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

/* Copy a name for a message, its control characters shown as '?'. */
static const char *
load_shown(const char *name, char *buf, size_t len)
{
	size_t	i;

	for (i = 0; i + 1 < len && name[i] != '\0'; i++) {
		buf[i] = ((unsigned char)name[i] < 0x20 ||
		    (unsigned char)name[i] == 0x7f) ? '?' : name[i];
	}
	buf[i] = '\0';
	return (buf);
}

/*
 * Check the name of a service to load, named by another (by, or NULL for
 * a request): valid, and no deeper than LOAD_INSTANCE_MAX instances of
 * by's template.  Sets *depth for the new record.  Returns 0, or -1 with
 * err filled.
 */
static int
load_check_name(const char *name, const struct service *by,
    const char *file, int line, unsigned *depth, struct parse_error *err)
{
	char		 shown[SERVICE_NAME_MAX + 8], byb[NAME_MAX + 1];
	char		 nb[NAME_MAX + 1];
	const char	*narg, *barg, *why;

	*depth = 0;
	if (parse_service_name(name, nb, sizeof(nb), &narg) != 0) {
		why = errno == ENAMETOOLONG ? "service name too long" :
		    "invalid service name";
		(void)load_shown(name, shown, sizeof(shown));
		if (by == NULL)
			load_error(err, NULL, 0, "%s '%s'", why, shown);
		else
			load_error(err, file, line, "%s '%s', named by '%s'",
			    why, shown, by->name);
		return (-1);
	}
	if (by == NULL || narg == NULL ||
	    parse_service_name(by->name, byb, sizeof(byb), &barg) != 0 ||
	    barg == NULL || strcmp(nb, byb) != 0)
		return (0);
	*depth = by->instance_depth + 1;
	if (*depth > LOAD_INSTANCE_MAX) {
		load_error(err, file, line, "template instances nested "
		    "deeper than " LOAD_STR(LOAD_INSTANCE_MAX) ": '%s', named "
		    "by '%s'", name, by->name);
		return (-1);
	}
	return (0);
}

/* Set the directories services are looked up in, in order. */
int
load_set_dirs(struct service_set *set, const char *const *dirs, size_t n)
{
	char	**copy;
	size_t	  i;

	if ((copy = mem_array(NULL, n, sizeof(*copy))) == NULL)
		return (-1);
	for (i = 0; i < n; i++) {
		if ((copy[i] = mem_strdup(dirs[i])) == NULL) {
			while (i > 0)
				free(copy[--i]);
			free(copy);
			return (-1);
		}
	}
	for (i = 0; i < set->ndirs; i++)
		free(set->dirs[i]);
	free(set->dirs);
	set->dirs = copy;
	set->ndirs = n;
	return (0);
}

/*
 * Find the description file of a service: the first directory holding a
 * file named after the service (without its @argument).  Returns 0 with
 * path filled and *dir its directory's index, or -1 with err filled.
 */
static int
load_find_file(struct service_set *set, const char *name, char *path,
    size_t len, size_t *dir, struct parse_error *err)
{
	char		 base[NAME_MAX + 1];
	const char	*arg;
	struct stat	 sb;
	size_t		 i;

	if (parse_service_name(name, base, sizeof(base), &arg) != 0) {
		load_error(err, name, 0, "invalid service name '%s'", name);
		return (-1);
	}
	for (i = 0; i < set->ndirs; i++) {
		if ((size_t)snprintf(path, len, "%s/%s", set->dirs[i], base) >=
		    len)
			continue;
		if (stat(path, &sb) == 0) {
			*dir = i;
			return (0);
		}
		if (errno != ENOENT && errno != ENOTDIR) {
			load_error(err, path, 0, "cannot read: %s",
			    strerror(errno));
			return (-1);
		}
	}
	load_error(err, name, 0, "service description not found");
	return (-1);
}

/* Find a service record or make a placeholder for it in this load. */
static struct service *
load_record(struct service_set *set, struct load_txn *txn, const char *name,
    struct parse_error *err, const char *file, int line)
{
	struct service	*s;

	if ((s = service_find(set, name)) != NULL)
		return (s);
	if ((s = service_new(set, name)) == NULL ||
	    LOAD_PUSH(txn, created, s) != 0) {
		if (s != NULL)
			service_free(s);
		load_error(err, file, line, "cannot make service '%s': %s",
		    name, strerror(errno));
		return (NULL);
	}
	return (s);
}

/* Begin a load: nothing made yet, and a mark of its own. */
static void
load_txn_init(struct service_set *set, struct load_txn *txn)
{
	memset(txn, 0, sizeof(*txn));
	txn->gen = ++set->load_gen;
}

/*
 * Queue a placeholder to be parsed in this load, once.  A mark on the
 * record says it is queued already: searching the queue instead made a
 * load of N services cost O(N^2).
 */
static int
load_want(struct load_txn *txn, struct service *s, struct parse_error *err)
{
	if (s->type != SERVICE_PLACEHOLDER || s->want_gen == txn->gen)
		return (0);
	if (LOAD_PUSH(txn, pending, s) != 0) {
		load_error(err, s->name, 0, "out of memory");
		return (-1);
	}
	s->want_gen = txn->gen;
	return (0);
}

/*
 * Link a service to what its description names, loading (on demand, later
 * in the same load) what it needs.  An entry of a *.d directory naming no
 * service is skipped with a warning; anything else wrong is an error.
 */
static int
load_link(struct service_set *set, struct load_txn *txn, struct service *s,
    const struct service_desc *desc, struct parse_error *err)
{
	char			 path[PATH_MAX];
	struct parse_error	 missing;
	struct service		*to;
	struct dependency	*d;
	const struct dep_name	*dn;
	size_t			 i, dir = 0;
	unsigned		 depth;
	int			 found;

	for (i = 0; i < desc->ndeps; i++) {
		dn = &desc->deps[i];
		if (strcmp(dn->name, s->name) == 0 &&
		    dn->type != DEP_AFTER && dn->type != DEP_BEFORE) {
			load_error(err, dn->file, dn->line,
			    "service '%s' depends on itself", s->name);
			return (-1);
		}
		found = 0;
		if (dn->from_dir && service_find(set, dn->name) == NULL) {
			if (load_find_file(set, dn->name, path, sizeof(path),
			    &dir, &missing) != 0) {
				log_warnx("%s:%d: no service '%s' for this "
				    "directory entry; skipped", dn->file,
				    dn->line, dn->name);
				continue;
			}
			found = 1;
		}
		if (load_check_name(dn->name, s, dn->file, dn->line, &depth,
		    err) != 0)
			return (-1);
		to = load_record(set, txn, dn->name, err, dn->file, dn->line);
		if (to == NULL)
			return (-1);
		if (found) {
			/* load_fill need not look for its file again. */
			to->load_gen = txn->gen;
			to->load_mark = (int)dir + 1;
		}
		if (to->type == SERVICE_PLACEHOLDER && depth > to->instance_depth)
			to->instance_depth = depth;
		if (dn->type != DEP_AFTER && dn->type != DEP_BEFORE &&
		    load_want(txn, to, err) != 0)
			return (-1);
		if ((d = service_add_dep(s, to, dn->type)) == NULL ||
		    LOAD_PUSH(txn, edges, d) != 0) {
			if (d != NULL)
				service_rm_dep(d);
			load_error(err, dn->file, dn->line, "out of memory");
			return (-1);
		}
	}
	return (0);
}

/* Parse one placeholder's description and link what it names. */
static int
load_fill(struct service_set *set, struct load_txn *txn, struct service *s,
    struct parse_error *err)
{
	char			 path[PATH_MAX], base[NAME_MAX + 1];
	struct service_desc	*desc;
	const char		*arg;
	size_t			 dir;

	/*
	 * A service named by a *.d entry had its file found by load_link
	 * (which skips entries naming none), in the directory its marks
	 * of this load say.
	 */
	if (s->load_gen == txn->gen && s->load_mark > 0 &&
	    parse_service_name(s->name, base, sizeof(base), &arg) == 0)
		(void)snprintf(path, sizeof(path), "%s/%s",
		    set->dirs[s->load_mark - 1], base);
	else if (load_find_file(set, s->name, path, sizeof(path), &dir,
	    err) != 0)
		return (-1);
	if ((desc = parse_service(s->name, path, set->env, err)) == NULL)
		return (-1);
	if (LOAD_PUSH(txn, filled, s) != 0) {
		parse_desc_free(desc);
		load_error(err, path, 0, "out of memory");
		return (-1);
	}
	service_apply_desc(s, desc);
	return (load_link(set, txn, s, desc, err));
}

/* Name of an edge's kind, as the description spells it. */
static const char *
load_dep_name(enum dependency_type type)
{
	switch (type) {
	case DEP_REGULAR:
		return ("depends-on");
	case DEP_MILESTONE:
		return ("depends-ms");
	case DEP_WAITS_FOR:
		return ("waits-for");
	case DEP_PREPARED_BY:
		return ("prepared-by");
	default:
		return ("after");
	}
}

/* One entry of the depth-first search stack. */
struct load_frame {
	struct service		*s;
	struct dependency	*via;	/* the edge that led here */
	struct dependency	*next;	/* s's edge to follow next */
};

/* Describe the cycle closed by edge back, from frame k to the top. */
static void
load_cycle_path(struct load_frame *stack, size_t k, size_t top,
    struct dependency *back, char *buf, size_t len)
{
	char			 step[256];
	struct dependency	*via;
	size_t			 i;

	(void)strlcpy(buf, "dependency cycle: ", len);
	for (i = k; i <= top; i++) {
		via = i < top ? stack[i + 1].via : back;
		(void)snprintf(step, sizeof(step), "%s -(%s)-> ",
		    stack[i].s->name, load_dep_name(via->type));
		(void)strlcat(buf, step, len);
	}
	(void)strlcat(buf, stack[k].s->name, len);
}

/*
 * Look for a dependency cycle (ordering edges included) reachable from
 * root, without recursion, in the current marking generation: services
 * already cleared in it are not searched again.  Returns 0, or -1 with
 * the cycle's path in buf.
 */
static int
load_cycles_from(struct service_set *set, struct service *root, char *buf,
    size_t len)
{
	struct load_frame	*stack = NULL, *grown;
	struct dependency	*d;
	struct service		*s, *to;
	size_t			 sp = 0, cap = 0, k;
	unsigned		 gen;
	int			 rc = 0;

	if (root->load_gen == set->load_gen && root->load_mark == 2)
		return (0);
	gen = set->load_gen;
	root->load_gen = gen;
	root->load_mark = 1;
	if ((stack = mem_array(NULL, 16, sizeof(*stack))) == NULL) {
		(void)strlcpy(buf, "out of memory", len);
		return (-1);
	}
	cap = 16;
	stack[sp].s = root;
	stack[sp].via = NULL;
	stack[sp++].next = TAILQ_FIRST(&root->depends);
	while (sp > 0) {
		s = stack[sp - 1].s;
		if ((d = stack[sp - 1].next) == NULL) {
			s->load_mark = 2;
			sp--;
			continue;
		}
		stack[sp - 1].next = TAILQ_NEXT(d, from_entry);
		to = d->to;
		if (to->load_gen == gen && to->load_mark == 2)
			continue;
		if (to->load_gen == gen && to->load_mark == 1) {
			for (k = 0; k < sp && stack[k].s != to; k++)
				;
			load_cycle_path(stack, k, sp - 1, d, buf, len);
			rc = -1;
			break;
		}
		if (sp == cap) {
			if ((grown = mem_array(stack, cap * 2,
			    sizeof(*stack))) == NULL) {
				(void)strlcpy(buf, "out of memory", len);
				rc = -1;
				break;
			}
			stack = grown;
			cap *= 2;
		}
		to->load_gen = gen;
		to->load_mark = 1;
		stack[sp].s = to;
		stack[sp].via = d;
		stack[sp++].next = TAILQ_FIRST(&to->depends);
	}
	free(stack);
	return (rc);
}

/*
 * Look for a dependency cycle reachable from root, in a fresh search.
 * Returns 0, or -1 with the cycle's path in buf.
 */
int
load_check_cycles(struct service_set *set, struct service *root, char *buf,
    size_t len)
{
	set->load_gen++;
	return (load_cycles_from(set, root, buf, len));
}

/* Take away everything a failed load made. */
static void
load_rollback(struct load_txn *txn)
{
	struct service	*s;
	size_t		 i;

	while (txn->nedges > 0)
		service_rm_dep(txn->edges[--txn->nedges]);
	for (i = 0; i < txn->nfilled; i++) {
		s = txn->filled[i];
		parse_desc_free(s->desc);
		service_apply_desc(s, NULL);
	}
	while (txn->ncreated > 0)
		service_free(txn->created[--txn->ncreated]);
}

/* Free the bookkeeping of a load. */
static void
load_txn_free(struct load_txn *txn)
{
	free(txn->created);
	free(txn->filled);
	free(txn->edges);
	free(txn->pending);
}

/* Report a cycle found from desc's service, at its file. */
static NOINLINE void
load_cycle_error(struct parse_error *err, const struct service_desc *desc,
    const char *cycle)
{
	char	file[sizeof(err->file)];

	(void)parse_desc_file(desc, file, sizeof(file));
	load_error(err, file, 0, "%s", cycle);
}

/*
 * Load everything a load has queued, then look for cycles through what it
 * made (extra: one more service whose edges changed, or NULL).  On
 * failure everything the load made is taken away again.
 */
static int
load_complete(struct service_set *set, struct load_txn *txn,
    struct service *extra, struct parse_error *err)
{
	struct service	*s;
	char		 cycle[1024];
	size_t		 i;
	int		 many;

	for (i = 0; i < txn->npending; i++) {
		s = txn->pending[i];
		if (s->type == SERVICE_PLACEHOLDER &&
		    load_fill(set, txn, s, err) != 0)
			goto fail;
	}
	set->load_gen++;
	for (i = 0; i <= txn->nfilled; i++) {
		s = i < txn->nfilled ? txn->filled[i] : extra;
		if (s != NULL &&
		    load_cycles_from(set, s, cycle, sizeof(cycle)) != 0) {
			load_cycle_error(err, s->desc, cycle);
			goto fail;
		}
	}
	for (i = 0; i < txn->nfilled; i++)
		parse_desc_drop_deps(txn->filled[i]->desc);
	/*
	 * Reading many descriptions left free memory between the records
	 * it made (file buffers, directory listings, dependency names):
	 * give its whole pages back.  Only after many, so the cost stays
	 * proportional to what was loaded.
	 */
	many = txn->nfilled >= LOAD_TRIM_AFTER;
	load_txn_free(txn);
	if (many)
		mem_trim();
	return (0);

fail:
	load_rollback(txn);
	load_txn_free(txn);
	return (-1);
}

/*
 * Load a service and everything it needs (not what it is only ordered
 * against).  Returns the service, already loaded or newly, or NULL with
 * err filled; on failure nothing loaded before is changed.
 */
struct service *
load_service(struct service_set *set, const char *name,
    struct parse_error *err)
{
	struct load_txn	 txn;
	struct service	*root;
	unsigned	 depth;

	memset(err, 0, sizeof(*err));
	if (load_check_name(name, NULL, NULL, 0, &depth, err) != 0)
		return (NULL);
	if ((root = service_find(set, name)) != NULL &&
	    root->type != SERVICE_PLACEHOLDER)
		return (root);
	load_txn_init(set, &txn);
	if ((root = load_record(set, &txn, name, err, name, 0)) == NULL ||
	    load_want(&txn, root, err) != 0) {
		load_rollback(&txn);
		load_txn_free(&txn);
		return (NULL);
	}
	if (load_complete(set, &txn, NULL, err) != 0)
		return (NULL);
	return (root);
}

/*
 * Whether a service's own description made an edge.  A "before = x" edge
 * is owned by x (it orders x after us) but declared by us.
 */
static int
load_declares(const struct service *s, const struct dependency *d)
{
	return (d->before ? d->to == s : d->from == s);
}

/*
 * Take away every edge a service's description made; returns whether
 * edges other services declared are still attached to it.
 */
static int
load_drop_declared(struct service *s)
{
	struct dependency	*d, *next;
	int			 others = 0;

	TAILQ_FOREACH_SAFE(d, &s->depends, from_entry, next) {
		if (load_declares(s, d))
			service_rm_dep(d);
		else
			others = 1;
	}
	TAILQ_FOREACH_SAFE(d, &s->dependents, to_entry, next) {
		if (load_declares(s, d))
			service_rm_dep(d);
		else
			others = 1;
	}
	return (others);
}

/*
 * Forget a stopped service: it goes, or becomes a placeholder again while
 * other services' descriptions still name it (an "after = s" of theirs,
 * or a "before = s", which must order s again when it is loaded again).
 */
void
load_unload(struct service_set *set, struct service *s)
{
	if (!load_drop_declared(s))
		service_free(s);
	else {
		parse_desc_free(s->desc);
		service_apply_desc(s, NULL);
	}
	service_drain(set);
}

/*
 * Link back the edges a reload set aside, and free the array; with
 * remove, take each away again through the engine.
 */
static void
load_relink(struct dependency **old, size_t nold, int remove)
{
	struct dependency	*d;
	size_t			 i;

	for (i = 0; i < nold; i++) {
		d = old[i];
		TAILQ_INSERT_TAIL(&d->from->depends, d, from_entry);
		TAILQ_INSERT_TAIL(&d->to->dependents, d, to_entry);
		if (remove)
			service_rm_dep(d);
	}
	free(old);
}

/* Unlink an edge for a reload to set aside (still counted as holding). */
static void
load_set_aside(struct dependency *d)
{
	d->from->ready_cursor = NULL;
	TAILQ_REMOVE(&d->from->depends, d, from_entry);
	TAILQ_REMOVE(&d->to->dependents, d, to_entry);
}

/*
 * Read a loaded service's description again and apply it.  A running
 * service may not change type, and any new hard dependency must already
 * run.  On failure (err filled; line -1 for a change refused by state)
 * the service is exactly as it was.
 */
int
load_reload(struct service_set *set, struct service *s,
    struct parse_error *err)
{
	char			  path[PATH_MAX];
	struct service_desc	 *desc;
	struct dependency	**old = NULL, *d, *next;
	struct load_txn		  txn;
	size_t			  nold = 0, i, dir;
	int			  running = s->state != SERVICE_STOPPED;

	memset(err, 0, sizeof(*err));
	if (load_find_file(set, s->name, path, sizeof(path), &dir, err) != 0)
		return (-1);
	if ((desc = parse_service(s->name, path, set->env, err)) == NULL)
		return (-1);
	if (running && desc->type != s->type) {
		load_error(err, path, -1, "cannot change the type of a "
		    "service that is not stopped");
		parse_desc_free(desc);
		return (-1);
	}
	TAILQ_FOREACH(d, &s->depends, from_entry)
		nold += load_declares(s, d);
	TAILQ_FOREACH(d, &s->dependents, to_entry)
		nold += load_declares(s, d);
	if (nold > 0 && (old = mem_array(NULL, nold, sizeof(*old))) == NULL) {
		load_error(err, path, 0, "out of memory");
		parse_desc_free(desc);
		return (-1);
	}
	/*
	 * Set the edges the old description made aside, still counted as
	 * holding (and in the engine's counts): they are linked back, to be
	 * kept or removed through the engine, once the new ones are settled.
	 * Edges other descriptions made (their "before = s") stay.
	 */
	s->ready_cursor = NULL;
	i = 0;
	TAILQ_FOREACH_SAFE(d, &s->depends, from_entry, next) {
		if (load_declares(s, d)) {
			load_set_aside(d);
			old[i++] = d;
		}
	}
	TAILQ_FOREACH_SAFE(d, &s->dependents, to_entry, next) {
		if (load_declares(s, d)) {
			load_set_aside(d);
			old[i++] = d;
		}
	}
	load_txn_init(set, &txn);
	if (load_link(set, &txn, s, desc, err) != 0) {
		load_rollback(&txn);
		load_txn_free(&txn);
		goto restore;
	}
	if (load_complete(set, &txn, s, err) != 0)
		goto restore;
	if (running) {
		TAILQ_FOREACH(d, &s->depends, from_entry) {
			if ((d->type == DEP_REGULAR ||
			    d->type == DEP_PREPARED_BY) &&
			    d->to->state != SERVICE_STARTED) {
				load_error(err, path, -1, "new dependency "
				    "'%s' of a running service is not started",
				    d->to->name);
				(void)load_drop_declared(s);
				goto restore;
			}
		}
	}
	load_relink(old, nold, 1);
	parse_desc_drop_deps(desc);
	parse_desc_free(s->desc);
	service_apply_desc(s, desc);
	service_drain(set);
	return (0);

restore:
	load_relink(old, nold, 0);
	parse_desc_free(desc);
	service_drain(set);
	return (-1);
}
