/*
 * cli — the one-shot commands.
 */
#include "mux/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/client.h"
#include "core/paths.h"
#include "core/proto.h"
#include "core/util.h"
#include "mux/keys.h"
#include "mux/mux.h"
#include "ses/ses.h"

#define CLI_TIMEOUT_MS 10000

struct cli {
	struct paths paths;
	struct client cl;
	char err[512];
};

static int
fail(const char *fmt, const char *arg)
{
	fprintf(stderr, "hexe: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return 1;
}

static int
cli_connect(struct cli *c, int role)
{
	if (paths_init(&c->paths, NULL, c->err, sizeof c->err) < 0 ||
	    ses_connect(&c->paths, &c->cl, role, true, c->err, sizeof c->err) < 0)
		return fail("%s", c->err);
	return 0;
}

/* Send one request and expect `want` (or OK) back. */
static int
cli_ask(struct cli *c, struct wbuf *b, uint16_t want, struct frame *f)
{
	if (client_request(&c->cl, b, f, CLI_TIMEOUT_MS, c->err, sizeof c->err) < 0)
		return fail("%s", c->err);
	if (want && f->type != want) {
		snprintf(c->err, sizeof c->err, "unexpected %s from the daemon",
			 msg_type_name(f->type));
		return fail("%s", c->err);
	}
	return 0;
}

static int
print_text_reply(const struct frame *f)
{
	struct msg_text t;

	if (msg_text_decode(f, &t) < 0)
		return fail("%s", "malformed answer from the daemon");
	fputs(t.text, stdout);
	msg_text_free(&t);
	return 0;
}

static int
usage_error(const char *usage)
{
	fprintf(stderr, "usage: %s\n", usage);
	return 2;
}

/* ---- mux new / attach ---- */

static int
size_arg(const char *s, const char *what, uint16_t *out)
{
	unsigned long long v;

	if (!parse_uint(s, 10000, &v) || v < 2) {
		fprintf(stderr, "hexe: %s: expected a number from 2 to 10000, got "
			"\"%s\"\n", what, s);
		return -1;
	}
	*out = (uint16_t)v;
	return 0;
}

void
cli_encode_session_new(struct wbuf *b, const char *name, const char *layout,
		       uint16_t cols, uint16_t rows, uint8_t flags, char **argv)
{
	extern char **environ;
	struct msg_session_new n;
	char cwd[4096];
	size_t envc = 0, argc = 0;

	for (char **e = environ; *e; e++)
		envc++;
	for (char **a = argv; a && *a; a++)
		argc++;
	memset(&n, 0, sizeof n);
	n.name = (char *)(name ? name : "");
	n.cols = cols;
	n.rows = rows;
	n.flags = flags;
	/* The session starts where the command was typed, with its
	 * environment: as if the shell had been started right here. */
	n.cwd = getcwd(cwd, sizeof cwd) ? cwd : (char *)"";
	n.argv.n = (uint32_t)argc;
	n.argv.v = argv;
	n.env.n = (uint32_t)envc;
	n.env.v = environ;
	n.layout = (char *)(layout ? layout : "");
	msg_session_new_encode(b, &n);
}

static int
new_detached(struct cli *c, const char *name, const char *layout,
	     uint16_t cols, uint16_t rows, char **argv)
{
	struct wbuf b;
	struct frame f;
	int rc;

	wbuf_init(&b);
	cli_encode_session_new(&b, name, layout, cols, rows, 0, argv);
	rc = cli_ask(c, &b, MSG_SESSION_INFO, &f);
	wbuf_free(&b);
	return rc;
}

int
cli_mux_new(int argc, char **argv)
{
	static const char *usage =
		"hexe mux new [-s NAME] [-l LAYOUT] [-d] [-x COLS -y ROWS] "
		"[-- CMD ARGS...]";
	const char *name = NULL, *layout = NULL;
	bool detached = false;
	uint16_t cols = 80, rows = 24;
	struct cli c;
	int ch, rc;

	optind = 1;
	while ((ch = getopt(argc, argv, "+s:l:dx:y:")) != -1) {
		switch (ch) {
		case 's': name = optarg; break;
		case 'l': layout = optarg; break;
		case 'd': detached = true; break;
		case 'x':
			if (size_arg(optarg, "-x", &cols) < 0)
				return 2;
			break;
		case 'y':
			if (size_arg(optarg, "-y", &rows) < 0)
				return 2;
			break;
		default: return usage_error(usage);
		}
	}
	if (!detached && !isatty(STDIN_FILENO))
		return fail("%s", "`mux new` needs a terminal to attach to; use -d "
			    "for a detached session");
	if (cli_connect(&c, detached ? ROLE_CLI : ROLE_MUX))
		return 1;
	if (detached) {
		rc = new_detached(&c, name, layout, cols, rows,
				  optind < argc ? argv + optind : NULL);
		client_close(&c.cl);
		return rc;
	}
	{
		struct mux_start st = { true, name,
					optind < argc ? argv + optind : NULL,
					layout };

		return mux_run(&c.paths, &c.cl, &st);
	}
}

int
cli_mux_default(int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return usage_error("hexe mux [new|attach|send|capture] ...");
	return cli_mux_new(1, (char *[]){ "new", NULL });
}

int
cli_mux_attach(int argc, char **argv)
{
	struct mux_start st = { false, NULL, NULL, NULL };
	struct cli c;

	if (argc > 2 || (argc == 2 && argv[1][0] == '-'))
		return usage_error("hexe mux attach [NAME]");
	st.name = argc == 2 ? argv[1] : NULL;
	if (!isatty(STDIN_FILENO))
		return fail("%s", "`mux attach` needs a terminal");
	if (cli_connect(&c, ROLE_MUX))
		return 1;
	return mux_run(&c.paths, &c.cl, &st);
}

/* ---- send / capture ---- */

int
cli_mux_send(int argc, char **argv)
{
	static const char *usage = "hexe mux send -t NAME[:PANE] KEYS...";
	const char *target = NULL;
	struct msg_send m;
	struct wbuf data, b;
	struct frame f;
	struct cli c;
	int ch, rc;

	optind = 1;
	while ((ch = getopt(argc, argv, "+t:")) != -1) {
		if (ch != 't')
			return usage_error(usage);
		target = optarg;
	}
	if (!target)
		return usage_error(usage);
	wbuf_init(&data);
	for (int i = optind; i < argc; i++) {
		char key[64];
		size_t n;
		int k = keys_name_to_bytes(argv[i], key, sizeof key, &n);

		if (k == 1)
			wbuf_put(&data, key, n);
		else
			wbuf_put(&data, argv[i], strlen(argv[i]));
	}
	if (cli_connect(&c, ROLE_CLI)) {
		wbuf_free(&data);
		return 1;
	}
	m.target = (char *)target;
	m.len = data.len;
	m.data = data.data;
	wbuf_init(&b);
	msg_send_encode(&b, &m);
	rc = cli_ask(&c, &b, MSG_OK, &f);
	wbuf_free(&b);
	wbuf_free(&data);
	client_close(&c.cl);
	return rc;
}

int
cli_mux_capture(int argc, char **argv)
{
	static const char *usage =
		"hexe mux capture -t NAME[:PANE] [-S LINES] [--screen]";
	struct msg_capture m = { NULL, 0, 0 };
	unsigned long long lines = 0;
	struct wbuf b;
	struct frame f;
	struct cli c;
	int ch, rc;

	static const struct option longopts[] = {
		{ "screen", no_argument, NULL, 'A' },
		{ NULL, 0, NULL, 0 },
	};

	optind = 1;
	while ((ch = getopt_long(argc, argv, "+t:S:", longopts, NULL)) != -1) {
		switch (ch) {
		case 't': m.target = optarg; break;
		case 'A': m.flags |= CAPTURE_SCREEN; break;
		case 'S':
			/* tmux users write -S -100; both mean 100 lines. */
			if (!parse_uint(optarg[0] == '-' ? optarg + 1 : optarg,
					1000000, &lines)) {
				fprintf(stderr, "hexe: -S: expected a number of "
					"lines, got \"%s\"\n", optarg);
				return 2;
			}
			break;
		default: return usage_error(usage);
		}
	}
	if (!m.target || optind != argc)
		return usage_error(usage);
	m.scrollback = (int32_t)lines;
	if (cli_connect(&c, ROLE_CLI))
		return 1;
	wbuf_init(&b);
	msg_capture_encode(&b, 0, &m);
	rc = cli_ask(&c, &b, MSG_TEXT, &f);
	if (rc == 0)
		rc = print_text_reply(&f);
	wbuf_free(&b);
	client_close(&c.cl);
	return rc;
}

/* ---- ses / pod ---- */

static int
simple_request(int argc, char **argv, uint16_t type, uint16_t want,
	       const char *usage)
{
	struct wbuf b;
	struct frame f;
	struct cli c;
	int rc;

	if (argc > 1 && strcmp(argv[1], "--") != 0)
		return usage_error(usage);
	if (cli_connect(&c, ROLE_CLI))
		return 1;
	wbuf_init(&b);
	msg_empty_encode(&b, type, 0);
	rc = cli_ask(&c, &b, want, &f);
	if (rc == 0 && want == MSG_TEXT)
		rc = print_text_reply(&f);
	wbuf_free(&b);
	client_close(&c.cl);
	return rc;
}

int
cli_ses_list(int argc, char **argv)
{
	return simple_request(argc, argv, MSG_SESSION_LIST, MSG_TEXT,
			      "hexe ses list");
}

int
cli_pod_list(int argc, char **argv)
{
	return simple_request(argc, argv, MSG_POD_LIST, MSG_TEXT, "hexe pod list");
}

int
cli_ses_stop(int argc, char **argv)
{
	struct wbuf b;
	struct frame f;
	struct cli c;
	int rc;

	if (argc > 1 && strcmp(argv[1], "--") != 0)
		return usage_error("hexe ses stop");
	if (paths_init(&c.paths, NULL, c.err, sizeof c.err) < 0)
		return fail("%s", c.err);
	/* Stopping starts a daemon only to end pods a killed one left. */
	if (ses_connect(&c.paths, &c.cl, ROLE_CLI, true, c.err, sizeof c.err) < 0)
		return fail("%s", c.err);
	wbuf_init(&b);
	msg_empty_encode(&b, MSG_SERVER_STOP, 0);
	rc = cli_ask(&c, &b, MSG_OK, &f);
	wbuf_free(&b);
	client_close(&c.cl);
	return rc;
}

int
cli_ses_kill(int argc, char **argv)
{
	struct msg_name m;
	struct wbuf b;
	struct frame f;
	struct cli c;
	int rc;

	if (argc != 2)
		return usage_error("hexe ses kill NAME");
	if (cli_connect(&c, ROLE_CLI))
		return 1;
	m.name = argv[1];
	wbuf_init(&b);
	msg_name_encode(&b, MSG_SESSION_KILL, &m);
	rc = cli_ask(&c, &b, MSG_OK, &f);
	wbuf_free(&b);
	client_close(&c.cl);
	return rc;
}

/* One action through the daemon, answered by OK or an error. */
static int
ask_action(const struct msg_action *m)
{
	struct wbuf b;
	struct frame f;
	struct cli c;
	int rc;

	if (cli_connect(&c, ROLE_CLI))
		return 1;
	wbuf_init(&b);
	msg_action_encode(&b, m);
	rc = cli_ask(&c, &b, MSG_OK, &f);
	wbuf_free(&b);
	client_close(&c.cl);
	return rc;
}

int
cli_mux_action(int argc, char **argv)
{
	static const char *usage = "hexe mux action -t SESSION[:PANE] NAME [ARG]";
	struct msg_action m = { NULL, NULL, "" };
	int ch;

	optind = 1;
	while ((ch = getopt(argc, argv, "+t:")) != -1) {
		if (ch != 't')
			return usage_error(usage);
		m.target = optarg;
	}
	if (!m.target || optind >= argc || argc - optind > 2)
		return usage_error(usage);
	m.name = argv[optind];
	if (argc - optind == 2)
		m.arg = argv[optind + 1];
	return ask_action(&m);
}

int
cli_mux_reload(int argc, char **argv)
{
	/* Any target names the daemon; reload is global. */
	struct msg_action m = { (char *)"", (char *)"reload", (char *)"" };

	if (argc > 1 && strcmp(argv[1], "--") != 0)
		return usage_error("hexe mux reload");
	return ask_action(&m);
}

int
cli_mux_float(int argc, char **argv)
{
	static const char *usage = "hexe mux float KEY [-t SESSION]";
	char *av[6];
	const char *target = "";
	int ch, n = 0;

	optind = 1;
	/* KEY may come before or after -t. */
	while ((ch = getopt(argc, argv, "t:")) != -1) {
		if (ch != 't')
			return usage_error(usage);
		target = optarg;
	}
	if (optind != argc - 1)
		return usage_error(usage);
	av[n++] = "action";
	av[n++] = "-t";
	av[n++] = (char *)target;
	av[n++] = "float.toggle";
	av[n++] = argv[optind];
	av[n] = NULL;
	return cli_mux_action(n, av);
}
