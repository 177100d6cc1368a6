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
 * Fuzz target: the loader (load_service, load_reload, load_unload) over a
 * small service directory written from one input.  The input is split at
 * lines "%%" into, in order:
 *
 *	1. one line: the service argument ("" loads "svc", "x" loads "svc@x")
 *	2. the description "svc"
 *	3. "inc", for @include and @include-opt
 *	4. "env", for env-file
 *	5. the description "dep", for depends-on and friends
 *
 * Missing parts are written empty.  After a successful load, the same
 * files are loaded again by reload and the service is unloaded.
 * fuzz-sources: (none)
 */

#include "dinit.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fuzz.h"

#define FUZZ_LOAD_PARTS	5

/* Nothing is launched: the engine is never asked to start anything. */
static int
fuzz_launch(struct service *s, enum launch_kind kind, pid_t *pid)
{
	(void)s;
	(void)kind;
	(void)pid;
	errno = ENOSYS;
	return (-1);
}

/* Pretend a signal was sent. */
static int
fuzz_kill(struct service *s, pid_t pid, int sig, int group)
{
	(void)s;
	(void)pid;
	(void)sig;
	(void)group;
	return (0);
}

/* No timers. */
static int
fuzz_timer_set(struct service *s, unsigned long ms)
{
	(void)s;
	(void)ms;
	return (0);
}

/* No timers. */
static void
fuzz_timer_clear(struct service *s)
{
	(void)s;
}

/* Time stands still. */
static uint64_t
fuzz_now(void)
{
	return (0);
}

/* Events are not observed. */
static void
fuzz_notify(struct service *s, enum service_event event)
{
	(void)s;
	(void)event;
}

/* Chains are not followed. */
static void
fuzz_chain(struct service *s, const char *next)
{
	(void)s;
	(void)next;
}

static const struct service_ops fuzz_ops = {
	.launch = fuzz_launch,
	.kill = fuzz_kill,
	.timer_set = fuzz_timer_set,
	.timer_clear = fuzz_timer_clear,
	.now = fuzz_now,
	.notify = fuzz_notify,
	.chain = fuzz_chain,
};

/*
 * Split the input at "%%" lines: part i is starts[i], lens[i].  Returns
 * how many parts were found.
 */
static int
fuzz_split(const char *data, size_t len, const char **starts, size_t *lens)
{
	const char	*p = data, *end = data + len, *nl;
	int		 n = 0;

	starts[0] = data;
	while (p < end && n < FUZZ_LOAD_PARTS - 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			break;
		/* Part 1 is one line; later parts end at a "%%" line. */
		if (n == 0 || (nl - p == 2 && p[0] == '%' && p[1] == '%')) {
			lens[n] = (size_t)((n == 0 ? nl : p) - starts[n]);
			starts[++n] = nl + 1;
		}
		p = nl + 1;
	}
	lens[n] = (size_t)(end - starts[n]);
	return (n + 1);
}

/* Load the written directory's "svc" (with its argument), then reload it. */
static void
fuzz_load_set(const char *arg, size_t arglen)
{
	static struct environ	 env;
	static int		 ready;
	struct service_set	 set;
	struct service		*s;
	struct parse_error	 perr;
	const char		*dirs[1];
	char			 name[256];

	if (!ready) {
		environ_init(&env);
		(void)environ_set(&env, "HOME", "/nonexistent");
		(void)environ_set(&env, "VAR", "value with spaces");
		ready = 1;
	}
	if (arglen == 0)
		(void)snprintf(name, sizeof(name), "svc");
	else
		(void)snprintf(name, sizeof(name), "svc@%.*s",
		    (int)(arglen > 200 ? 200 : arglen), arg);
	service_set_init(&set, &fuzz_ops);
	set.env = &env;
	dirs[0] = fuzz_dir();
	if (load_set_dirs(&set, dirs, 1) == 0 &&
	    (s = load_service(&set, name, &perr)) != NULL) {
		(void)load_reload(&set, s, &perr);
		if ((s = service_find(&set, name)) != NULL)
			load_unload(&set, s);
	}
	service_set_free(&set);
}

/* Write the parts of one input as files and load them. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const char *const files[FUZZ_LOAD_PARTS] = {
		NULL, "svc", "inc", "env", "dep"
	};
	const char	*starts[FUZZ_LOAD_PARTS];
	size_t		 lens[FUZZ_LOAD_PARTS];
	int		 i, n;

	fuzz_quiet();
	n = fuzz_split((const char *)data, len, starts, lens);
	for (i = 1; i < FUZZ_LOAD_PARTS; i++)
		fuzz_write(files[i], i < n ? starts[i] : "",
		    i < n ? lens[i] : 0);
	fuzz_load_set(starts[0], lens[0]);
	return (0);
}
