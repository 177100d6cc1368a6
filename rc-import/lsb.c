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
 * LSB init-script headers and insserv.conf, read as leniently as Debian's
 * insserv reads them: keys in any case, "#Key:" without the space, tabs
 * or commas between words, trailing blanks on the BEGIN and END lines.  As
 * the LSB says, after "Description:" a line whose '#' is followed by a tab
 * or by more than one space continues the description.
 */

#include "import.h"

#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Whether a line is "### <text>" with any blanks around the text. */
static int
lsb_marker(const char *line, const char *text)
{
	size_t	len = strlen(text);

	while (*line == ' ' || *line == '\t')
		line++;
	if (strncmp(line, "###", 3) != 0)
		return (0);
	line += 3;
	while (*line == ' ' || *line == '\t')
		line++;
	if (strncasecmp(line, text, len) != 0)
		return (0);
	line += len;
	while (*line == ' ' || *line == '\t' || *line == '\r' || *line == '\n')
		line++;
	return (*line == '\0');
}

/* Add the words of a value, split on blanks and commas. */
static void
lsb_words(struct strlist *l, const char *p)
{
	const char	*start;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == ',' || *p == '\r' ||
		    *p == '\n')
			p++;
		if (*p == '\0')
			break;
		start = p;
		while (*p != '\0' && *p != ' ' && *p != '\t' && *p != ',' &&
		    *p != '\r' && *p != '\n')
			p++;
		strlist_addn(l, start, (size_t)(p - start));
	}
}

/* A value with its surrounding blanks removed, as a new string. */
static char *
lsb_trimmed(const char *p)
{
	const char	*end;

	while (*p == ' ' || *p == '\t')
		p++;
	end = p + strlen(p);
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\r' || end[-1] == '\n'))
		end--;
	return (import_need(mem_strndup(p, (size_t)(end - p))));
}

/* The list a key fills, or NULL for the keys that are not lists. */
static struct strlist *
lsb_list(struct lsb_header *h, const char *key)
{
	static const struct {
		const char	*key;
		size_t		 off;
	} keys[] = {
		{ "provides", offsetof(struct lsb_header, provides) },
		{ "required-start", offsetof(struct lsb_header,
		    required_start) },
		{ "required-stop", offsetof(struct lsb_header,
		    required_stop) },
		{ "should-start", offsetof(struct lsb_header, should_start) },
		{ "should-stop", offsetof(struct lsb_header, should_stop) },
		{ "default-start", offsetof(struct lsb_header,
		    default_start) },
		{ "default-stop", offsetof(struct lsb_header, default_stop) },
		{ "x-start-before", offsetof(struct lsb_header,
		    start_before) },
		{ "x-start-after", offsetof(struct lsb_header, start_after) },
		{ "x-stop-after", offsetof(struct lsb_header, stop_after) },
		{ NULL, 0 }
	};
	int	i;

	for (i = 0; keys[i].key != NULL; i++) {
		if (strcasecmp(keys[i].key, key) == 0)
			return ((struct strlist *)(void *)((char *)h +
			    keys[i].off));
	}
	return (NULL);
}

/* Append a continuation line to the description. */
static void
lsb_continue_description(struct lsb_header *h, const char *text)
{
	char	*more, *joined;

	more = lsb_trimmed(text);
	if (h->description == NULL || h->description[0] == '\0') {
		free(h->description);
		h->description = more;
		return;
	}
	joined = import_printf("%s %s", h->description, more);
	free(h->description);
	free(more);
	h->description = joined;
}

/*
 * One line inside the block.  *in_desc says whether the line before was
 * part of the description.
 */
static void
lsb_line(struct lsb_header *h, const char *line, int *in_desc)
{
	struct strlist	*l;
	const char	*p = line, *key;
	char		 name[64];
	size_t		 len;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '#') {
		*in_desc = 0;
		return;
	}
	p++;
	if (*in_desc && (p[0] == '\t' || (p[0] == ' ' && p[1] == ' '))) {
		lsb_continue_description(h, p);
		return;
	}
	*in_desc = 0;
	while (*p == '#')
		p++;
	while (*p == ' ' || *p == '\t')
		p++;
	key = p;
	while (isalnum((unsigned char)*p) || *p == '-' || *p == '_')
		p++;
	len = (size_t)(p - key);
	while (*p == ' ' || *p == '\t')
		p++;
	if (len == 0 || len >= sizeof(name) || *p != ':')
		return;
	memcpy(name, key, len);
	name[len] = '\0';
	p++;
	if ((l = lsb_list(h, name)) != NULL)
		lsb_words(l, p);
	else if (strcasecmp(name, "short-description") == 0) {
		free(h->short_description);
		h->short_description = lsb_trimmed(p);
	} else if (strcasecmp(name, "description") == 0) {
		free(h->description);
		h->description = lsb_trimmed(p);
		*in_desc = 1;
	} else if (strcasecmp(name, "x-interactive") == 0) {
		char	*v = lsb_trimmed(p);

		h->interactive = strcasecmp(v, "true") == 0 ||
		    strcasecmp(v, "yes") == 0;
		free(v);
	}
}

