/*
 * state — the session graph on disk, so that a restarted ses restores
 * session order and times; the pods themselves say which session each
 * pane belongs to. Written atomically (write, fsync, rename).
 *
 * Format, one record per line:
 *   hexe-state 1
 *   session <created> <last_used> <name>
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"
#include "ses/ses_int.h"

#define STATE_FILE "sessions"

void
ses_state_save(struct ses *ses)
{
	char path[700], tmp[720], err[256];
	struct wbuf b;
	int fd;

	/* While re-adopting, the file still holds the order to restore. */
	if (ses->stopping || ses->restoring)
		return;
	if (paths_ensure_state(&ses->paths, err, sizeof err) < 0) {
		log_warn(&ses->log, "state not saved: %s", err);
		return;
	}
	snprintf(path, sizeof path, "%s/%s", ses->paths.state, STATE_FILE);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	wbuf_init(&b);
	wbuf_printf(&b, "hexe-state 1\n");
	for (struct session *s = ses->sessions; s; s = s->next)
		wbuf_printf(&b, "session %llu %llu %s\n",
			    (unsigned long long)s->created,
			    (unsigned long long)s->last_used, s->name);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write_all(fd, b.data, b.len) < 0 || fsync(fd) < 0 ||
	    rename(tmp, path) < 0)
		log_warn(&ses->log, "cannot write %s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	wbuf_free(&b);
}

static void
apply_line(struct ses *ses, char *line, struct session ***tail)
{
	unsigned long long created, used;
	char name[SES_NAME_MAX + 2];
	struct session *s;

	if (sscanf(line, "session %llu %llu %65s", &created, &used, name) != 3)
		return;
	if (!(s = ses_session_find(ses, name)))
		return;
	s->created = created;
	s->last_used = used;
	/* Move s to the end of the ordered prefix. */
	for (struct session **pp = &ses->sessions; *pp; pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	}
	s->next = **tail;
	**tail = s;
	*tail = &s->next;
}

void
ses_state_load(struct ses *ses)
{
	char path[700];
	struct session **tail = &ses->sessions;
	char *buf, *line, *save = NULL;

	snprintf(path, sizeof path, "%s/%s", ses->paths.state, STATE_FILE);
	if (!(buf = read_file(path, NULL)))
		return;
	if (strncmp(buf, "hexe-state 1\n", 13) != 0) {
		log_warn(&ses->log, "%s: unknown format; ignored", path);
		free(buf);
		return;
	}
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		apply_line(ses, line, &tail);
	free(buf);
}
