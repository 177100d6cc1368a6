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
 * Unit tests of dinit-import: the rcorder and LSB header parsers, rc.conf
 * and insserv.conf, the graph (providers, BEFORE, keywords, facilities,
 * cycles and the order rcorder gives) and the writer's quoting.
 */

#include "import.h"
#include "testutil.h"

#include <unistd.h>

/* Parse an rcorder header from text. */
static void
rcd_from(const char *text, struct rcd_header *h, struct rcd_vars *v)
{
	testutil_write("script", text);
	memset(h, 0, sizeof(*h));
	if (v != NULL)
		memset(v, 0, sizeof(*v));
	ATF_REQUIRE_EQ(rcorder_parse_file("script", h, v), 0);
}

/* Parse an LSB header from text. */
static void
lsb_from(const char *text, struct lsb_header *h)
{
	testutil_write("script", text);
	memset(h, 0, sizeof(*h));
	ATF_REQUIRE_EQ(lsb_parse_file("script", h), 0);
}

/* A list, joined by single spaces, for comparing. */
static char *
joined(const struct strlist *l)
{
	struct textbuf	b = { NULL, 0, 0 };
	size_t		i;

	textbuf_add(&b, "");
	for (i = 0; i < l->n; i++)
		textbuf_printf(&b, "%s%s", i > 0 ? " " : "", l->v[i]);
	return (b.s);
}

/* Check a list against the words expected. */
#define LIST_EQ(l, s) do {						\
	char *j_ = joined(l);						\
	ATF_CHECK_STREQ_MSG(j_, (s), "%s is \"%s\"", #l, j_);		\
	free(j_);							\
} while (0)

/* Add a space-separated list of words. */
static void
words(struct strlist *l, const char *s)
{
	char	*copy, *p, *w;

	if (s == NULL)
		return;
	copy = strdup(s);
	for (p = copy; (w = strsep(&p, " ")) != NULL; ) {
		if (*w != '\0')
			strlist_add(l, w);
	}
	free(copy);
}

/* Add an rc.d script to a graph, as if read from a file of that name. */
static struct graph_node *
rcd(struct graph *g, const char *name, const char *provide,
    const char *require, const char *before, const char *keyword)
{
	struct graph_node	*n;
	char			*path = import_printf("/etc/rc.d/%s", name);

	n = graph_add(g, NODE_RCD, name, path, path, 0);
	words(&n->rcd.provide, provide);
	words(&n->rcd.require, require);
	words(&n->rcd.before, before);
	words(&n->rcd.keyword, keyword);
	n->rcd.tagged = 1;
	free(path);
	return (n);
}

/* Add an LSB script to a graph. */
static struct graph_node *
lsb(struct graph *g, const char *name, const char *provides,
    const char *required, const char *should, const char *start,
    const char *stop)
{
	struct graph_node	*n;
	char			*path = import_printf("/etc/init.d/%s", name);

	n = graph_add(g, NODE_LSB, name, path, path, 0);
	n->lsb.has_header = n->lsb.has_end = 1;
	words(&n->lsb.provides, provides);
	words(&n->lsb.required_start, required);
	words(&n->lsb.should_start, should);
	words(&n->lsb.default_start, start);
	words(&n->lsb.default_stop, stop);
	free(path);
	return (n);
}

/* Add a facility node as dinit-import does. */
static struct graph_node *
facility(struct graph *g, const char *fac, const char *members)
{
	struct graph_node	*n;
	char			*name = import_printf("lsb.%s", fac + 1);

	n = graph_add(g, NODE_FACILITY, name, fac, NULL, 1);
	words(&n->members, members);
	free(name);
	return (n);
}

/* A quiet graph, ordered. */
static void
graph_run(struct graph *g)
{
	graph_resolve(g);
	graph_order(g);
	graph_edges(g);
}

/* The names in the derived order, joined. */
static char *
order_of(struct graph *g)
{
	struct strlist	l = { NULL, 0, 0 };
	char		*s;
	size_t		i;

	for (i = 0; i < g->norder; i++)
		strlist_add(&l, g->order[i]->name);
	s = joined(&l);
	strlist_free(&l);
	return (s);
}

/* Whether the graph kept an edge from -> to. */
static int
has_edge(struct graph *g, const char *from, const char *to)
{
	struct graph_node	*n = graph_find(g, from);
	size_t			 i;

	ATF_REQUIRE(n != NULL);
	for (i = 0; i < n->nedges; i++) {
		if (strcmp(n->edges[i].to->name, to) == 0)
			return (1);
	}
	return (0);
}

/* Whether a message containing the text was reported. */
static int
reported(struct graph *g, const char *text)
{
	size_t	i;

	for (i = 0; i < g->messages.n; i++) {
		if (strstr(g->messages.v[i], text) != NULL)
			return (1);
	}
	return (0);
}

/* A graph that keeps its messages to itself. */
static void
quiet_graph(struct graph *g, const struct graph_settings *s)
{
	graph_init(g, s);
	g->msgfp = NULL;
}

