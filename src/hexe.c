/*
 * hexe — main: the command line is a table of subcommands, each with its
 * usage and help, read by the dispatcher and by `--help`.
 *
 * One binary: `hexe ses --instance NAME` and `hexe pod --instance NAME ...`
 * are the daemons, started again from /proc/self/exe by hexe itself.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua/config.h"
#include "mux/cli.h"
#include "pod/check.h"
#include "pod/pod.h"
#include "pod/run.h"
#include "ses/ses.h"

#define HEXE_VERSION "0.1.0"

struct command {
	const char *group; /* "mux", "ses", "pod" */
	const char *name;  /* NULL: the group itself (a daemon) */
	int (*run)(int argc, char **argv);
	const char *usage;
	const char *help;
};

static const struct command commands[] = {
	{ "mux", NULL, cli_mux_default, "hexe mux",
	  "attach to the most recent session, or create one" },
	{ "mux", "new", cli_mux_new,
	  "hexe mux new [-s NAME] [-l LAYOUT] [-d] [-x COLS -y ROWS] [-- CMD ARGS...]",
	  "create a session (and attach unless -d), from a configured layout" },
	{ "mux", "float", cli_mux_float, "hexe mux float KEY [-t SESSION]",
	  "show or hide a float (the most recent session without -t)" },
	{ "mux", "reload", cli_mux_reload, "hexe mux reload",
	  "read the config file again (a broken one keeps the old and says why)" },
	{ "mux", "attach", cli_mux_attach, "hexe mux attach [NAME]",
	  "attach to a session (the most recent without NAME)" },
	{ "mux", "send", cli_mux_send, "hexe mux send -t NAME[:PANE] KEYS...",
	  "type keys into a pane; key names (Enter, C-c, M-x, Up...) are keys, "
	  "other words literal text" },
	{ "mux", "capture", cli_mux_capture,
	  "hexe mux capture -t NAME[:PANE] [-S LINES] [--screen]",
	  "print a pane's screen (with LINES of scrollback before it), or with "
	  "--screen the whole screen an attached client shows" },
	{ "mux", "action", cli_mux_action,
	  "hexe mux action -t SESSION[:PANE] NAME [ARG]",
	  "run a keymap action (split.vertical, tab.new, float.toggle 1, ...)" },
	{ "ses", NULL, ses_main, "hexe ses --instance NAME",
	  "run the daemon (started for you by other commands)" },
	{ "ses", "list", cli_ses_list, "hexe ses list",
	  "list sessions: NAME PANES attached|detached SIZE" },
	{ "ses", "kill", cli_ses_kill, "hexe ses kill NAME",
	  "end a session and every pane in it" },
	{ "ses", "stop", cli_ses_stop, "hexe ses stop",
	  "end this instance's daemon and every pane (like tmux kill-server)" },
	{ "config", NULL, config_check_main, "hexe config",
	  "the Lua configuration: same as `hexe config check`" },
	{ "config", "check", config_check_main, "hexe config check [FILE]",
	  "load the config (default: the one hexe uses) and print every error "
	  "(exit 1) or the resolved settings" },
	{ "pod", NULL, pod_main, "hexe pod --instance NAME --id N ...",
	  "run one pane's pod (started by the daemon)" },
	{ "pod", "check", pod_check_main, "hexe pod check [--profile NAME]",
	  "what this kernel and user give a pane's POD (namespaces, cgroups, "
	  "limits), per profile, and how to fix what is missing; exit 1 when "
	  "the configured profile cannot be honoured fully" },
	{ "pod", "run", pod_run_main,
	  "hexe pod run [--profile NAME] [--memory SIZE] [--cpu \"Q P\"] "
	  "[--pids N] [--strict] [--bind|--ro-bind SRC:DST] -- CMD...",
	  "run CMD in a POD, as a pane would run it, without a multiplexer "
	  "(like bwrap); exit with its status" },
	{ "pod", "list", cli_pod_list, "hexe pod list",
	  "list every pane's pod: ID SESSION PID CWD STATE PROFILE" },
};

static void
usage(FILE *f)
{
	fprintf(f, "hexe %s — a terminal multiplexer whose panes run in PODs\n\n"
		   "usage:\n",
		HEXE_VERSION);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		fprintf(f, "  %-62s %s\n", commands[i].usage, commands[i].help);
	}
	fprintf(f, "\nEvery command takes --help. Global option: --instance NAME "
		   "(or HEXE_INSTANCE) picks a private instance.\n"
		   "See hexe(1) and docs/ for more.\n");
}

static bool
is_help(const char *a)
{
	return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0 ||
	       strcmp(a, "help") == 0;
}

int
main(int argc, char **argv)
{
	const char *group, *name;

	/* Only the character type: what is a wide or a combining character.
	 * The other categories would cost a file each at every start (each
	 * pane's pod included), and a foreign LC_NUMERIC would change how
	 * Lua reads "0.5" in the config. */
	setlocale(LC_CTYPE, "");
	/* A global --instance NAME before the group. */
	while (argc > 2 && strcmp(argv[1], "--instance") == 0) {
		setenv("HEXE_INSTANCE", argv[2], 1);
		argv[2] = argv[0];
		argv += 2;
		argc -= 2;
	}
	if (argc < 2 || is_help(argv[1])) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("hexe %s\n", HEXE_VERSION);
		return 0;
	}
	group = argv[1];
	name = argc > 2 ? argv[2] : NULL;
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		const struct command *c = &commands[i];

		if (strcmp(c->group, group) != 0 || !c->name || !name ||
		    strcmp(c->name, name) != 0)
			continue;
		if (argc > 3 && is_help(argv[3])) {
			printf("usage: %s\n\n%s\n", c->usage, c->help);
			return 0;
		}
		return c->run(argc - 2, argv + 2);
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		const struct command *c = &commands[i];

		if (strcmp(c->group, group) != 0 || c->name)
			continue;
		if (name && is_help(name)) {
			printf("usage: %s\n\n%s\n\nsubcommands:\n", c->usage, c->help);
			for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++) {
				if (strcmp(commands[k].group, group) == 0 &&
				    commands[k].name)
					printf("  %-60s %s\n", commands[k].usage,
					       commands[k].help);
			}
			return 0;
		}
		if (name && name[0] != '-') {
			fprintf(stderr, "hexe: unknown command \"%s %s\" (try "
				"`hexe %s --help`)\n", group, name, group);
			return 2;
		}
		return c->run(argc - 1, argv + 1);
	}
	fprintf(stderr, "hexe: unknown command \"%s\" (try `hexe --help`)\n", group);
	return 2;
}
