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
 * The dependency graph of the imported scripts, and the order it gives.
 *
 * The graph is rcorder's: files provide names, require names, and come
 * BEFORE names, which rcorder turns round into a requirement of every
 * provider of the name on a "fake provision" of the file.  Several
 * providers of a name form a barrier: a requirement waits for all.  LSB
 * scripts go into the same graph (Required-Start as a requirement,
 * Should-Start only when something provides the name, X-Start-Before as
 * BEFORE), with each facility a node providing "$name" and requiring what
 * insserv.conf puts behind it.
 *
 * graph_order() is a port of rcorder's depth-first search (the FreeBSD 12
 * and NetBSD version): files are taken last argument first, requirements
 * newest first, providers newest first; a requirement on a provision that
 * is being satisfied further up, or on a file that is in progress, is a
 * cycle, reported and skipped.  The order that comes out is rcorder's
 * output, and the edges kept afterwards (graph_edges) are exactly those
 * that agree with it, so the cycles are broken where rcorder breaks them
 * and what is written has none.
 */

#include "import.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define GRAPH_HASH_SIZE	1024

/* Prepare an empty graph. */
void
graph_init(struct graph *g, const struct graph_settings *settings)
{
	memset(g, 0, sizeof(*g));
	if (settings != NULL)
		g->settings = *settings;
	if (g->settings.runlevel == NULL)
		g->settings.runlevel = "2";
	if (g->settings.divider == NULL)
		g->settings.divider = "FILESYSTEMS";
	g->hash_size = GRAPH_HASH_SIZE;
	g->hash = import_need(mem_zalloc(g->hash_size * sizeof(*g->hash)));
	g->msgfp = stderr;
}

/* Free a node and what it holds. */
static void
graph_node_free(struct graph_node *n)
{
	free(n->name);
	free(n->path);
	free(n->run_path);
	free(n->rcvar);
	free(n->rcvalue);
	rcorder_header_free(&n->rcd);
	lsb_header_free(&n->lsb);
	strlist_free(&n->keywords);
	strlist_free(&n->members);
	free(n->reqs);
	free(n->edges);
	free(n);
}

/* Free everything in the graph. */
void
graph_free(struct graph *g)
{
	size_t	i;

	for (i = 0; i < g->nnodes; i++)
		graph_node_free(g->nodes[i]);
	for (i = 0; i < g->nconds; i++) {
		free(g->conds[i]->name);
		free(g->conds[i]->prov);
		free(g->conds[i]);
	}
	free(g->nodes);
	free(g->conds);
	free(g->hash);
	free(g->order);
	free(g->stack);
	strlist_free(&g->messages);
	memset(g, 0, sizeof(*g));
}

/*
 * Report something: a problem (a missing provider, a cycle: the exit
 * status will say so) or a warning.  Kept in g->messages and printed.
 */
void
graph_report(struct graph *g, int problem, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		err(1, "out of memory");
	va_end(ap);
	if (problem)
		g->problems++;
	else
		g->warnings++;
	if (g->msgfp != NULL)
		fprintf(g->msgfp, "dinit-import: %s%s\n",
		    problem ? "" : "warning: ", msg);
	strlist_add(&g->messages, msg);
	free(msg);
}

/*
 * Add a node: at the end of the argument order, or at its front (so that
 * the search takes it last, as the internal nodes should be).
 */
struct graph_node *
graph_add(struct graph *g, enum node_kind kind, const char *name,
    const char *path, const char *run_path, int front)
{
	struct graph_node	*n;

	n = import_need(mem_zalloc(sizeof(*n)));
	n->kind = kind;
	n->name = import_need(mem_strdup(name));
	if (path != NULL)
		n->path = import_need(mem_strdup(path));
	if (run_path != NULL)
		n->run_path = import_need(mem_strdup(run_path));
	n->executable = 1;
	n->enabled = -1;
	g->nodes = import_need(mem_array(g->nodes, g->nnodes + 1,
	    sizeof(*g->nodes)));
	if (front) {
		memmove(g->nodes + 1, g->nodes, g->nnodes * sizeof(*g->nodes));
		g->nodes[0] = n;
	} else
		g->nodes[g->nnodes] = n;
	g->nnodes++;
	return (n);
}