ATF_TC_WITHOUT_HEAD(rcorder_tags);
ATF_TC_BODY(rcorder_tags, tc)
{
	struct rcd_header	h;

	rcd_from("#!/bin/sh\n#\n# $FreeBSD$\n\n"
	    "# PROVIDE: NETWORKING NETWORK\n"
	    "# REQUIRE: netif netwait\n"
	    "# REQUIRE:\tdefaultroute  route6d\n"
	    "# REQUIRES: static_arp\n"
	    "# BEFORE:  DAEMON\n"
	    "# PROVIDES:x\n"
	    "# KEYWORD: nojail shutdown\n"
	    "# KEYWORDS: resume\n"
	    "\n. /etc/rc.subr\n", &h, NULL);
	ATF_CHECK(h.tagged);
	LIST_EQ(&h.provide, "NETWORKING NETWORK x");
	LIST_EQ(&h.require, "netif netwait defaultroute route6d static_arp");
	LIST_EQ(&h.before, "DAEMON");
	LIST_EQ(&h.keyword, "nojail shutdown resume");
	rcorder_header_free(&h);
}

ATF_TC_WITHOUT_HEAD(rcorder_strict);
ATF_TC_BODY(rcorder_strict, tc)
{
	struct rcd_header	h;

	/* Exactly "# TAG:" at column 0, case and spacing included. */
	rcd_from("#PROVIDE: a\n#  PROVIDE: b\n # PROVIDE: c\n"
	    "# provide: d\n# PROVIDE : e\n## PROVIDE: f\n", &h, NULL);
	ATF_CHECK(!h.tagged);
	ATF_CHECK_EQ(h.provide.n, 0);
	rcorder_header_free(&h);

	/* A file with no tags is still read, as a node of nothing. */
	rcd_from("#!/bin/sh\necho hello\n", &h, NULL);
	ATF_CHECK(!h.tagged);
	rcorder_header_free(&h);
}

ATF_TC_WITHOUT_HEAD(rcorder_block_end);
ATF_TC_BODY(rcorder_block_end, tc)
{
	struct rcd_header	h;

	/* FreeBSD 12.1's sendmail: its KEYWORD comes after a comment. */
	rcd_from("#!/bin/sh\n#\n\n# PROVIDE: mail\n"
	    "# REQUIRE: LOGIN FILESYSTEMS\n"
	    "#\twe make mail start late\n"
	    "# KEYWORD: shutdown\n", &h, NULL);
	LIST_EQ(&h.provide, "mail");
	LIST_EQ(&h.require, "LOGIN FILESYSTEMS");
	ATF_CHECK_EQ(h.keyword.n, 0);
	rcorder_header_free(&h);

	/* A blank line ends the block too. */
	rcd_from("# PROVIDE: a\n\n# REQUIRE: b\n", &h, NULL);
	LIST_EQ(&h.provide, "a");
	ATF_CHECK_EQ(h.require.n, 0);
	rcorder_header_free(&h);
}

ATF_TC_WITHOUT_HEAD(rcorder_continuation);
ATF_TC_BODY(rcorder_continuation, tc)
{
	struct rcd_header	h;

	rcd_from("# PROVIDE: a\n# REQUIRE: b \\\n c\n"
	    "# REQUIRE: d\\\ne\n# BEFORE: f\\\\\n# KEYWORD: g\n", &h, NULL);
	LIST_EQ(&h.provide, "a");
	LIST_EQ(&h.require, "b c de");
	/* An escaped backslash does not continue the line. */
	LIST_EQ(&h.before, "f\\\\");
	LIST_EQ(&h.keyword, "g");
	rcorder_header_free(&h);

	/* The empty line a backslash joins does not end the block. */
	rcd_from("# PROVIDE: a \\\n\n# REQUIRE: b\n\n# BEFORE: c\n", &h,
	    NULL);
	LIST_EQ(&h.provide, "a");
	LIST_EQ(&h.require, "b");
	ATF_CHECK_EQ(h.before.n, 0);
	rcorder_header_free(&h);
}

ATF_TC_WITHOUT_HEAD(rcorder_vars);
ATF_TC_BODY(rcorder_vars, tc)
{
	struct rcd_header	h;
	struct rcd_vars		v;

	rcd_from("# PROVIDE: sshd\n\n. /etc/rc.subr\n\nname=\"sshd\"\n"
	    "rcvar=\"${name}_enable\"\ncommand=/usr/sbin/sshd\n", &h, &v);
	ATF_CHECK_STREQ(v.name, "sshd");
	ATF_CHECK_STREQ(v.rcvar, "sshd_enable");
	ATF_CHECK(v.provide_line);
	rcorder_header_free(&h);
	rcorder_vars_free(&v);

	rcd_from("# REQUIRE: a\nname=ntpd\nrcvar=`set_rcvar`\n", &h, &v);
	ATF_CHECK_STREQ(v.rcvar, "ntpd_enable");
	ATF_CHECK(!v.provide_line);
	rcorder_header_free(&h);
	rcorder_vars_free(&v);

	rcd_from("# PROVIDE: x\nname=x\n", &h, &v);
	ATF_CHECK(v.rcvar == NULL);
	rcorder_header_free(&h);
	rcorder_vars_free(&v);
}

