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
 * Unit tests of parse.c: the lexical rules, every setting, meta-commands,
 * variable substitution, the service environment and validation.  Each
 * test writes its description into the test case's own directory.
 */

#include "dinit.h"

#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "testutil.h"

/* dinit's environment as the tests pretend it is. */
static struct environ	test_env;

/* Set up dinit's environment with a few known variables. */
static void
env_setup(void)
{
	environ_clear(&test_env);
	ATF_REQUIRE_EQ(0, environ_set(&test_env, "DINIT_VAR", "dinit"));
	ATF_REQUIRE_EQ(0, environ_set(&test_env, "SPACED", "var one"));
	ATF_REQUIRE_EQ(0, environ_set(&test_env, "WORDS", "  a  b c "));
	ATF_REQUIRE_EQ(0, environ_set(&test_env, "EMPTY", ""));
	ATF_REQUIRE_EQ(0, environ_set(&test_env, "BLANKS", "   "));
	ATF_REQUIRE_EQ(0, environ_set(&test_env, "DIR", "sub"));
}

/* Write text as the description "name" (file "base") and parse it. */
static struct service_desc *
parse_named(const char *name, const char *text, struct parse_error *err)
{
	char	base[256];

	ATF_REQUIRE_EQ(0, parse_service_name(name, base, sizeof(base), NULL));
	testutil_write(base, text);
	env_setup();
	return (parse_service(name, base, &test_env, err));
}

/* Write and parse text as the service "svc"; it must parse. */
static struct service_desc *
parse_ok(const char *text)
{
	struct service_desc	*desc;
	struct parse_error	 err;
	char			 buf[2048];

	desc = parse_named("svc", text, &err);
	ATF_REQUIRE_MSG(desc != NULL, "unexpected error: %s",
	    parse_error_string(&err, buf, sizeof(buf)));
	return (desc);
}

/*
 * Parse text as "name" (file: its base); it must fail in file at line
 * with a message containing what.
 */
static void
check_error_named(const char *name, const char *text, const char *file,
    int line, const char *what)
{
	struct service_desc	*desc;
	struct parse_error	 err;
	char			 buf[2048];

	desc = parse_named(name, text, &err);
	if (desc != NULL) {
		parse_desc_free(desc);
		atf_tc_fail("parsed without the expected error '%s'", what);
	}
	(void)parse_error_string(&err, buf, sizeof(buf));
	ATF_CHECK_STREQ_MSG(file, err.file, "error: %s", buf);
	ATF_CHECK_EQ_MSG(line, err.line, "error: %s", buf);
	ATF_CHECK_MSG(strstr(err.msg, what) != NULL,
	    "expected '%s' in: %s", what, buf);
}

/* As check_error_named, for the service "svc". */
static void
check_error(const char *text, int line, const char *what)
{
	check_error_named("svc", text, "svc", line, what);
}

/* Check a NULL-terminated argv against the NULL-terminated expected. */
static void
check_argv(char **argv, const char *const *expect)
{
	size_t	i;

	ATF_REQUIRE(argv != NULL);
	for (i = 0; expect[i] != NULL; i++) {
		ATF_REQUIRE_MSG(argv[i] != NULL, "argv too short at %zu", i);
		ATF_CHECK_STREQ_MSG(expect[i], argv[i], "argv[%zu]", i);
	}
	ATF_CHECK_MSG(argv[i] == NULL, "argv too long: '%s'", argv[i]);
}

#define CHECK_ARGV(argv, ...) \
	check_argv((argv), (const char *const []){ __VA_ARGS__, NULL })

/* The end of every test: free the description and the environment. */
static void
done(struct service_desc *desc)
{
	parse_desc_free(desc);
	environ_clear(&test_env);
}

/*
 * Lexical rules.
 */

ATF_TC_WITHOUT_HEAD(assign_equals);
ATF_TC_BODY(assign_equals, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("type = process\ncommand = /bin/true\n");
	ATF_CHECK_EQ(SERVICE_PROCESS, desc->type);
	CHECK_ARGV(desc->command, "/bin/true");
	done(desc);
}

ATF_TC_WITHOUT_HEAD(assign_colon);
ATF_TC_BODY(assign_colon, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("type: scripted\ncommand: /bin/true\n");
	ATF_CHECK_EQ(SERVICE_SCRIPTED, desc->type);
	CHECK_ARGV(desc->command, "/bin/true");
	done(desc);
}

ATF_TC_WITHOUT_HEAD(whitespace_around);
ATF_TC_BODY(whitespace_around, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("   type=process\n\tcommand   \t:\t /bin/x   \n"
	    "  restart-delay=3\n");
	ATF_CHECK_EQ(SERVICE_PROCESS, desc->type);
	CHECK_ARGV(desc->command, "/bin/x");
	ATF_CHECK_EQ(3000, desc->restart_delay);
	done(desc);
}

ATF_TC_WITHOUT_HEAD(plus_assign_command);
ATF_TC_BODY(plus_assign_command, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("type = process\n"
	    "command += /bin/echo\n"
	    "command += a\n"
	    "command+=b \"c d\"\n"
	    "stop-command = /bin/stop\n"
	    "stop-command += now\n");
	CHECK_ARGV(desc->command, "/bin/echo", "a", "b", "c d");
	CHECK_ARGV(desc->stop_command, "/bin/stop", "now");
	done(desc);
}

ATF_TC_WITHOUT_HEAD(plus_assign_replaced);
ATF_TC_BODY(plus_assign_replaced, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("type = process\n"
	    "command = /bin/one x\n"
	    "command += y\n"
	    "command = /bin/two\n");
	CHECK_ARGV(desc->command, "/bin/two");
	done(desc);
}

ATF_TC_WITHOUT_HEAD(plus_assign_capabilities);
ATF_TC_BODY(plus_assign_capabilities, tc)
{
	struct service_desc	*desc;

	if (osdep_unsupported(OSDEP_CAPABILITIES) != NULL)
		atf_tc_skip("%s", osdep_unsupported(OSDEP_CAPABILITIES));
	desc = parse_ok("capabilities = ^cap_net_bind_service\n"
	    "capabilities += cap_sys_admin\n"
	    "securebits = keep-caps\n"
	    "securebits += noroot-locked\n");
	ATF_CHECK_STREQ("^cap_net_bind_service,cap_sys_admin",
	    desc->rare->capabilities);
	ATF_CHECK_STREQ("keep-caps noroot-locked", desc->rare->securebits);
	done(desc);
}

ATF_TC_WITHOUT_HEAD(plus_assign_wrong_setting);
ATF_TC_BODY(plus_assign_wrong_setting, tc)
{
	check_error("type = process\ncommand = /bin/x\n"
	    "restart += no\n", 3, "cannot use '+=' with setting 'restart'");
	check_error("depends-on += x\n", 1,
	    "cannot use '+=' with setting 'depends-on'");
	environ_clear(&test_env);
}

ATF_TC_WITHOUT_HEAD(badly_formed_line);
ATF_TC_BODY(badly_formed_line, tc)
{
	check_error("# fine\ntype process\n", 2, "badly formed line");
	check_error("\n\n= value\n", 3, "badly formed line");
	check_error("type + process\n", 1, "badly formed line");
	environ_clear(&test_env);
}

ATF_TC_WITHOUT_HEAD(unknown_setting);
ATF_TC_BODY(unknown_setting, tc)
{
	check_error("type = internal\n\nfrobnicate = yes\n", 3,
	    "unknown setting: 'frobnicate'");
	environ_clear(&test_env);
}

/* What parse_service_all reported: every error, in order. */
struct read_on {
	struct parse_error	errs[8];
	size_t			n;
};

/* Keep one reported error. */
static void
read_on_report(void *arg, const struct parse_error *err)
{
	struct read_on	*ro = arg;

	ATF_REQUIRE(ro->n < sizeof(ro->errs) / sizeof(ro->errs[0]));
	ro->errs[ro->n++] = *err;
}

ATF_TC_WITHOUT_HEAD(read_on_every_error);
ATF_TC_BODY(read_on_every_error, tc)
{
	static const char	 text[] = "type = process\n"
	    "colour = blue\n"
	    "restart = maybe\n"
	    "depends-on: later\n"
	    "smell = bad\n"
	    "@bogus\n"
	    "ready-notification = pipefd:3\n"
	    "type = scripted\n";
	struct service_desc	*desc;
	struct parse_error	 err;
	struct read_on		 ro;

	memset(&ro, 0, sizeof(ro));
	testutil_write("svc", text);
	env_setup();
	desc = parse_service_all("svc", "svc", &test_env, read_on_report, &ro);
	ATF_REQUIRE(desc != NULL);
	ATF_REQUIRE_EQ(6, ro.n);
	ATF_CHECK_EQ(2, ro.errs[0].line);
	ATF_CHECK_STREQ("unknown setting: 'colour'", ro.errs[0].msg);
	ATF_CHECK_EQ(3, ro.errs[1].line);
	ATF_CHECK_EQ(5, ro.errs[2].line);
	ATF_CHECK_EQ(6, ro.errs[3].line);
	ATF_CHECK_STREQ("bad meta command", ro.errs[3].msg);
	/* What the settings say together, each said. */
	ATF_CHECK_EQ(0, ro.errs[4].line);
	ATF_CHECK_STREQ("'command' setting not specified", ro.errs[4].msg);
	ATF_CHECK(strstr(ro.errs[5].msg, "ready-notification") != NULL);
	/* What came after the errors was read. */
	ATF_REQUIRE_EQ(1, desc->ndeps);
	ATF_CHECK_STREQ("later", desc->deps[0].name);
	ATF_CHECK_EQ(SERVICE_SCRIPTED, desc->type);
	parse_desc_free(desc);

	/* The daemon's parse still stops at the first error. */
	ATF_CHECK(parse_service("svc", "svc", &test_env, &err) == NULL);
	ATF_CHECK_EQ(2, err.line);
	ATF_CHECK_STREQ("unknown setting: 'colour'", err.msg);
	environ_clear(&test_env);
}

