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
 * Unit tests of environ.c: the environment helpers and the environment
 * file reader.
 */

#include "dinit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "testutil.h"

/* Check that vars is NULL-terminated at count. */
static void
check_terminated(const struct environ *env)
{
	if (env->vars != NULL)
		ATF_CHECK(env->vars[env->count] == NULL);
	else
		ATF_CHECK_EQ(0, env->count);
}

/* Send warnings to a file, to be read back with testutil_read. */
static void
capture_log(const char *path)
{
	int	fd;

	ATF_REQUIRE((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) !=
	    -1);
	log_set_sink(LOG_SINK_MAIN, fd, LOG_LEVEL_DEBUG);
}

ATF_TC_WITHOUT_HEAD(init_empty);
ATF_TC_BODY(init_empty, tc)
{
	struct environ	env;

	environ_init(&env);
	ATF_CHECK(env.vars == NULL);
	ATF_CHECK_EQ(0, env.count);
	ATF_CHECK(environ_get(&env, "A", 1) == NULL);
	environ_clear(&env);
	check_terminated(&env);
}

ATF_TC_WITHOUT_HEAD(set_get);
ATF_TC_BODY(set_get, tc)
{
	struct environ	env;

	environ_init(&env);
	ATF_REQUIRE_EQ(0, environ_set(&env, "FOO", "bar"));
	ATF_REQUIRE_EQ(0, environ_set(&env, "EMPTY", ""));
	ATF_CHECK_EQ(2, env.count);
	ATF_CHECK_STREQ("bar", environ_get(&env, "FOO", 3));
	ATF_CHECK_STREQ("", environ_get(&env, "EMPTY", 5));
	ATF_CHECK_STREQ("FOO=bar", env.vars[0]);
	check_terminated(&env);
	environ_clear(&env);
}

ATF_TC_WITHOUT_HEAD(set_replaces);
ATF_TC_BODY(set_replaces, tc)
{
	struct environ	env;

	environ_init(&env);
	ATF_REQUIRE_EQ(0, environ_set(&env, "FOO", "one"));
	ATF_REQUIRE_EQ(0, environ_set(&env, "FOO", "two"));
	ATF_CHECK_EQ(1, env.count);
	ATF_CHECK_STREQ("two", environ_get(&env, "FOO", 3));
	check_terminated(&env);
	environ_clear(&env);
}

ATF_TC_WITHOUT_HEAD(get_exact_name);
ATF_TC_BODY(get_exact_name, tc)
{
	struct environ	env;

	environ_init(&env);
	ATF_REQUIRE_EQ(0, environ_set(&env, "FOOBAR", "long"));
	ATF_CHECK(environ_get(&env, "FOO", 3) == NULL);
	ATF_REQUIRE_EQ(0, environ_set(&env, "FOO", "short"));
	ATF_CHECK_STREQ("short", environ_get(&env, "FOO", 3));
	ATF_CHECK_STREQ("long", environ_get(&env, "FOOBAR", 6));
	/* The length, not a terminator, delimits the name. */
	ATF_CHECK_STREQ("short", environ_get(&env, "FOOBAR", 3));
	environ_clear(&env);
}

ATF_TC_WITHOUT_HEAD(setn);
ATF_TC_BODY(setn, tc)
{
	struct environ	env;

	environ_init(&env);
	ATF_REQUIRE_EQ(0, environ_setn(&env, "ABCDEF", 3, "v"));
	ATF_CHECK_STREQ("ABC=v", env.vars[0]);
	ATF_CHECK_EQ(-1, environ_setn(&env, "", 0, "v"));
	ATF_CHECK_EQ(EINVAL, errno);
	ATF_CHECK_EQ(1, env.count);
	environ_clear(&env);
}

