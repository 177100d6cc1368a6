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
 * dinit-import: turn FreeBSD rc.d scripts and LSB init.d scripts into dinit
 * service descriptions that run them as their own boot would, in the
 * order their headers give, in parallel where that order allows.
 *
 * Exit status: 0 when everything was imported cleanly; 1 when something
 * was wrong (a missing provider, a cycle, an unreadable script or
 * directory, a file that could not be written), the output being written
 * all the same where it could be; 2 for a usage error.
 */

#include "import.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* The FreeBSD milestones: scripts that do nothing but order. */
static const char *const import_milestones[] = {
	"FILESYSTEMS", "NETWORKING", "SERVERS", "DAEMON", "LOGIN", NULL
};

/* The LSB facilities always written for init.d scripts. */
static const char *const import_facilities[] = {
	"$local_fs", "$network", "$remote_fs", "$syslog", "$time", "$named",
	"$portmap", "$all", NULL
};

/* What kind of directory a DIR argument is. */
enum import_kind {
	IMPORT_AUTO,
	IMPORT_RCD,
	IMPORT_LSB
};

/* Everything the command line says. */
struct import_options {
	enum import_kind	 force;
	struct strlist		 rc_conf;
	const char		*insserv;
	const char		*outdir;
	const char		*root;
	const char		*group;
	int			 order;
	int			 dot;
	struct strlist		 keep;
	struct strlist		 skip;
	int			 firstboot;
	long			 stop_timeout;	/* -1: from rc.conf or 90 */
	long			 start_timeout;
	int			 console;
	struct graph_settings	 settings;
};

static unsigned	import_errors;	/* unreadable directories and files */

/* Print usage and exit 2. */
static void NORETURN
import_usage(void)
{
	fprintf(stderr,
	    "usage: dinit-import [--rcd | --lsb] [--order [-k keyword] "
	    "[-s keyword]] [--graph]\n"
	    "\t[-o outdir] [--group name] [--rc-conf file] "
	    "[--insserv dir] [--root dir]\n"
	    "\t[--jail [--vnet]] [--firstboot] [--runlevel level] "
	    "[--ignore-mode]\n"
	    "\t[--enabled-only] [--start-timeout secs] "
	    "[--stop-timeout secs] [--console]\n"
	    "\tdir ...\n");
	exit(2);
}

/* A number of seconds from the command line. */
static long
import_seconds(const char *s)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 0 || v > 86400) {
		warnx("bad number of seconds: %s", s);
		import_usage();
	}
	return (v);
}

/* A path inside the root given by --root (or the path itself). */
static char *
import_rooted(const struct import_options *o, const char *path)
{
	if (o->root == NULL)
		return (import_need(mem_strdup(path)));
	return (import_printf("%s%s%s", o->root, path[0] == '/' ? "" : "/",
	    path));
}

/*
 * Where the scripts of a directory run: the directory as named when it is
 * absolute (or below --root), else made absolute.  No trailing slash.
 */
static char *
import_run_dir(const struct import_options *o, const char *dir)
{
	char	 resolved[PATH_MAX], *s;
	size_t	 len;

	if (o->root != NULL && dir[0] != '/')
		s = import_printf("/%s", dir);
	else if (dir[0] == '/' || realpath(dir, resolved) == NULL)
		s = import_need(mem_strdup(dir));
	else
		s = import_need(mem_strdup(resolved));
	len = strlen(s);
	while (len > 1 && s[len - 1] == '/')
		s[--len] = '\0';
	return (s);
}

/* Sort names as the shell's glob does in the C locale. */
static int
import_namecmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* The names in a directory, sorted, dot files left out. */
static int
import_list(const char *dir, struct strlist *names)
{
	struct dirent	*de;
	DIR		*d;

	if ((d = opendir(dir)) == NULL)
		return (-1);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] != '.')
			strlist_add(names, de->d_name);
	}
	(void)closedir(d);
	if (names->n > 0)
		qsort(names->v, names->n, sizeof(*names->v), import_namecmp);
	return (0);
}

/* Recognise a directory by the headers its files hold. */
static enum import_kind
import_detect(const char *dir, const struct strlist *names)
{
	struct rcd_header	 rh;
	struct lsb_header	 lh;
	size_t			 i, nrcd = 0, nlsb = 0;
	char			*path;

	for (i = 0; i < names->n; i++) {
		path = import_printf("%s/%s", dir, names->v[i]);
		memset(&rh, 0, sizeof(rh));
		memset(&lh, 0, sizeof(lh));
		if (rcorder_parse_file(path, &rh, NULL) == 0 && rh.tagged)
			nrcd++;
		if (lsb_parse_file(path, &lh) == 0 && lh.has_header)
			nlsb++;
		rcorder_header_free(&rh);
		lsb_header_free(&lh);
		free(path);
	}
	if (nrcd > nlsb)
		return (IMPORT_RCD);
	if (nlsb > nrcd)
		return (IMPORT_LSB);
	return (IMPORT_AUTO);
}