ATF_TC_WITHOUT_HEAD(rcorder_scratch);
ATF_TC_BODY(rcorder_scratch, tc)
{
	ATF_CHECK(rcorder_scratch_name("sshd~"));
	ATF_CHECK(rcorder_scratch_name("sshd#"));
	ATF_CHECK(rcorder_scratch_name("sshd.OLD"));
	ATF_CHECK(rcorder_scratch_name("sshd.bak"));
	ATF_CHECK(rcorder_scratch_name("sshd.orig"));
	ATF_CHECK(rcorder_scratch_name("sshd,v"));
	ATF_CHECK(rcorder_scratch_name(".hidden"));
	ATF_CHECK(!rcorder_scratch_name("sshd"));
	ATF_CHECK(!rcorder_scratch_name("NETWORKING"));
}

ATF_TC_WITHOUT_HEAD(lsb_header);
ATF_TC_BODY(lsb_header, tc)
{
	struct lsb_header	h;

	lsb_from("#!/bin/sh\n### BEGIN INIT INFO\n"
	    "# Provides:          cron\n"
	    "# Required-Start:    $remote_fs $syslog $time\n"
	    "# Required-Stop:     $remote_fs $syslog $time\n"
	    "# Should-Start:      $network $named slapd\n"
	    "# Default-Start:     2 3 4 5\n"
	    "# Default-Stop:\n"
	    "# X-Start-Before:    nginx\n"
	    "# Short-Description: Regular background program processing\n"
	    "# Description:       cron is a standard UNIX program that\n"
	    "#                    runs programs at periodic times.\n"
	    "#\tvixie cron adds features.\n"
	    "### END INIT INFO\n"
	    "# Provides: notme\n", &h);
	ATF_CHECK(h.has_header);
	ATF_CHECK(h.has_end);
	LIST_EQ(&h.provides, "cron");
	LIST_EQ(&h.required_start, "$remote_fs $syslog $time");
	LIST_EQ(&h.required_stop, "$remote_fs $syslog $time");
	LIST_EQ(&h.should_start, "$network $named slapd");
	LIST_EQ(&h.default_start, "2 3 4 5");
	ATF_CHECK_EQ(h.default_stop.n, 0);
	LIST_EQ(&h.start_before, "nginx");
	ATF_CHECK_STREQ(h.short_description,
	    "Regular background program processing");
	ATF_CHECK_STREQ(h.description, "cron is a standard UNIX program that "
	    "runs programs at periodic times. vixie cron adds features.");
	ATF_CHECK(!h.interactive);
	lsb_header_free(&h);
}

ATF_TC_WITHOUT_HEAD(lsb_lenient);
ATF_TC_BODY(lsb_lenient, tc)
{
	struct lsb_header	h;

	/* insserv takes keys in any case, no space, tabs and commas. */
	lsb_from("#!/bin/sh\n###   BEGIN INIT INFO  \t\n"
	    "#provides:\tfoo,bar\n"
	    "# REQUIRED-START:$local_fs\n"
	    "#\tdefault-start: S\n"
	    "# X-Interactive: true\n"
	    "not a comment at all\n"
	    "# Default-Stop: 0 6\n"
	    "### END INIT INFO   \n", &h);
	ATF_CHECK(h.has_header);
	ATF_CHECK(h.has_end);
	LIST_EQ(&h.provides, "foo bar");
	LIST_EQ(&h.required_start, "$local_fs");
	LIST_EQ(&h.default_start, "S");
	LIST_EQ(&h.default_stop, "0 6");
	ATF_CHECK(h.interactive);
	lsb_header_free(&h);

	/* No header at all; a header without its end. */
	lsb_from("#!/bin/sh\n# Provides: foo\n", &h);
	ATF_CHECK(!h.has_header);
	ATF_CHECK_EQ(h.provides.n, 0);
	lsb_header_free(&h);
	lsb_from("### BEGIN INIT INFO\n# Provides: foo\n", &h);
	ATF_CHECK(h.has_header);
	ATF_CHECK(!h.has_end);
	LIST_EQ(&h.provides, "foo");
	lsb_header_free(&h);
}

ATF_TC_WITHOUT_HEAD(lsb_names);
ATF_TC_BODY(lsb_names, tc)
{
	ATF_CHECK(lsb_ignored_name("nginx.dpkg-old"));
	ATF_CHECK(lsb_ignored_name("nginx.dpkg-dist"));
	ATF_CHECK(lsb_ignored_name("ssh.ucf-old"));
	ATF_CHECK(lsb_ignored_name("cron.orig"));
	ATF_CHECK(lsb_ignored_name("cron~"));
	ATF_CHECK(lsb_ignored_name("cron.swp"));
	ATF_CHECK(lsb_ignored_name("README"));
	ATF_CHECK(lsb_ignored_name("rc"));
	ATF_CHECK(lsb_ignored_name("rcS"));
	ATF_CHECK(lsb_ignored_name("skeleton"));
	ATF_CHECK(lsb_ignored_name(".depend.boot"));
	ATF_CHECK(lsb_ignored_name("_private"));
	ATF_CHECK(!lsb_ignored_name("rc.local"));
	ATF_CHECK(!lsb_ignored_name("mountall.sh"));
	ATF_CHECK(!lsb_ignored_name("cron"));
}