/* The node of this service name, or NULL. */
struct graph_node *
graph_find(struct graph *g, const char *name)
{
	size_t	i;

	for (i = 0; i < g->nnodes; i++) {
		if (strcmp(g->nodes[i]->name, name) == 0)
			return (g->nodes[i]);
	}
	return (NULL);
}

/* A new provision, named or (name NULL) anonymous. */
static struct graph_cond *
graph_cond_new(struct graph *g, const char *name)
{
	struct graph_cond	*c;
	size_t			 slot;

	c = import_need(mem_zalloc(sizeof(*c)));
	g->conds = import_need(mem_array(g->conds, g->nconds + 1,
	    sizeof(*g->conds)));
	g->conds[g->nconds++] = c;
	if (name != NULL) {
		c->name = import_need(mem_strdup(name));
		slot = text_hash(name) & (g->hash_size - 1);
		c->hash_next = g->hash[slot];
		g->hash[slot] = c;
	}
	return (c);
}

/* The provision of this name; made (unprovided) when create is set. */
struct graph_cond *
graph_cond(struct graph *g, const char *name, int create)
{
	struct graph_cond	*c;

	c = g->hash[text_hash(name) & (g->hash_size - 1)];
	for (; c != NULL; c = c->hash_next) {
		if (strcmp(c->name, name) == 0)
			return (c);
	}
	return (create ? graph_cond_new(g, name) : NULL);
}

/* Make n a provider of c, at the head of the list as rcorder does. */
static void
graph_provide(struct graph_cond *c, struct graph_node *n)
{
	size_t	i;

	for (i = 0; i < c->nprov; i++) {
		if (c->prov[i] == n)
			return;
	}
	c->prov = import_need(mem_array(c->prov, c->nprov + 1,
	    sizeof(*c->prov)));
	memmove(c->prov + 1, c->prov, c->nprov * sizeof(*c->prov));
	c->prov[0] = n;
	c->nprov++;
	c->provided = 1;
}

/* Give n a requirement: at the head of its list (rcorder), or the tail. */
static void
graph_require(struct graph_node *n, struct graph_cond *c,
    enum edge_kind kind, int head)
{
	if (n->nreqs == n->capreqs) {
		n->capreqs = n->capreqs == 0 ? 8 : n->capreqs * 2;
		n->reqs = import_need(mem_array(n->reqs, n->capreqs,
		    sizeof(*n->reqs)));
	}
	if (head) {
		memmove(n->reqs + 1, n->reqs, n->nreqs * sizeof(*n->reqs));
		n->reqs[0].cond = c;
		n->reqs[0].kind = kind;
	} else {
		n->reqs[n->nreqs].cond = c;
		n->reqs[n->nreqs].kind = kind;
	}
	n->nreqs++;
}

/* Make n require the node to directly, through an anonymous provision. */
static void
graph_require_node(struct graph *g, struct graph_node *n,
    struct graph_node *to, enum edge_kind kind)
{
	struct graph_cond	*c = graph_cond_new(g, NULL);

	graph_provide(c, to);
	graph_require(n, c, kind, 0);
}

/* Whether a node carries a keyword. */
int
graph_has_keyword(const struct graph_node *n, const char *kw)
{
	return (strlist_find(&n->keywords, kw) != -1);
}

/* Whether an LSB run-level list names a level (S in either case). */
static int
graph_has_level(const struct strlist *l, const char *level)
{
	return (strlist_find_nocase(l, level) != -1);
}

/* Whether a node is a script (as opposed to an internal service). */
static int
graph_is_script(const struct graph_node *n)
{
	return (n->kind == NODE_RCD || n->kind == NODE_LSB);
}

/*
 * Decide for every node whether the legacy boot would start it, whether
 * the legacy shutdown would stop it, and which keywords it carries (LSB
 * scripts get "nostart", "shutdown" and "interactive" from their header,
 * so that -k and -s mean the same for both kinds).
 */
