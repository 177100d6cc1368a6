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
 * The writer: one service description per script, the internal services
 * (milestones, facilities, the rcS stage, aliases), the boot group and the
 * two environment files, each parsed back with parse_service() once
 * written, and the whole set loaded together to be sure it has no cycle.
 *
 * A requirement on a script that the boot starts (or on an internal
 * service) becomes "waits-for": it is started and waited for, and its
 * failure does not stop the dependent.  A requirement on a script the boot
 * leaves out (nostart, firstboot, not executable) becomes "after", which
 * does not start it; since it will not start, the ordering it stood for in
 * rcorder's graph is carried over to what it requires in turn.
 */

#include "import.h"

#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The shell code /etc/rc runs each script with, at boot (run_rc_script). */
#define EMIT_RC_START	"autoboot=yes rc_fast=yes; set -- faststart; . \"$0\""

/* Whether every character of s may stand unquoted in a description. */
static int
emit_plain(const char *s, const char *extra)
{
	const unsigned char	*p = (const unsigned char *)s;

	if (*p == '\0')
		return (0);
	for (; *p != '\0'; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("/._+-=:,@%", *p) !=
		    NULL || (extra != NULL && strchr(extra, *p) != NULL)))
			return (0);
	}
	return (1);
}

/*
 * One word of a command, as a description must spell it: double quotes
 * around anything unusual, a backslash before '"' and '\', and "$$" for a
 * '$' (descriptions substitute variables).
 */
char *
emit_word(const char *s)
{
	struct textbuf	b = { NULL, 0, 0 };

	if (emit_plain(s, NULL))
		return (import_need(mem_strdup(s)));
	textbuf_add(&b, "\"");
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			textbuf_add(&b, "\\");
		if (*s == '$')
			textbuf_add(&b, "$");
		textbuf_printf(&b, "%c", *s);
	}
	textbuf_add(&b, "\"");
	return (b.s);
}

/* One word for sh: single quotes around anything unusual. */
char *
emit_sh_word(const char *s)
{
	struct textbuf	b = { NULL, 0, 0 };

	if (emit_plain(s, NULL))
		return (import_need(mem_strdup(s)));
	textbuf_add(&b, "'");
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			textbuf_add(&b, "'\\''");
		else
			textbuf_printf(&b, "%c", *s);
	}
	textbuf_add(&b, "'");
	return (b.s);
}

/* A legal service name for a file or provision name: '_' for the rest. */
char *
emit_service_name(const char *s)
{
	char	*name, *p;

	name = import_need(mem_strdup(s));
	for (p = name; *p != '\0'; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
		    *p == '-' || (unsigned char)*p >= 0x80))
			*p = '_';
	}
	if (name[0] == '.')
		name[0] = '_';
	return (name);
}

/* Add a dependency line once; "waits-for" wins over "after". */
static void
emit_dep_add(struct emit_dep **deps, size_t *ndeps, const char *setting,
    const char *name)
{
	size_t	i;

	for (i = 0; i < *ndeps; i++) {
		if (strcmp((*deps)[i].name, name) == 0) {
			if (strcmp(setting, "waits-for") == 0)
				(*deps)[i].setting = setting;
			return;
		}
	}
	*deps = import_need(mem_array(*deps, *ndeps + 1, sizeof(**deps)));
	(*deps)[*ndeps].setting = setting;
	(*deps)[*ndeps].name = name;
	(*ndeps)++;
}

/* Carry the order a node that will not start stood for onto its own edges. */
static void
emit_bypass(struct graph *g, struct graph_node *via, struct emit_dep **deps,
    size_t *ndeps)
{
	struct graph_node	*to;
	size_t			 i;

	for (i = 0; i < via->nedges; i++) {
		to = via->edges[i].to;
		if (to->mark == g->mark)
			continue;
		to->mark = g->mark;
		emit_dep_add(deps, ndeps, "after", to->name);
		if (!to->startable)
			emit_bypass(g, to, deps, ndeps);
	}
}