ATF_TC_WITHOUT_HEAD(lsb_conf);
ATF_TC_BODY(lsb_conf, tc)
{
	struct lsb_conf		 c;
	struct lsb_facility	*f;

	memset(&c, 0, sizeof(c));
	lsb_conf_default(&c);
	ATF_REQUIRE((f = lsb_conf_find(&c, "$remote_fs")) != NULL);
	LIST_EQ(&f->members, "$local_fs +mountnfs +mountnfs-bootclean "
	    "+umountnfs +sendsigs");
	ATF_REQUIRE((f = lsb_conf_find(&c, "$network")) != NULL);
	LIST_EQ(&f->members, "+networking +ifupdown");
	ATF_CHECK(strlist_find(&c.interactive, "keyboard-setup") != -1);
	lsb_conf_free(&c);

	/* A file and its directory: later lines add to earlier ones. */
	testutil_mkdir("etc");
	testutil_mkdir("etc/insserv.conf.d");
	testutil_write("etc/insserv.conf", "# comment\n"
	    "$syslog +rsyslog   # trailing\n<interactive> a b\n"
	    "<other> c\n\n");
	testutil_write("etc/insserv.conf.d/bind9", "$named +bind9\n");
	testutil_write("etc/insserv.conf.d/postfix",
	    "$mail-transport-agent postfix\n$syslog +syslog-ng\n");
	testutil_write("etc/insserv.conf.d/postfix.dpkg-old", "$x y\n");
	ATF_REQUIRE_EQ(lsb_conf_read(&c, "etc"), 0);
	ATF_REQUIRE((f = lsb_conf_find(&c, "$syslog")) != NULL);
	LIST_EQ(&f->members, "+rsyslog +syslog-ng");
	ATF_REQUIRE((f = lsb_conf_find(&c, "$mail-transport-agent")) != NULL);
	LIST_EQ(&f->members, "postfix");
	ATF_CHECK(lsb_conf_find(&c, "$named") != NULL);
	ATF_CHECK(lsb_conf_find(&c, "$x") == NULL);
	LIST_EQ(&c.interactive, "a b");
	lsb_conf_free(&c);
	ATF_CHECK_EQ(lsb_conf_read(&c, "nonexistent"), -1);
}

ATF_TC_WITHOUT_HEAD(rcconf);
ATF_TC_BODY(rcconf, tc)
{
	struct environ	vars;

	environ_init(&vars);
	testutil_write("rc.conf", "# comment\n"
	    "sshd_enable=\"YES\"\n"
	    "  cron_enable=NO   # off\n"
	    "ntpd_flags='-g -x'\n"
	    "quoted=\"a \\\"b\\\" $c\"\n"
	    "if [ -f x ]; then\n"
	    "   foo=bar\n"
	    "fi\n"
	    "sshd_enable=yes\n");
	ATF_REQUIRE_EQ(rcconf_read(&vars, "rc.conf"), 0);
	ATF_CHECK_STREQ(environ_get(&vars, "sshd_enable", 11), "yes");
	ATF_CHECK_STREQ(environ_get(&vars, "cron_enable", 11), "NO");
	ATF_CHECK_STREQ(environ_get(&vars, "ntpd_flags", 10), "-g -x");
	ATF_CHECK_STREQ(environ_get(&vars, "quoted", 6), "a \"b\" $c");
	ATF_CHECK_STREQ(environ_get(&vars, "foo", 3), "bar");
	environ_clear(&vars);

	ATF_CHECK_EQ(rcconf_checkyesno("YES"), 1);
	ATF_CHECK_EQ(rcconf_checkyesno("True"), 1);
	ATF_CHECK_EQ(rcconf_checkyesno("on"), 1);
	ATF_CHECK_EQ(rcconf_checkyesno("1"), 1);
	ATF_CHECK_EQ(rcconf_checkyesno("no"), 0);
	ATF_CHECK_EQ(rcconf_checkyesno("OFF"), 0);
	ATF_CHECK_EQ(rcconf_checkyesno("0"), 0);
	ATF_CHECK_EQ(rcconf_checkyesno("maybe"), -1);
	ATF_CHECK_EQ(rcconf_checkyesno(NULL), -1);
}

ATF_TC_WITHOUT_HEAD(graph_argv_order);
ATF_TC_BODY(graph_argv_order, tc)
{
	struct graph	 g;
	char		*o;

	/* rcorder takes the last file first and prints as files finish. */
	quiet_graph(&g, NULL);
	rcd(&g, "x", "x", NULL, NULL, NULL);
	rcd(&g, "y", "y", NULL, NULL, NULL);
	rcd(&g, "z", "z", "x", NULL, NULL);
	graph_run(&g);
	o = order_of(&g);
	ATF_CHECK_STREQ(o, "x z y");
	free(o);
	ATF_CHECK_EQ(g.problems, 0);
	graph_free(&g);
}