void
graph_classify(struct graph *g)
{
	const struct graph_settings	*s = &g->settings;
	struct graph_node		*n;
	size_t				 i, k;
	int				 run, jailed_out, starts;

	for (i = 0; i < g->nnodes; i++) {
		n = g->nodes[i];
		strlist_free(&n->keywords);
		run = n->executable || s->ignore_mode;
		switch (n->kind) {
		case NODE_RCD:
			for (k = 0; k < n->rcd.keyword.n; k++)
				strlist_add(&n->keywords, n->rcd.keyword.v[k]);
			jailed_out = s->jail && (graph_has_keyword(n,
			    "nojail") || (!s->vnet && graph_has_keyword(n,
			    "nojailvnet")));
			n->boot = run && !jailed_out &&
			    !graph_has_keyword(n, "nostart") &&
			    !(graph_has_keyword(n, "firstboot") &&
			    !s->firstboot) &&
			    !(s->enabled_only && n->enabled == 0);
			n->shutdown = run && !jailed_out &&
			    graph_has_keyword(n, "shutdown");
			n->startable = n->boot || n->milestone;
			break;
		case NODE_LSB:
			starts = n->lsb.has_header &&
			    (graph_has_level(&n->lsb.default_start, "S") ||
			    graph_has_level(&n->lsb.default_start,
			    s->runlevel));
			n->shutdown = run && n->lsb.has_header &&
			    (graph_has_level(&n->lsb.default_stop, "0") ||
			    graph_has_level(&n->lsb.default_stop, "6"));
			n->interactive = n->interactive || n->lsb.interactive;
			if (!starts)
				strlist_add(&n->keywords, "nostart");
			if (n->shutdown)
				strlist_add(&n->keywords, "shutdown");
			if (n->interactive)
				strlist_add(&n->keywords, "interactive");
			n->boot = run && starts;
			n->startable = n->boot;
			break;
		default:
			n->boot = 0;
			n->startable = 1;
			break;
		}
	}
}

/* The base name of an LSB script: its file name without ".sh". */
static char *
graph_lsb_base(const struct graph_node *n)
{
	const char	*file = strrchr(n->path, '/');
	size_t		 len;

	file = file != NULL ? file + 1 : n->path;
	len = strlen(file);
	if (len > 3 && strcmp(file + len - 3, ".sh") == 0)
		len -= 3;
	return (import_need(mem_strndup(file, len)));
}

/* A pending BEFORE: file n comes before the providers of name. */
struct graph_before {
	struct graph_node	*node;
	const char		*name;
};

/* Whether a provision has at least one provider now. */
static int
graph_provided(struct graph *g, const char *name)
{
	struct graph_cond	*c = graph_cond(g, name, 0);

	return (c != NULL && c->provided);
}

/* The facility node standing for "$name", or NULL. */
static struct graph_node *
graph_facility(struct graph *g, const char *name)
{
	size_t	i;

	for (i = 0; i < g->nnodes; i++) {
		if (g->nodes[i]->kind == NODE_FACILITY &&
		    strcmp(g->nodes[i]->path, name) == 0)
			return (g->nodes[i]);
	}
	return (NULL);
}

/* The provisions: rcorder's add_provide for every file, in argv order. */
static void
graph_resolve_provides(struct graph *g)
{
	struct graph_node	*n;
	char			*base;
	size_t			 i, k;

	for (i = 0; i < g->nnodes; i++) {
		n = g->nodes[i];
		switch (n->kind) {
		case NODE_RCD:
			for (k = 0; k < n->rcd.provide.n; k++)
				graph_provide(graph_cond(g,
				    n->rcd.provide.v[k], 1), n);
			break;
		case NODE_LSB:
			for (k = 0; k < n->lsb.provides.n; k++) {
				if (n->lsb.provides.v[k][0] != '$')
					graph_provide(graph_cond(g,
					    n->lsb.provides.v[k], 1), n);
			}
			/* insserv also knows a script by its own name. */
			base = graph_lsb_base(n);
			graph_provide(graph_cond(g, base, 1), n);
			free(base);
			break;
		case NODE_MILESTONE:
			graph_provide(graph_cond(g, n->name, 1), n);
			break;
		case NODE_FACILITY:
			graph_provide(graph_cond(g, n->path, 1), n);
			break;
		case NODE_STAGE:
			break;
		}
	}
}

/* Requirements of an LSB script, and its X-Start-Before entries. */
static void
graph_resolve_lsb(struct graph *g, struct graph_node *n,
    struct graph_before **bl, size_t *nbl)
{
	struct graph_node	*fac;
	const struct strlist	*soft[2];
	size_t			 k, j;