/* A service name for a script that no other node has taken. */
static char *
import_unique_name(struct graph *g, const char *file)
{
	char	*name, *try;
	int	 i;

	name = emit_service_name(file);
	if (graph_find(g, name) == NULL)
		return (name);
	for (i = 2;; i++) {
		try = import_printf("%s-%d", name, i);
		if (graph_find(g, try) == NULL)
			break;
		free(try);
	}
	graph_report(g, 0, "two scripts are named `%s': the second is "
	    "written as `%s'", name, try);
	free(name);
	return (try);
}

/* Whether a file is executable by someone. */
static int
import_executable(const char *path)
{
	struct stat	sb;

	return (stat(path, &sb) == 0 && (sb.st_mode & 0111) != 0);
}

/*
 * Whether a file name cannot be written into a description (a line break
 * would end the command): reported, and the file left out.
 */
static int
import_bad_name(struct graph *g, const char *dir, const char *file)
{
	if (strpbrk(file, "\n\r") == NULL)
		return (0);
	graph_report(g, 0, "%s: a file name with a line break; not imported",
	    dir);
	return (1);
}

/* Whether a name is one of the FreeBSD milestones. */
static int
import_is_milestone(const char *name)
{
	int	i;

	for (i = 0; import_milestones[i] != NULL; i++) {
		if (strcmp(name, import_milestones[i]) == 0)
			return (1);
	}
	return (0);
}

/* Import the scripts of an rc.d directory. */
static void
import_rcd(struct graph *g, const char *dir, const char *run_dir,
    const struct strlist *names, int local, const struct environ *rcconf,
    int have_rcconf)
{
	struct rcd_header	 h;
	struct rcd_vars		 v;
	struct graph_node	*n;
	const char		*file, *value;
	char			*path, *run_path, *name;
	size_t			 i, len;
	int			 r;

	for (i = 0; i < names->n; i++) {
		file = names->v[i];
		len = strlen(file);
		if (import_bad_name(g, dir, file))
			continue;
		if (rcorder_scratch_name(file)) {
			graph_report(g, 0, "%s/%s: a scratch file, which /etc/rc "
			    "ignores; not imported", dir, file);
			continue;
		}
		if (!local && len > 3 && strcmp(file + len - 3, ".sh") == 0) {
			graph_report(g, 0, "%s/%s: an old-style startup script, "
			    "which /etc/rc ignores; not imported", dir, file);
			continue;
		}
		if (local && len > 7 && strcmp(file + len - 7, ".sample") == 0)
			continue;
		path = import_printf("%s/%s", dir, file);
		memset(&h, 0, sizeof(h));
		memset(&v, 0, sizeof(v));
		r = rcorder_parse_file(path, &h, &v);
		if (r == -1) {
			graph_report(g, 0, "could not open %s: %s", path,
			    strerror(errno));
			import_errors++;
		}
		/* find_local_scripts_new: executable, with a PROVIDE line. */
		if (r != 0 || (local && (!v.provide_line ||
		    (!import_executable(path) &&
		    !g->settings.ignore_mode)))) {
			rcorder_header_free(&h);
			rcorder_vars_free(&v);
			free(path);
			continue;
		}
		run_path = import_printf("%s/%s", run_dir, file);
		name = import_unique_name(g, file);
		n = graph_add(g, NODE_RCD, name, path, run_path, 0);
		n->rcd = h;
		n->local = local;
		n->milestone = import_is_milestone(file);
		n->executable = import_executable(path);
		if (v.rcvar != NULL) {
			n->rcvar = import_need(mem_strdup(v.rcvar));
			if (have_rcconf) {
				value = environ_get(rcconf, v.rcvar,
				    strlen(v.rcvar));
				n->enabled = rcconf_checkyesno(value) == 1;
				if (value != NULL)
					n->rcvalue = import_need(
					    mem_strdup(value));
			}
		} else if (have_rcconf)
			n->enabled = 1;
		rcorder_vars_free(&v);
		free(name);
		free(run_path);
		free(path);
	}
}