ATF_TC_WITHOUT_HEAD(put);
ATF_TC_BODY(put, tc)
{
	struct environ	env;

	environ_init(&env);
	ATF_REQUIRE_EQ(0, environ_put(&env, "A=1=2"));
	ATF_CHECK_STREQ("1=2", environ_get(&env, "A", 1));
	ATF_REQUIRE_EQ(0, environ_put(&env, "A=3"));
	ATF_CHECK_EQ(1, env.count);
	ATF_CHECK_STREQ("3", environ_get(&env, "A", 1));
	ATF_CHECK_EQ(-1, environ_put(&env, "noequals"));
	ATF_CHECK_EQ(EINVAL, errno);
	ATF_CHECK_EQ(-1, environ_put(&env, "=value"));
	ATF_CHECK_EQ(1, env.count);
	check_terminated(&env);
	environ_clear(&env);
}

ATF_TC_WITHOUT_HEAD(unset);
ATF_TC_BODY(unset, tc)
{
	struct environ	env;

	environ_init(&env);
	ATF_REQUIRE_EQ(0, environ_set(&env, "A", "1"));
	ATF_REQUIRE_EQ(0, environ_set(&env, "B", "2"));
	ATF_REQUIRE_EQ(0, environ_set(&env, "C", "3"));
	ATF_CHECK_EQ(0, environ_unset(&env, "B"));
	ATF_CHECK_EQ(2, env.count);
	ATF_CHECK(environ_get(&env, "B", 1) == NULL);
	ATF_CHECK_STREQ("1", environ_get(&env, "A", 1));
	ATF_CHECK_STREQ("3", environ_get(&env, "C", 1));
	ATF_CHECK_EQ(0, environ_unset(&env, "NOTSET"));
	ATF_CHECK_EQ(2, env.count);
	check_terminated(&env);
	environ_clear(&env);
}

ATF_TC_WITHOUT_HEAD(import);
ATF_TC_BODY(import, tc)
{
	struct environ	 env;
	char		*envp[] = { "A=1", "junk", "B=2", "A=3", NULL };

	environ_init(&env);
	ATF_REQUIRE_EQ(0, environ_import(&env, envp));
	ATF_CHECK_EQ(2, env.count);
	ATF_CHECK_STREQ("3", environ_get(&env, "A", 1));
	ATF_CHECK_STREQ("2", environ_get(&env, "B", 1));
	check_terminated(&env);
	environ_clear(&env);
}

ATF_TC_WITHOUT_HEAD(merge);
ATF_TC_BODY(merge, tc)
{
	struct environ	a, b;

	environ_init(&a);
	environ_init(&b);
	ATF_REQUIRE_EQ(0, environ_set(&a, "X", "a"));
	ATF_REQUIRE_EQ(0, environ_set(&a, "Y", "a"));
	ATF_REQUIRE_EQ(0, environ_set(&b, "Y", "b"));
	ATF_REQUIRE_EQ(0, environ_set(&b, "Z", "b"));
	ATF_REQUIRE_EQ(0, environ_merge(&a, &b));
	ATF_CHECK_EQ(3, a.count);
	ATF_CHECK_STREQ("a", environ_get(&a, "X", 1));
	ATF_CHECK_STREQ("b", environ_get(&a, "Y", 1));
	ATF_CHECK_STREQ("b", environ_get(&a, "Z", 1));
	ATF_CHECK_EQ(2, b.count);
	environ_clear(&a);
	environ_clear(&b);
}

ATF_TC_WITHOUT_HEAD(copy);
ATF_TC_BODY(copy, tc)
{
	struct environ	a, b;

	environ_init(&a);
	environ_init(&b);
	ATF_REQUIRE_EQ(0, environ_set(&a, "X", "1"));
	ATF_REQUIRE_EQ(0, environ_set(&b, "OLD", "gone"));
	ATF_REQUIRE_EQ(0, environ_copy(&b, &a));
	ATF_CHECK_EQ(1, b.count);
	ATF_CHECK(environ_get(&b, "OLD", 3) == NULL);
	ATF_REQUIRE_EQ(0, environ_set(&a, "X", "2"));
	ATF_CHECK_STREQ("1", environ_get(&b, "X", 1));
	check_terminated(&b);
	environ_clear(&a);
	environ_clear(&b);
}