	for (k = 0; k < n->lsb.required_start.n; k++)
		graph_require(n, graph_cond(g, n->lsb.required_start.v[k], 1),
		    EDGE_REQUIRE, 1);
	soft[0] = &n->lsb.should_start;
	soft[1] = &n->lsb.start_after;
	for (j = 0; j < 2; j++) {
		for (k = 0; k < soft[j]->n; k++) {
			if (graph_provided(g, soft[j]->v[k]))
				graph_require(n, graph_cond(g, soft[j]->v[k],
				    0), EDGE_SHOULD, 1);
		}
	}
	for (k = 0; k < n->lsb.start_before.n; k++) {
		*bl = import_need(mem_array(*bl, *nbl + 1, sizeof(**bl)));
		memmove(*bl + 1, *bl, *nbl * sizeof(**bl));
		(*bl)[0].node = n;
		(*bl)[0].name = n->lsb.start_before.v[k];
		(*nbl)++;
	}
	/* A script providing "$x" stands behind the facility $x. */
	for (k = 0; k < n->lsb.provides.n; k++) {
		if (n->lsb.provides.v[k][0] == '$' &&
		    (fac = graph_facility(g, n->lsb.provides.v[k])) != NULL)
			graph_require_node(g, fac, n, EDGE_MEMBER);
	}
}

/* What stands behind a facility, as its insserv.conf line says. */
static void
graph_resolve_facility(struct graph *g, struct graph_node *n)
{
	const char	*m;
	size_t		 k;

	for (k = 0; k < n->members.n; k++) {
		m = n->members.v[k];
		if (m[0] == '+') {
			/* Optional: only when something provides it. */
			if (graph_provided(g, m + 1))
				graph_require(n, graph_cond(g, m + 1, 0),
				    EDGE_MEMBER, 0);
		} else
			graph_require(n, graph_cond(g, m, 1), EDGE_MEMBER, 0);
	}
}

/*
 * rcorder's insert_before(): the newest BEFORE first, each a fake
 * provision of its file that every current provider of the name requires.
 */
static void
graph_insert_before(struct graph *g, struct graph_before *bl, size_t nbl)
{
	struct graph_cond	*fake, *c;
	size_t			 i, k;

	for (i = 0; i < nbl; i++) {
		fake = graph_cond_new(g, NULL);
		fake->before_of = bl[i].node;
		graph_provide(fake, bl[i].node);
		c = graph_cond(g, bl[i].name, 0);
		if (c == NULL || !c->provided) {
			graph_report(g, 0, "file `%s' is before unknown "
			    "provision `%s'; ignored", bl[i].node->path,
			    bl[i].name);
			continue;
		}
		for (k = 0; k < c->nprov; k++)
			graph_require(c->prov[k], fake, EDGE_BEFORE, 1);
	}
}

/*
 * Whether to can be reached from from along requirements (the declared
 * graph, cycles and all).
 */
int
graph_reaches(struct graph *g, struct graph_node *from,
    struct graph_node *to)
{
	struct graph_node	**work, *n, *p;
	size_t			  nwork = 0, i, k;
	int			  found = 0;

	g->mark++;
	work = import_need(mem_array(NULL, g->nnodes + 1, sizeof(*work)));
	work[nwork++] = from;
	from->mark = g->mark;
	while (nwork > 0 && !found) {
		n = work[--nwork];
		for (i = 0; i < n->nreqs && !found; i++) {
			for (k = 0; k < n->reqs[i].cond->nprov; k++) {
				p = n->reqs[i].cond->prov[k];
				if (p == to) {
					found = 1;
					break;
				}
				if (p->mark != g->mark) {
					p->mark = g->mark;
					work[nwork++] = p;
				}
			}
		}
	}
	free(work);
	return (found);
}

/*
 * The orderings the legacy boot has without a header saying so: the end
 * of the rcS stage before the run-level scripts (sysv-rc runs rcS.d to the
 * end first), $all after every boot script that does not itself come
 * after $all, and the early/late divider before the scripts of the later
 * rc.d directories (/etc/rc's second pass).  An edge that would close a
 * cycle is left out: the declared order wins.
 */
