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
 * Unit tests of load.c: finding descriptions in the service directories,
 * loading dependencies on demand, ordering placeholders, service
 * arguments, cycle refusal, and the transaction that leaves the set as it
 * was when a load fails.  Nothing is started: the engine gets a fake set
 * of operations.  Service files are written into the test case's own
 * temporary directory, mostly into "sd".
 */

#include "dinit.h"

#include <sys/resource.h>
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>

#include "testutil.h"

#define CHAIN_LENGTH	5000

/* Launching is never asked for here; refuse it if it is. */
static int
fake_launch(struct service *s, enum launch_kind kind, pid_t *pid)
{
	(void)s;
	(void)kind;
	(void)pid;
	errno = ENOSYS;
	return (-1);
}

/* Pretend a signal was sent. */
static int
fake_kill(struct service *s, pid_t pid, int sig, int group)
{
	(void)s;
	(void)pid;
	(void)sig;
	(void)group;
	return (0);
}

/* No timers in these tests. */
static int
fake_timer_set(struct service *s, unsigned long ms)
{
	(void)s;
	(void)ms;
	return (0);
}

/* No timers in these tests. */
static void
fake_timer_clear(struct service *s)
{
	(void)s;
}

/* Time stands still. */
static uint64_t
fake_now(void)
{
	return (0);
}

/* Events are not observed. */
static void
fake_notify(struct service *s, enum service_event event)
{
	(void)s;
	(void)event;
}

/* Chaining is not observed. */
static void
fake_chain(struct service *s, const char *next)
{
	(void)s;
	(void)next;
}

static const struct service_ops fake_ops = {
	.attach = NULL,
	.detach = NULL,
	.launch = fake_launch,
	.kill = fake_kill,
	.timer_set = fake_timer_set,
	.timer_clear = fake_timer_clear,
	.now = fake_now,
	.notify = fake_notify,
	.chain = fake_chain,
};

/* A service set with its environment, as one test case uses it. */
struct fixture {
	struct service_set	set;
	struct environ		env;
};

/* Set up a service set that searches the given directories in order. */
static void
fixture_init(struct fixture *fx, const char *const *dirs, size_t ndirs)
{
	service_set_init(&fx->set, &fake_ops);
	environ_init(&fx->env);
	fx->set.env = &fx->env;
	ATF_REQUIRE_EQ(0, load_set_dirs(&fx->set, dirs, ndirs));
}

/* Set up a service set on the single directory "sd", made here. */
static void
fixture_sd(struct fixture *fx)
{
	static const char *const dirs[] = { "sd" };

	testutil_mkdir("sd");
	fixture_init(fx, dirs, 1);
}

/* Free everything a fixture holds. */
static void
fixture_free(struct fixture *fx)
{
	service_set_free(&fx->set);
	environ_clear(&fx->env);
}

/* Write a service description dir/name from a format. */
static void
put(const char *dir, const char *name, const char *fmt, ...)
{
	char	path[PATH_MAX], text[4096];
	va_list	ap;
	int	n;

	ATF_REQUIRE((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
	    name) < sizeof(path));
	va_start(ap, fmt);
	n = vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	ATF_REQUIRE(n >= 0 && (size_t)n < sizeof(text));
	testutil_write(path, text);
}

/* Load a service that must load; returns its record. */
static struct service *
must_load(struct fixture *fx, const char *name)
{
	struct parse_error	 err;
	struct service		*s;
	char			 buf[2048];

	s = load_service(&fx->set, name, &err);
	ATF_REQUIRE_MSG(s != NULL, "loading %s: %s", name,
	    parse_error_string(&err, buf, sizeof(buf)));
	ATF_CHECK_STREQ(name, s->name);
	ATF_CHECK(s->type != SERVICE_PLACEHOLDER);
	ATF_CHECK(s->desc != NULL);
	ATF_CHECK(service_find(&fx->set, name) == s);
	return (s);
}

/* Load a service that must be refused; the formatted error goes to buf. */
static void
must_fail(struct fixture *fx, const char *name, char *buf, size_t len)
{
	struct parse_error	err;

	memset(&err, 0, sizeof(err));
	ATF_REQUIRE_MSG(load_service(&fx->set, name, &err) == NULL,
	    "loading %s succeeded, but should have failed", name);
	ATF_REQUIRE_MSG(err.msg[0] != '\0', "loading %s failed without a "
	    "message", name);
	(void)parse_error_string(&err, buf, len);
}

/* Find a record that must exist. */
static struct service *
must_find(struct fixture *fx, const char *name)
{
	struct service	*s;

	s = service_find(&fx->set, name);
	ATF_REQUIRE_MSG(s != NULL, "no record of %s", name);
	return (s);
}

/*
 * The number of edges of a type from one service to another, counted in
 * the dependent's list and checked against the dependency's list.
 */
static int
edges(const struct service *from, const struct service *to,
    enum dependency_type type)
{
	const struct dependency	*d;
	int			 out = 0, in = 0;

	TAILQ_FOREACH(d, &from->depends, from_entry) {
		ATF_CHECK(d->from == from);
		if (d->to == to && d->type == type)
			out++;
	}
	TAILQ_FOREACH(d, &to->dependents, to_entry) {
		ATF_CHECK(d->to == to);
		if (d->from == from && d->type == type)
			in++;
	}
	ATF_CHECK_EQ_MSG(out, in, "%s -> %s: %d edges in depends, %d in "
	    "dependents", from->name, to->name, out, in);
	return (out);
}

/* The length of an edge list. */
static size_t
depends_count(const struct service *s)
{
	const struct dependency	*d;
	size_t			 n = 0;

	TAILQ_FOREACH(d, &s->depends, from_entry)
		n++;
	return (n);
}

/* The length of an edge list. */
static size_t
dependents_count(const struct service *s)
{
	const struct dependency	*d;
	size_t			 n = 0;

	TAILQ_FOREACH(d, &s->dependents, to_entry)
		n++;
	return (n);
}