ATF_TC_WITHOUT_HEAD(many);
ATF_TC_BODY(many, tc)
{
	struct environ	env;
	char		name[32], value[32];
	int		i;

	environ_init(&env);
	for (i = 0; i < 1000; i++) {
		(void)snprintf(name, sizeof(name), "V%d", i);
		(void)snprintf(value, sizeof(value), "%d", i * 7);
		ATF_REQUIRE_EQ(0, environ_set(&env, name, value));
		check_terminated(&env);
	}
	ATF_CHECK_EQ(1000, env.count);
	ATF_CHECK_STREQ("6993", environ_get(&env, "V999", 4));
	ATF_CHECK_STREQ("0", environ_get(&env, "V0", 2));
	environ_clear(&env);
}

ATF_TC_WITHOUT_HEAD(out_of_memory);
ATF_TC_BODY(out_of_memory, tc)
{
	struct environ	env, other;
	int		i, r;

	environ_init(&env);
	ATF_REQUIRE_EQ(0, environ_set(&env, "KEEP", "yes"));
	mem_fail_after(0);
	ATF_CHECK_EQ(-1, environ_set(&env, "NEW", "x"));
	ATF_CHECK_EQ(ENOMEM, errno);
	ATF_CHECK_EQ(1, env.count);
	ATF_CHECK_STREQ("yes", environ_get(&env, "KEEP", 4));
	check_terminated(&env);

	/* Every failure point leaves a valid environment. */
	environ_init(&other);
	ATF_REQUIRE_EQ(0, environ_set(&other, "A", "1"));
	ATF_REQUIRE_EQ(0, environ_set(&other, "B", "2"));
	for (i = 0; i < 10; i++) {
		mem_fail_after(i);
		r = environ_copy(&env, &other);
		mem_fail_after(-1);
		check_terminated(&env);
		if (r == 0) {
			ATF_CHECK_STREQ("2", environ_get(&env, "B", 1));
			break;
		}
		ATF_CHECK_STREQ("yes", environ_get(&env, "KEEP", 4));
	}
	ATF_CHECK(i < 10);
	environ_clear(&env);
	environ_clear(&other);
}

ATF_TC_WITHOUT_HEAD(read_file_basic);
ATF_TC_BODY(read_file_basic, tc)
{
	struct environ	env;
	char		errbuf[256];

	testutil_write("env",
	    "A=1\n"
	    "   B = two words  \n"
	    "\tC=  leading\n"
	    "D=has=equals\n"
	    "E=\n");
	environ_init(&env);
	ATF_REQUIRE_EQ(0, environ_read_file(&env, "env", NULL, errbuf,
	    sizeof(errbuf)));
	ATF_CHECK_EQ(5, env.count);
	ATF_CHECK_STREQ("1", environ_get(&env, "A", 1));
	ATF_CHECK_STREQ(" two words  ", environ_get(&env, "B", 1));
	ATF_CHECK_STREQ("  leading", environ_get(&env, "C", 1));
	ATF_CHECK_STREQ("has=equals", environ_get(&env, "D", 1));
	ATF_CHECK_STREQ("", environ_get(&env, "E", 1));
	check_terminated(&env);
	environ_clear(&env);
}

ATF_TC_WITHOUT_HEAD(read_file_comments);
ATF_TC_BODY(read_file_comments, tc)
{
	struct environ	env;

	testutil_write("env",
	    "# a comment\n"
	    "\n"
	    "   \t\n"
	    "   # indented comment=x\n"
	    "A=value # not a comment\n");
	environ_init(&env);
	ATF_REQUIRE_EQ(0, environ_read_file(&env, "env", NULL, NULL, 0));
	ATF_CHECK_EQ(1, env.count);
	ATF_CHECK_STREQ("value # not a comment", environ_get(&env, "A", 1));
	environ_clear(&env);
}

ATF_TC_WITHOUT_HEAD(read_file_no_newline);
ATF_TC_BODY(read_file_no_newline, tc)
{
	struct environ	env;

	testutil_write("env", "A=1\nB=last");
	environ_init(&env);
	ATF_REQUIRE_EQ(0, environ_read_file(&env, "env", NULL, NULL, 0));
	ATF_CHECK_STREQ("last", environ_get(&env, "B", 1));
	environ_clear(&env);
}