static void
graph_resolve_implied(struct graph *g)
{
	struct graph_node	*stage = NULL, *all, *divider = NULL, *n;
	size_t			 i;

	for (i = 0; i < g->nnodes; i++) {
		n = g->nodes[i];
		if (n->kind == NODE_STAGE)
			stage = n;
		if (n->kind == NODE_RCD && !n->local && n->path != NULL &&
		    divider == NULL) {
			const char *file = strrchr(n->path, '/');

			file = file != NULL ? file + 1 : n->path;
			if (strcmp(file, g->settings.divider) == 0)
				divider = n;
		}
	}
	if (stage != NULL) {
		for (i = 0; i < g->nnodes; i++) {
			n = g->nodes[i];
			if (n->kind == NODE_LSB && n->boot &&
			    !graph_has_level(&n->lsb.default_start, "S"))
				graph_require_node(g, n, stage, EDGE_IMPLIED);
		}
		for (i = 0; i < g->nnodes; i++) {
			n = g->nodes[i];
			if (n->kind == NODE_LSB && n->boot &&
			    graph_has_level(&n->lsb.default_start, "S") &&
			    !graph_reaches(g, n, stage))
				graph_require_node(g, stage, n, EDGE_IMPLIED);
		}
	}
	if ((all = graph_facility(g, "$all")) != NULL) {
		for (i = 0; i < g->nnodes; i++) {
			n = g->nodes[i];
			if (graph_is_script(n) && n->boot &&
			    !graph_reaches(g, n, all))
				graph_require_node(g, all, n, EDGE_IMPLIED);
		}
	}
	if (divider != NULL) {
		for (i = 0; i < g->nnodes; i++) {
			n = g->nodes[i];
			if (n->kind == NODE_RCD && n->local &&
			    !graph_reaches(g, divider, n))
				graph_require_node(g, n, divider,
				    EDGE_IMPLIED);
		}
	}
}

/*
 * Turn the headers into provisions and requirements, in rcorder's order:
 * every file's provisions, then its requirements (each put at the head of
 * its list), then the BEFOREs, then the implied orderings.
 */
void
graph_resolve(struct graph *g)
{
	struct graph_before	*bl = NULL;
	struct graph_node	*n;
	size_t			 nbl = 0, i, k;

	if (g->resolved)
		return;
	g->resolved = 1;
	graph_classify(g);
	graph_resolve_provides(g);
	for (i = 0; i < g->nnodes; i++) {
		n = g->nodes[i];
		switch (n->kind) {
		case NODE_RCD:
			for (k = 0; k < n->rcd.require.n; k++)
				graph_require(n, graph_cond(g,
				    n->rcd.require.v[k], 1), EDGE_REQUIRE, 1);
			for (k = 0; k < n->rcd.before.n; k++) {
				bl = import_need(mem_array(bl, nbl + 1,
				    sizeof(*bl)));
				memmove(bl + 1, bl, nbl * sizeof(*bl));
				bl[0].node = n;
				bl[0].name = n->rcd.before.v[k];
				nbl++;
			}
			break;
		case NODE_LSB:
			graph_resolve_lsb(g, n, &bl, &nbl);
			break;
		case NODE_FACILITY:
			graph_resolve_facility(g, n);
			break;
		default:
			break;
		}
	}
	graph_insert_before(g, bl, nbl);
	free(bl);
	graph_resolve_implied(g);
}

/* How a node is named in messages: its path for a script. */
static const char *
graph_label(const struct graph_node *n)
{
	return (graph_is_script(n) && n->path != NULL ? n->path : n->name);
}

/* How a provision is named in messages. */
static char *
graph_cond_label(const struct graph_cond *c)
{
	if (c->name != NULL)
		return (import_need(mem_strdup(c->name)));
	if (c->before_of != NULL)
		return (import_printf("BEFORE of %s", c->before_of->name));
	if (c->nprov > 0)
		return (import_need(mem_strdup(c->prov[0]->name)));
	return (import_need(mem_strdup("?")));
}

/*
 * The DFS stack from index k up, "a -> b -> c", each requiring the next;
 * closed by its first entry again ("-> a") when close is set.
 */
static char *
graph_stack_path(struct graph *g, size_t k, int close)
{
	struct textbuf	b = { NULL, 0, 0 };
	size_t		i;

	textbuf_add(&b, "");
	for (i = k; i < g->depth; i++)
		textbuf_printf(&b, "%s%s", i > k ? " -> " : "",
		    g->stack[i]->name);
	if (close && k < g->depth)
		textbuf_printf(&b, " -> %s", g->stack[k]->name);
	return (b.s);
}

static void	graph_do_file(struct graph *, struct graph_node *);

/* The first provider still listed for a provision, or NULL. */
static struct graph_node *
graph_first_provider(const struct graph_cond *c)
{
	size_t	i;

	for (i = 0; i < c->nprov; i++) {
		if (!c->prov[i]->prov_done)
			return (c->prov[i]);
	}
	return (NULL);
}

