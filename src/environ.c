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
 * Environments: NAME=VALUE strings kept in a NULL-terminated array so the
 * array can be handed to execve as it is, and the environment-file reader
 * (dinit -e and the env-file setting).
 *
 * Invariant: whenever vars is not NULL, vars[count] is NULL and count <
 * capacity.  Every operation leaves the environment valid when it fails.
 */

#include "dinit.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Make an empty environment. */
void
environ_init(struct environ *env)
{
	env->vars = NULL;
	env->count = 0;
	env->capacity = 0;
	env->cleared = 0;
	env->unset = NULL;
}

/* Free the list of names "!unset" took from the inherited environment. */
static void
environ_forget_unset(struct environ *env)
{
	size_t	i;

	if (env->unset == NULL)
		return;
	for (i = 0; env->unset[i] != NULL; i++)
		free(env->unset[i]);
	free(env->unset);
	env->unset = NULL;
}

/* Note that "!unset" took name away from the inherited environment. */
static int
environ_mask(struct environ *env, const char *name)
{
	char	**grown;
	size_t	  n = 0;

	if (env->cleared)
		return (0);	/* nothing is inherited anyway */
	if (env->unset != NULL) {
		for (; env->unset[n] != NULL; n++)
			if (strcmp(env->unset[n], name) == 0)
				return (0);
	}
	if ((grown = mem_array(env->unset, n + 2, sizeof(*grown))) == NULL)
		return (-1);
	env->unset = grown;
	if ((grown[n] = mem_strdup(name)) == NULL)
		return (-1);
	grown[n + 1] = NULL;
	return (0);
}

/* Drop every variable and free the array; the environment stays usable. */
void
environ_clear(struct environ *env)
{
	size_t	i;

	for (i = 0; i < env->count; i++)
		free(env->vars[i]);
	free(env->vars);
	environ_forget_unset(env);
	environ_init(env);
}

/* Make room for one more variable and the terminating NULL. */
static int
environ_grow(struct environ *env)
{
	char	**vars;
	size_t	  capacity;

	if (env->vars != NULL && env->count + 1 < env->capacity)
		return (0);
	capacity = env->capacity == 0 ? 16 : env->capacity * 2;
	if (capacity <= env->count + 1) {
		errno = ENOMEM;
		return (-1);
	}
	if ((vars = mem_array(env->vars, capacity, sizeof(*vars))) == NULL)
		return (-1);
	env->vars = vars;
	env->capacity = capacity;
	env->vars[env->count] = NULL;
	return (0);
}

/* Index of the variable called name (namelen bytes), or -1. */
static long
environ_find(const struct environ *env, const char *name, size_t namelen)
{
	size_t	i;

	if (memchr(name, '=', namelen) != NULL)
		return (-1);
	for (i = 0; i < env->count; i++) {
		if (strncmp(env->vars[i], name, namelen) == 0 &&
		    env->vars[i][namelen] == '=')
			return ((long)i);
	}
	return (-1);
}

/* Store an allocated "NAME=VALUE" string, replacing any NAME; owns var. */
static int
environ_store(struct environ *env, char *var, size_t namelen)
{
	long	idx;

	if ((idx = environ_find(env, var, namelen)) != -1) {
		free(env->vars[idx]);
		env->vars[idx] = var;
		return (0);
	}
	if (environ_grow(env) == -1) {
		free(var);
		return (-1);
	}
	env->vars[env->count++] = var;
	env->vars[env->count] = NULL;
	return (0);
}

/* Replace the contents of dst (initialised) with a copy of src. */
int
environ_copy(struct environ *dst, const struct environ *src)
{
	struct environ	copy;

	environ_init(&copy);
	if (environ_merge(&copy, src) == -1) {
		environ_clear(&copy);
		return (-1);
	}
	environ_clear(dst);
	*dst = copy;
	return (0);
}

/* Add every NAME=VALUE string of a NULL-terminated envp. */
int
environ_import(struct environ *env, char **envp)
{
	size_t	i;

	if (envp == NULL)
		return (0);
	for (i = 0; envp[i] != NULL; i++) {
		if (strchr(envp[i], '=') == NULL || envp[i][0] == '=')
			continue;
		if (environ_put(env, envp[i]) == -1)
			return (-1);
	}
	return (0);
}

/* The value of the variable called name (namelen bytes), or NULL. */
const char *
environ_get(const struct environ *env, const char *name, size_t namelen)
{
	long	idx;

	if (env == NULL || (idx = environ_find(env, name, namelen)) == -1)
		return (NULL);
	return (env->vars[idx] + namelen + 1);
}

/* Set name to value. */
int
environ_set(struct environ *env, const char *name, const char *value)
{
	return (environ_setn(env, name, strlen(name), value));
}

/* Set the variable called name (namelen bytes) to value. */
int
environ_setn(struct environ *env, const char *name, size_t namelen,
    const char *value)
{
	char	*var;
	size_t	 valuelen;

	if (namelen == 0 || memchr(name, '=', namelen) != NULL) {
		errno = EINVAL;
		return (-1);
	}
	valuelen = strlen(value);
	if (namelen > SIZE_MAX - valuelen - 2) {
		errno = ENOMEM;
		return (-1);
	}
	if ((var = mem_alloc(namelen + valuelen + 2)) == NULL)
		return (-1);
	memcpy(var, name, namelen);
	var[namelen] = '=';
	memcpy(var + namelen + 1, value, valuelen + 1);
	return (environ_store(env, var, namelen));
}