/*
 * A description of the whole set: every record, its type, description
 * and holders, and every edge at both ends, by address.  Two equal
 * snapshots mean nothing was added, removed or replaced.  Also checks
 * that set->count and the name index agree with the list.
 */
static char *
snapshot(struct service_set *set)
{
	const struct service	*s;
	const struct dependency	*d;
	char			*text = NULL;
	size_t			 len = 0, n = 0;
	FILE			*fp;

	ATF_REQUIRE((fp = open_memstream(&text, &len)) != NULL);
	fprintf(fp, "count %zu\n", set->count);
	TAILQ_FOREACH(s, &set->services, set_entry) {
		n++;
		ATF_CHECK_MSG(service_find(set, s->name) == s,
		    "%s is not found by name", s->name);
		fprintf(fp, "%p %s type %d desc %p holders %u\n", (void *)s,
		    s->name, (int)s->type, (void *)s->desc, s->holders);
		TAILQ_FOREACH(d, &s->depends, from_entry)
			fprintf(fp, "\t-> %p %p %s %d\n", (void *)d,
			    (void *)d->to, d->to->name, (int)d->type);
		TAILQ_FOREACH(d, &s->dependents, to_entry)
			fprintf(fp, "\t<- %p %p %s %d\n", (void *)d,
			    (void *)d->from, d->from->name, (int)d->type);
	}
	ATF_REQUIRE(fclose(fp) == 0);
	ATF_CHECK_EQ_MSG(n, set->count, "%zu records listed, count %zu", n,
	    set->count);
	return (text);
}

/* Check that the set still matches an earlier snapshot; frees it. */
static void
check_unchanged(struct service_set *set, char *before)
{
	char	*after;

	after = snapshot(set);
	ATF_CHECK_MSG(strcmp(before, after) == 0,
	    "the set changed:\n--- before\n%s--- after\n%s", before, after);
	free(before);
	free(after);
}

/* Whether c may be part of a service name. */
static int
name_char(int c)
{
	return (isalnum(c) || c == '_' || c == '.' || c == '@' || c == '-');
}

/*
 * Check that the service names appearing in msg, read as whole words in
 * order (other words ignored), walk along the cycle names[0] -> names[1]
 * -> ... -> names[n-1] -> names[0], starting anywhere.  Returns how many
 * names were seen, or -1 if one did not follow its predecessor.
 */
static int
cycle_words(const char *msg, const char *const *names, size_t n)
{
	const char	*p = msg, *start;
	size_t		 len, i, prev = 0;
	int		 seen = 0;

	while (*p != '\0') {
		if (!name_char((unsigned char)*p)) {
			p++;
			continue;
		}
		for (start = p; name_char((unsigned char)*p); p++)
			;
		len = (size_t)(p - start);
		/* The arrow "-(depends-on)->" is not a name. */
		while (len > 0 && start[len - 1] == '-')
			len--;
		for (i = 0; i < n; i++) {
			if (strlen(names[i]) == len &&
			    strncmp(names[i], start, len) == 0)
				break;
		}
		if (i == n)
			continue;
		if (seen > 0 && i != (prev + 1) % n)
			return (-1);
		prev = i;
		seen++;
	}
	return (seen);
}

/*
 * Check that an error message shows the whole cycle, closed.  A leading
 * "file:line: " is skipped: the file's name is a service name too.
 */
static void
check_cycle_message(const char *msg, const char *const *names, size_t n)
{
	const char	*text;
	int		 seen;

	text = (text = strstr(msg, ": ")) != NULL ? text + 2 : msg;
	seen = cycle_words(text, names, n);
	ATF_CHECK_MSG(seen == (int)n + 1,
	    "the message does not show the cycle (%d names in order): %s",
	    seen, msg);
}

/*
 * Search order: the first directory holding a file of the service's name
 * wins; a missing directory is skipped.
 */
ATF_TC_WITHOUT_HEAD(search_order);
ATF_TC_BODY(search_order, tc)
{
	static const char *const dirs[] = { "nowhere", "first", "second" };
	struct fixture	 fx;
	struct service	*a, *b;

	testutil_mkdir("first");
	testutil_mkdir("second");
	put("first", "a", "type = process\ncommand = /bin/echo first\n");
	put("second", "a", "type = process\ncommand = /bin/echo second\n");
	put("second", "b", "type = scripted\ncommand = /bin/echo b\n");
	fixture_init(&fx, dirs, 3);

	a = must_load(&fx, "a");
	ATF_CHECK_EQ(SERVICE_PROCESS, a->type);
	ATF_CHECK_STREQ("first/a", desc_file(a->desc));
	ATF_REQUIRE(a->desc->command != NULL &&
	    a->desc->command[1] != NULL);
	ATF_CHECK_STREQ("first", a->desc->command[1]);

	b = must_load(&fx, "b");
	ATF_CHECK_EQ(SERVICE_SCRIPTED, b->type);
	ATF_CHECK_STREQ("second/b", desc_file(b->desc));
	ATF_CHECK_EQ(2, fx.set.count);
	fixture_free(&fx);
}

/* A service that is nowhere: refused, naming it, and nothing is left. */
ATF_TC_WITHOUT_HEAD(missing_service);
ATF_TC_BODY(missing_service, tc)
{
	struct fixture	fx;
	char		msg[2048];

	fixture_sd(&fx);
	must_fail(&fx, "nosuch", msg, sizeof(msg));
	ATF_CHECK_MSG(strstr(msg, "nosuch") != NULL,
	    "the error does not name the service: %s", msg);
	ATF_CHECK_EQ(0, fx.set.count);
	ATF_CHECK(service_find(&fx.set, "nosuch") == NULL);
	fixture_free(&fx);
}

