#!/usr/bin/env bash
# `hexe pod check`: what it reports for this kernel and user, and its exit
# status — as root, and as uid 65534 (no cgroup delegation: configured
# limits cannot be honoured, exit 1, and the message says why).
source "$(dirname "$0")/../lib.sh"
hexe_env_setup

NOBODY_DIR=

# Tests run in subshells: the dirs they made for uid 65534 are listed in
# $T_TMP/nobody.dirs and removed at exit.
_check_on_exit() {
	local rc=$? dir
	while read -r dir; do
		[[ $dir == /tmp/hexe-nobody.* ]] && rm -rf "$dir"
	done < <(cat "$T_TMP/nobody.dirs" 2>/dev/null)
	(exit "$rc")
	_t_on_exit
}
trap _check_on_exit EXIT

# Where CTRL's hierarchy is mounted (v1), or nothing.
v1_mount() { # CTRL
	awk -v want="$1" '{
		for (i = 1; i <= NF; i++) if ($i == "-") break
		if ($(i + 1) != "cgroup") next
		n = split($(i + 3), o, ",")
		for (k = 1; k <= n; k++) if (o[k] == want) { print $5; exit }
	}' /proc/self/mountinfo
}
v2_mount() {
	awk '{ for (i = 1; i <= NF; i++) if ($i == "-") break
		if ($(i + 1) == "cgroup2") { print $5; exit } }' /proc/self/mountinfo
}
# Our own cgroup in CTRL's v1 hierarchy (mounted at its root).
own_v1() { # CTRL
	awk -F: -v want="$1" '{ n = split($2, c, ",")
		for (k = 1; k <= n; k++) if (c[k] == want) { print $3; exit } }' /proc/self/cgroup
}

# Run `hexe pod check` with ARGS; sets OUT and RC.
check() {
	RC=0
	OUT=$("$HEXE" pod check "$@" 2>&1) || RC=$?
	if [[ $OUT == *'unknown command "pod check"'* ]]; then
		echo "hexe pod check is not registered in src/hexe.c's command table"
		return 1
	fi
}

# No directory of a check's throwaway instance is left anywhere.
no_check_leftovers() {
	local d
	for d in /sys/fs/cgroup/*/ /sys/fs/cgroup/*/"$(own_v1 memory)"/; do
		if ls -d "$d"hexe-check-* >/dev/null 2>&1; then
			echo "left behind: $(ls -d "$d"hexe-check-*)"
			return 1
		fi
	done
}

test_topics() {
	check
	local topic ns
	for topic in "user namespaces: " "max_user_namespaces: " \
		"unprivileged_userns_clone: " "apparmor userns restriction: " \
		"cgroup mode: " "memory: " "cpu: " "pids: " "pane cgroups: " \
		"cgroup trial: " "profile none: " "profile minimal: " \
		"profile default: " "profile balanced: " "profile full: " \
		"configured profile: " "configured limits: " "strict: " "logs: " \
		"result: "; do
		grep -q "^$topic" <<<"$OUT" || { echo "no line \"$topic\" in:"; echo "$OUT"; return 1; }
	done
	for ns in user pid mount net uts ipc cgroup; do
		grep -qE "^namespace $ns: (ok|unshare\(.*\): .+)$" <<<"$OUT" ||
			{ echo "no namespace $ns line in:"; echo "$OUT"; return 1; }
	done
	# One topic per line: every line is "topic: text".
	if grep -vqE '^[a-z_A-Z0-9 ()-]+: ' <<<"$OUT"; then
		echo "a line without a topic:"
		grep -vE '^[a-z_A-Z0-9 ()-]+: ' <<<"$OUT"
		return 1
	fi
	t_assert_contains "$OUT" "logs: $XDG_RUNTIME_DIR/hexe/$HEXE_INSTANCE/log/" "where the logs are"
	no_check_leftovers
}