ATF_TC_WITHOUT_HEAD(read_on_unreadable);
ATF_TC_BODY(read_on_unreadable, tc)
{
	struct read_on	ro;

	memset(&ro, 0, sizeof(ro));
	env_setup();
	ATF_CHECK(parse_service_all("svc", "nonexistent", &test_env,
	    read_on_report, &ro) == NULL);
	ATF_REQUIRE_EQ(1, ro.n);
	ATF_CHECK(strstr(ro.errs[0].msg, "cannot open") != NULL);
	environ_clear(&test_env);
}

ATF_TC_WITHOUT_HEAD(comment_lines);
ATF_TC_BODY(comment_lines, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("# leading comment\n"
	    "\n"
	    "   # indented comment = with equals\n"
	    "\t\n"
	    "type = process # trailing comment\n"
	    "command = /bin/echo a   # comment \"with quote\n"
	    "#\n");
	ATF_CHECK_EQ(SERVICE_PROCESS, desc->type);
	CHECK_ARGV(desc->command, "/bin/echo", "a");
	done(desc);
}

ATF_TC_WITHOUT_HEAD(comment_empty_value);
ATF_TC_BODY(comment_empty_value, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("working-dir = # nothing\nlogfile =\n");
	ATF_CHECK(desc->working_dir == NULL);
	ATF_CHECK(desc->logfile == NULL);
	ATF_CHECK_EQ(LOGTYPE_NONE, desc->log_type);
	done(desc);
}

ATF_TC_WITHOUT_HEAD(comment_attached);
ATF_TC_BODY(comment_attached, tc)
{
	check_error("type = process\ncommand = /bin/echo a#b\n", 2,
	    "hashmark (`#') comment must be separated");
	check_error("type =#process\n", 1, "hashmark");
	check_error("type = process\ncommand = /bin/echo \"a\"#b\n", 2,
	    "hashmark");
	environ_clear(&test_env);
}

ATF_TC_WITHOUT_HEAD(hash_quoted_or_escaped);
ATF_TC_BODY(hash_quoted_or_escaped, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("type = process\n"
	    "command = /bin/echo \"a#b\" \"# c\" d\\#e \\#\n");
	CHECK_ARGV(desc->command, "/bin/echo", "a#b", "# c", "d#e", "#");
	done(desc);
}

ATF_TC_WITHOUT_HEAD(quotes_group);
ATF_TC_BODY(quotes_group, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("type = process\n"
	    "command = /bin/echo \"a  b\"   c x\"y  z\"w \"\" \"\"q\n"
	    "working-dir = \"  /spaced   dir \"\n");
	CHECK_ARGV(desc->command, "/bin/echo", "a  b", "c", "xy  zw", "",
	    "q");
	ATF_CHECK_STREQ("  /spaced   dir ", desc->working_dir);
	done(desc);
}

ATF_TC_WITHOUT_HEAD(whitespace_collapse);
ATF_TC_BODY(whitespace_collapse, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("working-dir =    /a    b\t\tc    \n"
	    "run-in-cgroup = x  y\n");
	ATF_CHECK_STREQ("/a b c", desc->working_dir);
	ATF_CHECK_STREQ("x y", desc->rare->run_in_cgroup);
	done(desc);
}

ATF_TC_WITHOUT_HEAD(escapes);
ATF_TC_BODY(escapes, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("type = process\n"
	    "command = /bin/echo a\\ b \\\\ \\\"q\\\" "
	    "\"in \\\" \\\\ x\" \\z\n");
	CHECK_ARGV(desc->command, "/bin/echo", "a b", "\\", "\"q\"",
	    "in \" \\ x", "z");
	done(desc);
}

ATF_TC_WITHOUT_HEAD(unterminated_quote);
ATF_TC_BODY(unterminated_quote, tc)
{
	check_error("type = process\n\ncommand = /bin/echo \"abc\n", 3,
	    "unterminated quoted string");
	check_error("type = process\ncommand = /bin/echo \"a\\\"\n", 2,
	    "unterminated quoted string");
	/* The line where the quote opened, even across a continuation. */
	check_error("type = process\ncommand = /bin/echo \"a \\\n   b\n", 2,
	    "unterminated quoted string");
	environ_clear(&test_env);
}

ATF_TC_WITHOUT_HEAD(continuation);
ATF_TC_BODY(continuation, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("type = process\n"
	    "command = /bin/echo a \\\n"
	    "    b\\\n"
	    "\tc\n"
	    "working-dir = /x\\\n"
	    " y\n");
	/* The escaped newline acts as a space. */
	CHECK_ARGV(desc->command, "/bin/echo", "a", "b", "c");
	ATF_CHECK_STREQ("/x y", desc->working_dir);
	done(desc);
}

ATF_TC_WITHOUT_HEAD(continuation_even_backslashes);
ATF_TC_BODY(continuation_even_backslashes, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("type = process\n"
	    "command = /bin/echo a\\\\\n"
	    "working-dir = /w\n");
	CHECK_ARGV(desc->command, "/bin/echo", "a\\");
	ATF_CHECK_STREQ("/w", desc->working_dir);
	done(desc);
}

ATF_TC_WITHOUT_HEAD(continuation_ends_comment);
ATF_TC_BODY(continuation_ends_comment, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("type = process\n"
	    "command = /bin/echo a # a comment \\\n"
	    "    b\n");
	CHECK_ARGV(desc->command, "/bin/echo", "a", "b");
	done(desc);
}

ATF_TC_WITHOUT_HEAD(continuation_needs_whitespace);
ATF_TC_BODY(continuation_needs_whitespace, tc)
{
	check_error("type = process\ncommand = /bin/echo a \\\nb\n", 3,
	    "does not begin with whitespace");
	check_error("type = process\ncommand = /bin/echo a \\\n\n", 3,
	    "does not begin with whitespace");
	environ_clear(&test_env);
}

ATF_TC_WITHOUT_HEAD(continuation_eof);
ATF_TC_BODY(continuation_eof, tc)
{
	check_error("type = process\ncommand = /bin/echo \\\n", 2,
	    "end-of-file follows backslash");
	environ_clear(&test_env);
}

ATF_TC_WITHOUT_HEAD(continuation_line_numbers);
ATF_TC_BODY(continuation_line_numbers, tc)
{
	/* An error on a continued line names that line... */
	check_error("type = process\ncommand = /bin/echo \\\n   a#b\n", 3,
	    "hashmark");
	/* ...and lines after a continuation keep their numbers. */
	check_error("command = /bin/echo \\\n   a \\\n   b\nnice = x\n", 4,
	    "bad value for 'nice'");
	environ_clear(&test_env);
}

ATF_TC_WITHOUT_HEAD(later_line_overrides);
ATF_TC_BODY(later_line_overrides, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("type = internal\ntype = process\n"
	    "command = /bin/a\ncommand = /bin/b\n"
	    "working-dir = /one\nworking-dir = /two\n"
	    "restart = no\nrestart = on-failure\n");
	ATF_CHECK_EQ(SERVICE_PROCESS, desc->type);
	CHECK_ARGV(desc->command, "/bin/b");
	ATF_CHECK_STREQ("/two", desc->working_dir);
	ATF_CHECK_EQ(RESTART_ON_FAILURE, desc->restart);
	done(desc);
}

/*
 * Settings.
 */

ATF_TC_WITHOUT_HEAD(defaults);
ATF_TC_BODY(defaults, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("");
	ATF_CHECK_STREQ("svc", desc->name);
	ATF_CHECK_STREQ("svc", desc_file(desc));
	ATF_CHECK_STREQ(".", parse_desc_dir(desc));
	ATF_CHECK(desc->mtime != 0);
	ATF_CHECK_EQ(SERVICE_INTERNAL, desc->type);
	ATF_CHECK(desc->command == NULL);
	ATF_CHECK(desc->stop_command == NULL);
	ATF_CHECK(desc->working_dir == NULL);
	ATF_CHECK_EQ(SIGTERM, desc->term_signal);
	ATF_CHECK_EQ(-1, desc->rare->ready_fd);
	ATF_CHECK(desc->rare->ready_var == NULL);
	ATF_CHECK_EQ(0, desc->rare->has_nice);
	ATF_CHECK_EQ(0, desc->rare->has_oom_score_adj);
	ATF_CHECK_EQ(0, desc->rare->rlimit_nofile.set_soft);
	ATF_CHECK_EQ(0, desc->ndeps);
	ATF_CHECK_EQ(RESTART_YES, desc->restart);
	ATF_CHECK_EQ(0, desc->smooth_recovery);
	ATF_CHECK_EQ(200, desc->restart_delay);
	ATF_CHECK_EQ(10000, desc->restart_limit_interval);
	ATF_CHECK_EQ(3, desc->restart_limit_count);
	ATF_CHECK_EQ(60000, desc->start_timeout);
	ATF_CHECK_EQ(10000, desc->stop_timeout);
	ATF_CHECK_EQ(LOGTYPE_NONE, desc->log_type);
	ATF_CHECK_EQ(0600, desc->rare->logfile_permissions);
	ATF_CHECK_EQ(4096, desc->rare->log_buffer_size);
	ATF_CHECK_EQ(0666, desc->rare->socket_permissions);
	ATF_CHECK_EQ(0, desc->options);
	ATF_CHECK_EQ(0, desc->load_options);
	ATF_CHECK_EQ(0, desc->env->count);
	done(desc);
}