/* A missing dependency: the error names it; the dependent is not kept. */
ATF_TC_WITHOUT_HEAD(missing_dependency);
ATF_TC_BODY(missing_dependency, tc)
{
	struct fixture	fx;
	char		msg[2048];

	fixture_sd(&fx);
	put("sd", "a", "depends-on: b\n");
	put("sd", "b", "waits-for: ghost\n");
	must_fail(&fx, "a", msg, sizeof(msg));
	ATF_CHECK_MSG(strstr(msg, "ghost") != NULL,
	    "the error does not name the missing service: %s", msg);
	ATF_CHECK_EQ(0, fx.set.count);
	ATF_CHECK(service_find(&fx.set, "a") == NULL);
	ATF_CHECK(service_find(&fx.set, "b") == NULL);
	ATF_CHECK(service_find(&fx.set, "ghost") == NULL);
	fixture_free(&fx);
}

/* Names that could escape the service directories are refused. */
ATF_TC_WITHOUT_HEAD(invalid_names);
ATF_TC_BODY(invalid_names, tc)
{
	static const char *const bad[] = {
		"", ".hidden", "@arg", "../sd/a", "sd/a", "/etc/passwd"
	};
	struct fixture	fx;
	char		msg[2048];
	size_t		i;

	fixture_sd(&fx);
	testutil_mkdir("sd/sd");
	put("sd", "a", "type = internal\n");
	put("sd/sd", "a", "type = internal\n");
	put("sd", ".hidden", "type = internal\n");
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		must_fail(&fx, bad[i], msg, sizeof(msg));
		ATF_CHECK_EQ_MSG(0, fx.set.count, "after loading '%s'",
		    bad[i]);
	}
	fixture_free(&fx);
}

/*
 * Every kind of dependency is loaded on demand and becomes an edge of its
 * own type, seen from both ends.
 */
ATF_TC_WITHOUT_HEAD(template_recursion);
ATF_TC_BODY(template_recursion, tc)
{
	struct fixture	 fx;
	char		 buf[1024], *before;

	fixture_sd(&fx);
	put("sd", "t", "type = internal\ndepends-on: t@${1}x\n");
	put("sd", "u", "type = internal\ndepends-on: v@${1}\n");
	put("sd", "v", "type = internal\ndepends-on: u@${1}y\n");
	put("sd", "ok", "type = internal\n");
	(void)must_load(&fx, "ok");
	before = snapshot(&fx.set);

	/* Each instance names a longer one of the same template. */
	must_fail(&fx, "t@a", buf, sizeof(buf));
	ATF_CHECK_MATCH("template instances nested deeper than 32: "
	    "'t@ax{33}', named by 't@ax{32}'", buf);
	check_unchanged(&fx.set, before);

	/* Two templates naming each other: the name length bounds it. */
	before = snapshot(&fx.set);
	must_fail(&fx, "u@a", buf, sizeof(buf));
	ATF_CHECK_MATCH("service name too long '[uv]@ay+', named by "
	    "'[uv]@ay+'", buf);
	check_unchanged(&fx.set, before);
	fixture_free(&fx);
}

ATF_TC_WITHOUT_HEAD(control_char_names);
ATF_TC_BODY(control_char_names, tc)
{
	struct fixture	 fx;
	char		 buf[1024], *before;

	fixture_sd(&fx);
	put("sd", "a", "type = internal\n");
	before = snapshot(&fx.set);
	must_fail(&fx, "a@x\nforged", buf, sizeof(buf));
	ATF_CHECK(strchr(buf, '\n') == NULL);
	ATF_CHECK_MATCH("invalid service name 'a@x\\?forged'", buf);
	must_fail(&fx, "a@\x7f", buf, sizeof(buf));
	ATF_CHECK(strchr(buf, 0x7f) == NULL);
	must_fail(&fx, "\x1b[2J", buf, sizeof(buf));
	ATF_CHECK(strchr(buf, 0x1b) == NULL);
	check_unchanged(&fx.set, before);

	/* Other bytes >= 128 are still names. */
	ATF_CHECK(must_load(&fx, "a@\xff") != NULL);
	fixture_free(&fx);
}

ATF_TC_WITHOUT_HEAD(dependency_types);
ATF_TC_BODY(dependency_types, tc)
{
	struct fixture	 fx;
	struct service	*a, *b, *c, *d, *e;

	fixture_sd(&fx);
	put("sd", "a",
	    "depends-on: b\n"
	    "depends-ms: c\n"
	    "waits-for: d\n"
	    "prepared-by: e\n");
	put("sd", "b", "type = internal\n");
	put("sd", "c", "type = scripted\ncommand = /bin/true\n");
	put("sd", "d", "type = process\ncommand = /bin/sleep 100\n");
	put("sd", "e", "type = triggered\n");

	a = must_load(&fx, "a");
	ATF_CHECK_EQ(5, fx.set.count);
	b = must_find(&fx, "b");
	c = must_find(&fx, "c");
	d = must_find(&fx, "d");
	e = must_find(&fx, "e");
	ATF_CHECK_EQ(SERVICE_INTERNAL, b->type);
	ATF_CHECK_EQ(SERVICE_SCRIPTED, c->type);
	ATF_CHECK_EQ(SERVICE_PROCESS, d->type);
	ATF_CHECK_EQ(SERVICE_TRIGGERED, e->type);
	ATF_CHECK(b->desc != NULL && c->desc != NULL && d->desc != NULL &&
	    e->desc != NULL);

	ATF_CHECK_EQ(1, edges(a, b, DEP_REGULAR));
	ATF_CHECK_EQ(1, edges(a, c, DEP_MILESTONE));
	ATF_CHECK_EQ(1, edges(a, d, DEP_WAITS_FOR));
	ATF_CHECK_EQ(1, edges(a, e, DEP_PREPARED_BY));
	ATF_CHECK_EQ(4, depends_count(a));
	ATF_CHECK_EQ(0, dependents_count(a));
	ATF_CHECK_EQ(1, dependents_count(b));
	ATF_CHECK_EQ(0, depends_count(b));
	ATF_CHECK(TAILQ_FIRST(&c->dependents)->from == a);
	fixture_free(&fx);
}