/* Import the scripts of an init.d directory. */
static void
import_lsb(struct graph *g, const char *dir, const char *run_dir,
    const struct strlist *names, const struct lsb_conf *conf)
{
	struct lsb_header	 h;
	struct graph_node	*n;
	const char		*file;
	char			*path, *run_path, *name, *base;
	size_t			 i, k, len;
	int			 r;

	for (i = 0; i < names->n; i++) {
		file = names->v[i];
		if (lsb_ignored_name(file) || import_bad_name(g, dir, file))
			continue;
		path = import_printf("%s/%s", dir, file);
		memset(&h, 0, sizeof(h));
		r = lsb_parse_file(path, &h);
		if (r == -1) {
			graph_report(g, 0, "could not open %s: %s", path,
			    strerror(errno));
			import_errors++;
		}
		if (r != 0) {
			lsb_header_free(&h);
			free(path);
			continue;
		}
		if (!h.has_header)
			graph_report(g, 0, "%s: missing LSB tags; imported, "
			    "not started at boot", path);
		else if (!h.has_end)
			graph_report(g, 0, "%s: no \"### END INIT INFO\"",
			    path);
		run_path = import_printf("%s/%s", run_dir, file);
		name = import_unique_name(g, file);
		n = graph_add(g, NODE_LSB, name, path, run_path, 0);
		n->lsb = h;
		n->executable = import_executable(path);
		base = import_need(mem_strdup(file));
		len = strlen(base);
		if (len > 3 && strcmp(base + len - 3, ".sh") == 0)
			base[len - 3] = '\0';
		if (strlist_find(&conf->interactive, base) != -1)
			n->interactive = 1;
		for (k = 0; k < n->lsb.provides.n; k++) {
			if (strlist_find(&conf->interactive,
			    n->lsb.provides.v[k]) != -1)
				n->interactive = 1;
		}
		free(base);
		free(name);
		free(run_path);
		free(path);
	}
}

/* Add a facility node for "$name", once. */
static void
import_facility(struct graph *g, const char *fac, struct lsb_conf *conf)
{
	struct lsb_facility	*f;
	struct graph_node	*n;
	char			*name, *sname;
	size_t			 i;

	for (i = 0; i < g->nnodes; i++) {
		if (g->nodes[i]->kind == NODE_FACILITY &&
		    strcmp(g->nodes[i]->path, fac) == 0)
			return;
	}
	sname = emit_service_name(fac + 1);
	name = import_printf("lsb.%s", sname);
	n = graph_add(g, NODE_FACILITY, name, fac, NULL, 1);
	if ((f = lsb_conf_find(conf, fac)) != NULL) {
		for (i = 0; i < f->members.n; i++)
			strlist_add(&n->members, f->members.v[i]);
	}
	free(sname);
	free(name);
}

/* Add what the scripts need beyond themselves: milestones, facilities. */
static void
import_internal(struct graph *g, int rcd, int lsb, struct lsb_conf *conf)
{
	struct graph_node	*n;
	size_t			 i, k;
	int			 j, found;

	if (rcd) {
		for (j = 0; import_milestones[j] != NULL; j++) {
			found = 0;
			for (i = 0; i < g->nnodes && !found; i++) {
				n = g->nodes[i];
				if (n->kind == NODE_RCD && strlist_find(
				    &n->rcd.provide, import_milestones[j]) !=
				    -1)
					found = 1;
			}
			if (!found && graph_find(g, import_milestones[j]) ==
			    NULL)
				(void)graph_add(g, NODE_MILESTONE,
				    import_milestones[j], NULL, NULL, 1);
		}
	}
	if (!lsb)
		return;
	for (j = 0; import_facilities[j] != NULL; j++)
		import_facility(g, import_facilities[j], conf);
	for (i = 0; i < conf->nfac; i++)
		import_facility(g, conf->fac[i].name, conf);
	for (i = 0; i < g->nnodes; i++) {
		n = g->nodes[i];
		if (n->kind != NODE_LSB)
			continue;
		for (k = 0; k < n->lsb.provides.n; k++) {
			if (n->lsb.provides.v[k][0] == '$')
				import_facility(g, n->lsb.provides.v[k], conf);
		}
	}
	if (graph_find(g, "lsb.rcS") == NULL)
		(void)graph_add(g, NODE_STAGE, "lsb.rcS", NULL, NULL, 1);
}