ATF_TC_WITHOUT_HEAD(read_file_warnings);
ATF_TC_BODY(read_file_warnings, tc)
{
	struct environ	 env;
	char		*log;

	testutil_write("env",
	    "A=1\n"
	    "=novar\n"
	    "noequals\n"
	    "B C=d\n"
	    "!frobnicate X\n"
	    "E=5\n");
	capture_log("log");
	environ_init(&env);
	ATF_REQUIRE_EQ(0, environ_read_file(&env, "env", NULL, NULL, 0));
	ATF_CHECK_EQ(2, env.count);
	ATF_CHECK_STREQ("1", environ_get(&env, "A", 1));
	ATF_CHECK_STREQ("5", environ_get(&env, "E", 1));
	log = testutil_read("log");
	ATF_CHECK_MSG(strstr(log, "env:2:") != NULL, "log: %s", log);
	ATF_CHECK_MSG(strstr(log, "env:3:") != NULL, "log: %s", log);
	ATF_CHECK_MSG(strstr(log, "env:4:") != NULL, "log: %s", log);
	ATF_CHECK_MSG(strstr(log, "env:5:") != NULL, "log: %s", log);
	ATF_CHECK_MSG(strstr(log, "env:1:") == NULL, "log: %s", log);
	ATF_CHECK_MSG(strstr(log, "env:6:") == NULL, "log: %s", log);
	free(log);
	environ_clear(&env);
}

ATF_TC_WITHOUT_HEAD(read_file_clear);
ATF_TC_BODY(read_file_clear, tc)
{
	struct environ	env;

	testutil_write("env",
	    "A=1\n"
	    "!clear\n"
	    "B=2\n");
	environ_init(&env);
	ATF_REQUIRE_EQ(0, environ_set(&env, "INHERITED", "x"));
	ATF_REQUIRE_EQ(0, environ_read_file(&env, "env", NULL, NULL, 0));
	ATF_CHECK_EQ(1, env.count);
	ATF_CHECK(environ_get(&env, "INHERITED", 9) == NULL);
	ATF_CHECK(environ_get(&env, "A", 1) == NULL);
	ATF_CHECK_STREQ("2", environ_get(&env, "B", 1));
	check_terminated(&env);
	environ_clear(&env);
}

ATF_TC_WITHOUT_HEAD(read_file_unset);
ATF_TC_BODY(read_file_unset, tc)
{
	struct environ	env;

	testutil_write("env",
	    "A=1\n"
	    "B=2\n"
	    "C=3\n"
	    "  !unset A   C NOTSET\n");
	environ_init(&env);
	ATF_REQUIRE_EQ(0, environ_read_file(&env, "env", NULL, NULL, 0));
	ATF_CHECK_EQ(1, env.count);
	ATF_CHECK_STREQ("2", environ_get(&env, "B", 1));
	ATF_CHECK(environ_get(&env, "A", 1) == NULL);
	ATF_CHECK(environ_get(&env, "C", 1) == NULL);
	environ_clear(&env);
}

ATF_TC_WITHOUT_HEAD(read_file_import);
ATF_TC_BODY(read_file_import, tc)
{
	struct environ	env, original;

	testutil_write("env",
	    "!clear\n"
	    "PATH=/overridden\n"
	    "GONE=x\n"
	    "!import PATH HOME GONE\n"
	    "AFTER=1\n");
	environ_init(&original);
	ATF_REQUIRE_EQ(0, environ_set(&original, "PATH", "/bin:/usr/bin"));
	ATF_REQUIRE_EQ(0, environ_set(&original, "HOME", "/root"));
	ATF_REQUIRE_EQ(0, environ_set(&original, "OTHER", "no"));
	environ_init(&env);
	ATF_REQUIRE_EQ(0, environ_read_file(&env, "env", &original, NULL, 0));
	ATF_CHECK_STREQ("/bin:/usr/bin", environ_get(&env, "PATH", 4));
	ATF_CHECK_STREQ("/root", environ_get(&env, "HOME", 4));
	/* Not in the original environment: re-importing unsets it. */
	ATF_CHECK(environ_get(&env, "GONE", 4) == NULL);
	ATF_CHECK(environ_get(&env, "OTHER", 5) == NULL);
	ATF_CHECK_STREQ("1", environ_get(&env, "AFTER", 5));
	ATF_CHECK_EQ(3, env.count);
	environ_clear(&env);
	environ_clear(&original);
}