/* Read the LSB block of an open script into h (which starts zeroed). */
void
lsb_parse(FILE *fp, struct lsb_header *h)
{
	char	*line = NULL;
	size_t	 cap = 0;
	int	 inside = 0, in_desc = 0;

	while (getline(&line, &cap, fp) != -1) {
		if (!inside) {
			if (lsb_marker(line, "BEGIN INIT INFO"))
				inside = h->has_header = 1;
			continue;
		}
		if (lsb_marker(line, "END INIT INFO")) {
			h->has_end = 1;
			break;
		}
		lsb_line(h, line, &in_desc);
	}
	free(line);
}

/*
 * Read an init.d script's header.  Returns 0; 1 when it is not a regular
 * file; -1 with errno when it cannot be opened or read.
 */
int
lsb_parse_file(const char *path, struct lsb_header *h)
{
	struct stat	 sb;
	FILE		*fp;

	if ((fp = fopen(path, "r")) == NULL)
		return (-1);
	if (fstat(fileno(fp), &sb) == -1) {
		(void)fclose(fp);
		return (-1);
	}
	if (!S_ISREG(sb.st_mode)) {
		(void)fclose(fp);
		return (1);
	}
	lsb_parse(fp, h);
	if (ferror(fp)) {
		(void)fclose(fp);
		errno = EIO;
		return (-1);
	}
	(void)fclose(fp);
	return (0);
}

/* Free what a header holds. */
void
lsb_header_free(struct lsb_header *h)
{
	strlist_free(&h->provides);
	strlist_free(&h->required_start);
	strlist_free(&h->required_stop);
	strlist_free(&h->should_start);
	strlist_free(&h->should_stop);
	strlist_free(&h->default_start);
	strlist_free(&h->default_stop);
	strlist_free(&h->start_before);
	strlist_free(&h->start_after);
	strlist_free(&h->stop_after);
	free(h->short_description);
	free(h->description);
	memset(h, 0, sizeof(*h));
}

/*
 * Whether insserv passes over a file of this name in init.d or
 * insserv.conf.d: backup and package-manager leftovers, names beginning
 * with one of $.#%_+-\*[]^:()~, and the runners of sysv-rc themselves.
 */
int
lsb_ignored_name(const char *name)
{
	static const char *const suffixes[] = {
		".old", ".new", ".org", ".orig", ".save", ".swp", ".core",
		"~", NULL
	};
	static const char *const infixes[] = {
		".dpkg", ".ucf", ".rpm", ".ba", NULL
	};
	static const char *const runners[] = {
		"rc", "rcS", "README", "skeleton", NULL
	};
	size_t	len = strlen(name), slen;
	int	i;

	if (len == 0 || strchr("$.#%_+-\\*[]^:()~", name[0]) != NULL)
		return (1);
	for (i = 0; suffixes[i] != NULL; i++) {
		slen = strlen(suffixes[i]);
		if (len >= slen && strcmp(name + len - slen, suffixes[i]) == 0)
			return (1);
	}
	for (i = 0; infixes[i] != NULL; i++) {
		if (strstr(name, infixes[i]) != NULL)
			return (1);
	}
	for (i = 0; runners[i] != NULL; i++) {
		if (strcmp(name, runners[i]) == 0)
			return (1);
	}
	return (0);
}

/* The facility of this name ('$' included), or NULL. */
struct lsb_facility *
lsb_conf_find(struct lsb_conf *c, const char *name)
{
	size_t	i;

	for (i = 0; i < c->nfac; i++) {
		if (strcmp(c->fac[i].name, name) == 0)
			return (&c->fac[i]);
	}
	return (NULL);
}

/* The facility of this name, made empty when new. */
static struct lsb_facility *
lsb_conf_get(struct lsb_conf *c, const char *name)
{
	struct lsb_facility	*f;

	if ((f = lsb_conf_find(c, name)) != NULL)
		return (f);
	c->fac = import_need(mem_array(c->fac, c->nfac + 1, sizeof(*c->fac)));
	f = &c->fac[c->nfac++];
	memset(f, 0, sizeof(*f));
	f->name = import_need(mem_strdup(name));
	return (f);
}