/* The dependency lines of a node's description. */
void
emit_deps(struct graph *g, struct graph_node *n, struct emit_dep **deps,
    size_t *ndeps)
{
	struct graph_node	*to;
	size_t			 i;

	*deps = NULL;
	*ndeps = 0;
	g->mark++;
	n->mark = g->mark;
	for (i = 0; i < n->nedges; i++) {
		to = n->edges[i].to;
		to->mark = g->mark;
		if (to->startable)
			emit_dep_add(deps, ndeps, n->edges[i].kind <=
			    EDGE_MEMBER ? "waits-for" : "after", to->name);
		else {
			emit_dep_add(deps, ndeps, "after", to->name);
			emit_bypass(g, to, deps, ndeps);
		}
	}
}

/* Add a comment line "# Key: words" when the list is not empty. */
static void
emit_comment_list(struct textbuf *b, const char *key, const struct strlist *l)
{
	size_t	i;

	if (l->n == 0)
		return;
	textbuf_printf(b, "# %s:", key);
	for (i = 0; i < l->n; i++)
		textbuf_printf(b, " %s", l->v[i]);
	textbuf_add(b, "\n");
}

/* The header of an LSB script, as comments. */
static void
emit_lsb_comments(struct textbuf *b, const struct lsb_header *h)
{
	if (!h->has_header) {
		textbuf_add(b, "# No LSB header: not started at boot.\n");
		return;
	}
	emit_comment_list(b, "Provides", &h->provides);
	emit_comment_list(b, "Required-Start", &h->required_start);
	emit_comment_list(b, "Required-Stop", &h->required_stop);
	emit_comment_list(b, "Should-Start", &h->should_start);
	emit_comment_list(b, "Should-Stop", &h->should_stop);
	emit_comment_list(b, "X-Start-Before", &h->start_before);
	emit_comment_list(b, "X-Start-After", &h->start_after);
	emit_comment_list(b, "X-Stop-After", &h->stop_after);
	emit_comment_list(b, "Default-Start", &h->default_start);
	emit_comment_list(b, "Default-Stop", &h->default_stop);
	if (h->short_description != NULL)
		textbuf_printf(b, "# Short-Description: %s\n",
		    h->short_description);
}

/* A command line: the words of argv, each spelt for a description. */
static void
emit_command(struct textbuf *b, const char *setting, const char *const *argv)
{
	char	*w;

	textbuf_printf(b, "%s =", setting);
	for (; *argv != NULL; argv++) {
		w = emit_word(*argv);
		textbuf_printf(b, " %s", w);
		free(w);
	}
	textbuf_add(b, "\n");
}

/* Why a script is not in the boot group, for a comment. */
static const char *
emit_why_not_boot(struct graph *g, const struct graph_node *n)
{
	const struct graph_settings	*s = &g->settings;

	if (!n->executable && !s->ignore_mode)
		return ("it is not executable");
	if (n->kind == NODE_LSB)
		return ("its Default-Start does not name S or the run level");
	if (graph_has_keyword(n, "nostart"))
		return ("KEYWORD nostart");
	if (s->jail && graph_has_keyword(n, "nojail"))
		return ("KEYWORD nojail, in a jail");
	if (s->jail && !s->vnet && graph_has_keyword(n, "nojailvnet"))
		return ("KEYWORD nojailvnet, in a jail without vnet");
	if (graph_has_keyword(n, "firstboot") && !s->firstboot)
		return ("KEYWORD firstboot, and no firstboot sentinel");
	if (s->enabled_only && n->enabled == 0)
		return ("rc.conf disables it");
	return ("?");
}

/* The settings of a script's description. */
static void
emit_script(struct textbuf *b, const struct graph_node *n,
    const struct emit_settings *es)
{
	const char	*argv[6];
	const char	*verb_start, *verb_stop;
	int		 use_sh;

	textbuf_add(b, "type = scripted\n");
	if (n->kind == NODE_RCD) {
		argv[0] = "/bin/sh";
		argv[1] = "-c";
		argv[2] = EMIT_RC_START;
		argv[3] = n->run_path;
		argv[4] = NULL;
		emit_command(b, "command", argv);
		argv[1] = n->run_path;
		argv[2] = "faststop";
		argv[3] = NULL;
		if (n->shutdown)
			emit_command(b, "stop-command", argv);
		textbuf_add(b, "env-file = .rc.d.env\n");
	} else {
		/* sysv-rc sources *.sh in a subshell and runs the rest. */
		use_sh = strlen(n->run_path) > 3 && strcmp(n->run_path +
		    strlen(n->run_path) - 3, ".sh") == 0;
		use_sh = use_sh || !n->executable;
		verb_start = "start";
		verb_stop = "stop";
		argv[0] = "/bin/sh";
		argv[1] = n->run_path;
		argv[2] = verb_start;
		argv[3] = NULL;
		emit_command(b, "command", use_sh ? argv : argv + 1);
		argv[2] = verb_stop;
		if (n->shutdown)
			emit_command(b, "stop-command", use_sh ? argv :
			    argv + 1);
		textbuf_add(b, "env-file = .init.d.env\n");
	}
	textbuf_add(b, "working-dir = /\n");
	textbuf_printf(b, "start-timeout = %u\n", es->start_timeout);
	textbuf_printf(b, "stop-timeout = %u\n", es->stop_timeout);
	textbuf_add(b, "restart = false\n");
	if (n->interactive)
		textbuf_add(b, "options: starts-on-console\n");
	else if (es->console)
		textbuf_add(b, "options: shares-console\n");
	else
		textbuf_add(b, "log-type = buffer\n");
}