/* Dependency names are substituted from dinit's environment. */
ATF_TC_WITHOUT_HEAD(dependency_from_environment);
ATF_TC_BODY(dependency_from_environment, tc)
{
	struct fixture	 fx;
	struct service	*a, *net;

	fixture_sd(&fx);
	put("sd", "a", "depends-on: ${NET}\nwaits-for: ${NONE:-fallback}\n");
	put("sd", "net-eth0", "type = internal\n");
	put("sd", "fallback", "type = internal\n");
	ATF_REQUIRE_EQ(0, environ_set(&fx.env, "NET", "net-eth0"));

	a = must_load(&fx, "a");
	net = must_find(&fx, "net-eth0");
	ATF_CHECK_EQ(1, edges(a, net, DEP_REGULAR));
	ATF_CHECK_EQ(1, edges(a, must_find(&fx, "fallback"),
	    DEP_WAITS_FOR));
	ATF_CHECK_EQ(3, fx.set.count);
	fixture_free(&fx);
}

/*
 * after: X and before: Y make AFTER edges (A -> X, and Y -> A) and
 * placeholders for X and Y, which are not loaded even though their files
 * exist.
 */
ATF_TC_WITHOUT_HEAD(ordering_placeholders);
ATF_TC_BODY(ordering_placeholders, tc)
{
	struct fixture	 fx;
	struct service	*a, *x, *y, *g;

	fixture_sd(&fx);
	put("sd", "a", "after: x\nbefore: y\nafter: ghost\n");
	put("sd", "x", "type = process\ncommand = /bin/true\n");
	put("sd", "y", "depends-on: z\n");
	put("sd", "z", "type = internal\n");

	a = must_load(&fx, "a");
	ATF_CHECK_EQ(4, fx.set.count);
	x = must_find(&fx, "x");
	y = must_find(&fx, "y");
	g = must_find(&fx, "ghost");
	ATF_CHECK_EQ(SERVICE_PLACEHOLDER, x->type);
	ATF_CHECK_EQ(SERVICE_PLACEHOLDER, y->type);
	ATF_CHECK_EQ(SERVICE_PLACEHOLDER, g->type);
	ATF_CHECK(x->desc == NULL && y->desc == NULL && g->desc == NULL);
	ATF_CHECK(service_find(&fx.set, "z") == NULL);

	ATF_CHECK_EQ(1, edges(a, x, DEP_AFTER));
	ATF_CHECK_EQ(1, edges(y, a, DEP_AFTER));
	ATF_CHECK_EQ(0, edges(a, y, DEP_AFTER));
	ATF_CHECK_EQ(0, edges(a, y, DEP_BEFORE));
	ATF_CHECK_EQ(1, edges(a, g, DEP_AFTER));
	ATF_CHECK_EQ(2, depends_count(a));
	ATF_CHECK_EQ(1, dependents_count(a));
	fixture_free(&fx);
}

/*
 * Loading a service that is a placeholder fills that same record, keeps
 * the ordering edges made earlier, and loads its own dependencies.
 */
ATF_TC_WITHOUT_HEAD(placeholder_filled_later);
ATF_TC_BODY(placeholder_filled_later, tc)
{
	struct fixture	 fx;
	struct service	*a, *x, *y, *z;

	fixture_sd(&fx);
	put("sd", "a", "after: x\nbefore: y\n");
	put("sd", "x", "type = process\ncommand = /bin/true\ndepends-on: z\n");
	put("sd", "y", "type = internal\n");
	put("sd", "z", "type = internal\n");

	a = must_load(&fx, "a");
	x = must_find(&fx, "x");
	y = must_find(&fx, "y");
	ATF_REQUIRE_EQ(SERVICE_PLACEHOLDER, x->type);

	ATF_CHECK(must_load(&fx, "x") == x);
	ATF_CHECK_EQ(SERVICE_PROCESS, x->type);
	ATF_CHECK_STREQ("sd/x", desc_file(x->desc));
	z = must_find(&fx, "z");
	ATF_CHECK_EQ(1, edges(x, z, DEP_REGULAR));
	ATF_CHECK_EQ(1, edges(a, x, DEP_AFTER));

	ATF_CHECK(must_load(&fx, "y") == y);
	ATF_CHECK_EQ(SERVICE_INTERNAL, y->type);
	ATF_CHECK_EQ(1, edges(y, a, DEP_AFTER));
	ATF_CHECK_EQ(4, fx.set.count);
	fixture_free(&fx);
}

/* A placeholder whose load fails stays a placeholder, edges and all. */
ATF_TC_WITHOUT_HEAD(placeholder_fill_fails);
ATF_TC_BODY(placeholder_fill_fails, tc)
{
	struct fixture	 fx;
	struct service	*a, *x;
	char		 msg[2048], *before;

	fixture_sd(&fx);
	put("sd", "a", "after: x\n");
	put("sd", "x", "depends-on: y\nwaits-for: w\n");
	put("sd", "w", "type = internal\n");
	put("sd", "y", "type = internal\nbogus-setting = 1\n");

	a = must_load(&fx, "a");
	x = must_find(&fx, "x");
	before = snapshot(&fx.set);
	must_fail(&fx, "x", msg, sizeof(msg));
	ATF_CHECK_MSG(strncmp(msg, "sd/y:2: ", 8) == 0,
	    "the error does not point at sd/y line 2: %s", msg);
	check_unchanged(&fx.set, before);
	ATF_CHECK(service_find(&fx.set, "x") == x);
	ATF_CHECK_EQ(SERVICE_PLACEHOLDER, x->type);
	ATF_CHECK(x->desc == NULL);
	ATF_CHECK_EQ(1, edges(a, x, DEP_AFTER));
	ATF_CHECK_EQ(0, depends_count(x));
	ATF_CHECK(service_find(&fx.set, "y") == NULL);
	ATF_CHECK(service_find(&fx.set, "w") == NULL);

	/* Fixed, it loads into the same record. */
	put("sd", "y", "type = internal\n");
	ATF_CHECK(must_load(&fx, "x") == x);
	ATF_CHECK_EQ(1, edges(x, must_find(&fx, "w"), DEP_WAITS_FOR));
	ATF_CHECK_EQ(1, edges(x, must_find(&fx, "y"), DEP_REGULAR));
	ATF_CHECK_EQ(1, edges(a, x, DEP_AFTER));
	ATF_CHECK_EQ(4, fx.set.count);
	fixture_free(&fx);
}