ATF_TC_WITHOUT_HEAD(desc_location);
ATF_TC_BODY(desc_location, tc)
{
	struct service_desc	*desc;
	struct parse_error	 err;

	testutil_mkdir("d");
	testutil_write("d/svc", "type = internal\n");
	env_setup();
	desc = parse_service("svc", "d/svc", &test_env, &err);
	ATF_REQUIRE(desc != NULL);
	ATF_CHECK_STREQ("d/svc", desc_file(desc));
	ATF_CHECK_STREQ("d", parse_desc_dir(desc));
	done(desc);
}

/*
 * The file's path is kept as a shared directory and a last component:
 * every form of path comes back as it was given.
 */
ATF_TC_WITHOUT_HEAD(desc_location_forms);
ATF_TC_BODY(desc_location_forms, tc)
{
	static const struct {
		const char	*name, *path, *dir;
	} c[] = {
		{ "svc", "d//svc", "d/" },
		{ "t@a", "d/t", "d" },
		{ "svc", "d/other", "d" },
		{ "svc", "./svc", "." },
		{ "svc", "svc", "." },
	};
	struct service_desc	*desc;
	struct parse_error	 err;
	char			 cwd[1024], path[1100], small[4];
	size_t			 i;

	testutil_mkdir("d");
	testutil_write("d/svc", "type = internal\n");
	testutil_write("d/t", "type = process\ncommand = /bin/echo $1\n");
	testutil_write("d/other", "type = internal\n");
	testutil_write("svc", "type = internal\n");
	env_setup();
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		desc = parse_service(c[i].name, c[i].path, &test_env, &err);
		ATF_REQUIRE_MSG(desc != NULL, "%s", c[i].path);
		ATF_CHECK_STREQ(c[i].name, desc->name);
		ATF_CHECK_STREQ(c[i].path, desc_file(desc));
		ATF_CHECK_STREQ(c[i].dir, parse_desc_dir(desc));
		done(desc);
	}
	/* Absolute, and truncated as snprintf truncates. */
	ATF_REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
	(void)snprintf(path, sizeof(path), "%s/d/t", cwd);
	desc = parse_service("t@b", path, &test_env, &err);
	ATF_REQUIRE(desc != NULL);
	ATF_CHECK_STREQ(path, desc_file(desc));
	ATF_CHECK_EQ(strlen(path), parse_desc_file(desc, small,
	    sizeof(small)));
	ATF_CHECK_EQ(3, strlen(small));
	ATF_CHECK_STREQ("/bin/echo", desc->command[0]);
	ATF_CHECK_STREQ("b", desc->command[1]);
	done(desc);
}

ATF_TC_WITHOUT_HEAD(type_values);
ATF_TC_BODY(type_values, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("type = triggered\n");
	ATF_CHECK_EQ(SERVICE_TRIGGERED, desc->type);
	done(desc);
	desc = parse_ok("type = bgprocess\ncommand = /bin/d\npid-file = /p\n");
	ATF_CHECK_EQ(SERVICE_BGPROCESS, desc->type);
	ATF_CHECK_STREQ("/p", desc->rare->pid_file);
	done(desc);
	desc = parse_ok("type = process\ntype = internal\n");
	ATF_CHECK_EQ(SERVICE_INTERNAL, desc->type);
	done(desc);
	check_error("\ntype = daemon\n", 2, "bad value for 'type': 'daemon'");
	check_error("type = placeholder\n", 1, "'type'");
	environ_clear(&test_env);
}

ATF_TC_WITHOUT_HEAD(strings);
ATF_TC_BODY(strings, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("type = process\ncommand = /bin/x\n"
	    "working-dir = /srv\n"
	    "run-as = nobody\n"
	    "run-in-cgroup = /system/x\n"
	    "logfile-uid = 12\n"
	    "logfile-gid = wheel\n"
	    "socket-uid = daemon\n"
	    "socket-gid = 7\n");
	ATF_CHECK_STREQ("/srv", desc->working_dir);
	ATF_CHECK_STREQ("nobody", desc->run_as);
	ATF_CHECK_STREQ("/system/x", desc->rare->run_in_cgroup);
	ATF_CHECK_STREQ("12", desc->rare->logfile_uid);
	ATF_CHECK_STREQ("wheel", desc->rare->logfile_gid);
	ATF_CHECK_STREQ("daemon", desc->rare->socket_uid);
	ATF_CHECK_STREQ("7", desc->rare->socket_gid);
	done(desc);
	check_error("run-as =\n", 1, "bad value for 'run-as'");
	/* A C library that keeps no utmpx records (musl) refuses these. */
	if (osdep_unsupported(OSDEP_UTMPX) == NULL) {
		desc = parse_ok("type = process\ncommand = /bin/x\n"
		    "inittab-id = s1\n"
		    "inittab-line = ttyS0\n");
		ATF_CHECK_STREQ("s1", desc->rare->inittab_id);
		ATF_CHECK_STREQ("ttyS0", desc->rare->inittab_line);
		done(desc);
		check_error("inittab-id = toolong\n", 1,
		    "bad value for 'inittab-id': 'toolong'");
		check_error("type = scripted\ncommand = /bin/x\n"
		    "inittab-id = s1\n", 0, "only kept for process services");
	} else
		check_error("type = process\ncommand = /bin/x\n"
		    "inittab-id = s1\n", 3, "is not supported on this platform");
	environ_clear(&test_env);
}

ATF_TC_WITHOUT_HEAD(term_signal);
ATF_TC_BODY(term_signal, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("term-signal = HUP\n");
	ATF_CHECK_EQ(SIGHUP, desc->term_signal);
	done(desc);
	desc = parse_ok("termsignal = USR1\n");
	ATF_CHECK_EQ(SIGUSR1, desc->term_signal);
	done(desc);
	desc = parse_ok("term-signal = SIGINT\n");
	ATF_CHECK_EQ(SIGINT, desc->term_signal);
	done(desc);
	desc = parse_ok("term-signal = none\n");
	ATF_CHECK_EQ(0, desc->term_signal);
	done(desc);
	desc = parse_ok("term-signal = 9\n");
	ATF_CHECK_EQ(9, desc->term_signal);
	done(desc);
	check_error("\n\nterm-signal = BOGUS\n", 3,
	    "bad value for 'term-signal': 'BOGUS'");
	check_error("termsignal = 0\n", 1, "'termsignal'");
	environ_clear(&test_env);
}

ATF_TC_WITHOUT_HEAD(ready_notification);
ATF_TC_BODY(ready_notification, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("type = process\ncommand = /bin/x\n"
	    "ready-notification = pipefd:3\n");
	ATF_CHECK_EQ(3, desc->rare->ready_fd);
	ATF_CHECK(desc->rare->ready_var == NULL);
	done(desc);
	desc = parse_ok("type = process\ncommand = /bin/x\n"
	    "ready-notification = pipefd:3\n"
	    "ready-notification = pipevar:READY_FD\n");
	ATF_CHECK_EQ(-1, desc->rare->ready_fd);
	ATF_CHECK_STREQ("READY_FD", desc->rare->ready_var);
	done(desc);
	desc = parse_ok("type = process\ncommand = /bin/x\n"
	    "ready-notification = pipevar:READY_FD\n"
	    "ready-notification = notify\n");
	ATF_CHECK_EQ(-1, desc->rare->ready_fd);
	ATF_CHECK(desc->rare->ready_var == NULL);
	ATF_CHECK_EQ(1, desc->ready_notify);
	done(desc);
	desc = parse_ok("type = bgprocess\ncommand = /bin/x\n"
	    "ready-notification = notify\n");
	ATF_CHECK_EQ(1, desc->ready_notify);
	ATF_CHECK(desc->rare->pid_file == NULL);
	done(desc);
	check_error("ready-notification = pipefd:x\n", 1,
	    "bad value for 'ready-notification': 'pipefd:x'");
	check_error("\nready-notification = pipevar:\n", 2,
	    "'ready-notification'");
	check_error("ready-notification = socket\n", 1,
	    "'ready-notification'");
	environ_clear(&test_env);
}

ATF_TC_WITHOUT_HEAD(numbers);
ATF_TC_BODY(numbers, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("nice = -5\noom-score-adj = 500\n"
	    "restart-limit-count = 7\nlog-buffer-size = 8192\n");
	ATF_CHECK_EQ(1, desc->rare->has_nice);
	ATF_CHECK_EQ(-5, desc->rare->nice);
	ATF_CHECK_EQ(1, desc->rare->has_oom_score_adj);
	ATF_CHECK_EQ(500, desc->rare->oom_score_adj);
	ATF_CHECK_EQ(7, desc->restart_limit_count);
	ATF_CHECK_EQ(8192, desc->rare->log_buffer_size);
	done(desc);
	check_error("nice = abc\n", 1, "bad value for 'nice': 'abc'");
	check_error("\noom-score-adj = 1001\n", 2,
	    "bad value for 'oom-score-adj': '1001'");
	check_error("restart-limit-count = -1\n", 1,
	    "bad value for 'restart-limit-count'");
	check_error("log-buffer-size = 99999999999999999999\n", 1,
	    "bad value for 'log-buffer-size'");
	environ_clear(&test_env);
}

ATF_TC_WITHOUT_HEAD(ioprio);
ATF_TC_BODY(ioprio, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("ioprio = best-effort:4\n");
	ATF_CHECK_STREQ("best-effort:4", desc->rare->ioprio);
	done(desc);
	desc = parse_ok("ioprio = idle\n");
	ATF_CHECK_STREQ("idle", desc->rare->ioprio);
	done(desc);
	check_error("ioprio = realtime:8\n", 1,
	    "bad value for 'ioprio': 'realtime:8'");
	check_error("ioprio = fast\n", 1, "'ioprio'");
	environ_clear(&test_env);
}

