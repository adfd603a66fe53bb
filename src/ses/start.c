/*
 * start — find this instance's ses or start one.
 *
 * Runs in a client command. The daemon is started fully detached (new
 * session, stdio on /dev/null, not our child once started) and takes a
 * lock itself, so two commands racing here start one daemon: the loser
 * exits and both connect to the winner.
 */
#include "ses/ses.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/util.h"

static void __attribute__((noreturn))
exec_daemon(const struct paths *p)
{
	char *argv[] = { "hexe", "ses", "--instance", (char *)p->instance, NULL };
	int null = open("/dev/null", O_RDWR);

	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		if (null > 2)
			close(null);
	}
	execv("/proc/self/exe", argv);
	_exit(127);
}

static int
spawn_daemon(const struct paths *p, char *err, size_t errsz)
{
	pid_t pid = fork();
	int status;

	if (pid < 0) {
		snprintf(err, errsz, "cannot start the daemon: fork: %s",
			 strerror(errno));
		return -1;
	}
	if (pid == 0) {
		if (setsid() < 0)
			_exit(1);
		pid = fork();
		if (pid < 0)
			_exit(1);
		if (pid > 0)
			_exit(0);
		exec_daemon(p);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return 0;
}

int
ses_connect(const struct paths *p, struct client *cl, int role, bool start,
	    char *err, size_t errsz)
{
	uint64_t deadline;
	bool started = false;
	int rc;

	rc = client_connect(cl, p->ses_sock);
	if (rc < 0 && (rc == -ENOENT || rc == -ECONNREFUSED) && start) {
		if (paths_ensure_runtime(p, err, errsz) < 0)
			return -1;
		if (spawn_daemon(p, err, errsz) < 0)
			return -1;
		started = true;
		deadline = now_ms() + 5000;
		while ((rc = client_connect(cl, p->ses_sock)) < 0 &&
		       now_ms() < deadline)
			usleep(5000);
	}
	if (rc < 0) {
		if (!start && (rc == -ENOENT || rc == -ECONNREFUSED))
			snprintf(err, errsz, "no hexe daemon is running for "
				 "instance \"%s\"", p->instance);
		else
			snprintf(err, errsz, "cannot reach the daemon at %s: %s%s",
				 p->ses_sock, strerror(-rc),
				 started ? " (it did not start; see its log in "
					   "the runtime dir)" : "");
		return -1;
	}
	if (client_hello(cl, role, p->instance, err, errsz) < 0) {
		client_close(cl);
		return -1;
	}
	return 0;
}