ATF_TC_WITHOUT_HEAD(graph_barrier);
ATF_TC_BODY(graph_barrier, tc)
{
	struct graph	 g;
	char		*o;

	/* Several providers of a name: a requirement waits for all. */
	quiet_graph(&g, NULL);
	rcd(&g, "mailq", "mailq", "mail", NULL, NULL);
	rcd(&g, "othermta", "mail", NULL, NULL, NULL);
	rcd(&g, "sendmail", "mail", NULL, NULL, NULL);
	graph_run(&g);
	ATF_CHECK(has_edge(&g, "mailq", "sendmail"));
	ATF_CHECK(has_edge(&g, "mailq", "othermta"));
	o = order_of(&g);
	ATF_CHECK_STREQ(o, "sendmail othermta mailq");
	free(o);
	ATF_CHECK_EQ(g.problems, 0);
	graph_free(&g);
}

ATF_TC_WITHOUT_HEAD(graph_before);
ATF_TC_BODY(graph_before, tc)
{
	struct graph	 g;
	char		*o;

	/* BEFORE turns round: every provider of the name requires us. */
	quiet_graph(&g, NULL);
	rcd(&g, "DAEMON", "DAEMON", NULL, NULL, NULL);
	rcd(&g, "ipfw", "ipfw", NULL, "DAEMON nowhere", NULL);
	graph_run(&g);
	ATF_CHECK(has_edge(&g, "DAEMON", "ipfw"));
	ATF_CHECK(!has_edge(&g, "ipfw", "DAEMON"));
	ATF_CHECK_EQ(g.nodes[0]->reqs[0].kind, EDGE_BEFORE);
	o = order_of(&g);
	ATF_CHECK_STREQ(o, "ipfw DAEMON");
	free(o);
	/* A BEFORE that names nothing is a warning, not a problem. */
	ATF_CHECK(reported(&g, "before unknown provision `nowhere'"));
	ATF_CHECK_EQ(g.problems, 0);
	ATF_CHECK_EQ(g.warnings, 1);
	graph_free(&g);
}

ATF_TC_WITHOUT_HEAD(graph_missing);
ATF_TC_BODY(graph_missing, tc)
{
	struct graph	g;

	quiet_graph(&g, NULL);
	rcd(&g, "d", "d", "a nosuch", NULL, NULL);
	rcd(&g, "a", "a", NULL, NULL, NULL);
	graph_run(&g);
	ATF_CHECK(reported(&g, "requirement `nosuch' in file `/etc/rc.d/d' "
	    "has no providers."));
	ATF_CHECK_EQ(g.problems, 1);
	ATF_CHECK(has_edge(&g, "d", "a"));
	ATF_CHECK_EQ(g.norder, 2);
	graph_free(&g);
}

ATF_TC_WITHOUT_HEAD(graph_cycle);
ATF_TC_BODY(graph_cycle, tc)
{
	struct graph	 g;
	char		*o;
	size_t		 i, k;

	/*
	 * a -> c -> b -> a, as in tests/fixtures/import/cycle; rcorder
	 * prints e b c a d and cuts b's requirement on a.
	 */
	quiet_graph(&g, NULL);
	rcd(&g, "a", "a", "c", NULL, NULL);
	rcd(&g, "b", "b", "a", NULL, NULL);
	rcd(&g, "c", "c", "b", NULL, NULL);
	rcd(&g, "d", "d", "a nosuch", NULL, NULL);
	rcd(&g, "e", "e", NULL, "nowhere d", NULL);
	graph_run(&g);
	o = order_of(&g);
	ATF_CHECK_STREQ(o, "e b c a d");
	free(o);
	ATF_CHECK(reported(&g, "Circular dependency on provision `a' in file "
	    "`/etc/rc.d/b': a -> c -> b -> a."));
	ATF_CHECK_EQ(g.problems, 2);
	ATF_CHECK(!has_edge(&g, "b", "a"));
	ATF_CHECK(has_edge(&g, "c", "b"));
	ATF_CHECK(has_edge(&g, "a", "c"));
	ATF_CHECK(has_edge(&g, "d", "e"));
	ATF_CHECK(reported(&g, "`b' does not wait for `a'"));
	/* What is kept agrees with the order: no cycle is left. */
	for (i = 0; i < g.nnodes; i++) {
		for (k = 0; k < g.nodes[i]->nedges; k++)
			ATF_CHECK(g.nodes[i]->edges[k].to->order <
			    g.nodes[i]->order);
	}
	graph_free(&g);
}

ATF_TC_WITHOUT_HEAD(graph_file_cycle);
ATF_TC_BODY(graph_file_cycle, tc)
{
	struct graph	 g;
	char		*o;

	/*
	 * x requires p (provided by x and y) and y requires x: rcorder meets
	 * x again while it is in progress ("Circular dependency on file").
	 */
	quiet_graph(&g, NULL);
	rcd(&g, "y", "p", "q", NULL, NULL);
	rcd(&g, "x", "p q", "p", NULL, NULL);
	graph_run(&g);
	/*
	 * As rcorder: these reports, and the order y x.  (rcorder also
	 * says "Circular dependency on file `y'", because unlinking x from
	 * its file list twice puts y back on it; that is not copied.)
	 */
	ATF_CHECK(reported(&g, "Circular dependency on file `/etc/rc.d/x'"));
	ATF_CHECK(reported(&g, "Circular dependency on provision `p' in "
	    "file `/etc/rc.d/x'"));
	ATF_CHECK_EQ(g.problems, 2);
	o = order_of(&g);
	ATF_CHECK_STREQ(o, "y x");
	free(o);
	graph_free(&g);
}

