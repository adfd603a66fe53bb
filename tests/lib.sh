# tests/lib.sh - helpers sourced by the integration and pod test scripts.
#
# A script sources this file, calls hexe_env_setup once, then runs its
# tests with t_run. Results go to stdout as lines the runner (tests/run)
# counts: "ok NAME", "not ok NAME" (followed by the test's output, indented)
# and "skip NAME: reason". Each script gets a private HOME, XDG dirs and
# hexe instance, and everything it started is stopped when it exits.

HEXE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HEXE_BUILD_DIR=${BUILD:-${BUILD_DIR:-build}}
case $HEXE_BUILD_DIR in
/*) ;;
*) HEXE_BUILD_DIR=$HEXE_ROOT/$HEXE_BUILD_DIR ;;
esac

T_TMP=
T_NFAIL=0

# Private directories and a unique instance name, so that tests neither see
# the developer's configuration nor each other's servers.
hexe_env_setup() {
	T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/hexe-test.XXXXXX") || return 1
	export HOME=$T_TMP/home
	export XDG_CONFIG_HOME=$HOME/.config
	export XDG_STATE_HOME=$HOME/.local/state
	export XDG_RUNTIME_DIR=$T_TMP/run
	mkdir -p "$XDG_CONFIG_HOME" "$XDG_STATE_HOME" "$XDG_RUNTIME_DIR"
	chmod 0700 "$T_TMP" "$XDG_RUNTIME_DIR"
	export HEXE_INSTANCE="t$$_$RANDOM"
	export HEXE=$HEXE_BUILD_DIR/hexe
	export PTYH=$HEXE_BUILD_DIR/tests/ptyh
	# Predictable prompts: "$ " from bash (via .bashrc) and from sh/dash.
	export SHELL=/bin/bash
	export PS1='$ '
	export ENV=
	printf "PS1='\$ '\nunset PROMPT_COMMAND\n" >"$HOME/.bashrc"
	unset PROMPT_COMMAND TMUX
	export LANG=C.UTF-8 LC_ALL=C.UTF-8
	# The UI tests (tests/integration/) run panes unconfined: as root, the
	# default profile maps a pane to uid 65534, which cannot write this
	# private $HOME. The POD tests (tests/pod/) choose profiles themselves.
	case $0 in
	*/integration/*) export HEXE_VOIDBOX_PROFILE=none ;;
	*) unset HEXE_VOIDBOX_PROFILE ;;
	esac
	: >"$T_TMP/tracked.pids"
	trap _t_on_exit EXIT
	# Bash skips the EXIT trap when a signal kills it; exiting runs it.
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

# A pid to kill at teardown. Kept in a file because tests run in subshells.
track_pid() {
	echo "$1" >>"$T_TMP/tracked.pids"
}

# PID runs and is not a zombie: an orphan waits as one until PID 1
# reaps it, which on some hosts takes a second or more.
_t_alive() {
	local stat
	kill -0 "$1" 2>/dev/null || return 1
	read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
	stat=${stat##*) }
	[[ ${stat%% *} != Z ]]
}

# t_gone PID: the process ended (a zombie counts as ended).
t_gone() { ! _t_alive "$1"; }

_t_kill_pid() {
	local pid=$1 i
	[[ $pid =~ ^[0-9]+$ ]] && ((pid > 1)) || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	for ((i = 0; i < 20; i++)); do
		_t_alive "$pid" || return 0
		sleep 0.05
	done
	# It may have ended since: under `set -e` a failed kill must not
	# end the caller.
	kill -KILL "$pid" 2>/dev/null || true
	return 0
}

# Stops what the script started: the hexe instance politely, then by pid
# only the processes it recorded. Never by name: other tests (and the
# developer's own hexe) may be running on the same machine.
hexe_env_teardown() {
	local f pid
	[[ -n $T_TMP && -d $T_TMP ]] || return 0
	if [[ -x ${HEXE:-} ]]; then
		timeout 5 "$HEXE" ses stop >/dev/null 2>&1 || true
	fi
	for f in "$XDG_RUNTIME_DIR/hexe/$HEXE_INSTANCE"/*.pid; do
		[[ -f $f ]] || continue
		pid=$(head -n 1 "$f" 2>/dev/null)
		_t_kill_pid "$pid"
	done
	if [[ -f $T_TMP/tracked.pids ]]; then
		while read -r pid; do
			_t_kill_pid "$pid"
		done <"$T_TMP/tracked.pids"
	fi
	rm -rf "$T_TMP"
	T_TMP=
}

_t_on_exit() {
	local rc=$?
	hexe_env_teardown
	# Standalone runs should fail visibly too, not only under tests/run.
	if ((rc == 0 && T_NFAIL > 0)); then
		exit 1
	fi
	exit "$rc"
}

t_ok() {
	echo "ok $1"
}

t_fail() {
	echo "not ok $1"
	[[ -n ${2:-} ]] && printf '%s\n' "$2" | sed 's/^/    /'
	T_NFAIL=$((T_NFAIL + 1))
	return 0
}

t_skip() {
	echo "skip $1: ${2:-no reason given}"
}

# t_run NAME FUNC [ARGS...]: runs FUNC in a subshell with `set -e`, so the
# first failing command or assertion ends the test; its output is shown
# only if it fails. FUNC may call t_skip_test REASON to skip itself.
t_run() {
	local name=$1 log rc
	shift
	log=$(mktemp "$T_TMP/t_run.XXXXXX")
	(
		set -e
		"$@"
	) >"$log" 2>&1 </dev/null
	rc=$?
	if ((rc == 0)); then
		t_ok "$name"
	elif ((rc == 77)); then
		t_skip "$name" "$(tail -n 1 "$log")"
	else
		echo "not ok $name"
		echo "    (exit status $rc)"
		sed 's/^/    /' "$log"
		T_NFAIL=$((T_NFAIL + 1))
	fi
	rm -f "$log"
	return 0
}

# Inside a t_run function: stop here and report the test as skipped.
t_skip_test() {
	echo "$*"
	exit 77
}

# t_assert_eq ACTUAL EXPECTED MSG
t_assert_eq() {
	[[ $1 == "$2" ]] && return 0
	printf 'assertion failed: %s\n  expected: %q\n  actual:   %q\n' \
		"${3:-values differ}" "$2" "$1"
	return 1
}

# t_assert_contains HAYSTACK NEEDLE MSG
t_assert_contains() {
	[[ $1 == *"$2"* ]] && return 0
	printf 'assertion failed: %s\n  missing: %q\n  in:\n%s\n' \
		"${3:-text not found}" "$2" "$(printf '%s\n' "$1" | sed 's/^/    /')"
	return 1
}

_t_now_us() {
	local t=${EPOCHREALTIME//[.,]/}
	echo "$t"
}

# Seconds, possibly fractional ("1.5"), as microseconds.
_t_secs_to_us() {
	local s=${1%%.*} f=
	[[ $1 == *.* ]] && f=${1#*.}
	f=${f}000000
	echo $((10#${s:-0} * 1000000 + 10#${f:0:6}))
}

# t_wait_for TIMEOUT_S CMD...: runs CMD every 50 ms until it succeeds;
# fails (returns 1, with a message) once TIMEOUT_S seconds have passed.
t_wait_for() {
	local end
	end=$(($(_t_now_us) + $(_t_secs_to_us "$1")))
	shift
	while ! "$@"; do
		if (($(_t_now_us) >= end)); then
			echo "timeout waiting for: $*"
			return 1
		fi
		sleep 0.05
	done
	return 0
}
