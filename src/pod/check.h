/*
 * check — `hexe pod check`: what this kernel and user give a pane's POD
 * (user namespaces and the sysctls that govern them, each namespace type,
 * the mounts the profiles need, cgroup mode, controllers and delegation),
 * what each profile would actually get, and how to fix what is missing.
 *
 * Output is human text, one topic per line ("user namespaces: ok",
 * "cgroup mode: hybrid (...)", "memory: ok (v1 /sys/fs/cgroup/memory/...)",
 * "fix: ..."), stable enough to grep. Exit 0 when the configured profile
 * (and the configured limits) can be honoured fully, 1 when not, 2 on a
 * usage error.
 */
#ifndef HEXE_CHECK_H
#define HEXE_CHECK_H

/* argv[0] is "check"; options: --profile NAME (or --profile=NAME). */
int pod_check_main(int argc, char **argv);

#endif