ATF_TC_WITHOUT_HEAD(graph_keywords);
ATF_TC_BODY(graph_keywords, tc)
{
	struct graph_settings	 s;
	struct graph		 g;
	struct strlist		 keep = { NULL, 0, 0 }, skip = { NULL, 0, 0 };

	memset(&s, 0, sizeof(s));
	quiet_graph(&g, &s);
	rcd(&g, "plain", "plain", NULL, NULL, NULL);
	rcd(&g, "never", "never", NULL, NULL, "nostart shutdown");
	rcd(&g, "host", "host", NULL, NULL, "nojail");
	rcd(&g, "vnet", "vnet", NULL, NULL, "nojailvnet shutdown");
	rcd(&g, "first", "first", NULL, NULL, "firstboot");
	rcd(&g, "FILESYSTEMS", "FILESYSTEMS", NULL, NULL, "nostart");
	graph_find(&g, "FILESYSTEMS")->milestone = 1;
	graph_classify(&g);
	ATF_CHECK(graph_find(&g, "plain")->boot);
	ATF_CHECK(!graph_find(&g, "never")->boot);
	ATF_CHECK(graph_find(&g, "never")->shutdown);
	ATF_CHECK(graph_find(&g, "host")->boot);
	ATF_CHECK(graph_find(&g, "vnet")->boot);
	ATF_CHECK(!graph_find(&g, "first")->boot);
	ATF_CHECK(!graph_find(&g, "plain")->shutdown);
	/* A milestone always starts: it orders, whatever its keywords. */
	ATF_CHECK(!graph_find(&g, "FILESYSTEMS")->boot);
	ATF_CHECK(graph_find(&g, "FILESYSTEMS")->startable);

	/* In a jail without vnet; the firstboot sentinel exists. */
	g.settings.jail = 1;
	g.settings.firstboot = 1;
	graph_classify(&g);
	ATF_CHECK(!graph_find(&g, "host")->boot);
	ATF_CHECK(!graph_find(&g, "vnet")->boot);
	ATF_CHECK(!graph_find(&g, "vnet")->shutdown);
	ATF_CHECK(graph_find(&g, "first")->boot);
	/* With vnet, nojailvnet scripts run again. */
	g.settings.vnet = 1;
	graph_classify(&g);
	ATF_CHECK(!graph_find(&g, "host")->boot);
	ATF_CHECK(graph_find(&g, "vnet")->boot);

	/* -k and -s, as rcorder's. */
	words(&keep, "shutdown");
	ATF_CHECK(graph_print_ok(graph_find(&g, "never"), &keep, &skip));
	ATF_CHECK(!graph_print_ok(graph_find(&g, "plain"), &keep, &skip));
	words(&skip, "nostart");
	ATF_CHECK(!graph_print_ok(graph_find(&g, "never"), &keep, &skip));
	ATF_CHECK(graph_print_ok(graph_find(&g, "vnet"), &keep, &skip));
	strlist_free(&keep);
	ATF_CHECK(graph_print_ok(graph_find(&g, "plain"), &keep, &skip));
	strlist_free(&skip);

	/* A script that is not executable does not run at boot. */
	graph_find(&g, "plain")->executable = 0;
	graph_classify(&g);
	ATF_CHECK(!graph_find(&g, "plain")->boot);
	g.settings.ignore_mode = 1;
	graph_classify(&g);
	ATF_CHECK(graph_find(&g, "plain")->boot);
	graph_free(&g);
}

ATF_TC_WITHOUT_HEAD(graph_lsb);
ATF_TC_BODY(graph_lsb, tc)
{
	struct graph	 g;

	quiet_graph(&g, NULL);
	facility(&g, "$local_fs", "+mountall +umountfs +absent");
	facility(&g, "$remote_fs", "$local_fs +mountnfs");
	facility(&g, "$network", "+networking");
	facility(&g, "$syslog", "+rsyslog");
	lsb(&g, "mountall.sh", "mountall", NULL, NULL, "S", NULL);
	lsb(&g, "networking", "networking ifupdown", "$local_fs", NULL, "S",
	    "0 6");
	lsb(&g, "rsyslog", "rsyslog", "$remote_fs", NULL, "2 3 4 5",
	    "0 1 6");
	lsb(&g, "cron", "cron", "$remote_fs $syslog",
	    "$network slapd nscd", "2 3 4 5", NULL);
	lsb(&g, "web", "web", "nosuchthing", NULL, "2 3 4 5", NULL);
	lsb(&g, "umountfs", "umountfs", NULL, NULL, NULL, "0 6");
	graph_run(&g);
	/* Facilities stand for their present members, optional or not. */
	ATF_CHECK(has_edge(&g, "lsb.local_fs", "mountall.sh"));
	ATF_CHECK(has_edge(&g, "lsb.local_fs", "umountfs"));
	ATF_CHECK(has_edge(&g, "lsb.remote_fs", "lsb.local_fs"));
	ATF_CHECK(has_edge(&g, "cron", "lsb.remote_fs"));
	ATF_CHECK(has_edge(&g, "cron", "lsb.syslog"));
	ATF_CHECK(has_edge(&g, "lsb.syslog", "rsyslog"));
	/* Should-Start: present names order, absent ones are dropped. */
	ATF_CHECK(has_edge(&g, "cron", "lsb.network"));
	ATF_CHECK(!reported(&g, "slapd"));
	/* A missing Required-Start is a problem; +absent is not. */
	ATF_CHECK(reported(&g, "requirement `nosuchthing'"));
	ATF_CHECK(!reported(&g, "absent"));
	ATF_CHECK_EQ(g.problems, 1);
	/* Run levels: S and 2 start, only 0 or 6 stop. */
	ATF_CHECK(graph_find(&g, "mountall.sh")->boot);
	ATF_CHECK(graph_find(&g, "cron")->boot);
	ATF_CHECK(!graph_find(&g, "umountfs")->boot);
	ATF_CHECK(graph_has_keyword(graph_find(&g, "umountfs"), "nostart"));
	ATF_CHECK(graph_find(&g, "rsyslog")->shutdown);
	ATF_CHECK(!graph_find(&g, "cron")->shutdown);
	ATF_CHECK(graph_has_keyword(graph_find(&g, "networking"),
	    "shutdown"));
	graph_free(&g);
}