ATF_TC_WITHOUT_HEAD(securebits_bad);
ATF_TC_BODY(securebits_bad, tc)
{
	if (osdep_unsupported(OSDEP_CAPABILITIES) != NULL)
		atf_tc_skip("%s", osdep_unsupported(OSDEP_CAPABILITIES));
	check_error("capabilities = ^cap_chown\ncapabilities += cap_bogus\n",
	    2, "bad value for 'capabilities': 'cap_bogus'");
	check_error("securebits = keep-caps\nsecurebits += bogus\n", 2,
	    "unknown securebits flag: 'bogus'");
	environ_clear(&test_env);
}

ATF_TC_WITHOUT_HEAD(rlimits);
ATF_TC_BODY(rlimits, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("rlimit-nofile = 100:200\n"
	    "rlimit-core = -\n"
	    "rlimit-data = 5:\n"
	    "rlimit-addrspace = :7\n");
	ATF_CHECK(desc->rare->rlimit_nofile.set_soft &&
	    desc->rare->rlimit_nofile.set_hard);
	ATF_CHECK_EQ(100, desc->rare->rlimit_nofile.soft);
	ATF_CHECK_EQ(200, desc->rare->rlimit_nofile.hard);
	ATF_CHECK(desc->rare->rlimit_core.set_soft &&
	    desc->rare->rlimit_core.set_hard);
	ATF_CHECK(desc->rare->rlimit_core.soft == RLIM_INFINITY);
	ATF_CHECK(desc->rare->rlimit_core.hard == RLIM_INFINITY);
	ATF_CHECK(desc->rare->rlimit_data.set_soft &&
	    !desc->rare->rlimit_data.set_hard);
	ATF_CHECK_EQ(5, desc->rare->rlimit_data.soft);
	ATF_CHECK(!desc->rare->rlimit_addrspace.set_soft &&
	    desc->rare->rlimit_addrspace.set_hard);
	ATF_CHECK_EQ(7, desc->rare->rlimit_addrspace.hard);
	done(desc);
	desc = parse_ok("rlimit-nofile = 64\nrlimit-core = 1:-\n");
	ATF_CHECK_EQ(64, desc->rare->rlimit_nofile.soft);
	ATF_CHECK_EQ(64, desc->rare->rlimit_nofile.hard);
	ATF_CHECK_EQ(1, desc->rare->rlimit_core.soft);
	ATF_CHECK(desc->rare->rlimit_core.hard == RLIM_INFINITY);
	done(desc);
	check_error("rlimit-nofile = abc\n", 1,
	    "bad value for 'rlimit-nofile': 'abc'");
	check_error("\nrlimit-core = 1:2:3\n", 2, "'rlimit-core'");
	check_error("rlimit-data =\n", 1, "'rlimit-data'");
	environ_clear(&test_env);
}

ATF_TC_WITHOUT_HEAD(dependencies);
ATF_TC_BODY(dependencies, tc)
{
	struct service_desc	*desc;
	static const struct {
		const char		*name;
		enum dependency_type	 type;
	} expect[] = {
		{ "a", DEP_REGULAR },
		{ "b", DEP_PREPARED_BY },
		{ "c", DEP_MILESTONE },
		{ "d", DEP_WAITS_FOR },
		{ "e", DEP_AFTER },
		{ "f", DEP_BEFORE },
		{ "g@arg", DEP_REGULAR },
	};
	size_t			 i;

	desc = parse_ok("depends-on: a\n"
	    "prepared-by: b\n"
	    "# comment\n"
	    "depends-ms = c\n"
	    "waits-for: d\n"
	    "after: e\n"
	    "before: f\n"
	    "depends-on: g@arg\n");
	ATF_REQUIRE_EQ(7, desc->ndeps);
	for (i = 0; i < 7; i++) {
		ATF_CHECK_STREQ(expect[i].name, desc->deps[i].name);
		ATF_CHECK_EQ(expect[i].type, desc->deps[i].type);
		ATF_CHECK_STREQ("svc", desc->deps[i].file);
	}
	ATF_CHECK_EQ(1, desc->deps[0].line);
	ATF_CHECK_EQ(4, desc->deps[2].line);
	ATF_CHECK_EQ(8, desc->deps[6].line);
	done(desc);
}

ATF_TC_WITHOUT_HEAD(dependency_bad_name);
ATF_TC_BODY(dependency_bad_name, tc)
{
	check_error("depends-on: ok\ndepends-on: .hidden\n", 2,
	    "invalid service name '.hidden'");
	check_error("waits-for: a b\n", 1, "invalid service name 'a b'");
	check_error("after:\n", 1, "invalid service name ''");
	check_error("\nchain-to = @x\n", 2, "invalid service name '@x'");
	environ_clear(&test_env);
}

ATF_TC_WITHOUT_HEAD(dependency_dirs);
ATF_TC_BODY(dependency_dirs, tc)
{
	struct service_desc	*desc;

	/* Made out of order, so that readdir order is not sorted order. */
	testutil_mkdir("boot.d");
	testutil_write("boot.d/mid", "");
	testutil_write("boot.d/zeta", "");
	testutil_write("boot.d/.hidden", "");
	testutil_write("boot.d/alpha", "");
	testutil_mkdir("ms.d");
	testutil_write("ms.d/m", "");
	testutil_mkdir("on.d");
	testutil_write("on.d/o", "");
	desc = parse_ok("waits-for.d = boot.d\n"
	    "depends-ms.d: ms.d\n"
	    "depends-on.d: on.d\n"
	    "waits-for.d: missing.d\n");
	ATF_REQUIRE_EQ(5, desc->ndeps);
	ATF_CHECK_STREQ("alpha", desc->deps[0].name);
	ATF_CHECK_EQ(DEP_WAITS_FOR, desc->deps[0].type);
	ATF_CHECK_EQ(1, desc->deps[0].line);
	ATF_CHECK_STREQ("mid", desc->deps[1].name);
	ATF_CHECK_STREQ("zeta", desc->deps[2].name);
	ATF_CHECK_EQ(DEP_WAITS_FOR, desc->deps[2].type);
	ATF_CHECK_STREQ("m", desc->deps[3].name);
	ATF_CHECK_EQ(DEP_MILESTONE, desc->deps[3].type);
	ATF_CHECK_STREQ("o", desc->deps[4].name);
	ATF_CHECK_EQ(DEP_REGULAR, desc->deps[4].type);
	ATF_CHECK_EQ(3, desc->deps[4].line);
	done(desc);
}

ATF_TC_WITHOUT_HEAD(chain_and_consumer);
ATF_TC_BODY(chain_and_consumer, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("type = process\ncommand = /bin/x\n"
	    "chain-to = next\nconsumer-of = producer\n");
	ATF_CHECK_STREQ("next", desc->rare->chain_to);
	ATF_CHECK_STREQ("producer", desc->rare->consumer_of);
	done(desc);
	check_error("type = process\ncommand = /bin/x\nconsumer-of = svc\n",
	    3, "service cannot be its own consumer");
	environ_clear(&test_env);
}

ATF_TC_WITHOUT_HEAD(restart_values);
ATF_TC_BODY(restart_values, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("restart = false\nsmooth-recovery = yes\n");
	ATF_CHECK_EQ(RESTART_NO, desc->restart);
	ATF_CHECK_EQ(1, desc->smooth_recovery);
	done(desc);
	desc = parse_ok("restart = no\nrestart = true\nsmooth-recovery = true\n"
	    "smooth-recovery = false\n");
	ATF_CHECK_EQ(RESTART_YES, desc->restart);
	ATF_CHECK_EQ(0, desc->smooth_recovery);
	done(desc);
	check_error("restart = sometimes\n", 1,
	    "bad value for 'restart': 'sometimes'");
	check_error("\nsmooth-recovery = maybe\n", 2,
	    "bad value for 'smooth-recovery': 'maybe'");
	environ_clear(&test_env);
}

ATF_TC_WITHOUT_HEAD(times);
ATF_TC_BODY(times, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("restart-delay = 1.5\n"
	    "restart-limit-interval = 0.25\n"
	    "start-timeout = 0\n"
	    "stop-timeout = 2,0009\n");
	ATF_CHECK_EQ(1500, desc->restart_delay);
	ATF_CHECK_EQ(250, desc->restart_limit_interval);
	ATF_CHECK_EQ(0, desc->start_timeout);
	ATF_CHECK_EQ(2000, desc->stop_timeout);
	done(desc);
	desc = parse_ok("start-timeout = 90\nstop-timeout = .5\n");
	ATF_CHECK_EQ(90000, desc->start_timeout);
	ATF_CHECK_EQ(500, desc->stop_timeout);
	done(desc);
	check_error("start-timeout = soon\n", 1,
	    "bad value for 'start-timeout': 'soon'");
	check_error("\nstop-timeout = 1.x\n", 2, "'stop-timeout'");
	check_error("restart-delay = -1\n", 1, "'restart-delay'");
	check_error("restart-limit-interval = 99999999999999999999999\n", 1,
	    "'restart-limit-interval'");
	environ_clear(&test_env);
}