/* The text of a node's description. */
char *
emit_node_text(struct graph *g, struct graph_node *n,
    const struct emit_settings *es)
{
	struct textbuf	 b = { NULL, 0, 0 };
	struct emit_dep	*deps;
	size_t		 ndeps, i;

	switch (n->kind) {
	case NODE_RCD:
		textbuf_printf(&b, "# Imported by dinit-import from the "
		    "FreeBSD rc.d script %s%s.\n", n->path, n->milestone ?
		    ", a milestone that only orders" : "");
		emit_comment_list(&b, "PROVIDE", &n->rcd.provide);
		emit_comment_list(&b, "REQUIRE", &n->rcd.require);
		emit_comment_list(&b, "BEFORE", &n->rcd.before);
		emit_comment_list(&b, "KEYWORD", &n->rcd.keyword);
		if (n->rcvar != NULL && n->enabled == -1)
			textbuf_printf(&b, "# rcvar %s: rc.conf decides when "
			    "the script runs.\n", n->rcvar);
		else if (n->rcvar != NULL && n->rcvalue != NULL)
			textbuf_printf(&b, "# rcvar %s=\"%s\" in rc.conf: "
			    "%s.\n", n->rcvar, n->rcvalue, n->enabled ?
			    "enabled" : "disabled");
		else if (n->rcvar != NULL)
			textbuf_printf(&b, "# rcvar %s is not set in rc.conf: "
			    "rc.subr takes that as NO.\n", n->rcvar);
		break;
	case NODE_LSB:
		textbuf_printf(&b, "# Imported by dinit-import from the "
		    "init.d script %s.\n", n->path);
		emit_lsb_comments(&b, &n->lsb);
		break;
	case NODE_MILESTONE:
		textbuf_printf(&b, "# The FreeBSD milestone %s, written by "
		    "dinit-import: no script provides it.\n", n->name);
		break;
	case NODE_FACILITY:
		textbuf_printf(&b, "# The LSB facility %s, written by "
		    "dinit-import.\n", n->path);
		emit_comment_list(&b, n->path, &n->members);
		break;
	case NODE_STAGE:
		textbuf_add(&b, "# The end of the rcS stage, written by "
		    "dinit-import: sysv-rc runs\n# every rcS script before "
		    "the scripts of the run level.\n");
		break;
	}
	if ((n->kind == NODE_RCD || n->kind == NODE_LSB) && !n->milestone) {
		if (!n->boot)
			textbuf_printf(&b, "# Not started at boot: %s.\n",
			    emit_why_not_boot(g, n));
		if (!n->shutdown)
			textbuf_printf(&b, "# Not stopped at shutdown (%s): "
			    "no stop-command.\n", n->kind == NODE_RCD ?
			    "no KEYWORD shutdown" : "no 0 or 6 in "
			    "Default-Stop");
		emit_script(&b, n, es);
	} else
		textbuf_add(&b, "type = internal\n");
	emit_deps(g, n, &deps, &ndeps);
	for (i = 0; i < ndeps; i++)
		textbuf_printf(&b, "%s: %s\n", deps[i].setting, deps[i].name);
	free(deps);
	return (b.s);
}

/*
 * The text of the boot group: every boot script and every internal
 * service, in the derived order.  The internal ones are there because
 * "after" orders only against what is starting: a milestone or facility
 * that nothing started would order nothing.
 */