/*
 * One line of insserv.conf: "$facility member ..." adds members (a later
 * line, as from insserv.conf.d, adds to an earlier one); "<interactive>
 * name ..." marks scripts as interactive; other <...> lines and comments
 * are passed over.
 */
void
lsb_conf_line(struct lsb_conf *c, const char *line)
{
	struct strlist		 words = { NULL, 0, 0 };
	struct lsb_facility	*f;
	const char		*hash;
	char			*copy;
	size_t			 i;

	copy = import_need(mem_strdup(line));
	if ((hash = strchr(copy, '#')) != NULL)
		copy[hash - copy] = '\0';
	lsb_words(&words, copy);
	free(copy);
	if (words.n == 0) {
		strlist_free(&words);
		return;
	}
	if (strcmp(words.v[0], "<interactive>") == 0) {
		for (i = 1; i < words.n; i++)
			strlist_add_unique(&c->interactive, words.v[i]);
	} else if (words.v[0][0] == '$' && words.v[0][1] != '\0') {
		f = lsb_conf_get(c, words.v[0]);
		for (i = 1; i < words.n; i++)
			strlist_add_unique(&f->members, words.v[i]);
	}
	strlist_free(&words);
}

/*
 * The table insserv uses when no insserv.conf is given: Debian bookworm's
 * /etc/insserv.conf, with $portmap (from rpcbind's insserv.conf.d file)
 * and an empty $all.
 */
void
lsb_conf_default(struct lsb_conf *c)
{
	static const char *const lines[] = {
		"$local_fs +mountall +mountall-bootclean +mountoverflowtmp "
		    "+umountfs",
		"$network +networking +ifupdown",
		"$named +named +dnsmasq +lwresd +bind9 +unbound "
		    "+pdns-recursor $network",
		"$remote_fs $local_fs +mountnfs +mountnfs-bootclean "
		    "+umountnfs +sendsigs",
		"$syslog +rsyslog +sysklogd +syslog-ng +dsyslog "
		    "+inetutils-syslogd",
		"$time +hwclock",
		"$portmap +rpcbind",
		"<interactive> glibc udev console-screen keymap keyboard-setup "
		    "console-setup cryptdisks cryptdisks-early checkfs-loop",
		NULL
	};
	int	i;

	for (i = 0; lines[i] != NULL; i++)
		lsb_conf_line(c, lines[i]);
}

/* Read one insserv.conf-format file.  Returns 0, or -1 with errno. */
int
lsb_conf_read_file(struct lsb_conf *c, const char *path)
{
	FILE	*fp;
	char	*line = NULL;
	size_t	 cap = 0;
	int	 error;

	if ((fp = fopen(path, "r")) == NULL)
		return (-1);
	while (getline(&line, &cap, fp) != -1)
		lsb_conf_line(c, line);
	free(line);
	error = ferror(fp) ? EIO : 0;
	(void)fclose(fp);
	if (error != 0) {
		errno = error;
		return (-1);
	}
	return (0);
}

/* Sort names for qsort. */
static int
lsb_namecmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/*
 * Read dir/insserv.conf, then the files of dir/insserv.conf.d in name
 * order.  Returns 0, or -1 with errno when insserv.conf cannot be read.
 */
int
lsb_conf_read(struct lsb_conf *c, const char *dir)
{
	struct strlist	 names = { NULL, 0, 0 };
	struct dirent	*de;
	DIR		*d;
	char		*path;
	size_t		 i;
	int		 r;

	path = import_printf("%s/insserv.conf", dir);
	r = lsb_conf_read_file(c, path);
	free(path);
	if (r != 0)
		return (-1);
	path = import_printf("%s/insserv.conf.d", dir);
	if ((d = opendir(path)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (!lsb_ignored_name(de->d_name))
				strlist_add(&names, de->d_name);
		}
		(void)closedir(d);
	}
	if (names.n > 0)
		qsort(names.v, names.n, sizeof(*names.v), lsb_namecmp);
	for (i = 0; i < names.n; i++) {
		char	*file = import_printf("%s/%s", path, names.v[i]);
		struct stat sb;

		if (stat(file, &sb) == 0 && S_ISREG(sb.st_mode) &&
		    lsb_conf_read_file(c, file) != 0)
			warn("%s", file);
		free(file);
	}
	free(path);
	strlist_free(&names);
	return (0);
}

/* Free the table. */
void
lsb_conf_free(struct lsb_conf *c)
{
	size_t	i;

	for (i = 0; i < c->nfac; i++) {
		free(c->fac[i].name);
		strlist_free(&c->fac[i].members);
	}
	free(c->fac);
	strlist_free(&c->interactive);
	memset(c, 0, sizeof(*c));
}