test_root_report() {
	[[ $(id -u) == 0 ]] || t_skip_test "needs root"
	check
	echo "$OUT"
	t_assert_eq "$RC" 0 "exit status as root"
	t_assert_contains "$OUT" "user namespaces: ok" "user namespaces"
	t_assert_contains "$OUT" "configured profile: default (built-in default)" "default profile"
	t_assert_contains "$OUT" "result: ok: profile default can be honoured fully" "verdict"
	local v2 c
	v2=$(v2_mount)
	if [[ -n $(v1_mount memory) && -n $v2 ]]; then
		t_assert_contains "$OUT" "cgroup mode: hybrid (v1 controllers, cgroup2 at $v2)" "hybrid"
	elif [[ -n $(v1_mount memory) ]]; then
		t_assert_contains "$OUT" "cgroup mode: v1 (" "v1"
	elif [[ -n $v2 ]]; then
		t_assert_contains "$OUT" "cgroup mode: v2 (cgroup2 at $v2)" "v2"
	fi
	for c in memory cpu pids; do
		local m own
		m=$(v1_mount "$c")
		[[ -n $m ]] || continue
		own=$(own_v1 "$c")
		[[ $own == / ]] && own=
		t_assert_contains "$OUT" "$c: ok (v1 $m$own)" "$c usable in our own v1 cgroup"
	done
	t_assert_contains "$OUT" "cgroup trial: ok (made and removed a pane cgroup with sample limits)" "trial"
	no_check_leftovers
}

test_root_with_limits() {
	[[ $(id -u) == 0 ]] || t_skip_test "needs root"
	HEXE_CGROUP_MEM_MAX=256M HEXE_CGROUP_PIDS_MAX=100 HEXE_CGROUP_CPU_MAX="50000 100000" check --profile full
	echo "$OUT"
	t_assert_contains "$OUT" "configured profile: full (--profile)" "--profile wins"
	t_assert_contains "$OUT" 'configured limits: memory=256M cpu="50000 100000" pids=100 (environment)' "limits shown"
	if grep -q "^profile full: all namespaces ok" <<<"$OUT" &&
		! grep -qE '^(memory|cpu|pids): unavailable' <<<"$OUT"; then
		t_assert_eq "$RC" 0 "all honoured"
		t_assert_contains "$OUT" "cgroup trial: ok (made and removed a pane cgroup with the configured limits)" "trial with the real limits"
		t_assert_contains "$OUT" "result: ok: profile full with its limits can be honoured fully" "verdict"
	else
		t_assert_eq "$RC" 1 "something is missing here"
		t_assert_contains "$OUT" "fix: " "a fix is suggested"
	fi
	no_check_leftovers
}

test_profile_sources() {
	HEXE_VOIDBOX_PROFILE=minimal check
	t_assert_contains "$OUT" "configured profile: minimal (HEXE_VOIDBOX_PROFILE)" "from the environment"
	HEXE_VOIDBOX_PROFILE=minimal check --profile=balanced
	t_assert_contains "$OUT" "configured profile: balanced (--profile)" "--profile beats the environment"
	HEXE_VOIDBOX_PROFILE=none check
	t_assert_eq "$RC" 0 "profile none without limits is always honoured"
}

test_bad_input() {
	check --profile bogus
	t_assert_eq "$RC" 2 "unknown profile is a usage error"
	t_assert_contains "$OUT" '--profile: unknown profile "bogus"' "names the field"
	check --frobnicate
	t_assert_eq "$RC" 2 "unknown option"
	t_assert_contains "$OUT" "usage: hexe pod check" "usage"
	HEXE_CGROUP_MEM_MAX=lots check
	t_assert_eq "$RC" 1 "bad limit"
	t_assert_contains "$OUT" "HEXE_CGROUP_MEM_MAX" "names the variable"
	check --help
	t_assert_eq "$RC" 0 "--help"
	t_assert_contains "$OUT" "usage: hexe pod check [--profile NAME]" "--help text"
}

as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups env \
		HOME="$NOBODY_DIR/home" XDG_RUNTIME_DIR="$NOBODY_DIR/run" \
		HEXE_INSTANCE="$HEXE_INSTANCE" "$@"
}

