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
 * The loader on a platform we know nothing of: this program is linked
 * with compat/osdep-unknown.c in place of the build's own platform layer,
 * so it shows what a port to a new system refuses at load, with file,
 * line and the platform's name, rather than ignore: capabilities,
 * securebits, no-new-privs, ioprio, oom-score-adj, run-in-cgroup.
 */

#include "dinit.h"

#include <stdio.h>
#include <string.h>

#include <atf-c.h>

#include "testutil.h"

/* Parse text as "svc"; it must fail at line with what in the message. */
static void
refused(const char *text, int line, const char *what)
{
	struct service_desc	*desc;
	struct parse_error	 err;
	struct environ		 env;
	char			 buf[2048];

	environ_init(&env);
	testutil_write("svc", text);
	desc = parse_service("svc", "svc", &env, &err);
	if (desc != NULL) {
		parse_desc_free(desc);
		atf_tc_fail("accepted: %s", text);
	}
	(void)parse_error_string(&err, buf, sizeof(buf));
	ATF_CHECK_STREQ_MSG("svc", err.file, "error: %s", buf);
	ATF_CHECK_EQ_MSG(line, err.line, "error: %s", buf);
	ATF_CHECK_MSG(strstr(err.msg, what) != NULL &&
	    strstr(err.msg, "this platform (unknown)") != NULL,
	    "expected '%s' on this platform (unknown) in: %s", what, buf);
	environ_clear(&env);
}

ATF_TC_WITHOUT_HEAD(platform);
ATF_TC_BODY(platform, tc)
{
	ATF_CHECK_STREQ("unknown", osdep_name());
}

ATF_TC_WITHOUT_HEAD(refused_at_load);
ATF_TC_BODY(refused_at_load, tc)
{
	const char	*head = "type = process\ncommand = /bin/true\n";
	char		 text[256];

	(void)snprintf(text, sizeof(text), "%scapabilities = ^cap_chown\n",
	    head);
	refused(text, 3, "'capabilities' is not supported");
	(void)snprintf(text, sizeof(text), "%s\nsecurebits = noroot\n", head);
	refused(text, 4, "'securebits' is not supported");
	(void)snprintf(text, sizeof(text), "%soptions = no-new-privs\n", head);
	refused(text, 3, "option 'no-new-privs' is not supported");
	(void)snprintf(text, sizeof(text), "%sioprio = idle\n", head);
	refused(text, 3, "'ioprio' is not supported");
	(void)snprintf(text, sizeof(text), "%soom-score-adj = 10\n", head);
	refused(text, 3, "'oom-score-adj' is not supported");
	(void)snprintf(text, sizeof(text), "%srun-in-cgroup = x\n", head);
	refused(text, 3, "'run-in-cgroup' is not supported");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, platform);
	ATF_TP_ADD_TC(tp, refused_at_load);
	return (atf_no_error());
}
