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
 * Variable substitution in service descriptions, as dinit-service(5)
 * describes it: $NAME, ${NAME}, ${NAME:-word}, ${NAME-word},
 * ${NAME:+word}, ${NAME+word}, $$, the service argument $1, and the
 * word-splitting $/NAME and $/{NAME}.
 *
 * The input is a word the parser has lexed: a '$' that was escaped in the
 * description reaches us as "$$", so that it stays a literal '$'.
 */

#include "dinit.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

/* One '$' reference, as written. */
struct subst_ref {
	const char	*name;
	size_t		 namelen;
	int		 wsplit;	/* $/NAME: split into words */
	int		 isarg;		/* $1 */
	int		 colon;		/* ":-", ":+": empty is as unset */
	char		 altmode;	/* '-', '+' or '\0' */
	const char	*alt;		/* the word after the mode */
	const char	*altend;
};

/* Whether c may start a variable name. */
static int
subst_name_start(unsigned char c)
{
	return (c == '_' || c >= 0x80 || isalpha(c));
}

/* Whether c may continue a variable name. */
static int
subst_name_char(unsigned char c)
{
	return (c == '_' || c >= 0x80 || isalnum(c));
}

/* Look a variable up, in the service environment first. */
static const char *
subst_lookup(const struct subst_vars *sv, const char *name, size_t len)
{
	const char	*value = NULL;

	if (sv->first != NULL)
		value = environ_get(sv->first, name, len);
	if (value == NULL && sv->second != NULL)
		value = environ_get(sv->second, name, len);
	return (value);
}

/*
 * Read the reference after a '$' at p.  Returns where it ends, or NULL
 * with *msg saying what is wrong.
 */
static const char *
subst_read_ref(const char *p, struct subst_ref *ref, const char **msg)
{
	const char	*q = p;
	int		 brace;

	memset(ref, 0, sizeof(*ref));
	if ((ref->wsplit = *q == '/'))
		q++;
	if ((brace = *q == '{'))
		q++;
	ref->name = q;
	if (isdigit((unsigned char)*q)) {
		while (isdigit((unsigned char)*q))
			q++;
		ref->isarg = 1;
	} else if (subst_name_start((unsigned char)*q)) {
		while (subst_name_char((unsigned char)*q))
			q++;
	}
	ref->namelen = (size_t)(q - ref->name);
	if (ref->namelen == 0) {
		*msg = "invalid/missing variable name after '$'";
		return (NULL);
	}
	if (ref->isarg && (ref->namelen != 1 || *ref->name != '1')) {
		*msg = "only one service argument may be present";
		return (NULL);
	}
	if (!brace)
		return (q);
	if (*q == ':') {
		ref->colon = 1;
		q++;
		if (*q != '+' && *q != '-') {
			*msg = "invalid syntax in variable substitution";
			return (NULL);
		}
	}
	if (*q == '+' || *q == '-') {
		ref->altmode = *q++;
		for (ref->alt = q; *q != '\0' && *q != '}'; q++)
			;
		ref->altend = q;
	}
	if (*q != '}') {
		*msg = "unmatched '{' in variable substitution";
		return (NULL);
	}
	return (q + 1);
}

/*
 * The value a reference stands for, "" when none; an alternative word is
 * copied into alt.  Returns 0, or -1 with errno (EINVAL with *msg).
 */
static int
subst_value(const struct subst_vars *sv, const struct subst_ref *ref,
    struct text_buf *alt, const char **valuep, const char **msg)
{
	const char	*value, *p;
	int		 use_alt = 0;

	value = ref->isarg ? sv->arg : subst_lookup(sv, ref->name,
	    ref->namelen);
	if (ref->altmode == '-')
		use_alt = value == NULL || (ref->colon && *value == '\0');
	else if (ref->altmode == '+') {
		use_alt = value != NULL && (!ref->colon || *value != '\0');
		if (!use_alt)
			value = NULL;
	} else if (ref->isarg && value == NULL) {
		*msg = "missing value in argument substitution";
		errno = EINVAL;
		return (-1);
	}
	if (use_alt) {
		/* The word is not expanded, but "$$" is one '$'. */
		text_buf_reset(alt);
		if (text_buf_add(alt, "", 0) == -1)
			return (-1);
		for (p = ref->alt; p < ref->altend; p++) {
			if (text_buf_add(alt, p, 1) == -1)
				return (-1);
			if (p[0] == '$' && p + 1 < ref->altend && p[1] == '$')
				p++;
		}
		value = alt->s;
	}
	*valuep = value != NULL ? value : "";
	return (0);
}