ATF_TC_WITHOUT_HEAD(read_file_missing);
ATF_TC_BODY(read_file_missing, tc)
{
	struct environ	env;
	char		errbuf[256];

	environ_init(&env);
	ATF_REQUIRE_EQ(0, environ_set(&env, "KEEP", "1"));
	errbuf[0] = '\0';
	ATF_CHECK_EQ(-1, environ_read_file(&env, "nonexistent", NULL, errbuf,
	    sizeof(errbuf)));
	ATF_CHECK_EQ(ENOENT, errno);
	ATF_CHECK_MSG(strstr(errbuf, "nonexistent") != NULL, "%s", errbuf);
	ATF_CHECK_MSG(strstr(errbuf, strerror(ENOENT)) != NULL, "%s", errbuf);
	ATF_CHECK_EQ(1, env.count);
	environ_clear(&env);
}

ATF_TC_WITHOUT_HEAD(read_file_directory);
ATF_TC_BODY(read_file_directory, tc)
{
	struct environ	env;
	char		errbuf[256];

	testutil_mkdir("dir");
	environ_init(&env);
	ATF_CHECK_EQ(-1, environ_read_file(&env, "dir", NULL, errbuf,
	    sizeof(errbuf)));
	ATF_CHECK_EQ(EISDIR, errno);
	ATF_CHECK_MSG(strstr(errbuf, "dir") != NULL, "%s", errbuf);
	environ_clear(&env);
}

ATF_TC_WITHOUT_HEAD(read_file_long_line);
ATF_TC_BODY(read_file_long_line, tc)
{
	struct environ	 env;
	char		*text;
	const char	*value;
	size_t		 i, len = 20000;

	ATF_REQUIRE((text = malloc(len + 16)) != NULL);
	memcpy(text, "LONG=", 5);
	for (i = 0; i < len; i++)
		text[5 + i] = (char)('a' + i % 26);
	memcpy(text + 5 + len, "\nX=y\n", 6);
	testutil_write("env", text);
	free(text);
	environ_init(&env);
	ATF_REQUIRE_EQ(0, environ_read_file(&env, "env", NULL, NULL, 0));
	ATF_REQUIRE((value = environ_get(&env, "LONG", 4)) != NULL);
	ATF_CHECK_EQ(len, strlen(value));
	ATF_CHECK_EQ('z', value[25]);
	ATF_CHECK_STREQ("y", environ_get(&env, "X", 1));
	environ_clear(&env);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, init_empty);
	ATF_TP_ADD_TC(tp, set_get);
	ATF_TP_ADD_TC(tp, set_replaces);
	ATF_TP_ADD_TC(tp, get_exact_name);
	ATF_TP_ADD_TC(tp, setn);
	ATF_TP_ADD_TC(tp, put);
	ATF_TP_ADD_TC(tp, unset);
	ATF_TP_ADD_TC(tp, import);
	ATF_TP_ADD_TC(tp, merge);
	ATF_TP_ADD_TC(tp, copy);
	ATF_TP_ADD_TC(tp, many);
	ATF_TP_ADD_TC(tp, out_of_memory);
	ATF_TP_ADD_TC(tp, read_file_basic);
	ATF_TP_ADD_TC(tp, read_file_comments);
	ATF_TP_ADD_TC(tp, read_file_no_newline);
	ATF_TP_ADD_TC(tp, read_file_warnings);
	ATF_TP_ADD_TC(tp, read_file_clear);
	ATF_TP_ADD_TC(tp, read_file_unset);
	ATF_TP_ADD_TC(tp, read_file_import);
	ATF_TP_ADD_TC(tp, read_file_missing);
	ATF_TP_ADD_TC(tp, read_file_directory);
	ATF_TP_ADD_TC(tp, read_file_long_line);
	return (atf_no_error());
}