ATF_TC_WITHOUT_HEAD(graph_implied);
ATF_TC_BODY(graph_implied, tc)
{
	struct graph	 g;

	/* The rcS stage, and $all after what does not come after it. */
	quiet_graph(&g, NULL);
	graph_add(&g, NODE_STAGE, "lsb.rcS", NULL, NULL, 1);
	facility(&g, "$all", NULL);
	lsb(&g, "early", "early", NULL, NULL, "S", NULL);
	lsb(&g, "early2", "early2", "late", NULL, "S", NULL);
	lsb(&g, "late", "late", NULL, NULL, "2 3 4 5", NULL);
	lsb(&g, "rc.local", "rc.local", "$all", NULL, "2 3 4 5", NULL);
	lsb(&g, "after.local", "after.local", "rc.local", NULL, "2", NULL);
	graph_run(&g);
	ATF_CHECK(has_edge(&g, "late", "lsb.rcS"));
	ATF_CHECK(has_edge(&g, "lsb.rcS", "early"));
	/* early2 needs a run-level script: no stage edge, no cycle. */
	ATF_CHECK(!has_edge(&g, "lsb.rcS", "early2"));
	ATF_CHECK(has_edge(&g, "lsb.all", "late"));
	ATF_CHECK(has_edge(&g, "lsb.all", "early"));
	ATF_CHECK(has_edge(&g, "rc.local", "lsb.all"));
	ATF_CHECK(!has_edge(&g, "lsb.all", "rc.local"));
	ATF_CHECK(!has_edge(&g, "lsb.all", "after.local"));
	ATF_CHECK_EQ(g.problems, 0);
	graph_free(&g);
}

ATF_TC_WITHOUT_HEAD(graph_divider);
ATF_TC_BODY(graph_divider, tc)
{
	struct graph		 g;
	struct graph_node	*n;

	/* Scripts of a later rc.d directory come after FILESYSTEMS. */
	quiet_graph(&g, NULL);
	rcd(&g, "FILESYSTEMS", "FILESYSTEMS", "root", NULL, NULL);
	rcd(&g, "root", "root", NULL, NULL, NULL);
	n = rcd(&g, "webapp", "webapp", NULL, NULL, NULL);
	n->local = 1;
	n = rcd(&g, "early", "early", NULL, "root", NULL);
	n->local = 1;
	graph_run(&g);
	ATF_CHECK(has_edge(&g, "webapp", "FILESYSTEMS"));
	/* Not when the divider comes after it: BEFORE root wins. */
	ATF_CHECK(!has_edge(&g, "early", "FILESYSTEMS"));
	ATF_CHECK(has_edge(&g, "root", "early"));
	ATF_CHECK_EQ(g.problems, 0);
	graph_free(&g);
}

ATF_TC_WITHOUT_HEAD(emit_quoting);
ATF_TC_BODY(emit_quoting, tc)
{
	char	*s;

	s = emit_word("/etc/rc.d/sshd");
	ATF_CHECK_STREQ(s, "/etc/rc.d/sshd");
	free(s);
	s = emit_word("a b\"c\\d$e");
	ATF_CHECK_STREQ(s, "\"a b\\\"c\\\\d$$e\"");
	free(s);
	s = emit_word("");
	ATF_CHECK_STREQ(s, "\"\"");
	free(s);
	s = emit_sh_word("it's");
	ATF_CHECK_STREQ(s, "'it'\\''s'");
	free(s);
	s = emit_service_name("x11 common$");
	ATF_CHECK_STREQ(s, "x11_common_");
	free(s);
	s = emit_service_name("mountall.sh");
	ATF_CHECK_STREQ(s, "mountall.sh");
	free(s);
}