/*
 * name@arg loads the file "name" with $1 standing for arg, in commands
 * and in dependency names; each argument makes its own record.
 */
ATF_TC_WITHOUT_HEAD(service_arguments);
ATF_TC_BODY(service_arguments, tc)
{
	struct fixture	 fx;
	struct service	*s0, *t1, *port;

	fixture_sd(&fx);
	put("sd", "getty",
	    "type = process\n"
	    "command = /sbin/getty -L $1 115200\n"
	    "depends-on: port@$1\n");
	put("sd", "port", "type = scripted\ncommand = /bin/stty -F /dev/$1\n");

	s0 = must_load(&fx, "getty@ttyS0");
	ATF_CHECK_STREQ("sd/getty", desc_file(s0->desc));
	ATF_CHECK_STREQ("getty@ttyS0", s0->desc->name);
	ATF_REQUIRE(s0->desc->command != NULL);
	ATF_CHECK_STREQ("/sbin/getty", s0->desc->command[0]);
	ATF_CHECK_STREQ("-L", s0->desc->command[1]);
	ATF_CHECK_STREQ("ttyS0", s0->desc->command[2]);
	ATF_CHECK_STREQ("115200", s0->desc->command[3]);
	ATF_CHECK(s0->desc->command[4] == NULL);
	port = must_find(&fx, "port@ttyS0");
	ATF_CHECK_EQ(SERVICE_SCRIPTED, port->type);
	ATF_CHECK_EQ(1, edges(s0, port, DEP_REGULAR));
	ATF_REQUIRE(port->desc->command != NULL &&
	    port->desc->command[1] != NULL &&
	    port->desc->command[2] != NULL);
	ATF_CHECK_STREQ("/dev/ttyS0", port->desc->command[2]);

	t1 = must_load(&fx, "getty@tty1");
	ATF_CHECK(t1 != s0);
	ATF_CHECK_STREQ("tty1", t1->desc->command[2]);
	ATF_CHECK_EQ(1, edges(t1, must_find(&fx, "port@tty1"),
	    DEP_REGULAR));
	ATF_CHECK_EQ(0, edges(t1, port, DEP_REGULAR));
	ATF_CHECK_EQ(4, fx.set.count);
	ATF_CHECK(service_find(&fx.set, "getty") == NULL);
	fixture_free(&fx);
}

/* a -> b -> c -> a is refused; the message shows the cycle. */
ATF_TC_WITHOUT_HEAD(cycle_refused);
ATF_TC_BODY(cycle_refused, tc)
{
	static const char *const cycle[] = { "a", "b", "c" };
	struct fixture	fx;
	char		msg[2048];

	fixture_sd(&fx);
	put("sd", "a", "depends-on: b\n");
	put("sd", "b", "depends-ms: c\n");
	put("sd", "c", "waits-for: a\n");
	must_fail(&fx, "a", msg, sizeof(msg));
	check_cycle_message(msg, cycle, 3);
	ATF_CHECK_EQ(0, fx.set.count);

	/* Entering the cycle from outside is refused too. */
	put("sd", "top", "depends-on: b\n");
	must_fail(&fx, "top", msg, sizeof(msg));
	check_cycle_message(msg, cycle, 3);
	ATF_CHECK_EQ(0, fx.set.count);
	fixture_free(&fx);
}

/*
 * Ordering edges count for cycles: a depends on b, b depends on c, and c
 * is after a; and "before" seen from the other side (a depends on b and is
 * before it).
 */
ATF_TC_WITHOUT_HEAD(cycle_through_ordering);
ATF_TC_BODY(cycle_through_ordering, tc)
{
	static const char *const abc[] = { "a", "b", "c" };
	static const char *const pq[] = { "p", "q" };
	struct fixture	fx;
	char		msg[2048];

	fixture_sd(&fx);
	put("sd", "a", "depends-on: b\n");
	put("sd", "b", "depends-on: c\n");
	put("sd", "c", "after: a\n");
	must_fail(&fx, "a", msg, sizeof(msg));
	check_cycle_message(msg, abc, 3);
	ATF_CHECK_EQ(0, fx.set.count);

	put("sd", "p", "depends-on: q\nbefore: q\n");
	put("sd", "q", "type = internal\n");
	must_fail(&fx, "p", msg, sizeof(msg));
	check_cycle_message(msg, pq, 2);
	ATF_CHECK_EQ(0, fx.set.count);
	fixture_free(&fx);
}

/*
 * A cycle closed by filling a placeholder: a is after b (b a placeholder);
 * loading b, which is after a, is refused and a is left as it was.
 */
ATF_TC_WITHOUT_HEAD(cycle_with_loaded_service);
ATF_TC_BODY(cycle_with_loaded_service, tc)
{
	static const char *const ab[] = { "a", "b" };
	struct fixture	 fx;
	struct service	*a, *b;
	char		 msg[2048], *before;

	fixture_sd(&fx);
	put("sd", "a", "after: b\n");
	put("sd", "b", "after: a\n");
	a = must_load(&fx, "a");
	b = must_find(&fx, "b");
	ATF_REQUIRE_EQ(SERVICE_PLACEHOLDER, b->type);
	before = snapshot(&fx.set);
	must_fail(&fx, "b", msg, sizeof(msg));
	check_cycle_message(msg, ab, 2);
	check_unchanged(&fx.set, before);
	ATF_CHECK_EQ(SERVICE_PLACEHOLDER, b->type);
	ATF_CHECK_EQ(0, edges(b, a, DEP_AFTER));

	/* The same through a hard dependency on a loaded service. */
	put("sd", "b", "depends-on: a\n");
	before = snapshot(&fx.set);
	must_fail(&fx, "b", msg, sizeof(msg));
	check_cycle_message(msg, ab, 2);
	check_unchanged(&fx.set, before);
	fixture_free(&fx);
}

