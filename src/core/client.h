/*
 * client — a blocking, time-bounded connection for one-shot commands
 * (`hexe ses list`, `hexe mux send`, ...): connect, say hello, send a
 * request, wait for the answer. Every wait has a deadline.
 */
#ifndef HEXE_CLIENT_H
#define HEXE_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/proto.h"

struct client {
	int fd;
	struct frame_reader fr;
	uint32_t peer_version; /* from HELLO_OK */
};

/* -errno (ENOENT, ECONNREFUSED: nobody listens) or 0. */
int client_connect(struct client *cl, const char *path);
void client_close(struct client *cl);
/* Send every byte of b (then empty it); -errno on failure or timeout. */
int client_send(struct client *cl, struct wbuf *b, int timeout_ms);
/* Wait for one frame: 1, 0 on timeout, -errno (-EPIPE when the peer
 * closed, -EPROTO on a bad stream). */
int client_recv(struct client *cl, struct frame *f, int timeout_ms);
/* HELLO/HELLO_OK exchange. 0, or -1 with a message in err. */
int client_hello(struct client *cl, int role, const char *instance,
		 char *err, size_t errsz);
/* Send b and wait for OK/ERROR/TEXT/...; on ERROR the message goes to err
 * and -1 is returned; otherwise the reply frame is in *f (valid until the
 * next call). */
int client_request(struct client *cl, struct wbuf *b, struct frame *f,
		   int timeout_ms, char *err, size_t errsz);

#endif