ATF_TC_WITHOUT_HEAD(log_settings);
ATF_TC_BODY(log_settings, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("type = process\ncommand = /bin/x\n"
	    "logfile = /var/log/x\n"
	    "logfile-permissions = 0640\n");
	ATF_CHECK_EQ(LOGTYPE_FILE, desc->log_type);
	ATF_CHECK_STREQ("/var/log/x", desc->logfile);
	ATF_CHECK_EQ(0640, desc->rare->logfile_permissions);
	done(desc);
	desc = parse_ok("type = process\ncommand = /bin/x\n"
	    "log-type = buffer\nlogfile = /var/log/x\n");
	ATF_CHECK_EQ(LOGTYPE_BUFFER, desc->log_type);
	done(desc);
	desc = parse_ok("log-type = pipe\n");
	ATF_CHECK_EQ(LOGTYPE_PIPE, desc->log_type);
	done(desc);
	check_error("log-type = syslog\n", 1,
	    "bad value for 'log-type': 'syslog'");
	check_error("\nlogfile-permissions = 0999\n", 2,
	    "bad value for 'logfile-permissions': '0999'");
	environ_clear(&test_env);
}

ATF_TC_WITHOUT_HEAD(socket_settings);
ATF_TC_BODY(socket_settings, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("type = process\ncommand = /bin/x\n"
	    "socket-listen = /run/x.sock\n"
	    "socket-permissions = 600\n");
	ATF_CHECK_STREQ("/run/x.sock", desc->rare->socket_listen);
	ATF_CHECK_EQ(0600, desc->rare->socket_permissions);
	done(desc);
	check_error("socket-permissions = rw\n", 1,
	    "bad value for 'socket-permissions': 'rw'");
	environ_clear(&test_env);
}

ATF_TC_WITHOUT_HEAD(options);
ATF_TC_BODY(options, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("type = scripted\ncommand = /bin/x\n"
	    "options: runs-on-console unmask-intr\n"
	    "options: starts-rwfs starts-log pass-cs-fd\n"
	    "options = start-interruptible skippable signal-process-only\n"
	    "options: always-chain kill-all-on-stop no-new-privs\n"
	    "load-options = sub-vars\n");
	ATF_CHECK_EQ(OPT_RUNS_ON_CONSOLE | OPT_STARTS_ON_CONSOLE |
	    OPT_UNMASK_INTR | OPT_STARTS_RWFS | OPT_STARTS_LOG |
	    OPT_PASS_CS_FD | OPT_START_INTERRUPTIBLE | OPT_SKIPPABLE |
	    OPT_SIGNAL_PROCESS_ONLY | OPT_ALWAYS_CHAIN |
	    OPT_KILL_ALL_ON_STOP | OPT_NO_NEW_PRIVS, desc->options);
	ATF_CHECK_EQ(LOPT_SUB_VARS, desc->load_options);
	done(desc);
	desc = parse_ok("options: shares-console\n");
	ATF_CHECK_EQ(OPT_SHARES_CONSOLE, desc->options);
	done(desc);
}

ATF_TC_WITHOUT_HEAD(unknown_option);
ATF_TC_BODY(unknown_option, tc)
{
	check_error("options: starts-log\noptions: starts-log bogus-opt\n", 2,
	    "unknown option: 'bogus-opt'");
	check_error("\n\nload-options = export-everything\n", 3,
	    "unknown load option: 'export-everything'");
	environ_clear(&test_env);
}

/*
 * Meta-commands.
 */

ATF_TC_WITHOUT_HEAD(include);
ATF_TC_BODY(include, tc)
{
	struct service_desc	*desc;

	testutil_write("common", "type = process\n"
	    "depends-on = fromcommon\n");
	desc = parse_ok("@include common\n"
	    "command = /bin/x\n"
	    "depends-on = fromsvc\n");
	ATF_CHECK_EQ(SERVICE_PROCESS, desc->type);
	ATF_REQUIRE_EQ(2, desc->ndeps);
	ATF_CHECK_STREQ("fromcommon", desc->deps[0].name);
	ATF_CHECK_STREQ("./common", desc->deps[0].file);
	ATF_CHECK_EQ(2, desc->deps[0].line);
	ATF_CHECK_STREQ("svc", desc->deps[1].file);
	ATF_CHECK_EQ(3, desc->deps[1].line);
	done(desc);
}

/*
 * Dependencies named one after another in one file share its name; the
 * files alternating, each keeps its own, and all are freed once.
 */
ATF_TC_WITHOUT_HEAD(include_dep_files);
ATF_TC_BODY(include_dep_files, tc)
{
	static const char *const want[][2] = {
		{ "s1", "svc" }, { "s2", "svc" },
		{ "c1", "./common" }, { "c2", "./common" },
		{ "s3", "svc" },
		{ "c1", "./common" }, { "c2", "./common" },
		{ "s4", "svc" }
	};
	struct service_desc	*desc;
	size_t			 i;

	testutil_write("common", "waits-for = c1\nwaits-for = c2\n");
	desc = parse_ok("waits-for = s1\nwaits-for = s2\n"
	    "@include common\n"
	    "waits-for = s3\n"
	    "@include-opt common\n"
	    "waits-for = s4\n");
	ATF_REQUIRE_EQ(sizeof(want) / sizeof(want[0]), desc->ndeps);
	for (i = 0; i < desc->ndeps; i++) {
		ATF_CHECK_STREQ(want[i][0], desc->deps[i].name);
		ATF_CHECK_STREQ(want[i][1], desc->deps[i].file);
	}
	ATF_CHECK(desc->deps[0].file == desc->deps[1].file);
	ATF_CHECK(desc->deps[1].file != desc->deps[4].file);
	done(desc);
}

ATF_TC_WITHOUT_HEAD(include_error_location);
ATF_TC_BODY(include_error_location, tc)
{
	testutil_write("common", "type = process\n\nnice = high\n");
	check_error_named("svc", "\n@include common\n", "./common", 3,
	    "bad value for 'nice'");
	environ_clear(&test_env);
}

ATF_TC_WITHOUT_HEAD(include_relative);
ATF_TC_BODY(include_relative, tc)
{
	struct service_desc	*desc;

	testutil_mkdir("sub");
	testutil_mkdir("sub/deps.d");
	testutil_write("sub/deps.d/dep1", "");
	testutil_write("sub/first", "@include second\n");
	testutil_write("sub/second", "waits-for.d = deps.d\n");
	desc = parse_ok("@include sub/first\n");
	ATF_REQUIRE_EQ(1, desc->ndeps);
	ATF_CHECK_STREQ("dep1", desc->deps[0].name);
	ATF_CHECK_STREQ("./sub/second", desc->deps[0].file);
	done(desc);
}

ATF_TC_WITHOUT_HEAD(include_missing);
ATF_TC_BODY(include_missing, tc)
{
	check_error("type = internal\n@include nonexistent\n", 2,
	    "cannot open './nonexistent'");
	environ_clear(&test_env);
}

ATF_TC_WITHOUT_HEAD(include_opt);
ATF_TC_BODY(include_opt, tc)
{
	struct service_desc	*desc;

	testutil_write("present", "restart = no\n");
	desc = parse_ok("@include-opt nonexistent\n"
	    "@include-opt present\n"
	    "type = internal\n");
	ATF_CHECK_EQ(RESTART_NO, desc->restart);
	done(desc);
}

ATF_TC_WITHOUT_HEAD(include_loop);
ATF_TC_BODY(include_loop, tc)
{
	testutil_write("loop", "type = internal\n@include loop\n");
	check_error_named("svc", "@include loop\n", "./loop", 2,
	    "nested too deeply");
	environ_clear(&test_env);
}

ATF_TC_WITHOUT_HEAD(include_substitution);
ATF_TC_BODY(include_substitution, tc)
{
	struct service_desc	*desc;

	testutil_mkdir("sub");
	testutil_write("sub/inc-x", "restart = no\n");
	desc = parse_named("svc@x", "@include $DIR/inc-$1\n", NULL);
	ATF_REQUIRE(desc != NULL);
	ATF_CHECK_EQ(RESTART_NO, desc->restart);
	done(desc);
}

ATF_TC_WITHOUT_HEAD(include_one_argument);
ATF_TC_BODY(include_one_argument, tc)
{
	check_error("\n@include a b\n", 2, "'@include' requires a single");
	check_error("@include-opt\n", 1, "'@include-opt' requires a single");
	environ_clear(&test_env);
}

ATF_TC_WITHOUT_HEAD(meta_enable_via);
ATF_TC_BODY(meta_enable_via, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("@meta enable-via multi-user\n"
	    "@meta something \"else entirely\n"
	    "  @meta\n");
	ATF_CHECK_STREQ("multi-user", desc->rare->enable_via);
	done(desc);
}

ATF_TC_WITHOUT_HEAD(bad_meta);
ATF_TC_BODY(bad_meta, tc)
{
	check_error("type = internal\n@frobnicate x\n", 2, "bad meta command");
	check_error("@includes x\n", 1, "bad meta command");
	environ_clear(&test_env);
}

/*
 * Variable substitution.
 */

ATF_TC_WITHOUT_HEAD(subst_simple);
ATF_TC_BODY(subst_simple, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("type = process\n"
	    "command = /bin/echo $DINIT_VAR ${DINIT_VAR} x${DINIT_VAR}y "
	    "$DINIT_VAR-z $UNSET_VAR\n");
	CHECK_ARGV(desc->command, "/bin/echo", "dinit", "dinit", "xdinity",
	    "dinit-z", "");
	done(desc);
}

ATF_TC_WITHOUT_HEAD(subst_default);
ATF_TC_BODY(subst_default, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("type = process\n"
	    "command = /bin/echo ${UNSET_VAR:-d1} ${EMPTY:-d2} "
	    "${DINIT_VAR:-d3} ${UNSET_VAR-d4} ${EMPTY-d5}\n");
	CHECK_ARGV(desc->command, "/bin/echo", "d1", "d2", "dinit", "d4", "");
	done(desc);
}