/* A service may not depend on itself, in any way. */
ATF_TC_WITHOUT_HEAD(self_dependency);
ATF_TC_BODY(self_dependency, tc)
{
	static const char *const kinds[] = {
		"depends-on", "depends-ms", "waits-for", "prepared-by",
		"after", "before"
	};
	struct fixture	fx;
	char		msg[2048], line[64];
	size_t		i;

	fixture_sd(&fx);
	for (i = 0; i < sizeof(kinds) / sizeof(*kinds); i++) {
		(void)snprintf(line, sizeof(line), "%s: a\n", kinds[i]);
		put("sd", "a", "type = internal\n%s", line);
		must_fail(&fx, "a", msg, sizeof(msg));
		ATF_CHECK_MSG(strstr(msg, "sd/a") != NULL,
		    "%s: the error does not name the file: %s", kinds[i], msg);
		ATF_CHECK_EQ_MSG(0, fx.set.count, "after %s", kinds[i]);
	}
	fixture_free(&fx);
}

/*
 * A syntax error deep in the dependency tree fails the load, names the
 * file and line, and leaves the set exactly as it was: no new record, no
 * edge on an earlier service, a placeholder filled on the way emptied
 * again.
 */
ATF_TC_WITHOUT_HEAD(bad_deep_dependency_rolls_back);
ATF_TC_BODY(bad_deep_dependency_rolls_back, tc)
{
	static const char *const made[] = {
		"top", "mid1", "mid2", "bad", "deeper"
	};
	struct fixture	 fx;
	struct service	*base, *common, *later, *top;
	char		 msg[2048], *before;
	size_t		 count, i;

	fixture_sd(&fx);
	put("sd", "base", "depends-on: common\nafter: later\n");
	put("sd", "common", "type = internal\n");
	put("sd", "later", "depends-on: deeper\n");
	put("sd", "deeper", "type = internal\n");
	put("sd", "top", "depends-on: mid1\n");
	put("sd", "mid1", "depends-on: mid2\nwaits-for: common\n");
	put("sd", "mid2",
	    "before: base\n"
	    "after: later\n"
	    "waits-for: later\n"
	    "depends-on: bad\n");
	put("sd", "bad",
	    "type = process\n"
	    "command = /bin/true\n"
	    "restart = sometimes\n");

	base = must_load(&fx, "base");
	common = must_find(&fx, "common");
	later = must_find(&fx, "later");
	ATF_REQUIRE_EQ(SERVICE_PLACEHOLDER, later->type);
	count = fx.set.count;
	ATF_REQUIRE_EQ(3, count);
	before = snapshot(&fx.set);

	must_fail(&fx, "top", msg, sizeof(msg));
	ATF_CHECK_MSG(strncmp(msg, "sd/bad:3: ", 10) == 0,
	    "the error does not point at sd/bad line 3: %s", msg);
	check_unchanged(&fx.set, before);
	ATF_CHECK_EQ(count, fx.set.count);
	for (i = 0; i < sizeof(made) / sizeof(*made); i++)
		ATF_CHECK_MSG(service_find(&fx.set, made[i]) == NULL,
		    "%s was left behind", made[i]);
	ATF_CHECK_EQ(SERVICE_PLACEHOLDER, later->type);
	ATF_CHECK(later->desc == NULL);
	ATF_CHECK_EQ(0, depends_count(later));
	ATF_CHECK_EQ(1, dependents_count(later));
	ATF_CHECK_EQ(2, depends_count(base));
	ATF_CHECK_EQ(0, dependents_count(base));
	ATF_CHECK_EQ(1, dependents_count(common));

	/* Once fixed, the same load goes through. */
	put("sd", "bad", "type = process\ncommand = /bin/true\n");
	top = must_load(&fx, "top");
	ATF_CHECK_EQ(count + 5, fx.set.count);
	ATF_CHECK_EQ(SERVICE_INTERNAL, later->type);
	ATF_CHECK_EQ(1, edges(base, must_find(&fx, "mid2"), DEP_AFTER));
	ATF_CHECK_EQ(1, edges(must_find(&fx, "mid1"), common,
	    DEP_WAITS_FOR));
	ATF_CHECK_EQ(1, edges(top, must_find(&fx, "mid1"), DEP_REGULAR));
	fixture_free(&fx);
}

/* Loading a loaded service returns the same record and adds nothing. */
ATF_TC_WITHOUT_HEAD(load_twice_same_record);
ATF_TC_BODY(load_twice_same_record, tc)
{
	struct fixture		 fx;
	struct service		*a, *b;
	struct service_desc	*desc;
	char			*before;

	fixture_sd(&fx);
	put("sd", "a", "depends-on: b\n");
	put("sd", "b", "type = internal\n");
	a = must_load(&fx, "a");
	desc = a->desc;
	before = snapshot(&fx.set);

	/* Even a changed file is not read again. */
	put("sd", "a", "depends-on: b\nwaits-for: c\n");
	ATF_CHECK(must_load(&fx, "a") == a);
	ATF_CHECK(a->desc == desc);
	b = must_find(&fx, "b");
	ATF_CHECK(must_load(&fx, "b") == b);
	check_unchanged(&fx.set, before);
	ATF_CHECK_EQ(1, edges(a, b, DEP_REGULAR));
	ATF_CHECK_EQ(2, fx.set.count);
	fixture_free(&fx);
}

/* Write a chain of services prefix0 -> prefix1 -> ... -> prefix(n-1). */
static void
put_chain(const char *prefix, size_t n, int closed)
{
	char	name[64];
	size_t	i;

	for (i = 0; i < n; i++) {
		(void)snprintf(name, sizeof(name), "%s%zu", prefix, i);
		if (i + 1 < n)
			put("sd", name, "depends-on: %s%zu\n", prefix, i + 1);
		else if (closed)
			put("sd", name, "depends-on: %s0\n", prefix);
		else
			put("sd", name, "type = internal\n");
	}
}

/*
 * Lower the stack limit, so that a loader recursing once per service of
 * a long chain would crash instead of passing.
 */
