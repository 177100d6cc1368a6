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
 * dinit-shutdown: ask the running dinit to stop every service and then
 * halt, power off or reboot the machine.  Also installed as halt,
 * poweroff and reboot, which choose the matching action by name.
 *
 * Exit status: 0 once the daemon has taken the request (it then closes
 * the connection as it goes down), 1 on failure, 2 usage.
 */

#include "dinit.h"

#include <err.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "protocol.h"

/* Print usage and exit 2. */
static void NORETURN
shutdown_usage(void)
{
	fprintf(stderr, "usage: dinit-shutdown [-p socket] [-r | -h | -P]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct proto_writer	 w;
	struct proto_reader	 r;
	const char		*socket_path = NULL, *name;
	char			 msg[1024];
	uint16_t		 type;
	int			 ch, how;

	name = basename(argv[0]);
	if (strcmp(name, "reboot") == 0)
		how = SHUTDOWN_REBOOT;
	else if (strcmp(name, "halt") == 0)
		how = SHUTDOWN_HALT;
	else
		how = SHUTDOWN_POWEROFF;
	while ((ch = getopt(argc, argv, "p:rhP")) != -1) {
		switch (ch) {
		case 'p':
			socket_path = optarg;
			break;
		case 'r':
			how = SHUTDOWN_REBOOT;
			break;
		case 'h':
			how = SHUTDOWN_HALT;
			break;
		case 'P':
			how = SHUTDOWN_POWEROFF;
			break;
		default:
			shutdown_usage();
		}
	}
	if (optind != argc)
		shutdown_usage();
	client_connect(client_socket_path(socket_path, 1, 0), 0);
	/* Say it first: the shutdown may end us before the reply comes. */
	printf("Issuing shutdown command...\n");
	fflush(stdout);
	client_begin(&w, REQ_SHUTDOWN);
	proto_put_u8(&w, (uint8_t)how);
	client_send(&w);
	type = client_reply(&r);
	if (type == REP_ERROR) {
		(void)proto_get_u16(&r);
		(void)proto_get_str(&r, msg, sizeof(msg));
		errx(1, "%s", msg);
	}
	if (type != REP_OK)
		errx(1, "unexpected reply 0x%x from dinit", type);
	return (0);
}