/* Set a variable from a "NAME=VALUE" string. */
int
environ_put(struct environ *env, const char *assignment)
{
	const char	*eq;
	char		*var;

	if ((eq = strchr(assignment, '=')) == NULL || eq == assignment) {
		errno = EINVAL;
		return (-1);
	}
	if ((var = mem_strdup(assignment)) == NULL)
		return (-1);
	return (environ_store(env, var, (size_t)(eq - assignment)));
}

/* Remove the variable called name, if set. */
int
environ_unset(struct environ *env, const char *name)
{
	long	idx;

	if ((idx = environ_find(env, name, strlen(name))) == -1)
		return (0);
	free(env->vars[idx]);
	memmove(&env->vars[idx], &env->vars[idx + 1],
	    (env->count - (size_t)idx) * sizeof(*env->vars));
	env->count--;
	return (0);
}

/* Set every variable of src in dst, overriding what dst has. */
int
environ_merge(struct environ *dst, const struct environ *src)
{
	size_t	i;

	for (i = 0; i < src->count; i++) {
		if (environ_put(dst, src->vars[i]) == -1)
			return (-1);
	}
	return (0);
}

/*
 * Make dst what a service with environment own runs with: inherited (the
 * set's environment, or NULL) less what own's file cleared or unset, then
 * own's variables over it.
 */
int
environ_inherit(struct environ *dst, const struct environ *inherited,
    const struct environ *own)
{
	size_t	i;

	if (inherited != NULL && !own->cleared &&
	    environ_copy(dst, inherited) == -1)
		return (-1);
	for (i = 0; own->unset != NULL && own->unset[i] != NULL; i++)
		(void)environ_unset(dst, own->unset[i]);
	return (environ_merge(dst, own));
}

/* Put a message into an optional error buffer. */
static void
environ_error(char *errbuf, size_t errlen, const char *path, int error)
{
	if (errbuf != NULL && errlen > 0)
		(void)snprintf(errbuf, errlen, "%s: %s", path, strerror(error));
}

/* Skip white space. */
static char *
environ_skip_space(char *p)
{
	while (*p != '\0' && isspace((unsigned char)*p))
		p++;
	return (p);
}

/* Carry out "!clear", "!unset A B ..." or "!import A B ...". */
static int
environ_command(struct environ *env, char *p, const struct environ *original,
    const char *path, unsigned long lineno)
{
	const char	*value;
	char		*cmd, *arg;
	enum { CMD_CLEAR, CMD_UNSET, CMD_IMPORT } which;

	cmd = p;
	while (*p != '\0' && !isspace((unsigned char)*p))
		p++;
	if (*p != '\0')
		*p++ = '\0';
	if (strcmp(cmd, "clear") == 0)
		which = CMD_CLEAR;
	else if (strcmp(cmd, "unset") == 0)
		which = CMD_UNSET;
	else if (strcmp(cmd, "import") == 0)
		which = CMD_IMPORT;
	else {
		log_warnx("%s:%lu: unknown command '!%s' ignored", path, lineno,
		    cmd);
		return (0);
	}
	if (which == CMD_CLEAR) {
		environ_clear(env);
		env->cleared = 1;
		return (0);
	}
	for (;;) {
		p = environ_skip_space(p);
		if (*p == '\0')
			break;
		arg = p;
		while (*p != '\0' && !isspace((unsigned char)*p))
			p++;
		if (*p != '\0')
			*p++ = '\0';
		value = NULL;
		if (which == CMD_IMPORT && original != NULL)
			value = environ_get(original, arg, strlen(arg));
		if (value != NULL) {
			if (strchr(arg, '=') == NULL &&
			    environ_set(env, arg, value) == -1)
				return (-1);
		} else {
			(void)environ_unset(env, arg);
			if (which == CMD_UNSET && environ_mask(env, arg) == -1)
				return (-1);
		}
	}
	return (0);
}

/* Apply one line of an environment file. */
static int
environ_line(struct environ *env, char *line, const struct environ *original,
    const char *path, unsigned long lineno)
{
	char	*p, *name, *value;
	size_t	 namelen;

	p = environ_skip_space(line);
	if (*p == '\0' || *p == '#')
		return (0);
	if (*p == '!')
		return (environ_command(env, p + 1, original, path, lineno));
	name = p;
	while (*p != '\0' && *p != '=' && !isspace((unsigned char)*p))
		p++;
	namelen = (size_t)(p - name);
	p = environ_skip_space(p);
	if (namelen == 0 || *p != '=') {
		log_warnx("%s:%lu: invalid environment line ignored", path,
		    lineno);
		return (0);
	}
	value = p + 1;
	return (environ_setn(env, name, namelen, value));
}

/*
 * Read an environment file into env: NAME=VALUE lines, comments, and the
 * !clear, !unset and !import commands (import takes from original).  Bad
 * lines are logged and skipped.  Returns 0, or -1 with errno and a message
 * in errbuf when the file cannot be read or memory runs out.
 */
int
environ_read_file(struct environ *env, const char *path,
    const struct environ *original, char *errbuf, size_t errlen)
{
	struct text_file text;
	char		*line;
	size_t		 len;
	unsigned long	 lineno = 0;
	int		 error, why;

	if (text_open(&text, path, NULL, &why) == -1) {
		error = errno;
		if (errbuf != NULL && errlen > 0)
			(void)snprintf(errbuf, errlen, "%s: %s", path,
			    text_open_reason(why, error));
		errno = error;
		return (-1);
	}
	error = 0;
	while ((line = text_line(&text, &len)) != NULL) {
		lineno++;
		if (environ_line(env, line, original, path, lineno) == -1) {
			error = errno;
			break;
		}
	}
	text_close(&text);
	if (error != 0) {
		environ_error(errbuf, errlen, path, error);
		errno = error;
		return (-1);
	}
	return (0);
}