static void
limit_stack(void)
{
	struct rlimit	rl;

	ATF_REQUIRE(getrlimit(RLIMIT_STACK, &rl) == 0);
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > 256 * 1024)
		rl.rlim_cur = 256 * 1024;
	ATF_REQUIRE(setrlimit(RLIMIT_STACK, &rl) == 0);
}

/* A 5000-long chain loads, in a small stack, and has no cycle. */
ATF_TC_WITHOUT_HEAD(long_chain);
ATF_TC_BODY(long_chain, tc)
{
	struct fixture		 fx;
	struct service		*s, *first;
	struct dependency	*d;
	char			 name[64], buf[1024];
	size_t			 i;

	fixture_sd(&fx);
	put_chain("s", CHAIN_LENGTH, 0);
	limit_stack();

	first = must_load(&fx, "s0");
	ATF_CHECK_EQ(CHAIN_LENGTH, fx.set.count);
	s = first;
	for (i = 0; i + 1 < CHAIN_LENGTH; i++) {
		(void)snprintf(name, sizeof(name), "s%zu", i);
		ATF_REQUIRE_STREQ(name, s->name);
		ATF_REQUIRE(s->desc != NULL);
		ATF_REQUIRE_EQ(1, depends_count(s));
		d = TAILQ_FIRST(&s->depends);
		ATF_REQUIRE_EQ(DEP_REGULAR, d->type);
		ATF_REQUIRE_EQ(1, dependents_count(d->to));
		s = d->to;
	}
	(void)snprintf(name, sizeof(name), "s%d", CHAIN_LENGTH - 1);
	ATF_CHECK_STREQ(name, s->name);
	ATF_CHECK_EQ(0, depends_count(s));
	ATF_CHECK_EQ(SERVICE_INTERNAL, s->type);

	buf[0] = '\0';
	ATF_CHECK_EQ_MSG(0, load_check_cycles(&fx.set, first, buf,
	    sizeof(buf)), "a cycle where there is none: %s", buf);
	fixture_free(&fx);
}

/* A 5000-long cycle is refused, in a small stack, and nothing is kept. */
ATF_TC_WITHOUT_HEAD(long_cycle);
ATF_TC_BODY(long_cycle, tc)
{
	const char	**names;
	struct fixture	  fx;
	char		  msg[2048];
	size_t		  i;
	int		  seen;

	fixture_sd(&fx);
	put_chain("c", CHAIN_LENGTH, 1);
	put("sd", "entry", "type = internal\nwaits-for: c42\n");
	limit_stack();

	must_fail(&fx, "entry", msg, sizeof(msg));
	ATF_CHECK_EQ(0, fx.set.count);

	/* The message may be cut short, but what it shows is the cycle. */
	ATF_REQUIRE((names = calloc(CHAIN_LENGTH, sizeof(*names))) != NULL);
	for (i = 0; i < CHAIN_LENGTH; i++) {
		char	*name;

		ATF_REQUIRE((name = malloc(16)) != NULL);
		(void)snprintf(name, 16, "c%zu", i);
		names[i] = name;
	}
	seen = cycle_words(strstr(msg, ": ") != NULL ? strstr(msg, ": ") + 2 :
	    msg, names, CHAIN_LENGTH);
	ATF_CHECK_MSG(seen >= 10, "the message does not show the cycle "
	    "(%d names in order): %s", seen, msg);
	for (i = 0; i < CHAIN_LENGTH; i++)
		free((char *)names[i]);
	free(names);
	fixture_free(&fx);
}

/*
 * load_check_cycles on its own, after the loader has run, must see a
 * cycle made by an edge added since (as dinitctl add-dep will do).
 */
ATF_TC_WITHOUT_HEAD(cycle_check_after_new_edge);
ATF_TC_BODY(cycle_check_after_new_edge, tc)
{
	static const char *const ab[] = { "a", "b" };
	struct fixture	 fx;
	struct service	*a, *b;
	char		 buf[1024];

	fixture_sd(&fx);
	put("sd", "a", "depends-on: b\n");
	put("sd", "b", "type = internal\n");
	a = must_load(&fx, "a");
	b = must_find(&fx, "b");
	ATF_REQUIRE(service_add_dep(b, a, DEP_WAITS_FOR) != NULL);

	buf[0] = '\0';
	ATF_CHECK_EQ_MSG(-1, load_check_cycles(&fx.set, a, buf, sizeof(buf)),
	    "the cycle a -> b -> a was not found");
	check_cycle_message(buf, ab, 2);
	fixture_free(&fx);
}

/*
 * Every entry of a waits-for.d or depends-on.d directory (resolved next
 * to the description, dot files skipped) is a dependency of that type; a
 * missing directory adds nothing, and an entry naming no service is
 * skipped.
 */
ATF_TC_WITHOUT_HEAD(dependency_directories);
ATF_TC_BODY(dependency_directories, tc)
{
	struct fixture	 fx;
	struct service	*a;

	fixture_sd(&fx);
	testutil_mkdir("sd/a.d");
	testutil_mkdir("sd/hard.d");
	put("sd/a.d", "x", "");
	put("sd/a.d", "y", "not read\n");
	put("sd/a.d", ".hidden", "");
	put("sd/a.d", "ghost", "");
	put("sd/hard.d", "z", "");
	put("sd", "a",
	    "waits-for.d: a.d\n"
	    "depends-on.d: hard.d\n"
	    "depends-ms.d: missing.d\n");
	put("sd", "x", "type = internal\n");
	put("sd", "y", "type = scripted\ncommand = /bin/true\n");
	put("sd", "z", "type = internal\n");

	a = must_load(&fx, "a");
	ATF_CHECK_EQ(1, edges(a, must_find(&fx, "x"), DEP_WAITS_FOR));
	ATF_CHECK_EQ(1, edges(a, must_find(&fx, "y"), DEP_WAITS_FOR));
	ATF_CHECK_EQ(1, edges(a, must_find(&fx, "z"), DEP_REGULAR));
	ATF_CHECK_EQ(SERVICE_SCRIPTED, must_find(&fx, "y")->type);
	ATF_CHECK(service_find(&fx.set, ".hidden") == NULL);
	ATF_CHECK(service_find(&fx.set, "ghost") == NULL);
	ATF_CHECK_EQ(3, depends_count(a));
	ATF_CHECK_EQ(4, fx.set.count);
	fixture_free(&fx);
}