ATF_TC_WITHOUT_HEAD(emit_parses);
ATF_TC_BODY(emit_parses, tc)
{
	struct emit_settings	 es;
	struct service_desc	*desc;
	struct parse_error	 perr;
	struct environ		 env;
	struct graph		 g;
	struct graph_node	*n;
	char			*text, errbuf[1024];

	/* A script whose path needs quoting, read back as dinit reads it. */
	quiet_graph(&g, NULL);
	n = graph_add(&g, NODE_RCD, "odd", "/x/rc d/$odd\"", "/x/rc d/$odd\"",
	    0);
	words(&n->rcd.provide, "odd");
	words(&n->rcd.keyword, "shutdown");
	graph_run(&g);
	memset(&es, 0, sizeof(es));
	es.stop_timeout = 90;
	es.group = "boot";
	text = emit_node_text(&g, n, &es);
	testutil_write("odd", text);
	testutil_write(".rc.d.env", "HOME=/\n");
	ATF_REQUIRE_MSG(emit_check("odd", "odd", errbuf, sizeof(errbuf)) == 0,
	    "%s", errbuf);
	environ_init(&env);
	ATF_REQUIRE((desc = parse_service("odd", "odd", &env, &perr)) !=
	    NULL);
	ATF_REQUIRE(desc->command != NULL);
	ATF_CHECK_STREQ(desc->command[0], "/bin/sh");
	ATF_CHECK_STREQ(desc->command[1], "-c");
	ATF_CHECK_STREQ(desc->command[2], "autoboot=yes rc_fast=yes; "
	    "set -- faststart; . \"$0\"");
	ATF_CHECK_STREQ(desc->command[3], "/x/rc d/$odd\"");
	ATF_CHECK(desc->command[4] == NULL);
	ATF_REQUIRE(desc->stop_command != NULL);
	ATF_CHECK_STREQ(desc->stop_command[1], "/x/rc d/$odd\"");
	ATF_CHECK_STREQ(desc->stop_command[2], "faststop");
	ATF_CHECK_EQ(desc->type, SERVICE_SCRIPTED);
	ATF_CHECK_EQ(desc->stop_timeout, 90000);
	ATF_CHECK_EQ(desc->start_timeout, 0);
	ATF_CHECK_EQ(desc->restart, RESTART_NO);
	parse_desc_free(desc);
	environ_clear(&env);
	free(text);
	graph_free(&g);
}

ATF_TC_WITHOUT_HEAD(emit_bypass);
ATF_TC_BODY(emit_bypass, tc)
{
	struct graph		 g;
	struct emit_dep		*deps;
	size_t			 ndeps;

	/*
	 * a REQUIRE b, b (nostart) REQUIRE c: a must not start b, yet
	 * still come after c, as in rcorder's order.
	 */
	quiet_graph(&g, NULL);
	rcd(&g, "a", "a", "b", NULL, NULL);
	rcd(&g, "b", "b", "c", NULL, "nostart");
	rcd(&g, "c", "c", NULL, NULL, NULL);
	graph_run(&g);
	emit_deps(&g, graph_find(&g, "a"), &deps, &ndeps);
	ATF_REQUIRE_EQ(ndeps, 2);
	ATF_CHECK_STREQ(deps[0].setting, "after");
	ATF_CHECK_STREQ(deps[0].name, "b");
	ATF_CHECK_STREQ(deps[1].setting, "after");
	ATF_CHECK_STREQ(deps[1].name, "c");
	free(deps);
	emit_deps(&g, graph_find(&g, "b"), &deps, &ndeps);
	ATF_REQUIRE_EQ(ndeps, 1);
	ATF_CHECK_STREQ(deps[0].setting, "waits-for");
	ATF_CHECK_STREQ(deps[0].name, "c");
	free(deps);
	graph_free(&g);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, rcorder_tags);
	ATF_TP_ADD_TC(tp, rcorder_strict);
	ATF_TP_ADD_TC(tp, rcorder_block_end);
	ATF_TP_ADD_TC(tp, rcorder_continuation);
	ATF_TP_ADD_TC(tp, rcorder_vars);
	ATF_TP_ADD_TC(tp, rcorder_scratch);
	ATF_TP_ADD_TC(tp, lsb_header);
	ATF_TP_ADD_TC(tp, lsb_lenient);
	ATF_TP_ADD_TC(tp, lsb_names);
	ATF_TP_ADD_TC(tp, lsb_conf);
	ATF_TP_ADD_TC(tp, rcconf);
	ATF_TP_ADD_TC(tp, graph_argv_order);
	ATF_TP_ADD_TC(tp, graph_barrier);
	ATF_TP_ADD_TC(tp, graph_before);
	ATF_TP_ADD_TC(tp, graph_missing);
	ATF_TP_ADD_TC(tp, graph_cycle);
	ATF_TP_ADD_TC(tp, graph_file_cycle);
	ATF_TP_ADD_TC(tp, graph_keywords);
	ATF_TP_ADD_TC(tp, graph_lsb);
	ATF_TP_ADD_TC(tp, graph_implied);
	ATF_TP_ADD_TC(tp, graph_divider);
	ATF_TP_ADD_TC(tp, emit_quoting);
	ATF_TP_ADD_TC(tp, emit_parses);
	ATF_TP_ADD_TC(tp, emit_bypass);
	return (atf_no_error());
}
