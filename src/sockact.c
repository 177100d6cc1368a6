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
 * Activation sockets (socket-listen): a UNIX stream socket that dinit
 * opens before a service's first launch and passes to it as descriptor 3
 * with LISTEN_FDS=1 and LISTEN_PID, the convention of systemd that dinit
 * follows.  dinit keeps its own copy open while the service restarts, so a
 * client that connects meanwhile waits in the backlog instead of being
 * refused; the socket is closed only once the service is to stay down.
 */

#include "dinit.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SOCKACT_BACKLOG		128	/* as dinit */

/* Whether a socket-uid or socket-gid value is a number (then in *id). */
static int
sockact_id(const char *value, unsigned long *id)
{
	char	*end;

	errno = 0;
	*id = strtoul(value, &end, 10);
	if (*value != '\0' && *end == '\0' && errno == 0)
		return (0);
	return (-1);
}

/*
 * The owner the socket file is to have: socket-uid (a name brings its
 * primary group along unless socket-gid says otherwise), socket-gid; -1
 * leaves a half as it is.
 */
static int
sockact_owner(const struct service_desc *desc, uid_t *uid, gid_t *gid)
{
	struct passwd	*pw;
	struct group	*gr;
	unsigned long	 n;

	*uid = (uid_t)-1;
	*gid = (gid_t)-1;
	if (desc->rare->socket_uid != NULL) {
		if (sockact_id(desc->rare->socket_uid, &n) == 0)
			*uid = (uid_t)n;
		else {
			errno = 0;
			if ((pw = getpwnam(desc->rare->socket_uid)) == NULL) {
				log_warnx("service %s: socket-uid: no user %s",
				    desc->name, desc->rare->socket_uid);
				errno = errno != 0 ? errno : ENOENT;
				return (-1);
			}
			*uid = pw->pw_uid;
			*gid = pw->pw_gid;
		}
	}
	if (desc->rare->socket_gid != NULL) {
		if (sockact_id(desc->rare->socket_gid, &n) == 0)
			*gid = (gid_t)n;
		else {
			errno = 0;
			if ((gr = getgrnam(desc->rare->socket_gid)) == NULL) {
				log_warnx("service %s: socket-gid: no group %s",
				    desc->name, desc->rare->socket_gid);
				errno = errno != 0 ? errno : ENOENT;
				return (-1);
			}
			*gid = gr->gr_gid;
		}
	}
	return (0);
}

/*
 * The socket's address.  A relative path is taken from the service's
 * directory, as the other paths of a description are.
 */
static int
sockact_address(const struct service_desc *desc, struct sockaddr_un *sun)
{
	const char	*path = desc->rare->socket_listen;
	int		 n;

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (path[0] == '/' || parse_desc_dir(desc) == NULL)
		n = snprintf(sun->sun_path, sizeof(sun->sun_path), "%s", path);
	else
		n = snprintf(sun->sun_path, sizeof(sun->sun_path), "%s/%s",
		    parse_desc_dir(desc), path);
	if (n < 0 || (size_t)n >= sizeof(sun->sun_path)) {
		log_warnx("service %s: socket-listen path %s is too long",
		    desc->name, path);
		errno = ENAMETOOLONG;
		return (-1);
	}
	return (0);
}

/*
 * Make way for the socket: a socket file left by an earlier run is
 * removed; anything else at the path is not ours to remove.
 */
static int
sockact_clear(const struct service_desc *desc, const char *path)
{
	struct stat	sb;

	if (lstat(path, &sb) != 0)
		return (errno == ENOENT ? 0 : -1);
	if (!S_ISSOCK(sb.st_mode)) {
		log_warnx("service %s: socket-listen: %s exists and is not a "
		    "socket", desc->name, path);
		errno = EEXIST;
		return (-1);
	}
	if (unlink(path) != 0 && errno != ENOENT)
		return (-1);
	return (0);
}

/*
 * Open the activation socket of a service unless it is open already (in
 * *fdp, -1 when not): bound, owned and moded as the description says,
 * listening and close-on-exec (blocking: the service
 * shares its open file description, and dinit never accepts on it).  0, or -1 with errno (the
 * reason logged).
 */
int
sockact_open(const struct service *s, int *fdp)
{
	const struct service_desc	*desc = s->desc;
	struct sockaddr_un		 sun;
	uid_t				 uid;
	gid_t				 gid;
	int				 fd, saved_errno;

	if (*fdp != -1 || desc->rare->socket_listen == NULL)
		return (0);
	if (sockact_address(desc, &sun) != 0 ||
	    sockact_owner(desc, &uid, &gid) != 0)
		return (-1);
	if (sockact_clear(desc, sun.sun_path) != 0)
		goto fail;
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0)
		goto fail;
	(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	/*
	 * POSIX does not promise that fchown and fchmod act on a socket's
	 * file: change the path.  Nothing connects before listen(), so the
	 * moment between bind and chmod gives nobody a connection.
	 */
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0 ||
	    ((uid != (uid_t)-1 || gid != (gid_t)-1) &&
	    chown(sun.sun_path, uid, gid) != 0) ||
	    chmod(sun.sun_path, desc->rare->socket_permissions) != 0 ||
	    listen(fd, SOCKACT_BACKLOG) != 0) {
		saved_errno = errno;
		(void)close(fd);
		(void)unlink(sun.sun_path);
		errno = saved_errno;
		goto fail;
	}
	*fdp = fd;
	log_debug("service %s: activation socket %s open", s->name,
	    sun.sun_path);
	return (0);
fail:
	log_warn("service %s: cannot open activation socket %s", s->name,
	    sun.sun_path);
	return (-1);
}

/*
 * Close the activation socket of a service (in *fdp) and remove its file,
 * so nobody connects to a service that is not coming back.
 */
void
sockact_close(const struct service *s, int *fdp)
{
	struct sockaddr_un	sun;

	if (*fdp == -1)
		return;
	(void)close(*fdp);
	*fdp = -1;
	if (s->desc != NULL && s->desc->rare->socket_listen != NULL &&
	    sockact_address(s->desc, &sun) == 0)
		(void)unlink(sun.sun_path);
	log_debug("service %s: activation socket closed", s->name);
}