char *
emit_group_text(struct graph *g, const struct emit_settings *es)
{
	struct textbuf	b = { NULL, 0, 0 };
	size_t		i;

	textbuf_printf(&b, "# %s: what the legacy boot runs, written by "
	    "dinit-import.\n# Every script /etc/rc or sysv-rc would start, "
	    "with the milestones and\n# facilities, in the order derived.\n"
	    "type = internal\n", es->group);
	for (i = 0; i < g->norder; i++) {
		if (g->order[i]->startable)
			textbuf_printf(&b, "waits-for: %s\n",
			    g->order[i]->name);
	}
	return (b.s);
}

/* The text of an alias: a provided name that is no service's name. */
char *
emit_alias_text(const struct graph_cond *c)
{
	struct textbuf	b = { NULL, 0, 0 };
	size_t		i;

	textbuf_printf(&b, "# `%s', provided by", c->name);
	for (i = c->nprov; i > 0; i--)
		textbuf_printf(&b, " %s", c->prov[i - 1]->name);
	textbuf_add(&b, "; written by dinit-import.\ntype = internal\n");
	for (i = c->nprov; i > 0; i--)
		textbuf_printf(&b, "waits-for: %s\n", c->prov[i - 1]->name);
	return (b.s);
}

/* The environment the legacy boot gives scripts of a kind. */
char *
emit_env_text(enum node_kind kind, const struct emit_settings *es)
{
	if (kind == NODE_RCD)
		return (import_need(mem_strdup(
		    "# The environment /etc/rc gives rc.d scripts; written by "
		    "dinit-import.\n"
		    "# (/etc/rc also sets autoboot=yes and rc_fast=yes, in "
		    "the shell of the start\n"
		    "# command only: rc.subr looks for the pid to stop only "
		    "when autoboot is unset.)\n"
		    "HOME=/\n"
		    "PATH=/sbin:/bin:/usr/sbin:/usr/bin\n")));
	return (import_printf(
	    "# The environment sysvinit and /etc/init.d/rc give init.d "
	    "scripts; written by\n"
	    "# dinit-import.  SYSTEMCTL_SKIP_REDIRECT keeps Debian's "
	    "init-functions from\n"
	    "# handing the script to systemctl where /run/systemd/system "
	    "exists.\n"
	    "PATH=/sbin:/usr/sbin:/bin:/usr/bin\n"
	    "SHELL=/bin/sh\n"
	    "RUNLEVEL=%s\n"
	    "PREVLEVEL=N\n"
	    "CONSOLE=/dev/console\n"
	    "SYSTEMCTL_SKIP_REDIRECT=1\n",
	    es->runlevel != NULL ? es->runlevel : "2"));
}

/*
 * Parse a written description back, as dinit would load it.  Returns 0,
 * or -1 with "file:line: message" in errbuf.
 */
int
emit_check(const char *name, const char *path, char *errbuf, size_t len)
{
	struct service_desc	*desc;
	struct parse_error	 perr;
	struct environ		 env;

	environ_init(&env);
	desc = parse_service(name, path, &env, &perr);
	environ_clear(&env);
	if (desc == NULL) {
		(void)parse_error_string(&perr, errbuf, len);
		return (-1);
	}
	parse_desc_free(desc);
	return (0);
}

/* Make a directory and its parents. */
static int
emit_mkdirs(const char *dir)
{
	char	*copy, *p;
	int	 r = 0;

	copy = import_need(mem_strdup(dir));
	for (p = copy + 1; *p != '\0' && r == 0; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0755) == -1 && errno != EEXIST)
			r = -1;
		*p = '/';
	}
	if (r == 0 && mkdir(copy, 0755) == -1 && errno != EEXIST)
		r = -1;
	free(copy);
	return (r);
}

/* Write a file whole (through a temporary and a rename).  0, or -1. */
static int
emit_write(const char *dir, const char *name, const char *text)
{
	char	*path, *tmp;
	FILE	*fp;
	int	 r = 0;

	path = import_printf("%s/%s", dir, name);
	tmp = import_printf("%s/.%s.tmp", dir, name);
	if ((fp = fopen(tmp, "w")) == NULL) {
		warn("%s", tmp);
		r = -1;
	} else {
		if (fputs(text, fp) == EOF)
			r = -1;
		if (fclose(fp) == EOF)
			r = -1;
		if (r == -1)
			warn("%s", tmp);
		else if (rename(tmp, path) == -1) {
			warn("%s", path);
			r = -1;
		}
		if (r == -1)
			(void)unlink(tmp);
	}
	free(tmp);
	free(path);
	return (r);
}