/*
 * An entry of a *.d directory is loaded from the first service directory
 * holding its file, as any other name is (the loader finds it once, when
 * it checks the entry, and reads it from there): instances too.
 */
ATF_TC_WITHOUT_HEAD(dependency_directories_search_order);
ATF_TC_BODY(dependency_directories_search_order, tc)
{
	static const char *const dirs[] = { "first", "second" };
	struct fixture	 fx;
	struct service	*a, *both, *late, *inst;

	testutil_mkdir("first");
	testutil_mkdir("second");
	fixture_init(&fx, dirs, 2);
	testutil_mkdir("first/a.d");
	put("first/a.d", "both", "");
	put("first/a.d", "late", "");
	put("first/a.d", "tpl@one", "");
	put("first/a.d", "none", "");
	put("first", "a", "waits-for.d: a.d\n");
	put("first", "both", "type = internal\n");
	put("second", "both", "type = scripted\ncommand = /bin/true\n");
	put("second", "late", "type = internal\n");
	put("second", "tpl", "type = internal\n");

	a = must_load(&fx, "a");
	both = must_find(&fx, "both");
	late = must_find(&fx, "late");
	inst = must_find(&fx, "tpl@one");
	ATF_CHECK_EQ(SERVICE_INTERNAL, both->type);
	ATF_CHECK_STREQ("first/both", desc_file(both->desc));
	ATF_CHECK_STREQ("second/late", desc_file(late->desc));
	ATF_CHECK_STREQ("second/tpl", desc_file(inst->desc));
	ATF_CHECK_EQ(1, edges(a, both, DEP_WAITS_FOR));
	ATF_CHECK_EQ(1, edges(a, late, DEP_WAITS_FOR));
	ATF_CHECK_EQ(1, edges(a, inst, DEP_WAITS_FOR));
	ATF_CHECK(service_find(&fx.set, "none") == NULL);
	ATF_CHECK_EQ(3, depends_count(a));
	fixture_free(&fx);
}

/*
 * Running out of memory at any allocation of a load fails that load and
 * leaves the set as it was; with memory, the same load then succeeds.
 */
ATF_TC_WITHOUT_HEAD(out_of_memory_rolls_back);
ATF_TC_BODY(out_of_memory_rolls_back, tc)
{
	struct fixture		 fx;
	struct parse_error	 err;
	struct service		*base, *top = NULL, *later;
	char			*before;
	long			 n;

	fixture_sd(&fx);
	put("sd", "base", "depends-on: common\nafter: later\n");
	put("sd", "common", "type = internal\n");
	put("sd", "later", "depends-on: deeper\n");
	put("sd", "deeper", "type = internal\n");
	put("sd", "top", "depends-on: mid\nwaits-for: later\nbefore: base\n");
	put("sd", "mid",
	    "type = process\n"
	    "command = /bin/sleep ${SECONDS:-10}\n"
	    "depends-ms: common\n"
	    "after: elsewhere\n");
	base = must_load(&fx, "base");
	later = must_find(&fx, "later");

	for (n = 0; n < 100000; n++) {
		before = snapshot(&fx.set);
		mem_fail_after(n);
		top = load_service(&fx.set, "top", &err);
		mem_fail_after(-1);
		if (top != NULL) {
			free(before);
			break;
		}
		check_unchanged(&fx.set, before);
		ATF_REQUIRE_EQ_MSG(SERVICE_PLACEHOLDER, later->type,
		    "failure at allocation %ld", n);
	}
	ATF_REQUIRE_MSG(top != NULL, "the load never succeeded");
	ATF_CHECK_MSG(n > 5, "only %ld allocations: no failure was tested",
	    n);
	ATF_CHECK_EQ(SERVICE_INTERNAL, later->type);
	ATF_CHECK_EQ(1, edges(base, top, DEP_AFTER));
	ATF_CHECK_EQ(1, edges(top, later, DEP_WAITS_FOR));
	ATF_CHECK_EQ(1, edges(must_find(&fx, "mid"),
	    must_find(&fx, "elsewhere"), DEP_AFTER));
	ATF_CHECK_EQ(7, fx.set.count);
	fixture_free(&fx);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, search_order);
	ATF_TP_ADD_TC(tp, missing_service);
	ATF_TP_ADD_TC(tp, missing_dependency);
	ATF_TP_ADD_TC(tp, invalid_names);
	ATF_TP_ADD_TC(tp, template_recursion);
	ATF_TP_ADD_TC(tp, control_char_names);
	ATF_TP_ADD_TC(tp, dependency_types);
	ATF_TP_ADD_TC(tp, dependency_from_environment);
	ATF_TP_ADD_TC(tp, ordering_placeholders);
	ATF_TP_ADD_TC(tp, placeholder_filled_later);
	ATF_TP_ADD_TC(tp, placeholder_fill_fails);
	ATF_TP_ADD_TC(tp, service_arguments);
	ATF_TP_ADD_TC(tp, cycle_refused);
	ATF_TP_ADD_TC(tp, cycle_through_ordering);
	ATF_TP_ADD_TC(tp, cycle_with_loaded_service);
	ATF_TP_ADD_TC(tp, self_dependency);
	ATF_TP_ADD_TC(tp, bad_deep_dependency_rolls_back);
	ATF_TP_ADD_TC(tp, load_twice_same_record);
	ATF_TP_ADD_TC(tp, long_chain);
	ATF_TP_ADD_TC(tp, long_cycle);
	ATF_TP_ADD_TC(tp, cycle_check_after_new_edge);
	ATF_TP_ADD_TC(tp, dependency_directories);
	ATF_TP_ADD_TC(tp, dependency_directories_search_order);
	ATF_TP_ADD_TC(tp, out_of_memory_rolls_back);
	return (atf_no_error());
}