/* Read the options; returns the index of the first directory. */
static int
import_options(int argc, char **argv, struct import_options *o)
{
	enum {
		OPT_RCD = 256, OPT_LSB, OPT_RC_CONF, OPT_INSSERV, OPT_ORDER,
		OPT_GRAPH, OPT_GROUP, OPT_ROOT, OPT_JAIL, OPT_VNET,
		OPT_FIRSTBOOT, OPT_RUNLEVEL, OPT_IGNORE_MODE,
		OPT_ENABLED_ONLY, OPT_START_TIMEOUT, OPT_STOP_TIMEOUT,
		OPT_CONSOLE
	};
	static const struct option longopts[] = {
		{ "rcd", no_argument, NULL, OPT_RCD },
		{ "lsb", no_argument, NULL, OPT_LSB },
		{ "rc-conf", required_argument, NULL, OPT_RC_CONF },
		{ "insserv", required_argument, NULL, OPT_INSSERV },
		{ "output", required_argument, NULL, 'o' },
		{ "order", no_argument, NULL, OPT_ORDER },
		{ "graph", no_argument, NULL, OPT_GRAPH },
		{ "group", required_argument, NULL, OPT_GROUP },
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "jail", no_argument, NULL, OPT_JAIL },
		{ "vnet", no_argument, NULL, OPT_VNET },
		{ "firstboot", no_argument, NULL, OPT_FIRSTBOOT },
		{ "runlevel", required_argument, NULL, OPT_RUNLEVEL },
		{ "ignore-mode", no_argument, NULL, OPT_IGNORE_MODE },
		{ "enabled-only", no_argument, NULL, OPT_ENABLED_ONLY },
		{ "start-timeout", required_argument, NULL,
		    OPT_START_TIMEOUT },
		{ "stop-timeout", required_argument, NULL, OPT_STOP_TIMEOUT },
		{ "console", no_argument, NULL, OPT_CONSOLE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int	ch;

	while ((ch = getopt_long(argc, argv, "hk:o:s:", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case OPT_RCD:
			o->force = IMPORT_RCD;
			break;
		case OPT_LSB:
			o->force = IMPORT_LSB;
			break;
		case OPT_RC_CONF:
			strlist_add(&o->rc_conf, optarg);
			break;
		case OPT_INSSERV:
			o->insserv = optarg;
			break;
		case 'o':
			o->outdir = optarg;
			break;
		case OPT_ORDER:
			o->order = 1;
			break;
		case 'k':
			strlist_add(&o->keep, optarg);
			break;
		case 's':
			strlist_add(&o->skip, optarg);
			break;
		case OPT_GRAPH:
			o->dot = 1;
			break;
		case OPT_GROUP:
			o->group = optarg;
			break;
		case OPT_ROOT:
			o->root = optarg;
			break;
		case OPT_JAIL:
			o->settings.jail = 1;
			break;
		case OPT_VNET:
			o->settings.vnet = 1;
			break;
		case OPT_FIRSTBOOT:
			o->firstboot = 1;
			break;
		case OPT_RUNLEVEL:
			if (strlen(optarg) != 1 ||
			    strchr("0123456789Ss", optarg[0]) == NULL) {
				warnx("bad run level: %s", optarg);
				import_usage();
			}
			o->settings.runlevel = optarg;
			break;
		case OPT_IGNORE_MODE:
			o->settings.ignore_mode = 1;
			break;
		case OPT_ENABLED_ONLY:
			o->settings.enabled_only = 1;
			break;
		case OPT_START_TIMEOUT:
			o->start_timeout = import_seconds(optarg);
			break;
		case OPT_STOP_TIMEOUT:
			o->stop_timeout = import_seconds(optarg);
			break;
		case OPT_CONSOLE:
			o->console = 1;
			break;
		default:
			import_usage();
		}
	}
	if (optind >= argc)
		import_usage();
	if ((o->keep.n > 0 || o->skip.n > 0) && !o->order) {
		warnx("-k and -s go with --order");
		import_usage();
	}
	if (parse_service_name(o->group, NULL, 0, NULL) != 0 ||
	    strchr(o->group, '@') != NULL) {
		warnx("bad group name: %s", o->group);
		import_usage();
	}
	return (optind);
}

/*
 * The rc.conf variables /etc/rc itself uses, with their defaults from
 * /etc/defaults/rc.conf, then the files given, in turn.
 */
static int
import_rcconf(const struct import_options *o, struct environ *vars)
{
	size_t	i;
	char	*path;
	int	errors = 0;

	if (environ_set(vars, "firstboot_sentinel", "/firstboot") == -1 ||
	    environ_set(vars, "early_late_divider", "FILESYSTEMS") == -1 ||
	    environ_set(vars, "rcshutdown_timeout", "90") == -1)
		err(1, "out of memory");
	for (i = 0; i < o->rc_conf.n; i++) {
		path = import_rooted(o, o->rc_conf.v[i]);
		if (rcconf_read(vars, path) == -1) {
			warn("%s", path);
			errors++;
		}
		free(path);
	}
	return (errors);
}

/* The inputs that are read once for all directories. */
struct import_inputs {
	struct environ	 rcconf;
	struct lsb_conf	 conf;
	int		 nrcd;		/* rc.d directories so far */
	int		 nlsb;		/* init.d directories so far */
};

/* Import one directory, of the kind it is or is said to be. */
static void
import_dir(struct graph *g, const struct import_options *o,
    struct import_inputs *in, const char *arg)
{
	struct strlist		 names = { NULL, 0, 0 };
	enum import_kind	 kind;
	char			*dir, *run_dir;

	dir = import_rooted(o, arg);
	if (import_list(dir, &names) == -1) {
		warn("%s", dir);
		import_errors++;
		free(dir);
		return;
	}
	kind = o->force;
	if (kind == IMPORT_AUTO)
		kind = import_detect(dir, &names);
	if (kind == IMPORT_AUTO) {
		warnx("%s: neither rcorder nor LSB headers found; use --rcd "
		    "or --lsb", dir);
		import_errors++;
	} else {
		run_dir = import_run_dir(o, arg);
		if (kind == IMPORT_RCD)
			import_rcd(g, dir, run_dir, &names, in->nrcd++ > 0,
			    &in->rcconf, o->rc_conf.n > 0);
		else {
			import_lsb(g, dir, run_dir, &names, &in->conf);
			in->nlsb++;
		}
		free(run_dir);
	}
	strlist_free(&names);
	free(dir);
}

/* The stop timeout: given, or rcshutdown_timeout, or 90 seconds. */
static unsigned
import_stop_timeout(const struct import_options *o,
    const struct environ *rcconf)
{
	const char	*value;
	char		*end;
	long		 v;

	if (o->stop_timeout >= 0)
		return ((unsigned)o->stop_timeout);
	if ((value = environ_get(rcconf, "rcshutdown_timeout", 18)) == NULL)
		return (90);
	v = strtol(value, &end, 10);
	if (end == value || *end != '\0' || v <= 0 || v > 86400)
		return (90);
	return ((unsigned)v);
}

int
main(int argc, char **argv)
{
	struct import_options	 o;
	struct import_inputs	 in;
	struct emit_settings	 es;
	struct graph		 g;
	struct stat		 sb;
	const char		*value;
	char			*path;
	int			 first, i, failed = 0, status;

	memset(&o, 0, sizeof(o));
	o.group = "legacy-boot";
	o.stop_timeout = -1;
	o.settings.runlevel = "2";
	first = import_options(argc, argv, &o);

	memset(&in, 0, sizeof(in));
	environ_init(&in.rcconf);
	import_errors += import_rcconf(&o, &in.rcconf);
	o.settings.divider = environ_get(&in.rcconf, "early_late_divider",
	    18);
	value = environ_get(&in.rcconf, "firstboot_sentinel", 18);
	path = import_rooted(&o, value != NULL ? value : "/firstboot");
	o.settings.firstboot = o.firstboot || stat(path, &sb) == 0;
	free(path);
	if (o.insserv != NULL) {
		path = import_rooted(&o, o.insserv);
		if (lsb_conf_read(&in.conf, path) == -1) {
			warn("%s/insserv.conf", path);
			import_errors++;
		}
		free(path);
	} else
		lsb_conf_default(&in.conf);

	graph_init(&g, &o.settings);
	for (i = first; i < argc; i++)
		import_dir(&g, &o, &in, argv[i]);
	import_internal(&g, in.nrcd > 0, in.nlsb > 0, &in.conf);
	if (graph_find(&g, o.group) != NULL)
		errx(1, "the group name %s is taken by a script or facility; "
		    "use --group", o.group);
	graph_resolve(&g);
	graph_order(&g);
	graph_edges(&g);

	if (o.order)
		graph_print_order(&g, stdout, &o.keep, &o.skip);
	if (o.dot)
		graph_print_dot(&g, stdout);
	if (o.outdir != NULL) {
		memset(&es, 0, sizeof(es));
		es.outdir = o.outdir;
		es.group = o.group;
		es.stop_timeout = import_stop_timeout(&o, &in.rcconf);
		es.start_timeout = (unsigned)o.start_timeout;
		es.console = o.console;
		es.runlevel = o.settings.runlevel;
		failed = emit_all(&g, &es);
	}
	if (fflush(stdout) == EOF)
		err(1, "stdout");
	status = g.problems > 0 || import_errors > 0 || failed > 0;
	graph_free(&g);
	lsb_conf_free(&in.conf);
	environ_clear(&in.rcconf);
	strlist_free(&o.rc_conf);
	strlist_free(&o.keep);
	strlist_free(&o.skip);
	return (status);
}