ATF_TC_WITHOUT_HEAD(subst_alternative);
ATF_TC_BODY(subst_alternative, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("type = process\n"
	    "command = /bin/echo ${DINIT_VAR:+a1} ${EMPTY:+a2} "
	    "${UNSET_VAR:+a3} ${EMPTY+a4} ${UNSET_VAR+a5}\n");
	CHECK_ARGV(desc->command, "/bin/echo", "a1", "", "", "a4", "");
	done(desc);
}

ATF_TC_WITHOUT_HEAD(subst_dollar_dollar);
ATF_TC_BODY(subst_dollar_dollar, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("type = process\n"
	    "command = /bin/echo $$ a$$DINIT_VAR $$$DINIT_VAR\n");
	CHECK_ARGV(desc->command, "/bin/echo", "$", "a$DINIT_VAR", "$dinit");
	done(desc);
}

ATF_TC_WITHOUT_HEAD(subst_escaped_dollar);
ATF_TC_BODY(subst_escaped_dollar, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("type = process\n"
	    "command = /bin/echo \\$DINIT_VAR \"\\$DINIT_VAR\" "
	    "\"$DINIT_VAR\" \\\\$DINIT_VAR \\$$DINIT_VAR\n");
	CHECK_ARGV(desc->command, "/bin/echo", "$DINIT_VAR", "$DINIT_VAR",
	    "dinit", "\\dinit", "$dinit");
	done(desc);
}

ATF_TC_WITHOUT_HEAD(subst_argument);
ATF_TC_BODY(subst_argument, tc)
{
	struct service_desc	*desc;

	desc = parse_named("getty@tty1", "type = process\n"
	    "command = /sbin/getty $1 ${1} x${1:-none}\n"
	    "depends-on = dev-$1\n", NULL);
	ATF_REQUIRE(desc != NULL);
	ATF_CHECK_STREQ("getty@tty1", desc->name);
	CHECK_ARGV(desc->command, "/sbin/getty", "tty1", "tty1", "xtty1");
	ATF_REQUIRE_EQ(1, desc->ndeps);
	ATF_CHECK_STREQ("dev-tty1", desc->deps[0].name);
	done(desc);
	desc = parse_named("getty", "type = process\n"
	    "command = /sbin/getty ${1:-console} ${1+set}\n", NULL);
	ATF_REQUIRE(desc != NULL);
	CHECK_ARGV(desc->command, "/sbin/getty", "console", "");
	done(desc);
}

ATF_TC_WITHOUT_HEAD(subst_argument_errors);
ATF_TC_BODY(subst_argument_errors, tc)
{
	check_error_named("svc", "type = process\n\ncommand = /bin/x $1\n",
	    "svc", 3, "missing value in argument substitution");
	check_error_named("svc@a", "type = process\ncommand = /bin/x $2\n",
	    "svc", 2, "only one service argument");
	environ_clear(&test_env);
}

ATF_TC_WITHOUT_HEAD(subst_split);
ATF_TC_BODY(subst_split, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("type = process\n"
	    "command = /bin/echo $/WORDS $/{WORDS} p$/WORDS $/EMPTY "
	    "$/BLANKS $/UNSET_VAR end\n");
	CHECK_ARGV(desc->command, "/bin/echo", "a", "b", "c", "a", "b", "c",
	    "p", "a", "b", "c", "end");
	done(desc);
}

ATF_TC_WITHOUT_HEAD(subst_no_split);
ATF_TC_BODY(subst_no_split, tc)
{
	struct service_desc	*desc;

	desc = parse_ok("type = process\n"
	    "command = /bin/echo xxx$SPACED/yyy $EMPTY \"$SPACED\"\n");
	CHECK_ARGV(desc->command, "/bin/echo", "xxxvar one/yyy", "",
	    "var one");
	done(desc);
}

ATF_TC_WITHOUT_HEAD(subst_syntax_errors);
ATF_TC_BODY(subst_syntax_errors, tc)
{
	check_error("type = process\ncommand = /bin/echo ${DINIT_VAR\n", 2,
	    "unmatched '{'");
	check_error("type = process\ncommand = /bin/echo ${DINIT_VAR:x}\n", 2,
	    "invalid syntax in variable substitution");
	check_error("type = process\n\ncommand = /bin/echo cost$\n", 3,
	    "invalid/missing variable name");
	check_error("depends-on = a${}\n", 1, "invalid/missing variable name");
	check_error("\nwaits-for = ${X\n", 2, "unmatched '{'");
	environ_clear(&test_env);
}

ATF_TC_WITHOUT_HEAD(subst_pre_and_post_load);
ATF_TC_BODY(subst_pre_and_post_load, tc)
{
	struct service_desc	*desc;

	testutil_write("svc.env", "DINIT_VAR=service\nSVC_ONLY=mine\n");
	desc = parse_ok("type = process\n"
	    "depends-on = dep-$DINIT_VAR\n"
	    "waits-for = w${SVC_ONLY:-unset}\n"
	    "command = /bin/echo $DINIT_VAR $SVC_ONLY\n"
	    "env-file = svc.env\n");
	ATF_REQUIRE_EQ(2, desc->ndeps);
	/* Pre-load: dinit's environment only. */
	ATF_CHECK_STREQ("dep-dinit", desc->deps[0].name);
	ATF_CHECK_STREQ("wunset", desc->deps[1].name);
	/* Post-load: the env-file first, even when read after the line. */
	CHECK_ARGV(desc->command, "/bin/echo", "service", "mine");
	done(desc);
}

ATF_TC_WITHOUT_HEAD(subst_post_load_settings);
ATF_TC_BODY(subst_post_load_settings, tc)
{
	struct service_desc	*desc;

	testutil_write("svc.env", "BASE=/srv/app\n");
	desc = parse_ok("type = bgprocess\n"
	    "env-file = svc.env\n"
	    "command = $BASE/bin/daemon\n"
	    "stop-command = $BASE/bin/stop $/WORDS\n"
	    "working-dir = $BASE\n"
	    "logfile = $BASE/log\n"
	    "socket-listen = $BASE/sock\n"
	    "pid-file = ${BASE}/pid\n"
	    "run-as = $BASE\n");
	CHECK_ARGV(desc->command, "/srv/app/bin/daemon");
	CHECK_ARGV(desc->stop_command, "/srv/app/bin/stop", "a", "b", "c");
	ATF_CHECK_STREQ("/srv/app", desc->working_dir);
	ATF_CHECK_STREQ("/srv/app/log", desc->logfile);
	ATF_CHECK_STREQ("/srv/app/sock", desc->rare->socket_listen);
	ATF_CHECK_STREQ("/srv/app/pid", desc->rare->pid_file);
	/* run-as is not substituted. */
	ATF_CHECK_STREQ("$BASE", desc->run_as);
	done(desc);
}

ATF_TC_WITHOUT_HEAD(subst_post_load_error_line);
ATF_TC_BODY(subst_post_load_error_line, tc)
{
	check_error("type = process\ncommand = /bin/x\n\nlogfile = ${X\n",
	    4, "logfile: unmatched '{'");
	environ_clear(&test_env);
}

/*
 * The service environment.
 */

ATF_TC_WITHOUT_HEAD(env_file);
ATF_TC_BODY(env_file, tc)
{
	struct service_desc	*desc;
	struct parse_error	 err;

	testutil_mkdir("d");
	testutil_write("d/svc", "env-file = vars\n");
	testutil_write("d/vars", "A=1\n!import DINIT_VAR\nB = 2\n");
	env_setup();
	desc = parse_service("svc", "d/svc", &test_env, &err);
	ATF_REQUIRE(desc != NULL);
	ATF_CHECK_STREQ("vars", desc->env_file);
	ATF_CHECK_STREQ("1", environ_get(desc->env, "A", 1));
	ATF_CHECK_STREQ(" 2", environ_get(desc->env, "B", 1));
	ATF_CHECK_STREQ("dinit", environ_get(desc->env, "DINIT_VAR", 9));
	ATF_CHECK_EQ(3, desc->env->count);
	done(desc);
}

ATF_TC_WITHOUT_HEAD(env_file_missing);
ATF_TC_BODY(env_file_missing, tc)
{
	check_error("type = internal\nenv-file = nonexistent.env\n", 2,
	    "nonexistent.env");
	environ_clear(&test_env);
}

ATF_TC_WITHOUT_HEAD(env_file_pre_load);
ATF_TC_BODY(env_file_pre_load, tc)
{
	struct service_desc	*desc;

	testutil_write("env.dinit", "X=1\n");
	desc = parse_ok("env-file = env.$DINIT_VAR\n");
	ATF_CHECK_STREQ("1", environ_get(desc->env, "X", 1));
	done(desc);
}

ATF_TC_WITHOUT_HEAD(export_service_name);
ATF_TC_BODY(export_service_name, tc)
{
	struct service_desc	*desc;

	desc = parse_named("svc@inst", "type = process\n"
	    "load-options = export-service-name\n"
	    "command = /bin/echo $DINIT_SERVICE\n", NULL);
	ATF_REQUIRE(desc != NULL);
	ATF_CHECK_EQ(LOPT_EXPORT_SERVICE_NAME, desc->load_options);
	ATF_CHECK_STREQ("svc@inst", environ_get(desc->env, "DINIT_SERVICE",
	    13));
	CHECK_ARGV(desc->command, "/bin/echo", "svc@inst");
	done(desc);
}