/* Write one description and parse it back; 0, or -1 (reported). */
static int
emit_service(const char *dir, const char *name, const char *text)
{
	char	errbuf[1024], *path;
	int	r;

	if (emit_write(dir, name, text) != 0)
		return (-1);
	path = import_printf("%s/%s", dir, name);
	r = emit_check(name, path, errbuf, sizeof(errbuf));
	if (r != 0)
		warnx("BUG: the description written to %s does not load: %s",
		    path, errbuf);
	free(path);
	return (r);
}

/*
 * Load every written service together, as dinit-check does, to be sure
 * the set has no cycle.  0, or -1 (reported).
 */
static int
emit_load_all(const char *dir, const char *const *names, size_t n)
{
	static const struct service_ops	 ops;
	struct service_set		 set;
	struct parse_error		 perr;
	struct environ			 env;
	const char			*dirs[1] = { dir };
	size_t				 i;
	int				 r = 0;

	environ_init(&env);
	service_set_init(&set, &ops);
	set.env = &env;
	if (load_set_dirs(&set, dirs, 1) != 0)
		err(1, "out of memory");
	for (i = 0; i < n && r == 0; i++) {
		if (load_service(&set, names[i], &perr) == NULL) {
			warnx("BUG: the services written to %s do not load "
			    "together: %s: %s", dir, perr.file, perr.msg);
			r = -1;
		}
	}
	service_set_free(&set);
	environ_clear(&env);
	return (r);
}

/*
 * Write everything into es->outdir.  Returns the number of files that
 * could not be written or did not load (each reported).
 */
int
emit_all(struct graph *g, const struct emit_settings *es)
{
	struct strlist		 names = { NULL, 0, 0 };
	struct graph_cond	*c;
	char			*text, *alias;
	size_t			 i;
	int			 failed = 0, rcd = 0, lsb = 0;

	if (emit_mkdirs(es->outdir) == -1) {
		warn("%s", es->outdir);
		return (1);
	}
	for (i = 0; i < g->nnodes; i++) {
		rcd |= g->nodes[i]->kind == NODE_RCD;
		lsb |= g->nodes[i]->kind == NODE_LSB;
	}
	if (rcd) {
		text = emit_env_text(NODE_RCD, es);
		failed += emit_write(es->outdir, ".rc.d.env", text) != 0;
		free(text);
	}
	if (lsb) {
		text = emit_env_text(NODE_LSB, es);
		failed += emit_write(es->outdir, ".init.d.env", text) != 0;
		free(text);
	}
	for (i = 0; i < g->nnodes; i++) {
		text = emit_node_text(g, g->nodes[i], es);
		failed += emit_service(es->outdir, g->nodes[i]->name,
		    text) != 0;
		strlist_add(&names, g->nodes[i]->name);
		free(text);
	}
	for (i = 0; i < g->nconds; i++) {
		c = g->conds[i];
		if (c->name == NULL || c->name[0] == '$' || c->nprov == 0)
			continue;
		alias = emit_service_name(c->name);
		if (graph_find(g, alias) != NULL ||
		    strcmp(alias, es->group) == 0 ||
		    strlist_find(&names, alias) != -1) {
			if (c->nprov > 1 || strcmp(c->prov[0]->name,
			    alias) != 0)
				graph_report(g, 0, "provision `%s' has the "
				    "name of another service: no alias "
				    "written", c->name);
			free(alias);
			continue;
		}
		text = emit_alias_text(c);
		failed += emit_service(es->outdir, alias, text) != 0;
		strlist_add(&names, alias);
		free(text);
		free(alias);
	}
	text = emit_group_text(g, es);
	failed += emit_service(es->outdir, es->group, text) != 0;
	strlist_add(&names, es->group);
	free(text);
	if (failed == 0)
		failed += emit_load_all(es->outdir,
		    (const char *const *)names.v, names.n) != 0;
	strlist_free(&names);
	return (failed);
}