/*
 * Add a value split at white space to the word being built in cur: every
 * space ends a word (added to out unless it is empty and made only of
 * splitting).  *nonsplit says whether cur holds anything not split.
 */
static int
subst_split(struct text_buf *cur, const char *value, struct strlist *out,
    int *nonsplit)
{
	const char	*wsp;

	for (;;) {
		for (wsp = value; *wsp != '\0' &&
		    !isspace((unsigned char)*wsp); wsp++)
			;
		if (text_buf_add(cur, value, (size_t)(wsp - value)) == -1)
			return (-1);
		if (*wsp == '\0')
			return (0);
		if (cur->len != 0 || *nonsplit) {
			if (text_list_add(out, cur->s, cur->len) == -1)
				return (-1);
			text_buf_reset(cur);
			*nonsplit = 0;
		}
		for (value = wsp; isspace((unsigned char)*value); value++)
			;
	}
}

/*
 * Substitute the variables of one lexed word, adding the resulting words
 * to out.  A word made empty only by splitting substitutions disappears.
 * Returns 0, or -1 with errno: EINVAL with *msg saying what is wrong, or
 * ENOMEM.
 */
int
subst_word(const struct subst_vars *sv, const char *in, struct strlist *out,
    const char **msg)
{
	struct text_buf		 cur = { NULL, 0, 0 }, alt = { NULL, 0, 0 };
	struct subst_ref	 ref;
	const char		*p = in, *q, *value;
	int			 nonsplit = 0, collapse = 0, error = ENOMEM;

	if (text_buf_add(&cur, "", 0) == -1)
		goto fail;
	while (*p != '\0') {
		if (*p != '$') {
			for (q = p; *q != '\0' && *q != '$'; q++)
				;
			if (text_buf_add(&cur, p, (size_t)(q - p)) == -1)
				goto fail;
			p = q;
			continue;
		}
		if (p[1] == '$') {
			if (text_buf_add(&cur, "$", 1) == -1)
				goto fail;
			p += 2;
			continue;
		}
		if ((p = subst_read_ref(p + 1, &ref, msg)) == NULL) {
			error = EINVAL;
			goto fail;
		}
		if (subst_value(sv, &ref, &alt, &value, msg) == -1) {
			error = errno;
			goto fail;
		}
		if (!ref.wsplit) {
			if (text_buf_add(&cur, value, strlen(value)) == -1)
				goto fail;
			nonsplit = 1;
			collapse = 0;
			continue;
		}
		if (subst_split(&cur, value, out, &nonsplit) == -1)
			goto fail;
		collapse = !nonsplit;
	}
	if ((cur.len != 0 || !collapse) &&
	    text_list_add(out, cur.s, cur.len) == -1)
		goto fail;
	text_buf_free(&cur);
	text_buf_free(&alt);
	return (0);

fail:
	text_buf_free(&cur);
	text_buf_free(&alt);
	errno = error;
	return (-1);
}

/*
 * Substitute the variables of a lexed string into a new string, the words
 * of split substitutions joined with single spaces.  Returns 0, or -1 as
 * subst_word does.
 */
int
subst_string(const struct subst_vars *sv, const char *in, char **out,
    const char **msg)
{
	struct strlist	w = { NULL, 0, 0 };
	int		error;

	if (subst_word(sv, in, &w, msg) == -1) {
		error = errno;
		text_list_free(&w);
		errno = error;
		return (-1);
	}
	*out = text_list_join(&w);
	text_list_free(&w);
	if (*out == NULL) {
		errno = ENOMEM;
		return (-1);
	}
	return (0);
}