/* rcorder's satisfy_req(): do every provider of a requirement first. */
static void
graph_satisfy(struct graph *g, struct graph_node *n, struct graph_req *r)
{
	struct graph_cond	*c = r->cond;
	struct graph_node	*p;
	char			*label, *path;

	if (!c->provided) {
		label = graph_cond_label(c);
		graph_report(g, 1, "requirement `%s' in file `%s' has no "
		    "providers.", label, graph_label(n));
		free(label);
		return;
	}
	if (graph_first_provider(c) == NULL)
		return;
	if (c->in_progress) {
		label = graph_cond_label(c);
		path = graph_stack_path(g, c->depth + 1, 1);
		graph_report(g, 1, "Circular dependency on provision `%s' in "
		    "file `%s': %s.", label, graph_label(n), path);
		free(label);
		free(path);
		return;
	}
	c->in_progress = 1;
	c->depth = g->depth - 1;
	while ((p = graph_first_provider(c)) != NULL)
		graph_do_file(g, p);
}

/*
 * rcorder's do_file(): satisfy the requirements, leave the provision
 * lists, take a place in the order.  A file met again while in progress
 * is a cycle: it is finished there but takes its place only once, when
 * the outer call ends.
 */
static void
graph_do_file(struct graph *g, struct graph_node *n)
{
	size_t	i, k;
	int	was_set = n->in_progress;
	char	*path;

	g->stack = import_need(mem_array(g->stack, g->depth + 1,
	    sizeof(*g->stack)));
	g->stack[g->depth++] = n;
	if (was_set) {
		for (k = 0; k < g->depth && g->stack[k] != n; k++)
			continue;
		path = graph_stack_path(g, k, 0);
		graph_report(g, 1, "Circular dependency on file `%s': %s.",
		    graph_label(n), path);
		free(path);
	}
	n->in_progress = 1;
	for (i = 0; i < n->nreqs; i++)
		graph_satisfy(g, n, &n->reqs[i]);
	n->prov_done = 1;
	if (!was_set) {
		g->order[g->norder++] = n;
		n->order = g->norder;
	}
	n->done = 1;
	g->depth--;
}

/* Derive the order: the files from the last argument to the first. */
void
graph_order(struct graph *g)
{
	size_t	i;

	graph_resolve(g);
	free(g->order);
	g->order = import_need(mem_array(NULL, g->nnodes + 1,
	    sizeof(*g->order)));
	g->norder = 0;
	for (i = g->nnodes; i > 0; i--) {
		if (!g->nodes[i - 1]->done)
			graph_do_file(g, g->nodes[i - 1]);
	}
}

/* Keep an edge n -> to of this kind, once, with the strongest kind. */
static void
graph_keep(struct graph_node *n, struct graph_node *to, enum edge_kind kind)
{
	size_t	i;

	for (i = 0; i < n->nedges; i++) {
		if (n->edges[i].to == to) {
			if (kind < n->edges[i].kind)
				n->edges[i].kind = kind;
			return;
		}
	}
	n->edges = import_need(mem_array(n->edges, n->nedges + 1,
	    sizeof(*n->edges)));
	n->edges[n->nedges].to = to;
	n->edges[n->nedges].kind = kind;
	n->nedges++;
}

/*
 * Keep the edges that agree with the order (every provider of every
 * requirement that comes first), in the order the headers name them, and
 * say which were cut to break a cycle.
 */
void
graph_edges(struct graph *g)
{
	struct graph_node	*n, *p;
	struct graph_req	*r;
	size_t			 i, j, k;

	for (i = 0; i < g->nnodes; i++) {
		n = g->nodes[i];
		for (j = n->nreqs; j > 0; j--) {
			r = &n->reqs[j - 1];
			for (k = 0; k < r->cond->nprov; k++) {
				p = r->cond->prov[k];
				if (p == n)
					continue;
				if (p->order < n->order)
					graph_keep(n, p, r->kind);
				else
					graph_report(g, 0, "`%s' does not "
					    "wait for `%s' (%s), to break the "
					    "cycle", n->name, p->name,
					    graph_kind_name(r->kind));
			}
		}
	}
}

