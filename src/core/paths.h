/*
 * paths — where an instance keeps its sockets, logs and state.
 *
 * runtime dir: $HEXE_RUNTIME_DIR, else $XDG_RUNTIME_DIR/hexe/<instance>,
 * else /tmp/hexe-<uid>/<instance>; created 0700 and refused when another
 * user owns it or it is open to others. State: $XDG_STATE_HOME/hexe/<instance>
 * (default ~/.local/state). Config: $HEXE_CONFIG, else
 * $XDG_CONFIG_HOME/hexe/init.lua, else ~/.config/hexe/init.lua.
 */
#ifndef HEXE_PATHS_H
#define HEXE_PATHS_H

#include <stddef.h>

#define INSTANCE_MAX 64

struct paths {
	char instance[INSTANCE_MAX + 1];
	char runtime[512]; /* runtime dir */
	char log[600];     /* runtime/log */
	char state[512];   /* state dir */
	char ses_sock[600];
	char ses_lock[600];
	char config[512];
};

/* Fill p from the environment (instance given or $HEXE_INSTANCE or
 * "default"). Creates nothing. 0, or -1 with a message in err. */
int paths_init(struct paths *p, const char *instance, char *err, size_t errsz);

/* Create (or check) the runtime dir and its log dir: 0700, owned by us.
 * 0, or -1 with a message naming the path and the problem. */
int paths_ensure_runtime(const struct paths *p, char *err, size_t errsz);
int paths_ensure_state(const struct paths *p, char *err, size_t errsz);

/* Check one directory is ours and closed to others; create it when
 * missing (mode 0700). Exposed for tests. */
int paths_check_private_dir(const char *dir, int create, char *err,
			    size_t errsz);

/* A valid instance name: 1-64 of [A-Za-z0-9_.-], not starting with '.'. */
int paths_valid_instance(const char *name);

int paths_pod_sock(const struct paths *p, unsigned id, char *out, size_t n);
int paths_pod_log(const struct paths *p, unsigned id, char *out, size_t n);

#endif