ATF_TC_WITHOUT_HEAD(export_passwd_vars);
ATF_TC_BODY(export_passwd_vars, tc)
{
	struct service_desc	*desc;
	struct passwd		*pw;
	char			 uid[32];

	if ((pw = getpwuid(geteuid())) == NULL)
		atf_tc_skip("the current user has no passwd entry");
	(void)snprintf(uid, sizeof(uid), "%lu", (unsigned long)pw->pw_uid);
	testutil_write("svc.env", "SHELL=/bin/override\n");
	desc = parse_ok("type = process\n"
	    "load-options: export-passwd-vars\n"
	    "env-file = svc.env\n"
	    "command = /bin/echo $HOME\n");
	ATF_CHECK_STREQ(pw->pw_name, environ_get(desc->env, "USER", 4));
	ATF_CHECK_STREQ(pw->pw_name, environ_get(desc->env, "LOGNAME", 7));
	ATF_CHECK_STREQ(pw->pw_dir, environ_get(desc->env, "HOME", 4));
	ATF_CHECK_STREQ(uid, environ_get(desc->env, "UID", 3));
	ATF_CHECK(environ_get(desc->env, "GID", 3) != NULL);
	/* The env-file overrides the load-option variables. */
	ATF_CHECK_STREQ("/bin/override", environ_get(desc->env, "SHELL", 5));
	CHECK_ARGV(desc->command, "/bin/echo", pw->pw_dir);
	done(desc);
}

ATF_TC_WITHOUT_HEAD(export_passwd_vars_run_as);
ATF_TC_BODY(export_passwd_vars_run_as, tc)
{
	struct service_desc	*desc;
	struct passwd		*pw;
	char			 text[512];

	if ((pw = getpwuid(0)) == NULL)
		atf_tc_skip("uid 0 has no passwd entry");
	(void)snprintf(text, sizeof(text), "run-as = %s\n"
	    "load-options: export-passwd-vars\n", pw->pw_name);
	desc = parse_ok(text);
	ATF_CHECK_STREQ("0", environ_get(desc->env, "UID", 3));
	done(desc);
	check_error("run-as = no-such-user-for-dinit-tests\n"
	    "load-options: export-passwd-vars\n", 0,
	    "no-such-user-for-dinit-tests");
	environ_clear(&test_env);
}

/*
 * Validation.
 */

ATF_TC_WITHOUT_HEAD(command_missing);
ATF_TC_BODY(command_missing, tc)
{
	check_error("type = process\n", 0, "'command' setting not specified");
	check_error("type = scripted\ncommand =\n", 0,
	    "'command' setting not specified");
	check_error("type = bgprocess\ncommand = $/EMPTY\npid-file = /p\n", 0,
	    "'command' setting not specified");
	environ_clear(&test_env);
}

ATF_TC_WITHOUT_HEAD(pid_file_missing);
ATF_TC_BODY(pid_file_missing, tc)
{
	check_error("type = bgprocess\ncommand = /bin/x\n", 0, "pid-file");
	environ_clear(&test_env);
}

ATF_TC_WITHOUT_HEAD(ready_notification_type);
ATF_TC_BODY(ready_notification_type, tc)
{
	check_error("type = bgprocess\ncommand = /bin/x\npid-file = /p\n"
	    "ready-notification = pipefd:3\n", 0, "ready-notification");
	check_error("ready-notification = pipevar:X\n", 0,
	    "ready-notification");
	check_error("type = scripted\ncommand = /bin/x\n"
	    "ready-notification = notify\n", 0, "ready-notification");
	check_error("type = process\ncommand = /bin/x\n"
	    "socket-listen = /s\nready-notification = pipefd:3\n", 0,
	    "socket-listen");
	environ_clear(&test_env);
}

ATF_TC_WITHOUT_HEAD(kill_all_on_stop_type);
ATF_TC_BODY(kill_all_on_stop_type, tc)
{
	struct service_desc	*desc;

	check_error("type = process\ncommand = /bin/x\n"
	    "options = kill-all-on-stop\n", 0, "kill-all-on-stop");
	desc = parse_ok("options = kill-all-on-stop\n");
	ATF_CHECK(desc->options & OPT_KILL_ALL_ON_STOP);
	done(desc);
}

ATF_TC_WITHOUT_HEAD(consumer_of_type);
ATF_TC_BODY(consumer_of_type, tc)
{
	check_error("type = scripted\ncommand = /bin/x\n"
	    "consumer-of = producer\n", 0, "consumer-of");
	environ_clear(&test_env);
}

ATF_TC_WITHOUT_HEAD(shares_console_conflict);
ATF_TC_BODY(shares_console_conflict, tc)
{
	check_error("options = runs-on-console\noptions = shares-console\n", 0,
	    "shares-console");
	check_error("options = shares-console starts-on-console\n", 0,
	    "shares-console");
	environ_clear(&test_env);
}

/*
 * Utilities and robustness.
 */

ATF_TC_WITHOUT_HEAD(signals);
ATF_TC_BODY(signals, tc)
{
	ATF_CHECK_EQ(SIGHUP, parse_signal("HUP"));
	ATF_CHECK_EQ(SIGHUP, parse_signal("SIGHUP"));
	ATF_CHECK_EQ(SIGINT, parse_signal("INT"));
	ATF_CHECK_EQ(SIGQUIT, parse_signal("QUIT"));
	ATF_CHECK_EQ(SIGKILL, parse_signal("KILL"));
	ATF_CHECK_EQ(SIGUSR1, parse_signal("USR1"));
	ATF_CHECK_EQ(SIGUSR2, parse_signal("SIGUSR2"));
	ATF_CHECK_EQ(SIGTERM, parse_signal("TERM"));
	ATF_CHECK_EQ(SIGCONT, parse_signal("CONT"));
	ATF_CHECK_EQ(SIGSTOP, parse_signal("STOP"));
#ifdef SIGINFO
	ATF_CHECK_EQ(SIGINFO, parse_signal("INFO"));
#endif
	ATF_CHECK_EQ(15, parse_signal("15"));
	ATF_CHECK_EQ(-1, parse_signal("0"));
	ATF_CHECK_EQ(-1, parse_signal("-1"));
	ATF_CHECK_EQ(-1, parse_signal("BOGUS"));
	ATF_CHECK_EQ(-1, parse_signal(""));
	ATF_CHECK_EQ(-1, parse_signal("SIG"));
	ATF_CHECK_EQ(-1, parse_signal("99999"));
	ATF_CHECK_STREQ("TERM", parse_signal_name(SIGTERM));
	ATF_CHECK_STREQ("KILL", parse_signal_name(SIGKILL));
	ATF_CHECK(parse_signal_name(0) == NULL);
}

ATF_TC_WITHOUT_HEAD(service_names);
ATF_TC_BODY(service_names, tc)
{
	char		 base[8];
	const char	*arg;

	ATF_CHECK_EQ(0, parse_service_name("getty@tty1", base, sizeof(base),
	    &arg));
	ATF_CHECK_STREQ("getty", base);
	ATF_CHECK_STREQ("tty1", arg);
	ATF_CHECK_EQ(0, parse_service_name("a.b_c-d", base, sizeof(base),
	    &arg));
	ATF_CHECK(arg == NULL);
	ATF_CHECK_EQ(0, parse_service_name("x@a b@c", base, sizeof(base),
	    &arg));
	ATF_CHECK_STREQ("a b@c", arg);
	ATF_CHECK_EQ(0, parse_service_name("caf\xc3\xa9", base, sizeof(base),
	    NULL));
	ATF_CHECK_EQ(-1, parse_service_name("", base, sizeof(base), &arg));
	ATF_CHECK_EQ(EINVAL, errno);
	ATF_CHECK_EQ(-1, parse_service_name(".hidden", base, sizeof(base),
	    &arg));
	ATF_CHECK_EQ(-1, parse_service_name("@arg", base, sizeof(base), &arg));
	ATF_CHECK_EQ(-1, parse_service_name("a/b", base, sizeof(base), &arg));
	ATF_CHECK_EQ(-1, parse_service_name("a b", base, sizeof(base), &arg));
	ATF_CHECK_EQ(-1, parse_service_name("toolongname", base, sizeof(base),
	    &arg));
	ATF_CHECK_EQ(ENAMETOOLONG, errno);
}

ATF_TC_WITHOUT_HEAD(service_name_limits);
ATF_TC_BODY(service_name_limits, tc)
{
	char		 name[SERVICE_NAME_MAX + 2];
	const char	*arg;

	/* No control character anywhere, argument included. */
	ATF_CHECK_EQ(-1, parse_service_name("a@x\nforged", NULL, 0, &arg));
	ATF_CHECK_EQ(EINVAL, errno);
	ATF_CHECK_EQ(-1, parse_service_name("a@\t", NULL, 0, &arg));
	ATF_CHECK_EQ(-1, parse_service_name("a@x\x7f", NULL, 0, &arg));
	ATF_CHECK_EQ(-1, parse_service_name("a\x1b", NULL, 0, &arg));
	ATF_CHECK_EQ(0, parse_service_name("a@\xff", NULL, 0, &arg));
	ATF_CHECK_STREQ("\xff", arg);

	/* At most SERVICE_NAME_MAX bytes, whole name. */
	memset(name, 'x', sizeof(name));
	name[0] = 't';
	name[1] = '@';
	name[SERVICE_NAME_MAX] = '\0';
	ATF_CHECK_EQ(0, parse_service_name(name, NULL, 0, &arg));
	name[SERVICE_NAME_MAX] = 'x';
	name[SERVICE_NAME_MAX + 1] = '\0';
	ATF_CHECK_EQ(-1, parse_service_name(name, NULL, 0, &arg));
	ATF_CHECK_EQ(ENAMETOOLONG, errno);
}

ATF_TC_WITHOUT_HEAD(error_string);
ATF_TC_BODY(error_string, tc)
{
	struct parse_error	err;
	char			buf[128];

	memset(&err, 0, sizeof(err));
	(void)strlcpy(err.file, "/etc/dinit.d/x", sizeof(err.file));
	(void)strlcpy(err.msg, "broken", sizeof(err.msg));
	err.line = 12;
	ATF_CHECK_STREQ("/etc/dinit.d/x:12: broken",
	    parse_error_string(&err, buf, sizeof(buf)));
	err.line = 0;
	ATF_CHECK_STREQ("/etc/dinit.d/x: broken",
	    parse_error_string(&err, buf, sizeof(buf)));
}