/* The header word an edge kind comes from. */
const char *
graph_kind_name(enum edge_kind kind)
{
	switch (kind) {
	case EDGE_REQUIRE:
		return ("REQUIRE");
	case EDGE_BEFORE:
		return ("BEFORE");
	case EDGE_MEMBER:
		return ("facility");
	case EDGE_SHOULD:
		return ("Should-Start");
	case EDGE_IMPLIED:
		return ("implied");
	}
	return ("?");
}

/* rcorder's skip_ok() && keep_ok() for -s and -k. */
int
graph_print_ok(const struct graph_node *n, const struct strlist *keep,
    const struct strlist *skip)
{
	size_t	i;

	for (i = 0; skip != NULL && i < skip->n; i++) {
		if (graph_has_keyword(n, skip->v[i]))
			return (0);
	}
	if (keep == NULL || keep->n == 0)
		return (1);
	for (i = 0; i < keep->n; i++) {
		if (graph_has_keyword(n, keep->v[i]))
			return (1);
	}
	return (0);
}

/*
 * Print the scripts in the derived order: those in the boot group, or,
 * with keep or skip lists, every script that can run whose keywords pass
 * them, as rcorder -k/-s would.
 */
void
graph_print_order(struct graph *g, FILE *fp, const struct strlist *keep,
    const struct strlist *skip)
{
	struct graph_node	*n;
	size_t			 i;
	int			 filter;

	filter = (keep != NULL && keep->n > 0) || (skip != NULL &&
	    skip->n > 0);
	for (i = 0; i < g->norder; i++) {
		n = g->order[i];
		if (!graph_is_script(n))
			continue;
		if (filter ? (n->executable || g->settings.ignore_mode) &&
		    graph_print_ok(n, keep, skip) : n->boot)
			fprintf(fp, "%s\n", n->run_path);
	}
}

/* Print a string as a DOT quoted identifier. */
static void
graph_dot_id(FILE *fp, const char *s)
{
	putc('"', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			putc('\\', fp);
		putc(*s, fp);
	}
	putc('"', fp);
}

/*
 * Print the graph in Graphviz DOT: an edge points from what starts first
 * to what waits for it; solid for REQUIRE and Required-Start, dashed for
 * BEFORE and X-Start-Before, dotted for ordering only; red for an edge
 * cut to break a cycle and for a requirement nothing provides.  Boxes are
 * scripts (dashed when not started at boot), ellipses internal services.
 */
void
graph_print_dot(struct graph *g, FILE *fp)
{
	static const char *const style[] = {
		"solid", "dashed", "solid", "dotted", "dotted"
	};
	struct graph_node	*n, *p;
	struct graph_req	*r;
	size_t			 i, j, k;
	char			*label;

	fprintf(fp, "digraph \"dinit-import\" {\n");
	fprintf(fp, "\trankdir = TB;\n");
	fprintf(fp, "\tgraph [overlap = false];\n");
	for (i = 0; i < g->nnodes; i++) {
		n = g->nodes[i];
		fputc('\t', fp);
		graph_dot_id(fp, n->name);
		if (graph_is_script(n) && !n->milestone)
			fprintf(fp, " [shape = box, style = \"%s\"];\n",
			    n->boot ? "rounded" : "rounded,dashed");
		else
			fprintf(fp, " [shape = ellipse];\n");
	}
	for (i = 0; i < g->nnodes; i++) {
		n = g->nodes[i];
		for (j = n->nreqs; j > 0; j--) {
			r = &n->reqs[j - 1];
			if (!r->cond->provided) {
				label = graph_cond_label(r->cond);
				fputc('\t', fp);
				graph_dot_id(fp, label);
				fprintf(fp, " [shape = plaintext, "
				    "fontcolor = red];\n\t");
				graph_dot_id(fp, label);
				fprintf(fp, " -> ");
				graph_dot_id(fp, n->name);
				fprintf(fp, " [color = red, style = %s];\n",
				    style[r->kind]);
				free(label);
				continue;
			}
			for (k = 0; k < r->cond->nprov; k++) {
				p = r->cond->prov[k];
				if (p == n)
					continue;
				fputc('\t', fp);
				graph_dot_id(fp, p->name);
				fprintf(fp, " -> ");
				graph_dot_id(fp, n->name);
				fprintf(fp, " [style = %s%s];\n",
				    style[r->kind], n->order != 0 &&
				    p->order > n->order ? ", color = red" : "");
			}
		}
	}
	fprintf(fp, "}\n");
}