nobody_setup() {
	[[ $(id -u) == 0 ]] || t_skip_test "needs root to run as uid 65534"
	NOBODY_DIR=$(mktemp -d /tmp/hexe-nobody.XXXXXX)
	echo "$NOBODY_DIR" >>"$T_TMP/nobody.dirs"
	mkdir -p "$NOBODY_DIR/home" "$NOBODY_DIR/run"
	chown -R 65534:65534 "$NOBODY_DIR"
	chmod 0755 "$NOBODY_DIR"
	chmod 0700 "$NOBODY_DIR/run"
}

test_nobody_limits_unavailable() {
	nobody_setup
	local m
	m=$(v1_mount pids)
	[[ -n $m ]] || t_skip_test "no cgroup v1 pids hierarchy here"
	if as_nobody test -w "$m"; then
		t_skip_test "uid 65534 may write $m: delegated here"
	fi
	local rc=0 out
	out=$(as_nobody env HEXE_CGROUP_PIDS_MAX=20 "$HEXE" pod check 2>&1) || rc=$?
	echo "$out"
	t_assert_eq "$rc" 1 "limits configured but unavailable"
	t_assert_contains "$out" "pids: unavailable: $m" "why, with the path"
	t_assert_contains "$out" "Permission denied" "and the errno"
	t_assert_contains "$out" "result: profile default cannot be honoured fully: pids limit unavailable: $m" "verdict names why"
	grep -q "^fix: " <<<"$out" || { echo "no fix suggested"; return 1; }
	t_assert_contains "$out" "cgroup trial: configured limits: pids limit not applied: " "the trial agrees"
	# Without limits configured, the same user is fine (namespaces work).
	rc=0
	out=$(as_nobody "$HEXE" pod check 2>&1) || rc=$?
	if grep -q "^profile default: all namespaces ok" <<<"$out"; then
		t_assert_eq "$rc" 0 "no limits configured: honoured"
	else
		t_assert_eq "$rc" 1 "namespaces refused for 65534 here"
	fi
	no_check_leftovers
}

test_userns_refused_fix() {
	# max_user_namespaces is per user namespace: set it to 0 in a
	# throwaway one, and the check inside it finds user namespaces
	# refused and names the sysctl that fixes it.
	unshare -U -r true 2>/dev/null || t_skip_test "cannot make a user namespace here"
	local rc=0 out
	out=$(unshare -U -r sh -c 'echo 0 >/proc/sys/user/max_user_namespaces && exec "$0" pod check' "$HEXE" 2>&1) || rc=$?
	echo "$out"
	t_assert_eq "$rc" 1 "the default profile cannot be honoured"
	t_assert_contains "$out" "user namespaces: unshare(CLONE_NEWUSER): No space left on device" "the step and the errno"
	t_assert_contains "$out" "max_user_namespaces: 0 (/proc/sys/user/max_user_namespaces)" "the sysctl's value"
	t_assert_contains "$out" "namespace pid: unshare(CLONE_NEWUSER|CLONE_NEWPID): No space left on device" "each namespace"
	t_assert_contains "$out" "profile default: fails: unshare(" "the profile's verdict"
	t_assert_contains "$out" "result: profile default cannot be honoured fully: the default profile's sandbox fails" "verdict"
	t_assert_contains "$out" "fix: sysctl -w user.max_user_namespaces=15000" "the fix"
	# --profile none needs no namespace: honoured.
	rc=0
	out=$(unshare -U -r sh -c 'echo 0 >/proc/sys/user/max_user_namespaces && exec "$0" pod check --profile none' "$HEXE" 2>&1) || rc=$?
	t_assert_eq "$rc" 0 "profile none"
}

t_run "one topic per line, every topic present" test_topics
t_run "as root: report and exit 0" test_root_report
t_run "as root with limits and --profile full" test_root_with_limits
t_run "profile from HEXE_VOIDBOX_PROFILE and --profile" test_profile_sources
t_run "bad input: usage errors and bad limits" test_bad_input
t_run "as uid 65534 with limits: exit 1, says why, suggests a fix" test_nobody_limits_unavailable
t_run "user namespaces refused (max_user_namespaces=0): exit 1, names the sysctl fix" test_userns_refused_fix