ATF_TC_WITHOUT_HEAD(missing_file);
ATF_TC_BODY(missing_file, tc)
{
	struct parse_error	err;

	env_setup();
	ATF_CHECK(parse_service("svc", "nonexistent", &test_env, &err) ==
	    NULL);
	ATF_CHECK_EQ(ENOENT, errno);
	ATF_CHECK_STREQ("nonexistent", err.file);
	ATF_CHECK_EQ(0, err.line);
	ATF_CHECK(strstr(err.msg, strerror(ENOENT)) != NULL);
	testutil_write("bad", "");
	ATF_CHECK(parse_service(".bad", "bad", &test_env, &err) == NULL);
	ATF_CHECK(strstr(err.msg, "invalid service name") != NULL);
	environ_clear(&test_env);
}

ATF_TC_WITHOUT_HEAD(out_of_memory);
ATF_TC_BODY(out_of_memory, tc)
{
	struct service_desc	*desc;
	struct parse_error	 err;
	int			 i;

	testutil_mkdir("w.d");
	testutil_write("w.d/one", "");
	testutil_write("w.d/two", "");
	testutil_write("inc", "depends-on = a-$1\n");
	testutil_write("svc.env", "A=1\n!import DINIT_VAR\n");
	testutil_write("svc", "type = process\n"
	    "@include inc\n"
	    "command = /bin/echo $/WORDS ${A:-x} \"q\\\"\" \\\n"
	    "   more\n"
	    "command += again\n"
	    "env-file = svc.env\n"
	    "waits-for.d = w.d\n"
	    "load-options = export-service-name\n"
	    "ready-notification = pipevar:X\n"
	    "logfile = /log/$1\n");
	env_setup();
	for (i = 0; i < 1000; i++) {
		mem_fail_after(i);
		desc = parse_service("svc@i", "svc", &test_env, &err);
		mem_fail_after(-1);
		if (desc != NULL)
			break;
		ATF_CHECK_EQ_MSG(ENOMEM, errno, "at %d: %s", i, err.msg);
	}
	ATF_REQUIRE_MSG(desc != NULL, "never succeeded");
	ATF_CHECK_MSG(i > 20, "only %d allocations", i);
	CHECK_ARGV(desc->command, "/bin/echo", "a", "b", "c", "1", "q\"",
	    "more", "again");
	ATF_CHECK_EQ(3, desc->ndeps);
	done(desc);
}

ATF_TC_WITHOUT_HEAD(hostile_input);
ATF_TC_BODY(hostile_input, tc)
{
	static const char *const inputs[] = {
		"\\", "\\\\\\", "\"", "command = \"\\", "a\\\n", "@", "@@",
		"${", "command = ${", "command = $/", "command = $/{",
		"command = ${A:", "command = ${A:-", "x = \0y",
		"command = \"\n\"", "  \\\n  \\\n  \\\n", "=\n:\n+=\n",
		"type = process\ncommand = $$$$$\n", "command = \\$",
		"depends-on = $1\n", "@include\n", "@include \"\"\n",
		"@meta enable-via\n", "@meta enable-via a b\n",
		"rlimit-core = :\n", "rlimit-core = -:\n", "nice = -\n",
		"start-timeout = .\n", "ready-notification = pipefd:\n",
		"\xff\xfe = 1\n", "options: \"\"\n",
	};
	struct service_desc	*desc;
	struct parse_error	 err;
	size_t			 i;

	for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		testutil_write("svc", inputs[i]);
		env_setup();
		desc = parse_service("svc", "svc", &test_env, &err);
		if (desc == NULL)
			ATF_CHECK_MSG(err.msg[0] != '\0', "no message for %zu",
			    i);
		done(desc);
	}
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, assign_equals);
	ATF_TP_ADD_TC(tp, assign_colon);
	ATF_TP_ADD_TC(tp, whitespace_around);
	ATF_TP_ADD_TC(tp, plus_assign_command);
	ATF_TP_ADD_TC(tp, plus_assign_replaced);
	ATF_TP_ADD_TC(tp, plus_assign_capabilities);
	ATF_TP_ADD_TC(tp, plus_assign_wrong_setting);
	ATF_TP_ADD_TC(tp, badly_formed_line);
	ATF_TP_ADD_TC(tp, unknown_setting);
	ATF_TP_ADD_TC(tp, comment_lines);
	ATF_TP_ADD_TC(tp, comment_empty_value);
	ATF_TP_ADD_TC(tp, comment_attached);
	ATF_TP_ADD_TC(tp, hash_quoted_or_escaped);
	ATF_TP_ADD_TC(tp, quotes_group);
	ATF_TP_ADD_TC(tp, whitespace_collapse);
	ATF_TP_ADD_TC(tp, escapes);
	ATF_TP_ADD_TC(tp, unterminated_quote);
	ATF_TP_ADD_TC(tp, continuation);
	ATF_TP_ADD_TC(tp, continuation_even_backslashes);
	ATF_TP_ADD_TC(tp, continuation_ends_comment);
	ATF_TP_ADD_TC(tp, continuation_needs_whitespace);
	ATF_TP_ADD_TC(tp, continuation_eof);
	ATF_TP_ADD_TC(tp, continuation_line_numbers);
	ATF_TP_ADD_TC(tp, later_line_overrides);
	ATF_TP_ADD_TC(tp, defaults);
	ATF_TP_ADD_TC(tp, desc_location);
	ATF_TP_ADD_TC(tp, desc_location_forms);
	ATF_TP_ADD_TC(tp, type_values);
	ATF_TP_ADD_TC(tp, strings);
	ATF_TP_ADD_TC(tp, term_signal);
	ATF_TP_ADD_TC(tp, ready_notification);
	ATF_TP_ADD_TC(tp, numbers);
	ATF_TP_ADD_TC(tp, ioprio);
	ATF_TP_ADD_TC(tp, securebits_bad);
	ATF_TP_ADD_TC(tp, rlimits);
	ATF_TP_ADD_TC(tp, dependencies);
	ATF_TP_ADD_TC(tp, dependency_bad_name);
	ATF_TP_ADD_TC(tp, dependency_dirs);
	ATF_TP_ADD_TC(tp, chain_and_consumer);
	ATF_TP_ADD_TC(tp, restart_values);
	ATF_TP_ADD_TC(tp, times);
	ATF_TP_ADD_TC(tp, log_settings);
	ATF_TP_ADD_TC(tp, socket_settings);
	ATF_TP_ADD_TC(tp, options);
	ATF_TP_ADD_TC(tp, unknown_option);
	ATF_TP_ADD_TC(tp, include);
	ATF_TP_ADD_TC(tp, include_dep_files);
	ATF_TP_ADD_TC(tp, include_error_location);
	ATF_TP_ADD_TC(tp, include_relative);
	ATF_TP_ADD_TC(tp, include_missing);
	ATF_TP_ADD_TC(tp, include_opt);
	ATF_TP_ADD_TC(tp, include_loop);
	ATF_TP_ADD_TC(tp, include_substitution);
	ATF_TP_ADD_TC(tp, include_one_argument);
	ATF_TP_ADD_TC(tp, meta_enable_via);
	ATF_TP_ADD_TC(tp, bad_meta);
	ATF_TP_ADD_TC(tp, subst_simple);
	ATF_TP_ADD_TC(tp, subst_default);
	ATF_TP_ADD_TC(tp, subst_alternative);
	ATF_TP_ADD_TC(tp, subst_dollar_dollar);
	ATF_TP_ADD_TC(tp, subst_escaped_dollar);
	ATF_TP_ADD_TC(tp, subst_argument);
	ATF_TP_ADD_TC(tp, subst_argument_errors);
	ATF_TP_ADD_TC(tp, subst_split);
	ATF_TP_ADD_TC(tp, subst_no_split);
	ATF_TP_ADD_TC(tp, subst_syntax_errors);
	ATF_TP_ADD_TC(tp, subst_pre_and_post_load);
	ATF_TP_ADD_TC(tp, subst_post_load_settings);
	ATF_TP_ADD_TC(tp, subst_post_load_error_line);
	ATF_TP_ADD_TC(tp, env_file);
	ATF_TP_ADD_TC(tp, env_file_missing);
	ATF_TP_ADD_TC(tp, env_file_pre_load);
	ATF_TP_ADD_TC(tp, export_service_name);
	ATF_TP_ADD_TC(tp, export_passwd_vars);
	ATF_TP_ADD_TC(tp, export_passwd_vars_run_as);
	ATF_TP_ADD_TC(tp, command_missing);
	ATF_TP_ADD_TC(tp, pid_file_missing);
	ATF_TP_ADD_TC(tp, ready_notification_type);
	ATF_TP_ADD_TC(tp, kill_all_on_stop_type);
	ATF_TP_ADD_TC(tp, consumer_of_type);
	ATF_TP_ADD_TC(tp, shares_console_conflict);
	ATF_TP_ADD_TC(tp, signals);
	ATF_TP_ADD_TC(tp, service_names);
	ATF_TP_ADD_TC(tp, service_name_limits);
	ATF_TP_ADD_TC(tp, error_string);
	ATF_TP_ADD_TC(tp, missing_file);
	ATF_TP_ADD_TC(tp, out_of_memory);
	ATF_TP_ADD_TC(tp, hostile_input);
	ATF_TP_ADD_TC(tp, read_on_every_error);
	ATF_TP_ADD_TC(tp, read_on_unreadable);
	return (atf_no_error());
}
